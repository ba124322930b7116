from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The admin home page: a village's own dashboard for its team, the district's overview for
    district administrators (panels registered in wagtail_hooks.py)."""

    name = "core.dashboard"
    label = "dashboard"
    verbose_name = _("Dasbor")
