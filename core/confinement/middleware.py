"""One gate in front of all of Wagtail's admin views for village users."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from wagtail.models import CollectionMember, Page

from core.villages.lookup import (
    is_district_admin,
    village_id_of,
    village_ids_for_user,
    village_root_paths,
)

# Wagtail admin views that summarise every site at once: district administrators only.
DISTRICT_ONLY_VIEWS = {
    "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:page_types_usage_results",
    "wagtailadmin_pages:type_use",
    "wagtailadmin_pages:type_use_results",
    # Site history mixes log entries of every village (its user filter names their editors).
    "wagtailadmin_reports:site_history",
    "wagtailadmin_reports:site_history_results",
}
# Page URLs where the user may stand on an ancestor of their village (the tree root) to browse.
BROWSE_VIEWS = {
    "wagtailadmin_explore",
    "wagtailadmin_explore_results",
    "wagtailadmin_choose_page_child",
    "wagtailadmin_pages:explore",
    "wagtailadmin_pages:explore_results",
}
PAGE_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk")
MODEL_KWARGS = (
    ("app_label", "model_name"),
    ("content_type_app_name", "content_type_model_name"),
    ("app_name", "model_name"),
)


class AdminVillageScopeMiddleware:
    """One gate in front of all of Wagtail's admin views for village users.

    Wagtail's page permissions decide *what* a user may do to a page; many views still render
    another village's page (explorer, move confirmation, workflow dialogs, bulk-action
    confirmations, editing-session pings) to a user without rights on it. This middleware makes
    every admin URL that names a page, image, document or village object outside the user's
    villages answer 404, and keeps cross-village reports for district administrators.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: dict
    ) -> None:
        match = request.resolver_match
        if match is None or not request.path.startswith("/admin/"):
            return None
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated) or is_district_admin(user):
            return None
        if match.view_name in DISTRICT_ONLY_VIEWS:
            raise PermissionDenied
        allowed = village_ids_for_user(user)
        page_ids = [view_kwargs[k] for k in PAGE_KWARGS if k in view_kwargs]
        if match.view_name.startswith("wagtailadmin_pages:") and "pk" in view_kwargs:
            page_ids.append(view_kwargs["pk"])
        model = self._model_from_kwargs(view_kwargs)
        if page_ids:
            self._check_pages(page_ids, allowed, browsing=match.view_name in BROWSE_VIEWS)
        if model is not None:
            object_id = view_kwargs.get("object_id") or view_kwargs.get("pk")
            ids = [object_id] if object_id is not None else []
            if match.view_name == "wagtail_bulk_action":
                ids = request.GET.getlist("id") + request.POST.getlist("id")
            self._check_objects(model, ids, allowed)
        return None

    @staticmethod
    def _model_from_kwargs(kwargs: dict) -> Any:
        for app_key, model_key in MODEL_KWARGS:
            if app_key in kwargs and model_key in kwargs:
                try:
                    return apps.get_model(kwargs[app_key], kwargs[model_key])
                except LookupError:
                    raise Http404 from None
        return None

    @staticmethod
    def _check_pages(page_ids: list, allowed: Any, browsing: bool = False) -> None:
        home_paths = village_root_paths(allowed)
        for path in Page.objects.filter(pk__in=[int(p) for p in page_ids]).values_list(
            "path", flat=True
        ):
            inside = any(path.startswith(home) for home in home_paths)
            above = browsing and any(home.startswith(path) for home in home_paths)
            if not (inside or above):
                raise Http404

    @staticmethod
    def _check_objects(model: Any, ids: list, allowed: Any) -> None:
        scoped = issubclass(model, (Page, CollectionMember)) or any(
            f.name == "village" for f in model._meta.get_fields()
        )
        if not scoped or not ids:
            return
        for obj in model._default_manager.filter(pk__in=[unquote(str(i)) for i in ids]):
            if village_id_of(obj) not in allowed:
                raise Http404
