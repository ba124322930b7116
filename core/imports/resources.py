"""Base resource of every import of village data (core apps and plugins alike)."""

from __future__ import annotations

from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from import_export import resources

from core.villages.models import Village


class VillageScopedResource(resources.ModelResource):
    """Import rows into one village.

    The village comes from the importing user, never from the file: it is set on every row,
    every lookup is scoped to it, and an ``id`` that is not one of this village's rows is a row
    error, so a file cannot reach another village's data.
    """

    village_field = "village"
    #: Example rows for the downloadable CSV template, under the resource's import columns.
    template_rows: list[list[Any]] = []

    def __init__(self, user: Any = None, village: Village | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user
        self.village = village

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().filter(**{self.village_field: self.village})

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        if self.village is None:
            raise ValueError("a village-scoped import needs the village it writes into")
        # A file without an id column only adds rows.
        for field in self.get_import_id_fields():
            if field == "id" and "id" not in dataset.headers:
                dataset.append_col([""] * dataset.height, header="id")
        super().before_import(dataset, **kwargs)

    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        super().before_import_row(row, **kwargs)
        row_id = str(row.get("id") or "").strip()
        if row_id and not self.get_queryset().filter(pk=row_id).exists():
            raise ValidationError({"id": _("id %(id)s bukan data desa ini") % {"id": row_id}})

    def import_instance(self, instance: Model, row: dict[str, Any], **kwargs: Any) -> None:
        super().import_instance(instance, row, **kwargs)
        setattr(instance, self.village_field, self.village)
