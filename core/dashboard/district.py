"""The district dashboard for district administrators: every village by kecamatan with its last
publication, the villages that published nothing for 30 days, how many villages use each
plugin, and residents' messages that were never e-mailed.

Built for the whole district (223 villages in Pemalang) in a handful of queries, none per
village: :class:`DistrictFigures` computes each figure once per request and the panels share it.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Count, Max, Min
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page

from core.dashboard.components import DashboardComponent
from core.pluginhost.registry import installed_plugins
from core.pluginhost.switches import villages_with_plugin
from core.villages.lookup import HOME_DEPTH_PATH_LEN, village_id_for_path
from core.villages.models import Kecamatan, Village
from core.website.models import ContactMessage

#: A village that published nothing for this long is listed apart.
STALE_AFTER = datetime.timedelta(days=30)


@dataclass(frozen=True)
class VillageRow:
    village: Village
    last_published: datetime.datetime | None
    stale: bool
    explore_url: str


@dataclass(frozen=True)
class KecamatanGroup:
    kecamatan: Kecamatan
    rows: list[VillageRow]

    @property
    def stale_count(self) -> int:
        return sum(row.stale for row in self.rows)


@dataclass(frozen=True)
class PluginAdoption:
    key: str
    label: str
    villages: int
    total: int


@dataclass(frozen=True)
class UnsentMessages:
    village: Village
    count: int
    oldest: datetime.datetime


class DistrictFigures:
    """The district's figures, each computed (in one or two queries) on first use."""

    def __init__(self, now: datetime.datetime | None = None) -> None:
        self.now = now or timezone.now()

    @cached_property
    def villages(self) -> list[Village]:
        return list(
            Village.objects.select_related("kecamatan", "site").order_by(
                "kecamatan__code", "name", "pk"
            )
        )

    @cached_property
    def last_published(self) -> dict[int, datetime.datetime]:
        """Latest ``last_published_at`` of each village's pages (both languages), by village:
        pages grouped by the tree path of their home page, in one query."""
        latest_by_home = (
            Page.objects.filter(depth__gte=2, last_published_at__isnull=False)
            .annotate(home_path=Substr("path", 1, HOME_DEPTH_PATH_LEN))
            .order_by()
            .values("home_path")
            .annotate(latest=Max("last_published_at"))
            .values_list("home_path", "latest")
        )
        result: dict[int, datetime.datetime] = {}
        for home_path, latest in latest_by_home:
            village_id = village_id_for_path(home_path)
            if village_id is not None and (village_id not in result or latest > result[village_id]):
                result[village_id] = latest
        return result

    @cached_property
    def rows(self) -> list[VillageRow]:
        cutoff = self.now - STALE_AFTER
        rows = []
        for village in self.villages:
            last = self.last_published.get(village.pk)
            rows.append(
                VillageRow(
                    village=village,
                    last_published=last,
                    stale=last is None or last < cutoff,
                    explore_url=reverse("wagtailadmin_explore", args=[village.site.root_page_id]),
                )
            )
        return rows

    @cached_property
    def by_kecamatan(self) -> list[KecamatanGroup]:
        return [
            KecamatanGroup(kecamatan, list(rows))
            for kecamatan, rows in itertools.groupby(self.rows, key=lambda r: r.village.kecamatan)
        ]

    @cached_property
    def stale(self) -> list[VillageRow]:
        """Villages without a publication for :data:`STALE_AFTER`: never published first, then
        the longest silent."""
        stale = [row for row in self.rows if row.stale]
        return sorted(
            stale, key=lambda r: (r.last_published is not None, r.last_published or self.now)
        )

    @cached_property
    def plugin_adoption(self) -> list[PluginAdoption]:
        """For each installed plugin, the number of villages where it is on."""
        total = len(self.villages)
        return [
            PluginAdoption(
                key=cfg.get_key(),
                label=str(cfg.verbose_name),
                villages=len(villages_with_plugin(cfg.get_key())),
                total=total,
            )
            for cfg in installed_plugins()
        ]

    @cached_property
    def unsent_messages(self) -> list[UnsentMessages]:
        """Messages never forwarded by e-mail (suspected spam aside, which is never sent), by
        village, most first."""
        by_village = {village.pk: village for village in self.villages}
        counts = (
            ContactMessage.objects.filter(emailed_at__isnull=True, suspected_spam=False)
            .order_by()
            .values("village_id")
            .annotate(count=Count("pk"), oldest=Min("created_at"))
        )
        found = [
            UnsentMessages(by_village[row["village_id"]], row["count"], row["oldest"])
            for row in counts
            if row["village_id"] in by_village
        ]
        return sorted(found, key=lambda u: (-u.count, u.village.name, u.village.pk))

    @property
    def unsent_total(self) -> int:
        return sum(item.count for item in self.unsent_messages)


class DistrictPanel(DashboardComponent):
    """A district dashboard panel: renders the shared :class:`DistrictFigures`."""

    def __init__(self, figures: DistrictFigures) -> None:
        self.figures = figures

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {"figures": self.figures, "stale_days": STALE_AFTER.days}


class StaleVillagesPanel(DistrictPanel):
    name = "district_stale_villages"
    order = 10
    template_name = "dashboard/district_stale_villages.html"


class UnsentMessagesPanel(DistrictPanel):
    name = "district_unsent_messages"
    order = 20
    template_name = "dashboard/district_unsent_messages.html"

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {
            **super().get_context_data(parent_context),
            "url": reverse("contact_messages:index"),
        }


class PluginAdoptionPanel(DistrictPanel):
    name = "district_plugin_adoption"
    order = 30
    template_name = "dashboard/district_plugin_adoption.html"

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        context = super().get_context_data(parent_context)
        context["grid_url"] = reverse("sidekem_plugin_grid")
        return context


class VillagesByKecamatanPanel(DistrictPanel):
    """The long list, after Wagtail's own panels."""

    name = "district_villages"
    order = 400
    template_name = "dashboard/district_villages.html"


def district_panels() -> list[Component]:
    figures = DistrictFigures()
    return [
        StaleVillagesPanel(figures),
        UnsentMessagesPanel(figures),
        PluginAdoptionPanel(figures),
        VillagesByKecamatanPanel(figures),
    ]
