"""The district portal: villages by kecamatan with search, and the latest news of all villages."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.template.response import TemplateResponse

from core.villages.lookup import village_id_for_page
from core.villages.models import Kecamatan, Village
from core.villages.params import text_param
from core.website.models.news import NewsPage
from core.website.restrictions import public

LATEST = 6
PAGE_SIZE = 20


def district_news(portal):
    """Live news of every village in the portal's language, newest first, with village names."""
    news = (
        public(NewsPage.objects.all())
        .filter(locale_id=portal.locale_id)
        .defer_streamfields()
        .order_by("-date", "-pk")
    )
    return _VillageNamed(news, Village)


class _VillageNamed:
    """Wraps a news queryset so every item sliced out of it knows its village's name."""

    def __init__(self, queryset, village_model):
        self.queryset = queryset
        self.village_model = village_model

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        items = list(self.queryset[key]) if isinstance(key, slice) else [self.queryset[key]]
        village_ids = {item.pk: village_id_for_page(item) for item in items}
        villages = self.village_model.objects.in_bulk(set(village_ids.values()) - {None})
        for item in items:
            village = villages.get(village_ids[item.pk])
            item.village_name = str(village) if village else ""
        return items if isinstance(key, slice) else items[0]


def portal_context(portal, request) -> dict:
    query = text_param(request.GET.get("q"), 100)
    kecamatan_code = text_param(request.GET.get("kecamatan"), 8)
    villages = Village.objects.select_related("site").order_by("name")
    if query:
        villages = villages.filter(Q(name__icontains=query) | Q(code__startswith=query))
    if kecamatan_code:
        villages = villages.filter(kecamatan__code=kecamatan_code)
    kecamatan = Kecamatan.objects.prefetch_related(
        Prefetch("villages", queryset=villages, to_attr="listed_villages")
    )
    if kecamatan_code:
        kecamatan = kecamatan.filter(code=kecamatan_code)
    kecamatan = list(kecamatan)
    if query:
        kecamatan = [k for k in kecamatan if k.listed_villages]
    return {
        "kecamatan_list": kecamatan,
        "all_kecamatan": kecamatan
        if not (query or kecamatan_code)
        else list(Kecamatan.objects.all()),
        "query": query,
        "kecamatan_code": kecamatan_code,
        "village_count": sum(len(k.listed_villages) for k in kecamatan),
        "latest_news": district_news(portal)[:LATEST],
    }


def district_news_view(portal, request):
    news_page = Paginator(district_news(portal), PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "website/district_news.html",
        {"page": portal, "self": portal, "news_page": news_page},
    )
