"""XLSX/CSV import of businesses and products through the core import path (core/imports:
upload → preview naming every bad row → confirm; all rows or none). The village comes from the
importing user; a product's business is looked up by name among that village's businesses
only, and every row is validated like the admin form (QRIS included)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, widgets

from core.imports.resources import VillageScopedResource

from .models import Business, Product


class VillageBusinessWidget(widgets.ForeignKeyWidget):
    """A business named in the file, looked up among the importing village's businesses."""

    def __init__(self, resource: ProductResource) -> None:
        super().__init__(Business, field="name")
        self.resource = resource

    def get_queryset(self, value, row, *args, **kwargs):
        return Business.objects.filter(village=self.resource.village)

    def clean(self, value, row=None, **kwargs):
        name = str(value or "").strip()
        if not name:
            raise ValueError(_("Nama usaha wajib diisi."))
        found = list(self.get_queryset(value, row).filter(name=name)[:2])
        if len(found) != 1:
            raise ValueError(
                _('Usaha "%(name)s" tidak ada di desa ini (atau namanya dipakai dua usaha).')
                % {"name": name}
            )
        return found[0]


class BusinessResource(VillageScopedResource):
    template_rows = [
        [
            "",
            "Batik Tulis Kreo",
            "Bu Sari",
            "kerajinan",
            "Batik tulis pewarna alam",
            "RT 02 RW 01",
            "081234567890",
            "Senin–Sabtu 08.00–16.00",
            "",
            "",
            "",
            "",
            "draf",
        ],
    ]

    class Meta:
        model = Business
        fields = (
            "id",
            "name",
            "owner_name",
            "category",
            "description",
            "address",
            "whatsapp",
            "opening_hours",
            "nib",
            "spp_irt",
            "halal_certificate",
            "qris_payload",
            "status",
        )
        import_id_fields = ("id",)
        clean_model_instances = True
        skip_unchanged = False


class ProductResource(VillageScopedResource):
    business = fields.Field(attribute="business", column_name="business")
    template_rows = [
        ["", "Batik Tulis Kreo", "Kain batik tulis 2 m", "", "350000", "lembar", "1", "0"],
    ]

    class Meta:
        model = Product
        fields = (
            "id",
            "business",
            "name",
            "description",
            "price",
            "unit",
            "available",
            "featured",
        )
        import_id_fields = ("id",)
        clean_model_instances = True
        skip_unchanged = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["business"].widget = VillageBusinessWidget(self)

    def import_instance(self, instance, row, **kwargs) -> None:
        super().import_instance(instance, row, **kwargs)
        if instance.business_id and instance.business.village_id != self.village.pk:
            raise ValidationError({"business": _("Usaha ini milik desa lain.")})
