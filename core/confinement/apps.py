from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfinementConfig(AppConfig):
    name = "core.confinement"
    label = "confinement"
    verbose_name = _("Pembatasan editor desa")

    def ready(self) -> None:
        from core.confinement.listing import scope_page_listing_filters
        from core.confinement.privacy import relabel_login_choice
        from core.confinement.references import install_page_forms

        scope_page_listing_filters()
        install_page_forms()
        relabel_login_choice()
