"""Admin of village data, scoped to the editor's villages by core.confinement.viewsets."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSetGroup

from core.confinement.viewsets import VillageDataViewSet
from core.villagedata.models import PopulationFigure, PotentialFigure
from core.villagedata.resources import PopulationResource, PotentialResource


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
    import_resource_class = PopulationResource


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
    import_resource_class = PotentialResource


class VillageDataViewSetGroup(ModelViewSetGroup):
    menu_label = _("Data desa")
    menu_icon = "table"
    menu_order = 210
    items = (PopulationFigureViewSet, PotentialFigureViewSet)
