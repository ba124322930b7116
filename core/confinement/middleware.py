"""One gate in front of all of Wagtail's admin views for village users."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import ResolverMatch
from wagtail.admin.views.chooser import ChosenMultipleView as PageChosenMultipleView
from wagtail.admin.views.generic.chooser import ChosenMultipleViewMixin, ChosenViewMixin
from wagtail.coreutils import resolve_model_string
from wagtail.models import Collection, CollectionMember, Page

from core.confinement import views as scoped_views
from core.confinement.scope import is_village_scoped
from core.villages.lookup import (
    village_id_of,
    village_ids_for_user,
    village_root_paths,
)
from core.villages.middleware import VillageUserAdminMiddleware

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
# Views that look across every village, served to village users by a scoped stand-in
# (core/confinement/views.py).
REPLACED_VIEWS: dict[str, Callable[..., HttpResponse]] = {
    "wagtailadmin_tag_autocomplete": scoped_views.tag_autocomplete,
    "wagtailadmin_tag_model_autocomplete": scoped_views.tag_autocomplete,
    "wagtail_localize:translations_report": scoped_views.translations_report,
    "wagtail_localize:translations_report_results": scoped_views.translations_report_results,
}
# Page URLs where the user may stand on an ancestor of their village (the tree root) to browse.
BROWSE_VIEWS = {
    "wagtailadmin_explore",
    "wagtailadmin_explore_results",
    "wagtailadmin_choose_page_child",
    "wagtailadmin_pages:explore",
    "wagtailadmin_pages:explore_results",
}
# Chooser views answering with the objects named in the path (``pk``) or the query (``id=``).
CHOSEN_VIEW_CLASSES = (ChosenViewMixin, ChosenMultipleViewMixin, PageChosenMultipleView)
PAGE_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk")
MODEL_KWARGS = (
    ("app_label", "model_name"),
    ("content_type_app_name", "content_type_model_name"),
    ("app_name", "model_name"),
)
SELECT_ALL = "all"  # bulk actions: every object of the listing (``childOf`` names its parent)


def chosen_view_model(view_func: Any) -> Any:
    """The model of a chooser "chosen" view (single or multiple), else ``None``."""
    view_class = getattr(view_func, "view_class", None)
    if not (isinstance(view_class, type) and issubclass(view_class, CHOSEN_VIEW_CLASSES)):
        return None
    if issubclass(view_class, PageChosenMultipleView):
        return Page
    initkwargs = getattr(view_func, "view_initkwargs", None) or {}
    model = initkwargs.get("model") or getattr(view_class, "model", None)
    if model is None:
        raise Http404  # a chosen view whose model cannot be told: refuse rather than guess
    return resolve_model_string(model)


class AdminVillageScopeMiddleware(VillageUserAdminMiddleware):
    """One gate in front of all of Wagtail's admin views for village users.

    Wagtail's page permissions decide *what* a user may do to a page; many views still render
    another village's page (explorer, move confirmation, workflow dialogs, bulk-action
    confirmations, editing-session pings) to a user without rights on it. This middleware makes
    every admin URL that names a page, image, document or village object outside the user's
    villages answer 404 (in the path, in a chooser's or bulk action's ``id=`` list, or as the
    ``childOf`` of a bulk action's "select all"), answers 404 for ids that are not ids at all,
    serves scoped stand-ins for views that look across villages (``REPLACED_VIEWS``), and keeps
    cross-village reports for district administrators.
    """

    def check(
        self,
        request: HttpRequest,
        match: ResolverMatch,
        view_func: Any,
        view_args: Any,
        view_kwargs: dict,
    ) -> HttpResponse | None:
        if match.view_name in DISTRICT_ONLY_VIEWS:
            raise PermissionDenied
        replacement = REPLACED_VIEWS.get(match.view_name)
        if replacement is not None:
            return replacement(request, *view_args, **view_kwargs)
        allowed = village_ids_for_user(request.user)
        page_ids = [view_kwargs[k] for k in PAGE_KWARGS if k in view_kwargs]
        if match.view_name.startswith("wagtailadmin_pages:") and "pk" in view_kwargs:
            page_ids.append(view_kwargs["pk"])
        if page_ids:
            self._check_pages(page_ids, allowed, browsing=match.view_name in BROWSE_VIEWS)
        chosen_model = chosen_view_model(view_func)
        if chosen_model is not None:
            chosen = [view_kwargs["pk"]] if "pk" in view_kwargs else request.GET.getlist("id")
            self._check_objects(chosen_model, chosen, allowed)
        model = self._model_from_kwargs(view_kwargs)
        if model is not None and match.view_name == "wagtail_bulk_action":
            self._check_bulk_selection(request, model, allowed)
        elif model is not None:
            object_id = view_kwargs.get("object_id") or view_kwargs.get("pk")
            self._check_objects(model, [object_id] if object_id is not None else [], allowed)
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
    def _clean_ids(model: Any, ids: Iterable[Any]) -> list[Any]:
        """The ids as primary key values of ``model``; anything else answers 404, not 500."""
        try:
            return [model._meta.pk.to_python(unquote(str(i))) for i in ids]
        except ValidationError:
            raise Http404 from None

    @classmethod
    def _check_pages(cls, page_ids: list, allowed: Any, browsing: bool = False) -> None:
        home_paths = village_root_paths(allowed)
        for path in Page.objects.filter(pk__in=cls._clean_ids(Page, page_ids)).values_list(
            "path", flat=True
        ):
            inside = any(path.startswith(home) for home in home_paths)
            above = browsing and any(home.startswith(path) for home in home_paths)
            if not (inside or above):
                raise Http404

    @classmethod
    def _check_objects(cls, model: Any, ids: list, allowed: Any) -> None:
        ids = cls._clean_ids(model, ids)
        if not ids or not is_village_scoped(model):
            return
        for obj in model._default_manager.filter(pk__in=ids):
            if village_id_of(obj) not in allowed:
                raise Http404

    @classmethod
    def _check_bulk_selection(cls, request: HttpRequest, model: Any, allowed: Any) -> None:
        ids = request.GET.getlist("id") + request.POST.getlist("id")
        if SELECT_ALL in ids:
            cls._check_select_all(model, request.GET.get("childOf"), allowed)
        cls._check_objects(model, [i for i in ids if i != SELECT_ALL], allowed)

    @classmethod
    def _check_select_all(cls, model: Any, parent: str | None, allowed: Any) -> None:
        """A "select all" (``id=all``) takes every object of a listing; Wagtail's query for it
        spans the whole district unless its parent (``childOf``) is inside the user's villages.

        Pages: the children (or, searching, descendants) of ``childOf``, which must be a page of
        the user's villages. Images and documents: Wagtail lists those in collections the user
        has permissions on; ``childOf`` (a collection) must be one of the user's villages'.
        Other village models: refused (Wagtail would list every village's rows). Whatever the
        selection, the ``before_bulk_action`` hook (core/confinement/wagtail_hooks.py) refuses to
        act on any object outside the user's villages.
        """
        if not is_village_scoped(model):
            return
        if issubclass(model, Page):
            if parent is None:
                raise Http404
            (parent_id,) = cls._clean_ids(Page, [parent])
            path = Page.objects.filter(pk=parent_id).values_list("path", flat=True).first()
            if path is None or not any(path.startswith(h) for h in village_root_paths(allowed)):
                raise Http404
        elif issubclass(model, CollectionMember):
            if parent is not None:
                (collection_id,) = cls._clean_ids(Collection, [parent])
                collection = Collection.objects.filter(pk=collection_id).first()
                if collection is None or village_id_of(collection) not in allowed:
                    raise Http404
        else:
            raise Http404
