"""The categories of village data (one import template covers them all)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PopulationCategory(models.TextChoices):
    GENDER = "jenis_kelamin", _("Jenis kelamin")
    AGE = "kelompok_umur", _("Kelompok umur")
    EDUCATION = "pendidikan", _("Pendidikan")
    OCCUPATION = "pekerjaan", _("Pekerjaan")
    RELIGION = "agama", _("Agama")
    MARITAL = "status_perkawinan", _("Status perkawinan")


class PotentialCategory(models.TextChoices):
    LAND_USE = "penggunaan_lahan", _("Penggunaan lahan")
    AGRICULTURE = "pertanian", _("Pertanian")
    LIVESTOCK = "peternakan", _("Peternakan")
    TOURISM = "wisata", _("Wisata")
    FACILITIES = "sarana", _("Sarana dan prasarana")
