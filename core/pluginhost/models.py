from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PluginSwitch(models.Model):
    """Whether one plugin is enabled for one village. Only district administrators change it."""

    village = models.ForeignKey(
        "villages.Village", on_delete=models.CASCADE, related_name="plugin_switches"
    )
    plugin_key = models.CharField(_("plugin"), max_length=64)
    enabled = models.BooleanField(_("aktif"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["village", "plugin_key"], name="unique_plugin_switch")
        ]
        verbose_name = _("sakelar plugin")
        verbose_name_plural = _("sakelar plugin")

    def __str__(self) -> str:
        return f"{self.village_id}:{self.plugin_key}={'on' if self.enabled else 'off'}"


class PluginSwitchChange(models.Model):
    """Audit trail: every change of a switch, by whom and how."""

    class Source(models.TextChoices):
        PROVISIONING = "provisioning", _("Pembuatan desa")
        GRID = "grid", _("Tabel sakelar")
        BULK = "bulk", _("Per kecamatan")
        COMMAND = "command", _("Perintah")

    village = models.ForeignKey(
        "villages.Village", on_delete=models.CASCADE, related_name="plugin_switch_changes"
    )
    plugin_key = models.CharField(_("plugin"), max_length=64)
    enabled = models.BooleanField(_("aktif"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diubah oleh"),
    )
    changed_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    source = models.CharField(_("cara"), max_length=20, choices=Source.choices)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("riwayat sakelar plugin")
        verbose_name_plural = _("riwayat sakelar plugin")
