"""The district-wide directory of leading products (``/produk-unggulan/`` on the district portal,
plugins/umkm/root_urls.py): featured, visible products of published businesses of every
village where the plugin is on and that has a live catalogue page, filtered by kecamatan and
category, paginated, each linking to its product page on its village's host.

The query count does not grow with villages or products: one query for the villages (with
their sites and root pages), one for their catalogue pages, one for the kecamatan list, the
count and page of products, and the photos' renditions.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views import View
from wagtail.images import get_image_model

from core.pluginhost.registry import plugin_key_for_module
from core.pluginhost.switches import villages_with_plugin
from core.villages.lookup import village_id_for_path
from core.villages.models import Kecamatan, Village
from core.villages.params import text_param

from .models import Category, Product, Status
from .pages import THUMBNAIL, CataloguePage

PAGE_SIZE = 24


def catalogue_urls(village_ids) -> dict[int, str]:
    """Absolute URL of each village's (Indonesian) catalogue page, by village id."""
    villages = {
        v.pk: v
        for v in Village.objects.filter(pk__in=village_ids).select_related("site__root_page")
    }
    urls: dict[int, str] = {}
    pages = (
        CataloguePage.objects.live()
        .filter(locale__language_code="id")
        .only("path", "url_path")
        .order_by("path")
    )
    for page in pages:
        village = villages.get(village_id_for_path(page.path) or 0)
        if village is None or village.pk in urls or village.site is None:
            continue
        root = village.site.root_page
        if not page.url_path.startswith(root.url_path):
            continue
        urls[village.pk] = village.site.root_url + page.url_path[len(root.url_path) - 1 :]
    return urls


class DirectoryView(View):
    template_name = "umkm/directory.html"

    def get(self, request):
        village_ids = villages_with_plugin(plugin_key_for_module(__name__))
        urls = catalogue_urls(village_ids)
        images = get_image_model().objects.prefetch_renditions(THUMBNAIL)
        products = (
            Product.objects.filter(
                village_id__in=list(urls),
                business__village_id=F("village_id"),
                business__status=Status.PUBLISHED,
                featured=True,
                hidden=False,
            )
            .select_related("business", "village__kecamatan")
            .prefetch_related(Prefetch("photo", queryset=images))
        )
        kecamatans = list(
            Kecamatan.objects.filter(villages__in=list(urls)).distinct().order_by("name")
        )
        kecamatan = text_param(request.GET.get("kecamatan"), 8)
        if kecamatan in {k.code for k in kecamatans}:
            products = products.filter(village__kecamatan__code=kecamatan)
        else:
            kecamatan = ""
        category = text_param(request.GET.get("kategori"), 20)
        if category in Category.values:
            products = products.filter(business__category=category)
        else:
            category = ""
        products = products.order_by("name", "pk")
        page_obj = Paginator(products, PAGE_SIZE).get_page(request.GET.get("halaman"))
        for product in page_obj:
            product.directory_url = f"{urls[product.village_id]}produk/{product.pk}/"
        context = {
            "products": page_obj,
            "kecamatans": kecamatans,
            "kecamatan": kecamatan,
            "categories": Category.choices,
            "category": category,
            "title": _("Produk unggulan desa"),
        }
        return TemplateResponse(request, self.template_name, context)
