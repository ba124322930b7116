"""JSON endpoints of a village's budgets and development activities (open data, read-only).

Mounted under ``/transparency/api/`` on the village host (``urls.py``); only published versions
and the host's own village. Each answer allows any origin, so a district data portal or a
journalist's notebook can read it directly.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from wagtail.images import get_image_model

from core.villages.params import int_param

from .models.budget import BudgetVersion, DevelopmentActivity, ProgressUpdate
from .public import published_versions, version_head, version_json
from .reports import version_totals

PHOTO_RENDITION = "max-1200x1200"


def _json(data: dict[str, Any]) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _village(request: HttpRequest) -> dict[str, str]:
    village = request.village  # type: ignore[attr-defined]
    return {"kode": village.code, "nama": village.name}


def _absolute(request: HttpRequest, name: str, *args: Any) -> str:
    return request.build_absolute_uri(reverse(f"transparency:{name}", args=args))


def budgets(request: HttpRequest) -> HttpResponse:
    """Every published version of every year, newest first, with its totals and links."""
    versions = list(published_versions(request.village_id))  # type: ignore[attr-defined]
    years: dict[int, list[dict[str, Any]]] = {}
    for version in versions:
        years.setdefault(version.budget.year, []).append(
            {**version_head(version), "jumlah": version_totals(version).as_dict()}
        )
    return _json(
        {
            "desa": _village(request),
            "anggaran": [
                {
                    "tahun": year,
                    "url": _absolute(request, "api_budget_year", year),
                    "pembangunan": _absolute(request, "api_developments", year),
                    "versi": entries,
                }
                for year, entries in years.items()
            ],
        }
    )


def _version_of_year(request: HttpRequest, year: int) -> BudgetVersion:
    versions = published_versions(request.village_id).filter(budget__year=year)  # type: ignore[attr-defined]
    number = int_param(request.GET.get("versi"), 3)
    if number:
        versions = versions.filter(number=number)
    version = versions.first()  # the latest published version unless ?versi= names one
    if version is None:
        raise Http404
    return version


def budget_year(request: HttpRequest, year: int) -> HttpResponse:
    """A year's published version (the latest, or ``?versi=``): totals, realisation, lines."""
    version = _version_of_year(request, year)
    return _json({"desa": _village(request), **version_json(version)})


def _photo(request: HttpRequest, update: ProgressUpdate) -> dict[str, str] | None:
    if not update.photo_id:
        return None
    rendition = update.photo.get_rendition(PHOTO_RENDITION)
    return {"url": request.build_absolute_uri(rendition.url), "alt": update.photo_alt}


def developments(request: HttpRequest, year: int) -> HttpResponse:
    """The year's development activities with their progress reports (newest first)."""
    village_id = request.village_id  # type: ignore[attr-defined]
    if not published_versions(village_id).filter(budget__year=year).exists():
        raise Http404
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec=PHOTO_RENDITION)
    updates = ProgressUpdate.objects.select_related("photo").prefetch_related(
        Prefetch("photo__renditions", queryset=renditions)
    )
    rows = (
        DevelopmentActivity.objects.filter(village_id=village_id, budget__year=year)
        .prefetch_related(Prefetch("updates", queryset=updates.order_by("-date")))
        .prefetch_related("activities")
        .order_by("name")
    )
    return _json(
        {
            "desa": _village(request),
            "tahun": year,
            "pembangunan": [
                {
                    "nama": row.name,
                    "lokasi": row.location,
                    "volume": row.volume,
                    "pelaksana": row.executor,
                    "kegiatan_anggaran": [a.code for a in row.activities.all()],
                    "kemajuan_persen": row.updates.all()[0].percent if row.updates.all() else 0,
                    "alasan_belum_selesai": row.unfinished_reason,
                    "laporan": [
                        {
                            "tanggal": u.date.isoformat(),
                            "persen": u.percent,
                            "catatan": u.note,
                            "foto": _photo(request, u),
                        }
                        for u in row.updates.all()
                    ],
                }
                for row in rows
            ],
        }
    )
