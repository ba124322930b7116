"""Editor confinement for admin viewsets of village data.

Wagtail scopes only what a view's own ``get_queryset`` returns, and each generic view looks its
object up in its own way (overriding ``get_queryset`` leaves edit, delete, inspect and history
reachable by URL). So :class:`VillageScopedViewSetMixin` works one level higher: every view the
viewset constructs is wrapped in a guard that

* refuses (403) users for whom the viewset's plugin is off in all their villages,
* answers 404 for any ``pk`` in the URL outside the user's villages (edit, delete, inspect,
  history, usage, copy, revisions, unpublish, import, and any view added later),

and every view class gets a scoped base queryset (index, results, export) and form choices
(create, edit). A viewset with an ``import_resource_class`` (a
:class:`core.imports.resources.VillageScopedResource`) gets ``import/`` under the same guard.
District administrators see all villages.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from core.confinement.references import guard_form_references
from core.imports.resources import VillageScopedResource
from core.imports.views import ImportView
from core.pluginhost.admin import plugin_disabled_response, plugin_village_ids, user_may_use_plugin
from core.pluginhost.registry import qualified_name, resolve_key
from core.villages.models import Village
from core.villages.params import int_param


def allowed_village_ids(user: Any, plugin_key: str | None = None) -> frozenset[int] | None:
    """Villages whose data ``user`` may act on (``None`` = all), honouring a plugin switch."""
    return plugin_village_ids(user, plugin_key)


def selected_village(
    request: HttpRequest, plugin_key: str | None = None
) -> tuple[Village | None, QuerySet[Village]]:
    """The village an editor acts for in a multi-step view, and the villages they may choose.

    Theirs when they have one; otherwise the one chosen with ``desa`` (GET or POST), which must
    be among theirs (403 if not). Returns ``(village or None, villages)``.
    """
    ids = allowed_village_ids(request.user, plugin_key)
    villages = Village.objects.all() if ids is None else Village.objects.filter(pk__in=ids)
    chosen = int_param(request.GET.get("desa") or request.POST.get("desa"))
    if chosen is not None:
        village = villages.filter(pk=chosen).first()
        if village is None:
            raise PermissionDenied
        return village, villages
    if ids is not None and len(ids) == 1:
        return villages.first(), villages
    return None, villages


def index_view_with_import(import_url_name: str, base: type = IndexView) -> type:
    """An index view class with an "Impor" header button linking to ``import_url_name``."""

    class IndexWithImport(base):
        @cached_property
        def header_buttons(self) -> list:
            return [
                *super().header_buttons,
                HeaderButton(_("Impor"), url=reverse(import_url_name), icon_name="upload"),
            ]

    return IndexWithImport


class _ScopedViewMixin:
    sidekem_viewset: VillageScopedViewSetMixin

    def get_base_queryset(self) -> QuerySet:
        queryset = super().get_base_queryset()  # type: ignore[misc]
        if queryset.model is not self.sidekem_viewset.model:
            return queryset  # e.g. the history view's log entries of an already checked object
        return self.sidekem_viewset.scope_queryset(queryset, self.request.user)  # type: ignore[attr-defined]

    def get_form(self, *args: Any, **kwargs: Any) -> Any:
        form = super().get_form(*args, **kwargs)  # type: ignore[misc]
        self.sidekem_viewset.scope_form(form, self.request.user)  # type: ignore[attr-defined]
        guard_form_references(form, self.sidekem_viewset.village_field)
        return form


class VillageScopedViewSetMixin:
    """Mix into a ModelViewSet whose model reaches a village through ``village_field``.

    The plugin (if any) is the app of the model; set ``plugin_key`` only to override it.
    """

    village_field: str = "village"
    plugin_key: str | None = None
    #: A :class:`core.imports.resources.VillageScopedResource` subclass enables ``import/``.
    import_resource_class: type[VillageScopedResource] | None = None
    model: Any

    def get_plugin_key(self) -> str | None:
        model = getattr(self, "model", None)
        module = model.__module__ if model is not None else type(self).__module__
        return resolve_key(self.plugin_key, module, qualified_name(type(self)))

    # -- scoping -------------------------------------------------------------------------
    def scope_queryset(self, queryset: QuerySet, user: Any) -> QuerySet:
        ids = allowed_village_ids(user, self.get_plugin_key())
        if ids is None:
            return queryset
        return queryset.filter(**{f"{self.village_field}__in": ids})

    def scope_form(self, form: Any, user: Any) -> None:
        field = form.fields.get(self.village_field)
        if field is None or not hasattr(field, "queryset"):
            return
        ids = allowed_village_ids(user, self.get_plugin_key())
        if ids is not None:
            field.queryset = Village.objects.filter(pk__in=ids)
            if len(ids) == 1 and not form.initial.get(self.village_field):
                form.initial[self.village_field] = next(iter(ids))

    def user_has_access(self, user: Any) -> bool:
        return user_may_use_plugin(user, self.get_plugin_key())

    def check_object(self, request: HttpRequest, pk: Any) -> None:
        queryset = self.scope_queryset(self.model._default_manager.all(), request.user)
        if not queryset.filter(pk=unquote(str(pk))).exists():
            raise Http404

    # -- import ---------------------------------------------------------------------------------
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.import_resource_class is not None:
            self.index_view_class = index_view_with_import(
                self.get_url_name("import"),  # type: ignore[attr-defined]
                self.index_view_class,  # type: ignore[has-type]
            )

    def get_urlpatterns(self) -> list:
        patterns = super().get_urlpatterns()  # type: ignore[misc]
        if self.import_resource_class is not None:
            view = self._guard(self.get_import_view_class().as_view())
            patterns.append(path("import/", view, name="import"))
        return patterns

    def get_import_view_class(self) -> type[ImportView]:
        viewset = self
        assert self.import_resource_class is not None
        resource_class: type[VillageScopedResource] = self.import_resource_class

        class VillageDataImportView(ImportView):
            title = format_lazy(_("Impor {name}"), name=viewset.model._meta.verbose_name_plural)
            index_url_name = viewset.get_url_name("index")  # type: ignore[attr-defined]
            template_columns = _import_columns(resource_class, viewset.village_field)
            template_rows = resource_class.template_rows

            def has_permission(self, request: HttpRequest) -> bool:
                return viewset.permission_policy.user_has_permission(request.user, "add")  # type: ignore[attr-defined]

            def get_resource(self, request: HttpRequest) -> VillageScopedResource | None:
                village, _villages = selected_village(request, viewset.get_plugin_key())
                if village is None:
                    return None
                return resource_class(user=request.user, village=village)

            def extra_preview_context(self, request: HttpRequest) -> dict:
                village, _villages = selected_village(request, viewset.get_plugin_key())
                return {"desa": village.pk} if village else {}

            def render(self, request: HttpRequest, **context: Any) -> HttpResponse:
                village, villages = selected_village(request, viewset.get_plugin_key())
                choices = list(villages)
                context["village_choices"] = choices if len(choices) > 1 else []
                context["village"] = village
                return super().render(request, **context)

        VillageDataImportView.resource_class = resource_class
        return VillageDataImportView

    # -- wiring into every view -------------------------------------------------------------
    def construct_view(self, view_class: type, **kwargs: Any) -> Callable[..., HttpResponseBase]:
        scoped_class = type(
            f"VillageScoped{view_class.__name__}",
            (_ScopedViewMixin, view_class),
            {"sidekem_viewset": self},
        )
        return self._guard(super().construct_view(scoped_class, **kwargs))  # type: ignore[misc]

    def _guard(self, view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        viewset = self

        @functools.wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kw: Any) -> HttpResponseBase:
            if not viewset.user_has_access(request.user):
                return plugin_disabled_response(request, viewset.get_plugin_key())
            for name in ("pk", "object_id"):
                if name in kw:
                    viewset.check_object(request, kw[name])
            return view(request, *args, **kw)

        guarded.sidekem_viewset = self  # type: ignore[attr-defined]
        return guarded

    @property
    def menu_item_class(self) -> type[MenuItem]:
        base = super().menu_item_class  # type: ignore[misc]
        viewset = self

        def is_shown(item: MenuItem, request: HttpRequest) -> bool:
            return base.is_shown(item, request) and viewset.user_has_access(request.user)

        return type(base.__name__, (base,), {"is_shown": is_shown})


def _import_columns(resource_class: type[VillageScopedResource], village_field: str) -> list[str]:
    return [
        f.column_name
        for f in resource_class().get_import_fields()
        if f.column_name not in (village_field, "id")
    ]


class VillageDataViewSet(VillageScopedViewSetMixin, ModelViewSet):
    """ModelViewSet for a model with a ``village`` foreign key."""

    add_to_admin_menu = True
