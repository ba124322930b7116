"""The bulk village import (district administrators)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from core.imports.views import ImportView
from core.provisioning.resources import VILLAGE_COLUMNS, VillageResource
from core.villages.lookup import is_district_admin


class VillageImportView(ImportView):
    resource_class = VillageResource
    title = gettext_lazy("Impor desa/kelurahan")
    template_columns = VILLAGE_COLUMNS
    # "nama" may also come as "name" (the official list's column): VillageResource checks it.
    required_columns = ["kode"]
    index_url_name = "villages:index"

    def has_permission(self, request: HttpRequest) -> bool:
        return is_district_admin(request.user)


village_import = VillageImportView.as_view()
