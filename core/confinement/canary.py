"""Canary objects for the confinement sweep (tests/test_canary_sweep.py).

The sweep plants a unique marker in every object of one village and fetches every admin URL as
another village's editor: the marker must appear in no response. Every model with a ``village``
foreign key gets a marked object here without anyone listing it; an app (a plugin above all)
plants what that cannot reach (per-site settings, objects without a ``village`` field, pages)
through one declared place, the ``register_canary_objects`` hook::

    @hooks.register("register_canary_objects")
    def plant(village, marker):
        settings = SampleSettings.for_site(village.site)
        settings.signer = marker
        settings.save()
        return [settings]
"""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from wagtail import hooks
from wagtail.models import Page

from core.villages.models import Village

CANARY_HOOK = "register_canary_objects"


def village_models() -> list[type[models.Model]]:
    """Every concrete model that belongs to a village through a ``village`` foreign key (pages
    are planted by the apps that define them: a page needs a place in the tree)."""
    found = []
    for model in apps.get_models():
        if issubclass(model, Page):
            continue
        field = next((f for f in model._meta.concrete_fields if f.name == "village"), None)
        if field is not None and field.related_model is Village:
            found.append(model)
    return found


def _value(field: models.Field, marker: str, model: type[models.Model]) -> Any:
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.ForeignKey):
        if field.related_model is get_user_model():
            return get_user_model().objects.filter(is_superuser=True).first()
        return field.related_model._default_manager.first()
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return datetime.date.today()
    if isinstance(field, models.DecimalField):
        return decimal.Decimal(1)
    if isinstance(field, models.IntegerField | models.FloatField):
        minimum = [
            v.limit_value
            for v in field.validators
            if type(v).__name__ == "MinValueValidator" and isinstance(v.limit_value, int)
        ]
        return max([1, *minimum])
    if isinstance(field, models.URLField):
        return f"https://example.org/{slugify(marker)}"
    if isinstance(field, models.EmailField):
        return f"{slugify(marker)}@example.org"
    if isinstance(field, models.CharField | models.TextField):
        return f"{marker} {model.__name__}"[: field.max_length or 200]
    if isinstance(field, models.BooleanField):
        return False
    return None


def marked_object(model: type[models.Model], village: Village, marker: str) -> models.Model:
    """An object of ``model`` in ``village`` whose every text field carries ``marker`` (required
    fields of other types get a plain valid value)."""
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name == "village":
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        text = isinstance(field, models.CharField | models.TextField) and not field.choices
        if not text and (field.has_default() or field.null):
            continue
        value = _value(field, marker, model)
        if isinstance(field, models.ForeignKey):
            values[field.attname] = value.pk if value is not None else None
        elif value is not None:
            values[field.name] = value
    return model._default_manager.create(village=village, **values)


def plant_canaries(village: Village, marker: str) -> list[Any]:
    """Marked objects of every village model and of every ``register_canary_objects`` hook."""
    planted: list[Any] = [marked_object(model, village, marker) for model in village_models()]
    for hook in hooks.get_hooks(CANARY_HOOK):
        planted.extend(hook(village, marker) or [])
    return planted
