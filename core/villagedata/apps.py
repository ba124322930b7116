from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillageDataConfig(AppConfig):
    """Data desa: population aggregates and village potential, per village and year."""

    name = "core.villagedata"
    label = "villagedata"
    verbose_name = _("Data desa")
    default_auto_field = "django.db.models.BigAutoField"
    #: Model permissions of the village roles (core/villages/roles.py).
    village_role_permissions = {
        role: [
            f"villagedata.{action}_{model}"
            for model in ("populationfigure", "potentialfigure")
            for action in ("add", "change", "delete", "view")
        ]
        for role in ("editors_group", "moderators_group")
    }

    def ready(self) -> None:
        from . import signal_handlers  # noqa: F401
