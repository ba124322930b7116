"""The district view of the villages' budgets for a year: per kecamatan and village the total
budget of the latest published version, realisation %, the Dana Desa share, and the villages
(with the plugin on) that have not published. The same table on the district portal
(``root_urls.py``, public) and in the admin for district administrators (``wagtail_hooks.py``).

Every figure is aggregated in SQL over all villages at once: the number of queries does not
grow with the number of villages or lines (tested, ``bench/bench_transparency_district.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pluginhost.switches import villages_with_plugin
from core.villages.models import Village
from core.villages.params import int_param

from .models.budget import Account, BudgetLine, BudgetVersion, Realisation
from .reports import ZERO, percent

PLUGIN_KEY = "transparency"
#: Income account of the Dana Desa transfer (Permendagri 20/2018: 4.2.1 Dana Desa).
DANA_DESA_ACCOUNT = "4.2.1"


@dataclass
class VillageRow:
    village: Village
    version: BudgetVersion | None = None
    income: Decimal = ZERO
    spending: Decimal = ZERO
    dana_desa: Decimal = ZERO
    realised_spending: Decimal = ZERO

    @property
    def published(self) -> bool:
        return self.version is not None

    @property
    def realisation_percent(self) -> Decimal | None:
        return percent(self.realised_spending, self.spending)

    @property
    def dana_desa_percent(self) -> Decimal | None:
        return percent(self.dana_desa, self.income)


@dataclass
class KecamatanRow:
    name: str
    code: str
    villages: list[VillageRow] = field(default_factory=list)

    def _sum(self, name: str) -> Decimal:
        return sum((getattr(v, name) for v in self.villages), ZERO)

    @property
    def income(self) -> Decimal:
        return self._sum("income")

    @property
    def spending(self) -> Decimal:
        return self._sum("spending")

    @property
    def dana_desa(self) -> Decimal:
        return self._sum("dana_desa")

    @property
    def realised_spending(self) -> Decimal:
        return self._sum("realised_spending")

    @property
    def realisation_percent(self) -> Decimal | None:
        return percent(self.realised_spending, self.spending)

    @property
    def dana_desa_percent(self) -> Decimal | None:
        return percent(self.dana_desa, self.income)

    @property
    def published_count(self) -> int:
        return sum(1 for v in self.villages if v.published)


@dataclass
class DistrictReport:
    year: int
    years: list[int]
    kecamatan: list[KecamatanRow]

    @property
    def villages(self) -> list[VillageRow]:
        return [v for k in self.kecamatan for v in k.villages]

    @property
    def unpublished(self) -> list[VillageRow]:
        return [v for v in self.villages if not v.published]

    @property
    def total(self) -> KecamatanRow:
        return KecamatanRow(name="", code="", villages=self.villages)


def _latest_versions(village_ids: frozenset[int], year: int) -> dict[int, BudgetVersion]:
    """The latest published version of the year per village (one query; a village has a handful
    of versions a year at most)."""
    latest: dict[int, BudgetVersion] = {}
    versions = (
        BudgetVersion.objects.filter(
            village_id__in=village_ids,
            budget__year=year,
            status=BudgetVersion.Status.PUBLISHED,
        )
        .only("pk", "village_id", "number", "kind", "published_at")
        .order_by("village_id", "number")
    )
    for version in versions:
        latest[version.village_id] = version  # ordered by number: the last one wins
    return latest


def _account_ids() -> dict[str, list[int]]:
    """Ids of the accounts under 4, 5 and 4.2.1 (reference data, one query): summing by id
    spares the join to the chart of accounts on every line."""
    prefixes = ("4", "5", DANA_DESA_ACCOUNT)
    ids: dict[str, list[int]] = {p: [] for p in prefixes}
    for pk, code in Account.objects.filter(
        Q(code__startswith="4") | Q(code__startswith="5")
    ).values_list("pk", "code"):
        for prefix in prefixes:
            if code == prefix or code.startswith(prefix + "."):
                ids[prefix].append(pk)
    return ids


def district_report(year: int | None = None) -> DistrictReport:
    """Everything the district view shows, in a constant number of queries."""
    # A kelurahan has no APBDes (its budget is part of the district's APBD): only desa count.
    village_ids = frozenset(
        Village.objects.filter(
            pk__in=villages_with_plugin(PLUGIN_KEY), kind=Village.Kind.DESA
        ).values_list("pk", flat=True)
    )
    years = sorted(
        set(
            BudgetVersion.objects.filter(
                village_id__in=village_ids, status=BudgetVersion.Status.PUBLISHED
            )
            .order_by()
            .values_list("budget__year", flat=True)
            .distinct()
        ),
        reverse=True,
    )
    if year is None:
        this_year = timezone.localdate().year
        year = this_year if this_year in years or not years else years[0]
    latest = _latest_versions(village_ids, year)
    version_ids = [v.pk for v in latest.values()]
    accounts = _account_ids()
    totals = {
        row["version_id"]: row
        for row in BudgetLine.objects.filter(version_id__in=version_ids)
        .values("version_id")
        .annotate(
            income=Coalesce(Sum("amount", filter=Q(account_id__in=accounts["4"])), ZERO),
            spending=Coalesce(Sum("amount", filter=Q(account_id__in=accounts["5"])), ZERO),
            dana_desa=Coalesce(
                Sum("amount", filter=Q(account_id__in=accounts[DANA_DESA_ACCOUNT])), ZERO
            ),
        )
        .order_by()
    }
    realised = dict(
        Realisation.objects.filter(
            line__version_id__in=version_ids, line__account_id__in=accounts["5"]
        )
        .values("line__version_id")
        .annotate(total=Sum("amount"))
        .order_by()
        .values_list("line__version_id", "total")
    )
    kecamatan: dict[int, KecamatanRow] = {}
    villages = (
        Village.objects.filter(pk__in=village_ids)
        .select_related("kecamatan")
        .order_by("kecamatan__name", "name")
    )
    for village in villages:
        row = VillageRow(village=village, version=latest.get(village.pk))
        if row.version is not None:
            figures = totals.get(row.version.pk, {})
            row.income = Decimal(figures.get("income", ZERO))
            row.spending = Decimal(figures.get("spending", ZERO))
            row.dana_desa = Decimal(figures.get("dana_desa", ZERO))
            row.realised_spending = Decimal(realised.get(row.version.pk) or ZERO)
        group = kecamatan.setdefault(
            village.kecamatan_id,
            KecamatanRow(name=village.kecamatan.name, code=village.kecamatan.code),
        )
        group.villages.append(row)
    return DistrictReport(year=year, years=years or [year], kecamatan=list(kecamatan.values()))


def _year(request: HttpRequest) -> int | None:
    text = request.GET.get("tahun")
    if not text:
        return None
    year = int_param(text, 4)
    if year is None or not 2000 <= year <= 2100:
        raise Http404
    return year


def portal_view(request: HttpRequest) -> HttpResponse:
    """The public district page on the portal (``portal_only`` in root_urls.py)."""
    report = district_report(_year(request))
    return TemplateResponse(request, "transparency/district_page.html", {"report": report})


def admin_view(request: HttpRequest) -> HttpResponse:
    """The same table in the admin (district administrators: ``wagtail_hooks.py``)."""
    report = district_report(_year(request))
    return TemplateResponse(
        request,
        "transparency/district_admin.html",
        {"report": report, "title": _("APBDes desa se-kabupaten")},
    )
