"""Registration only: choosers, reports and the dashboard scoped to the user's villages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from wagtail import hooks
from wagtail.admin.site_summary import PagesSummaryItem, SummaryItem
from wagtail.models import Page

from core.villages.lookup import (
    collection_ids_for_user,
    is_district_admin,
    pages_of_villages_q,
    village_ids_for_user,
    village_root_paths,
)


@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages: QuerySet, request: HttpRequest) -> QuerySet:
    q = pages_of_villages_q(village_ids_for_user(request.user))
    return pages if q is None else pages.filter(q)


@hooks.register("construct_image_chooser_queryset")
def scope_image_chooser(images: QuerySet, request: HttpRequest) -> QuerySet:
    collections = collection_ids_for_user(request.user)
    return images if collections is None else images.filter(collection__in=collections)


@hooks.register("construct_document_chooser_queryset")
def scope_document_chooser(documents: QuerySet, request: HttpRequest) -> QuerySet:
    collections = collection_ids_for_user(request.user)
    return documents if collections is None else documents.filter(collection__in=collections)


@hooks.register("construct_reports_menu")
def hide_district_reports(request: HttpRequest, menu_items: list) -> None:
    if not is_district_admin(request.user):
        hidden = {"page-types-usage", "site-history"}
        menu_items[:] = [item for item in menu_items if item.name not in hidden]


class VillagePagesSummaryItem(SummaryItem):
    """Dashboard panel for village users: their own village's page count, not the district's."""

    order = 100
    template_name = "confinement/summary_pages.html"

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        ids = village_ids_for_user(self.request.user)
        paths = village_root_paths(ids)
        q = pages_of_villages_q(ids)
        home = Page.objects.filter(path=paths[0]).first() if paths else None
        count = Page.objects.filter(q).count() if q is not None else 0
        return {"home": home, "count": count}


@hooks.register("construct_homepage_summary_items")
def scope_page_summary(request: HttpRequest, summary_items: list) -> None:
    if is_district_admin(request.user):
        return
    summary_items[:] = [
        VillagePagesSummaryItem(request) if isinstance(item, PagesSummaryItem) else item
        for item in summary_items
    ]
