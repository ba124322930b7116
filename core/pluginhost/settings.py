"""Per-village plugin settings (letterhead and signer, social accounts, merchant defaults).

Subclass :class:`PluginSiteSetting` in a plugin's models.py and register it with Wagtail's
``@register_setting``: the Site is the village. The village's moderators may edit it on their own
village's site (a GroupSitePermission granted through
``PluginConfig.get_village_role_site_permissions``) only while the plugin is
on for that village; :class:`core.pluginhost.admin.PluginAdminGateMiddleware` refuses the edit
view otherwise, and the settings menu hides it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from wagtail.contrib.settings.models import BaseSiteSetting

from core.pluginhost.switches import is_enabled


class PluginSiteSetting(BaseSiteSetting):
    sidekem_plugin_setting: ClassVar[bool] = True

    class Meta:
        abstract = True

    @classmethod
    def for_village(cls, village: Any) -> PluginSiteSetting | None:
        """The village's settings while the plugin is on; ``None`` when it is off."""
        key = cls._meta.app_config.get_key()
        if not is_enabled(village, key):
            return None
        return cls.for_site(village.site)
