"""Receivers: a first publish in the village's own language creates the share's outbox rows in
the publishing transaction (Wagtail publishes inside ``transaction.atomic``)."""

from wagtail.signals import page_published

from core.pluginhost.enforcement import plugin_receiver

from . import outbox


@plugin_receiver(page_published, village_of=lambda sender, instance, **kw: instance)
def share_published_page(sender, instance, revision=None, alias=False, **kwargs):
    outbox.share_on_publish(instance, revision=revision, alias=alias)
