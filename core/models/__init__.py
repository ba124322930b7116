from .imports import ImportJob
from .pages import DistrictHomePage, VillageHomePage
from .plugins import PluginSwitch, PluginSwitchChange
from .settings import VillageSiteSettings
from .villages import Kecamatan, Village

__all__ = [
    "DistrictHomePage",
    "ImportJob",
    "Kecamatan",
    "PluginSwitch",
    "PluginSwitchChange",
    "Village",
    "VillageHomePage",
    "VillageSiteSettings",
]
