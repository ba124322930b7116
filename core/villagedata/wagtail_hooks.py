"""Registration only."""

from django.urls import path
from wagtail import hooks

from core.villagedata import views
from core.villagedata.viewsets import VillageDataViewSetGroup


@hooks.register("register_admin_viewset")
def register_viewsets():
    return VillageDataViewSetGroup()


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "villagedata/import/population/",
            views.PopulationImportView.as_view(),
            name="villagedata_import_population",
        ),
        path(
            "villagedata/import/potential/",
            views.PotentialImportView.as_view(),
            name="villagedata_import_potential",
        ),
        path(
            "villagedata/template/<str:kind>.csv",
            views.import_template,
            name="villagedata_template",
        ),
    ]
