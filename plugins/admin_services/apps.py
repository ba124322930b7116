from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from core.pluginhost.registry import PluginConfig

OFFICER_PERMISSIONS = [
    "admin_services.view_servicerequest",
    "admin_services.add_servicerequest",
    "admin_services.change_servicerequest",
    "admin_services.view_service",
    "admin_services.view_letter",
    "admin_services.add_letter",
    "admin_services.change_letter",
    "admin_services.view_servicerole",
]
MODERATOR_PERMISSIONS = [
    "admin_services.view_service",
    "admin_services.add_service",
    "admin_services.change_service",
    "admin_services.delete_service",
    "admin_services.view_servicerole",
    "admin_services.add_servicerole",
    "admin_services.change_servicerole",
    "admin_services.delete_servicerole",
    "admin_services.view_letter",
    "admin_services.view_open311client",
    "admin_services.add_open311client",
    "admin_services.change_open311client",
    "admin_services.delete_open311client",
]


class AdminServicesConfig(PluginConfig):
    default = True  # apps.py also imports PluginConfig: say which class is the app's
    name = "plugins.admin_services"
    label = "admin_services"
    verbose_name = _("Layanan administrasi")
    description = _(
        "Permohonan surat dan pengaduan warga, alur kerja, surat bernomor dengan verifikasi, "
        "API Open311."
    )
    default_enabled = False
    default_auto_field = "django.db.models.BigAutoField"
    demo = "plugins.admin_services.demo"
    urls = "plugins.admin_services.urls"
    root_urls = "plugins.admin_services.root_urls"  # Open311 at /open311/v2/ on every host
    # Requests hold personal data: only the village's service officers (Petugas Layanan) see
    # them; moderators keep the catalogue and name the sekdes and kepala desa; editors nothing.
    village_role_permissions = {
        "officers_group": OFFICER_PERMISSIONS,
        "moderators_group": MODERATOR_PERMISSIONS,
        "editors_group": [],
    }

    # The nightly erasure of personal data of closed requests past their retention period
    # (retention.py), for every village with the plugin on.
    beat_schedule = {
        "admin-services-erase-expired": {
            "task": "plugins.admin_services.tasks.erase_expired_everywhere",
            "schedule": crontab(hour=2, minute=15),
        },
    }

    def ready(self) -> None:
        from . import signal_handlers, tasks  # noqa: F401  (connects receivers, registers tasks)
