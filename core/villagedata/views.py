"""Admin import views of village data (upload → preview → confirm) and the template files."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from core.imports.views import ImportView
from core.confinement.viewsets import allowed_village_ids, selected_village
from core.villagedata.resources import (
    POPULATION_COLUMNS,
    POTENTIAL_COLUMNS,
    PopulationResource,
    PotentialResource,
)

TEMPLATE_ROWS = {
    "population": [
        POPULATION_COLUMNS,
        [2025, "jenis_kelamin", "Laki-laki", 2150, 1],
        [2025, "jenis_kelamin", "Perempuan", 2210, 2],
        [2025, "kelompok_umur", "0–14 tahun", 1020, 1],
        [2025, "agama", "Islam", 4300, 1],
    ],
    "potential": [
        POTENTIAL_COLUMNS,
        [2025, "penggunaan_lahan", "Sawah", "245.5", "ha", 1],
        [2025, "pertanian", "Padi", "1480", "ton", 1],
        [2025, "peternakan", "Kambing", "620", "ekor", 1],
        [2025, "sarana", "Posyandu", "6", "unit", 1],
    ],
}


class _VillageDataImportView(ImportView):
    template_name = "villagedata/import.html"

    def has_permission(self, request) -> bool:
        ids = allowed_village_ids(request.user)
        model = self.resource_class._meta.model
        perm = f"{model._meta.app_label}.add_{model._meta.model_name}"
        return (
            request.user.is_authenticated
            and request.user.has_perm(perm)
            and (ids is None or bool(ids))
        )

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission(request):
            raise PermissionDenied
        self.village, self.villages = selected_village(request)
        return super().dispatch(request, *args, **kwargs)

    def get_resource(self, request):
        return self.resource_class(village=self.village, user=request.user)

    def render(self, request, **context):
        context.update(village=self.village, villages=self.villages, kind=self.kind)
        return super().render(request, **context)

    def post(self, request):
        if self.village is None:
            return self.render(request, step="upload")
        return super().post(request)


class PopulationImportView(_VillageDataImportView):
    resource_class = PopulationResource
    title = _("Impor data kependudukan")
    template_columns = POPULATION_COLUMNS
    required_columns = ["tahun", "kategori", "uraian", "jumlah"]
    index_url_name = "population_figures:index"
    kind = "population"


class PotentialImportView(_VillageDataImportView):
    resource_class = PotentialResource
    title = _("Impor data potensi desa")
    template_columns = POTENTIAL_COLUMNS
    required_columns = ["tahun", "kategori", "uraian", "nilai", "satuan"]
    index_url_name = "potential_figures:index"
    kind = "potential"


def import_template(request, kind: str):
    """The CSV template with example rows (opens in any spreadsheet program)."""
    if kind not in TEMPLATE_ROWS or not request.user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    buffer = io.StringIO()
    csv.writer(buffer).writerows(TEMPLATE_ROWS[kind])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="templat-{kind}.csv"'
    return response
