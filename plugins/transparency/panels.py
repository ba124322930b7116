"""The home-page panel (this year's budget in brief) and the village-dashboard panel (budget of
the year not published, realisation not updated this semester)."""

from __future__ import annotations

import datetime

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.pluginhost.panels import HomePanel, VillageDashboardPanel
from core.villages.lookup import village_id_for_page

from .models import BudgetVersion, Realisation, TransparencyPage
from .reports import percent, realised_totals, version_totals


def semester_start(today: datetime.date) -> datetime.date:
    return datetime.date(today.year, 1 if today.month <= 6 else 7, 1)


class BudgetHomePanel(HomePanel):
    title = _("APBDes")
    order = 60
    template_name = "transparency/home_panel.html"

    def latest(self) -> BudgetVersion | None:
        if not hasattr(self, "_latest"):
            self._latest = (
                BudgetVersion.objects.filter(
                    village_id=village_id_for_page(self.page),
                    status=BudgetVersion.Status.PUBLISHED,
                )
                .select_related("budget")
                .order_by("-budget__year", "-number")
                .first()
            )
        return self._latest

    def is_shown(self) -> bool:
        return self.latest() is not None

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        version = self.latest()
        totals, realised = version_totals(version), realised_totals(version)
        page = TransparencyPage.objects.live().descendant_of(self.page).first()
        context.update(
            version=version,
            totals=totals,
            spending_percent=percent(realised.spending, totals.spending),
            income_percent=percent(realised.income, totals.income),
            page_url=page.get_url(self.request) if page else None,
        )
        return context


class BudgetDashboardPanel(VillageDashboardPanel):
    name = "transparency_budget"
    order = 160
    template_name = "transparency/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        today = timezone.localdate()
        ids = [v.pk for v in self.villages]
        published = set(
            BudgetVersion.objects.filter(
                village_id__in=ids,
                budget__year=today.year,
                status=BudgetVersion.Status.PUBLISHED,
            ).values_list("village_id", flat=True)
        )
        last_realised = dict(
            Realisation.objects.filter(village_id__in=ids, line__version__budget__year=today.year)
            .values_list("village_id")
            .annotate(last=Max("date"))
        )
        since = semester_start(today)
        context.update(
            year=today.year,
            # a kelurahan has no APBDes to publish (its budget is part of the district's APBD)
            unpublished=[
                v for v in self.villages if v.pk not in published and v.kind == v.Kind.DESA
            ],
            stale=[
                v
                for v in self.villages
                if v.pk in published and (last_realised.get(v.pk) or datetime.date.min) < since
            ],
        )
        return context
