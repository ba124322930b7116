"""Editor confinement for admin viewsets of village data.

Wagtail scopes only what a view's own ``get_queryset`` returns, and each generic view looks its
object up in its own way (PITFALLS 5). So :class:`VillageScopedViewSetMixin` works one level
higher: every view the viewset constructs is wrapped in a guard that

* refuses (403) users for whom the viewset's plugin is off in all their villages,
* answers 404 for any ``pk`` in the URL outside the user's villages (edit, delete, inspect,
  history, usage, copy, revisions, unpublish, and any view added later),

and every view class gets a scoped base queryset (index, results, export) and form choices
(create, edit). District administrators see all villages.
"""

from __future__ import annotations

import functools

from django.contrib.admin.utils import unquote
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from core.pluginhost import registry as plugins
from core.villages.lookup import is_district_admin, village_ids_for_user


def plugin_disabled_response(request, plugin_key):
    """A real 403 page (Wagtail would turn PermissionDenied into a redirect to the dashboard)."""
    try:
        label = plugins.get_plugin(plugin_key).verbose_name
    except LookupError:
        label = plugin_key
    return TemplateResponse(
        request, "pluginhost/plugin_disabled.html", {"plugin_label": label}, status=403
    )


def allowed_village_ids(user, plugin_key: str | None = None) -> frozenset[int] | None:
    """Villages whose data ``user`` may act on (``None`` = all), honouring a plugin switch."""
    ids = village_ids_for_user(user)
    if ids is None or not plugin_key:
        return ids
    return frozenset(vid for vid in ids if plugins.is_enabled(vid, plugin_key))


def selected_village(request, plugin_key: str | None = None):
    """The village an editor acts for in a multi-step view, and the villages they may choose.

    Theirs when they have one; otherwise the one chosen with ``desa`` (GET or POST), which must
    be among theirs (403 if not). Returns ``(village or None, villages)``.
    """
    from django.core.exceptions import PermissionDenied

    from core.villages.models import Village

    ids = allowed_village_ids(request.user, plugin_key)
    villages = Village.objects.all() if ids is None else Village.objects.filter(pk__in=ids)
    chosen = request.GET.get("desa") or request.POST.get("desa")
    if chosen and str(chosen).isdigit():
        village = villages.filter(pk=int(chosen)).first()
        if village is None:
            raise PermissionDenied
        return village, villages
    if ids is not None and len(ids) == 1:
        return villages.first(), villages
    return None, villages


def index_view_with_import(import_url_name: str, base=None):
    """An index view class with an "Impor" header button linking to ``import_url_name``."""
    from django.urls import reverse
    from django.utils.functional import cached_property
    from wagtail.admin.views.generic import IndexView
    from wagtail.admin.widgets.button import HeaderButton

    class IndexWithImport(base or IndexView):
        @cached_property
        def header_buttons(self):
            return [
                *super().header_buttons,
                HeaderButton(_("Impor"), url=reverse(import_url_name), icon_name="upload"),
            ]

    return IndexWithImport


class _ScopedViewMixin:
    sidekem_viewset = None

    def get_base_queryset(self):
        return self.sidekem_viewset.scope_queryset(super().get_base_queryset(), self.request.user)

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        self.sidekem_viewset.scope_form(form, self.request.user)
        return form


class VillageScopedViewSetMixin:
    """Mix into a ModelViewSet whose model reaches a village through ``village_field``."""

    village_field: str = "village"
    plugin_key: str | None = None
    #: A :class:`core.resources.VillageScopedResource` subclass enables ``import/``.
    import_resource_class = None

    # -- scoping -------------------------------------------------------------------------
    def scope_queryset(self, queryset, user):
        ids = allowed_village_ids(user, self.plugin_key)
        if ids is None:
            return queryset
        return queryset.filter(**{f"{self.village_field}__in": ids})

    def scope_form(self, form, user) -> None:
        from core.villages.models import Village

        field = form.fields.get(self.village_field)
        if field is None or not hasattr(field, "queryset"):
            return
        ids = allowed_village_ids(user, self.plugin_key)
        if ids is not None:
            field.queryset = Village.objects.filter(pk__in=ids)
            if len(ids) == 1 and not form.initial.get(self.village_field):
                form.initial[self.village_field] = next(iter(ids))

    def user_has_access(self, user) -> bool:
        if is_district_admin(user):
            return True
        if not self.plugin_key:
            return True
        return bool(allowed_village_ids(user, self.plugin_key))

    def check_object(self, request, pk) -> None:
        queryset = self.scope_queryset(self.model._default_manager.all(), request.user)
        if not queryset.filter(pk=unquote(str(pk))).exists():
            raise Http404

    # -- import ---------------------------------------------------------------------------------
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.import_resource_class is not None:
            self.index_view_class = index_view_with_import(
                self.get_url_name("import"), self.index_view_class
            )

    def get_urlpatterns(self):
        from django.urls import path

        patterns = super().get_urlpatterns()
        if self.import_resource_class is not None:
            view = self._guard(self.get_import_view_class().as_view())
            patterns.append(path("import/", view, name="import"))
        return patterns

    def get_import_view_class(self):
        from core.imports.views import ImportView

        viewset = self

        class VillageDataImportView(ImportView):
            resource_class = viewset.import_resource_class
            title = format_lazy(_("Impor {name}"), name=viewset.model._meta.verbose_name_plural)
            index_url_name = viewset.get_url_name("index")
            template_columns = [
                f.column_name
                for f in viewset.import_resource_class().get_import_fields()
                if f.column_name != viewset.village_field
            ]

            def has_permission(self, request):
                return viewset.permission_policy.user_has_permission(request.user, "add")

            def get_resource(self, request):
                village, _villages = selected_village(request, viewset.plugin_key)
                if village is None:
                    return None
                return self.resource_class(user=request.user, village=village)

            def extra_preview_context(self, request):
                village, _villages = selected_village(request, viewset.plugin_key)
                return {"desa": village.pk} if village else {}

            def render(self, request, **context):
                _village, villages = selected_village(request, viewset.plugin_key)
                villages = list(villages)
                context["village_choices"] = villages if len(villages) > 1 else []
                return super().render(request, **context)

        return VillageDataImportView

    # -- wiring into every view -------------------------------------------------------------
    def construct_view(self, view_class, **kwargs):
        scoped_class = type(
            f"VillageScoped{view_class.__name__}",
            (_ScopedViewMixin, view_class),
            {"sidekem_viewset": self},
        )
        return self._guard(super().construct_view(scoped_class, **kwargs))

    def _guard(self, view):
        viewset = self

        @functools.wraps(view)
        def guarded(request, *args, **kw):
            if not viewset.user_has_access(request.user):
                return plugin_disabled_response(request, viewset.plugin_key)
            for name in ("pk", "object_id"):
                if name in kw:
                    viewset.check_object(request, kw[name])
            return view(request, *args, **kw)

        guarded.sidekem_viewset = self
        return guarded

    @property
    def menu_item_class(self):
        base = super().menu_item_class
        viewset = self

        def is_shown(item, request):
            return base.is_shown(item, request) and viewset.user_has_access(request.user)

        return type(base.__name__, (base,), {"is_shown": is_shown})


class VillageDataViewSet(VillageScopedViewSetMixin, ModelViewSet):
    """ModelViewSet for a model with a ``village`` foreign key."""

    add_to_admin_menu = True
