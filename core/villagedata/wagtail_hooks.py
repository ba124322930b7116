"""Registration only."""

from wagtail import hooks

from core.villagedata.viewsets import VillageDataViewSetGroup


@hooks.register("register_admin_viewset")
def register_viewsets() -> VillageDataViewSetGroup:
    return VillageDataViewSetGroup()
