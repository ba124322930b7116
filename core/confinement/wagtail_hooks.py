"""Registration only: viewsets, admin URLs, menu items and the confinement hooks."""

from django.db.models import Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.site_summary import PagesSummaryItem, SummaryItem

from core.pluginhost import registry as plugins
from core.confinement.viewsets import plugin_disabled_response
from core.views import admin as admin_views
from core.provisioning.viewsets import DistrictViewSetGroup
from core.villages.lookup import home_pages_for_villages, is_district_admin, village_ids_for_user


@hooks.register("register_admin_viewset")
def register_district_viewsets():
    return DistrictViewSetGroup()


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("sidekem/plugins/", admin_views.plugin_grid, name="sidekem_plugin_grid"),
        path("sidekem/plugins/history/", admin_views.plugin_history, name="sidekem_plugin_history"),
        path("sidekem/villages/import/", admin_views.village_import, name="sidekem_village_import"),
    ]


class DistrictMenuItem(MenuItem):
    def is_shown(self, request):
        return is_district_admin(request.user)


@hooks.register("register_settings_menu_item")
def register_plugin_grid_menu_item():
    return DistrictMenuItem(
        _("Plugin per desa"), reverse("sidekem_plugin_grid"), icon_name="cogs", order=50
    )


@hooks.register("register_settings_menu_item")
def register_village_import_menu_item():
    return DistrictMenuItem(
        _("Impor desa"), reverse("sidekem_village_import"), icon_name="upload", order=51
    )


# -- choosers: only the user's own village ----------------------------------------------------


def _page_scope_q(user):
    ids = village_ids_for_user(user)
    if ids is None:
        return None
    paths = list(home_pages_for_villages(ids).values_list("path", flat=True))
    q = Q(pk__in=[])
    for home_path in paths:
        q |= Q(path__startswith=home_path)
    return q


@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages, request):
    q = _page_scope_q(request.user)
    return pages if q is None else pages.filter(q)


def _collection_ids(user):
    """Collections of the user's villages (``None`` = all); search backends filter on ids."""
    from core.villages.models import Village

    ids = village_ids_for_user(user)
    if ids is None:
        return None
    return list(Village.objects.filter(pk__in=ids).values_list("collection_id", flat=True))


@hooks.register("construct_image_chooser_queryset")
def scope_image_chooser(images, request):
    collections = _collection_ids(request.user)
    return images if collections is None else images.filter(collection__in=collections)


@hooks.register("construct_document_chooser_queryset")
def scope_document_chooser(documents, request):
    collections = _collection_ids(request.user)
    return documents if collections is None else documents.filter(collection__in=collections)


# -- plugin pages in the admin: refuse when the plugin is off for the page's village ----------


def _refuse_disabled_plugin_page(request, page):
    specific_class = page.specific_class
    key = getattr(specific_class, "plugin_key", None)
    if key and not is_district_admin(request.user) and not plugins.is_enabled(page, key):
        return plugin_disabled_response(request, key)
    return None


@hooks.register("before_edit_page")
def refuse_edit_of_disabled_plugin_page(request, page):
    return _refuse_disabled_plugin_page(request, page)


@hooks.register("before_delete_page")
def refuse_delete_of_disabled_plugin_page(request, page):
    return _refuse_disabled_plugin_page(request, page)


@hooks.register("before_copy_page")
def refuse_copy_of_disabled_plugin_page(request, page):
    return _refuse_disabled_plugin_page(request, page)


@hooks.register("before_create_page")
def refuse_create_of_disabled_plugin_page(request, parent_page, page_class):
    key = getattr(page_class, "plugin_key", None)
    if key and not plugins.is_enabled(parent_page, key):
        return plugin_disabled_response(request, key)
    return None


@hooks.register("construct_reports_menu")
def hide_district_reports(request, menu_items):
    if not is_district_admin(request.user):
        hidden = {"page-types-usage", "site-history"}
        menu_items[:] = [item for item in menu_items if item.name not in hidden]


class VillagePagesSummaryItem(SummaryItem):
    """Dashboard panel for village users: their own village's page count, not the district's."""

    order = 100
    template_name = "confinement/summary_pages.html"

    def get_context_data(self, parent_context):
        from wagtail.models import Page

        homes = list(
            home_pages_for_villages(village_ids_for_user(self.request.user)).order_by("path")
        )
        q = Q(pk__in=[])
        for home in homes:
            q |= Q(path__startswith=home.path)
        return {"home": homes[0] if homes else None, "count": Page.objects.filter(q).count()}


@hooks.register("construct_homepage_summary_items")
def scope_page_summary(request, summary_items):
    if is_district_admin(request.user):
        return
    summary_items[:] = [
        VillagePagesSummaryItem(request) if isinstance(item, PagesSummaryItem) else item
        for item in summary_items
    ]
