"""Registration only: choosers, reports, the dashboard, the admin API and bulk actions scoped to
the user's villages."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from wagtail import hooks
from wagtail.admin.site_summary import PagesSummaryItem, SummaryItem
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents import get_document_model
from wagtail.documents.wagtail_hooks import DocumentsSummaryItem
from wagtail.images import get_image_model
from wagtail.images.wagtail_hooks import ImagesSummaryItem
from wagtail.models import Page, Site
from wagtail.permissions import policy_registry

from core.confinement.api import village_scoped_endpoint
from core.confinement.scope import is_village_scoped, scope_queryset
from core.villages.lookup import (
    collection_ids_for_user,
    is_district_admin,
    pages_of_villages_q,
    village_id_of,
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


def _village_count(model: type[Model], user: Any) -> int:
    objects = policy_registry.get_by_type(model).instances_user_has_any_permission_for(
        user, {"add", "change", "delete", "choose"}
    )
    return scope_queryset(objects, user).count()


def _village_site_name(user: Any) -> str:
    sites = Site.objects.filter(village__in=village_ids_for_user(user) or [])
    return ", ".join(sorted(site.site_name or site.hostname for site in sites))


class VillageImagesSummaryItem(ImagesSummaryItem):
    """Wagtail's images panel, counting (and naming) the user's villages only."""

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            "total_images": _village_count(get_image_model(), user),
            "site_name": _village_site_name(user),
        }


class VillageDocumentsSummaryItem(DocumentsSummaryItem):
    """Wagtail's documents panel, counting (and naming) the user's villages only."""

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            "total_docs": _village_count(get_document_model(), user),
            "site_name": _village_site_name(user),
        }


VILLAGE_SUMMARY_ITEMS = {
    PagesSummaryItem: VillagePagesSummaryItem,
    ImagesSummaryItem: VillageImagesSummaryItem,
    DocumentsSummaryItem: VillageDocumentsSummaryItem,
}


def _village_summary_item(item: SummaryItem, request: HttpRequest) -> SummaryItem:
    for wagtail_class, village_class in VILLAGE_SUMMARY_ITEMS.items():
        if isinstance(item, wagtail_class):
            return village_class(request)
    return item


# After Wagtail's own hooks (order 0), which add the district-wide items this replaces.
@hooks.register("construct_homepage_summary_items", order=100)
def scope_page_summary(request: HttpRequest, summary_items: list) -> None:
    if is_district_admin(request.user):
        return
    summary_items[:] = [_village_summary_item(item, request) for item in summary_items]


# After Wagtail's own hooks (order 0), which register the pages, images and documents endpoints.
@hooks.register("construct_admin_api", order=100)
def scope_admin_api(router: WagtailAPIRouter) -> None:
    # Wagtail's router keeps its endpoints in ``_endpoints`` (wagtail/api/v2/router.py);
    # tests/test_confinement_holes.py fails if that changes or an endpoint stays unscoped.
    for name, endpoint in list(router._endpoints.items()):
        router.register_endpoint(name, village_scoped_endpoint(endpoint))


@hooks.register("before_bulk_action")
def keep_bulk_action_in_villages(
    request: HttpRequest, action_type: str, objects: list, action: Any
) -> None:
    """Never act on another village's object, whatever a "select all" expanded to."""
    allowed = village_ids_for_user(request.user)
    if allowed is None or not is_village_scoped(action.model):
        return
    if any(village_id_of(obj) not in allowed for obj in objects):
        raise Http404


from core.confinement import privacy, references  # noqa: F401,E402  (registers their hooks)
