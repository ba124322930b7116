"""The public catalogue of a village's businesses and products (a routable page type).

``/`` lists products of published businesses (filter by category, search, sort by price),
``usaha/<pk>/`` shows a business and ``produk/<pk>/`` a product with a QRIS code for its price.
Downloads and the order step are plugin URLs (plugins/umkm/urls.py). Only published businesses
of the page's own village are shown; everything else answers 404.
"""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.models import Page

from core.pluginhost.enforcement import PluginPageMixin
from core.villages.lookup import village_id_for_page
from core.website.models.base import VillagePageMixin

from . import codes, qris
from .models import Business, Category, Product, Status

PAGE_SIZE = 24
THUMBNAIL = "fill-400x300|format-webp"
SORTS = {
    "harga-naik": ("price", "name"),
    "harga-turun": ("-price", "name"),
    "nama": ("name",),
}


def ld_json(data: dict) -> str:
    """schema.org data for a ``<script type="application/ld+json">``: JSON with ``<``, ``>``
    and ``&`` escaped so that no text of a seller can close the script element."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308  (escaped above)


def published_businesses(village_id: int | None):
    return Business.objects.filter(village_id=village_id, status=Status.PUBLISHED)


def public_products(village_id: int | None):
    images = get_image_model().objects.prefetch_renditions(THUMBNAIL)
    return (
        Product.objects.filter(
            village_id=village_id,
            business__village_id=village_id,
            business__status=Status.PUBLISHED,
            hidden=False,
        )
        .select_related("business")
        .prefetch_related(Prefetch("photo", queryset=images))
    )


class CataloguePage(PluginPageMixin, RoutablePageMixin, VillagePageMixin, Page):
    """Katalog UMKM: one per village home page."""

    intro = RichTextField(_("pengantar"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["website.VillageHomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "umkm/catalogue_page.html"
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("katalog UMKM")
        verbose_name_plural = _("katalog UMKM")

    @property
    def village_id(self) -> int | None:
        return village_id_for_page(self)

    # -- catalogue ------------------------------------------------------------------------
    @path("")
    def catalogue(self, request):
        village_id = self.village_id
        products = public_products(village_id)
        category = request.GET.get("kategori", "")
        if category in Category.values:
            products = products.filter(business__category=category)
        else:
            category = ""
        query = (request.GET.get("q") or "").strip()[:100]
        if query:
            products = products.filter(
                Q(name__icontains=query)
                | Q(description__icontains=query)
                | Q(business__name__icontains=query)
            )
        sort = request.GET.get("urut", "")
        order = SORTS.get(sort, ("-featured", "name"))
        products = products.order_by(*order, "pk")
        page_obj = Paginator(products, PAGE_SIZE).get_page(request.GET.get("halaman"))
        businesses = published_businesses(village_id).only("pk", "name", "category")
        context = self.get_context(request)
        context.update(
            {
                "products": page_obj,
                "businesses": businesses,
                "categories": Category.choices,
                "category": category,
                "query": query,
                "sort": sort,
                "sorts": [
                    ("", _("Unggulan")),
                    ("harga-naik", _("Harga termurah")),
                    ("harga-turun", _("Harga termahal")),
                    ("nama", _("Nama")),
                ],
            }
        )
        return TemplateResponse(request, self.template, context)

    # -- a business --------------------------------------------------------------------------
    @path("usaha/<int:pk>/")
    def business(self, request, pk):
        business = get_object_or_404(
            published_businesses(self.village_id).select_related("photo"), pk=pk
        )
        products = public_products(self.village_id).filter(business=business)
        payload = business.qris
        valid = bool(payload) and not qris.errors(business.qris_payload)
        context = self.get_context(request)
        context.update(
            {
                "business": business,
                "products": products,
                "qris_svg": codes.svg(business.qris_payload) if valid else "",
                "qris_png_url": reverse("umkm:business_qris_png", args=[business.pk]),
                "legal_warnings": business.legal_warnings(),
                "og": self._og(request, business.name, business.description, business.photo),
                "ld_json": ld_json(self._business_ld(request, business)),
            }
        )
        return TemplateResponse(request, "umkm/business_page.html", context)

    # -- a product ---------------------------------------------------------------------------
    @path("produk/<int:pk>/")
    def product(self, request, pk):
        product = get_object_or_404(public_products(self.village_id), pk=pk)
        payload = product.qris_payload_for(1) if product.available else None
        business = product.business
        context = self.get_context(request)
        context.update(
            {
                "product": product,
                "business": business,
                "qris_svg": codes.svg(payload) if payload else "",
                "qris_png_url": reverse("umkm:product_qris_png", args=[product.pk]),
                "order_url": reverse("umkm:order", args=[product.pk]),
                "above_cap": not product.within_qris_cap,
                "og": self._og(request, product.name, product.description, product.photo),
                "ld_json": ld_json(self._product_ld(request, product)),
            }
        )
        return TemplateResponse(request, "umkm/product_page.html", context)

    # -- link previews -----------------------------------------------------------------------
    def _image_url(self, request, image) -> str:
        if image is None:
            return ""
        return request.build_absolute_uri(image.get_rendition("fill-1200x630|format-jpeg").url)

    def _og(self, request, title, description, image) -> dict:
        return {
            "title": title,
            "description": (description or "")[:200],
            "url": request.build_absolute_uri(),
            "image": self._image_url(request, image),
        }

    def _business_ld(self, request, business) -> dict:
        data = {
            "@context": "https://schema.org",
            "@type": "LocalBusiness",
            "name": business.name,
            "url": request.build_absolute_uri(),
        }
        if business.address:
            data["address"] = business.address
        if business.photo_id:
            data["image"] = self._image_url(request, business.photo)
        return data

    def _product_ld(self, request, product) -> dict:
        data = {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": product.name,
            "description": product.description[:500],
            "url": request.build_absolute_uri(),
            "brand": {"@type": "Brand", "name": product.business.name},
            "offers": {
                "@type": "Offer",
                "price": str(product.price),
                "priceCurrency": "IDR",
                "availability": "https://schema.org/InStock"
                if product.available
                else "https://schema.org/OutOfStock",
                "seller": {"@type": "Organization", "name": product.business.name},
            },
        }
        if product.photo_id:
            data["image"] = self._image_url(request, product.photo)
        return data

    def route(self, request, path_components):
        if self.village_id is None:
            raise Http404
        return super().route(request, path_components)
