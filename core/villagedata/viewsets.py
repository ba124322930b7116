"""Admin of village data, scoped to the editor's villages by core.scoping."""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton

from core.scoping import VillageDataViewSet
from core.villagedata.models import PopulationFigure, PotentialFigure


def _index_view_with_import(import_url_name: str):
    from wagtail.admin.views.generic import IndexView

    class IndexWithImport(IndexView):
        @cached_property
        def header_buttons(self):
            return [
                *super().header_buttons,
                HeaderButton(_("Impor"), url=reverse(import_url_name), icon_name="upload"),
            ]

    return IndexWithImport


class PopulationFigureViewSet(VillageDataViewSet):
    model = PopulationFigure
    name = "population_figures"
    icon = "group"
    menu_label = _("Kependudukan")
    add_to_admin_menu = False
    form_fields = ["village", "year", "category", "label", "value", "order"]
    list_display = ["label", "category", "year", "value", "village"]
    list_filter = ["year", "category"]
    list_export = ["year", "category", "label", "value", "order"]
    search_fields = ["label"]
    index_view_class = _index_view_with_import("villagedata_import_population")


class PotentialFigureViewSet(VillageDataViewSet):
    model = PotentialFigure
    name = "potential_figures"
    icon = "pick"
    menu_label = _("Potensi desa")
    add_to_admin_menu = False
    form_fields = ["village", "year", "category", "label", "value", "unit", "order"]
    list_display = ["label", "category", "year", "value", "unit", "village"]
    list_filter = ["year", "category"]
    list_export = ["year", "category", "label", "value", "unit", "order"]
    search_fields = ["label"]
    index_view_class = _index_view_with_import("villagedata_import_potential")


class VillageDataViewSetGroup(ModelViewSetGroup):
    menu_label = _("Data desa")
    menu_icon = "table"
    menu_order = 210
    items = (PopulationFigureViewSet, PotentialFigureViewSet)
