"""What visitors see: the transparency page and its open data. Only published versions, only
the page's own village."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import tablib
from django.db.models import Prefetch, Sum
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from core.villages.lookup import village_id_for_page
from core.villages.params import int_param, text_param
from core.website import fragments

from .amounts import format_rupiah
from .charts import bar_chart, progress_chart
from .models.budget import (
    BudgetDocument,
    BudgetLine,
    BudgetVersion,
    DevelopmentActivity,
    FundingSource,
    ProgressUpdate,
)
from .reports import (
    drilldown,
    income_by_group,
    percent,
    realised_totals,
    version_diff,
    version_totals,
)

if TYPE_CHECKING:
    from wagtail.models import Page

OPEN_DATA_COLUMNS = [
    "tahun",
    "versi",
    "kode_rekening",
    "nama_rekening",
    "kode_bidang",
    "kode_kegiatan",
    "kegiatan",
    "uraian",
    "volume",
    "satuan",
    "harga_satuan",
    "jumlah",
    "sumber_dana",
    "realisasi",
]


def published_versions(village_id: int | None):
    return (
        BudgetVersion.objects.filter(village_id=village_id, status=BudgetVersion.Status.PUBLISHED)
        .select_related("budget", "document")
        .order_by("-budget__year", "-number")
    )


def _choose(request: HttpRequest, versions: list[BudgetVersion]) -> BudgetVersion | None:
    if not versions:
        return None
    year = int_param(request.GET.get("tahun"), 4)
    number = int_param(request.GET.get("versi"), 3)
    if request.GET.get("tahun") and year is None:
        raise Http404
    year = year or versions[0].budget.year
    of_year = [v for v in versions if v.budget.year == year]
    if not of_year:
        raise Http404
    if number is None:
        return of_year[0]  # the latest version of the year is the one that counts
    for version in of_year:
        if version.number == number:
            return version
    raise Http404


def transparency_index(request: HttpRequest, page: Page) -> HttpResponse:
    village_id = village_id_for_page(page)
    versions = list(published_versions(village_id))
    version = _choose(request, versions)
    context: dict[str, Any] = {
        "page": page,
        "self": page,
        "versions": versions,
        "version": version,
        "years": sorted({v.budget.year for v in versions}, reverse=True),
    }
    if version is not None:
        # Reference data: kept with the village's fragments (core/website/fragments.py).
        sources = fragments.cached_value(
            request, "transparency-sources", [], lambda: list(FundingSource.objects.all())
        )
        source = text_param(request.GET.get("sumber"), 10).upper() or None
        if source and source not in {s.code for s in sources}:
            source = None
        totals = version_totals(version, source)
        realised = realised_totals(version, source)
        by_group = income_by_group(version, source)
        tree = drilldown(version, source)
        # The sectors' totals come with the drill-down (one query fewer than spending_by_sector).
        by_sector = [{"code": s.code, "name": s.name, "amount": s.amount} for s in tree["sectors"]]
        cards = [
            (_("Pendapatan"), totals.income, realised.income),
            (_("Belanja"), totals.spending, realised.spending),
            (_("Pembiayaan netto"), totals.net_financing, realised.net_financing),
            (_("Surplus/(defisit)"), totals.surplus, realised.surplus),
            (_("SiLPA tahun berjalan"), totals.silpa, realised.silpa),
        ]
        base = page.get_url(request)
        same_year = [v for v in versions if v.budget_id == version.budget_id]
        previous = next((v for v in same_year if v.number < version.number), None)
        developments = (
            DevelopmentActivity.objects.filter(village_id=village_id, budget_id=version.budget_id)
            .prefetch_related(
                Prefetch(
                    "updates",
                    queryset=ProgressUpdate.objects.select_related("photo").order_by("-date"),
                )
            )
            .order_by("name")
        )
        documents = (
            BudgetDocument.objects.filter(village_id=village_id, budget_id=version.budget_id)
            .exclude(document=None)
            .select_related("document")
            .order_by("kind", "date", "pk")
        )
        context.update(
            source=source,
            documents=documents,
            sources=sources,
            totals=totals,
            realised=realised,
            cards=[
                {
                    "label": label,
                    "planned": format_rupiah(planned),
                    "realised": format_rupiah(done),
                    "percent": percent(done, planned) if planned > 0 else None,
                }
                for label, planned, done in cards
            ],
            income_groups=by_group,
            sectors_summary=by_sector,
            tree=tree,
            income_chart=bar_chart(
                "grafik-pendapatan",
                _("Pendapatan menurut sumber"),
                [(g["name"], g["amount"]) for g in by_group],
            ),
            spending_chart=bar_chart(
                "grafik-belanja",
                _("Belanja menurut bidang"),
                [(s["name"] or "–", s["amount"]) for s in by_sector],
            ),
            realisation_chart=progress_chart(
                "grafik-realisasi",
                _("Realisasi dibanding anggaran"),
                [
                    (_("Pendapatan"), percent(realised.income, totals.income)),
                    (_("Belanja"), percent(realised.spending, totals.spending)),
                    *[(s.name, s.percent) for s in tree["sectors"]],
                ],
            ),
            previous=previous,
            diff=version_diff(previous, version) if previous else None,
            developments=developments,
            csv_url=f"{base}data/{version.budget.year}/{version.number}/csv/",
            json_url=f"{base}data/{version.budget.year}/{version.number}/json/",
            xlsx_url=f"{base}data/{version.budget.year}/{version.number}/xlsx/",
        )
    return TemplateResponse(request, "transparency/transparency_page.html", context)


NUMBER_COLUMNS = {"volume", "harga_satuan", "jumlah", "realisasi"}


def _cell(column: str, value: Any) -> Any:
    """Amounts as numbers in a spreadsheet; codes stay text."""
    if column in NUMBER_COLUMNS and value not in ("", None):
        return Decimal(value)
    return value


def _decimal(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def open_data(request: HttpRequest, page: Page, year: int, number: int, fmt: str) -> HttpResponse:
    """The lines of a published version as CSV (the import template's columns, so a file can be
    re-imported) or JSON with the totals."""
    village_id = village_id_for_page(page)
    version = published_versions(village_id).filter(budget__year=year, number=number).first()
    if version is None:
        raise Http404
    name = f"apbdes-{year}-v{number}"
    rows = [] if fmt == "json" else version_rows(version)
    if fmt == "json":
        response = JsonResponse(version_json(version), json_dumps_params={"ensure_ascii": False})
    elif fmt == "xlsx":
        dataset = tablib.Dataset(headers=OPEN_DATA_COLUMNS, title=name)
        for row in rows:
            dataset.append([_cell(c, row[c]) for c in OPEN_DATA_COLUMNS])
        response = HttpResponse(
            dataset.export("xlsx"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=OPEN_DATA_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def version_rows(version: BudgetVersion) -> list[dict[str, Any]]:
    """The lines of a version in the open-data columns (``OPEN_DATA_COLUMNS``), realisation
    summed per line: two queries whatever the number of lines."""
    lines = (
        BudgetLine.objects.filter(version=version)
        .select_related("account", "activity__sector", "source")
        .order_by("account__code", "order", "pk")
    )
    realised = {row["pk"]: row["total"] for row in _realised_per_line(version)}
    year, number = version.budget.year, version.number
    return [
        {
            "tahun": year,
            "versi": number,
            "kode_rekening": line.account.code,
            "nama_rekening": line.account.name,
            "kode_bidang": line.activity.sector.code if line.activity_id else "",
            "kode_kegiatan": line.activity.code if line.activity_id else "",
            "kegiatan": line.activity.name if line.activity_id else "",
            "uraian": line.description,
            "volume": _decimal(line.volume),
            "satuan": line.unit,
            "harga_satuan": _decimal(line.unit_price),
            "jumlah": str(line.amount),
            "sumber_dana": line.source.code if line.source_id else "",
            "realisasi": _decimal(realised.get(line.pk)),
        }
        for line in lines
    ]


def version_head(version: BudgetVersion) -> dict[str, Any]:
    """What names a published version: year, number, kind, legal basis."""
    return {
        "tahun": version.budget.year,
        "versi": version.number,
        "jenis": version.kind,
        "dasar_hukum": version.legal_basis,
        "tanggal_penetapan": version.legal_date.isoformat() if version.legal_date else None,
    }


def version_json(version: BudgetVersion) -> dict[str, Any]:
    """A published version as open data: its head, totals, realised totals and lines."""
    return {
        **version_head(version),
        "jumlah": version_totals(version).as_dict(),
        "realisasi": realised_totals(version).as_dict(),
        "baris": version_rows(version),
    }


def _realised_per_line(version: BudgetVersion) -> list[dict]:
    return list(
        BudgetLine.objects.filter(version=version, realisations__isnull=False)
        .values("pk")
        .annotate(total=Sum("realisations__amount"))
    )
