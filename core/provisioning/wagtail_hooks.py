"""Registration only: the district's village and kecamatan admin and the village import."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from core.provisioning.views import village_import
from core.provisioning.viewsets import DistrictViewSetGroup
from core.villages.district import DistrictMenuItem


@hooks.register("register_admin_viewset")
def register_district_viewsets() -> DistrictViewSetGroup:
    return DistrictViewSetGroup()


@hooks.register("register_admin_urls")
def register_admin_urls() -> list:
    return [path("sidekem/villages/import/", village_import, name="sidekem_village_import")]


@hooks.register("register_settings_menu_item")
def register_village_import_menu_item() -> DistrictMenuItem:
    return DistrictMenuItem(
        _("Impor desa"), reverse("sidekem_village_import"), icon_name="upload", order=51
    )
