"""Page-cache invalidation: whatever changes what a village's visitors see bumps its generation."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.website import cache as page_cache
from core.website import restrictions
from core.villages.lookup import village_id_for_page


def _bump_for_page(instance) -> None:
    page_cache.bump_village(village_id_for_page(instance))


@receiver(page_published)
@receiver(page_unpublished)
def _page_changed(sender, instance, **kwargs):
    _bump_for_page(instance)


@receiver(post_page_move)
def _page_moved(sender, instance, **kwargs):
    restrictions.invalidate()  # restricted paths move with their pages
    _bump_for_page(instance)
    before = kwargs.get("parent_page_before")
    if before is not None:
        _bump_for_page(before)


@receiver(post_delete)
def _page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        _bump_for_page(instance)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _restriction_changed(sender, instance, **kwargs):
    restrictions.invalidate()
    page_cache.bump_village(village_id_for_page(instance.page))


def _connect_village_models():
    from core.pluginhost.models import PluginSwitch
    from core.villages.models import Village
    from core.website.models import VillageSiteSettings

    def village_changed(sender, instance, **kwargs):
        page_cache.bump_village(instance.pk if sender is Village else instance.village_id)

    def settings_changed(sender, instance, **kwargs):
        page_cache.bump_site(instance.site_id)

    for model in (PluginSwitch, Village):
        post_save.connect(
            village_changed,
            sender=model,
            weak=False,
            dispatch_uid=f"sidekem-pagecache-{model.__name__}",
        )
        post_delete.connect(
            village_changed,
            sender=model,
            weak=False,
            dispatch_uid=f"sidekem-pagecache-del-{model.__name__}",
        )
    post_save.connect(
        settings_changed,
        sender=VillageSiteSettings,
        weak=False,
        dispatch_uid="sidekem-pagecache-settings",
    )


_connect_village_models()
