"""Visitors' cached pages of a village are dropped whenever its budget data changes."""

from django.db.models.signals import post_delete, post_save

from core.pluginhost.enforcement import plugin_receiver

from .invalidation import village_changed
from .models import (
    Activity,
    Budget,
    BudgetDocument,
    BudgetLine,
    BudgetVersion,
    DevelopmentActivity,
    ProgressUpdate,
    Realisation,
)

PUBLIC_MODELS = (
    Budget,
    BudgetVersion,
    BudgetDocument,
    Activity,
    BudgetLine,
    Realisation,
    DevelopmentActivity,
    ProgressUpdate,
)


def _village_of(sender, instance, **kwargs):
    return instance.village_id


def _bump(sender, instance, **kwargs):
    village_changed(instance.village_id)


for _model in PUBLIC_MODELS:
    for _signal in (post_save, post_delete):
        plugin_receiver(
            _signal,
            village_of=_village_of,
            sender=_model,
            dispatch_uid=f"transparency-bump-{_model.__name__}-{_signal is post_save}",
        )(_bump)
