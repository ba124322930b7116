"""Page-cache invalidation: whatever changes what a village's visitors see bumps its generation;
village home pages moving or changing also refresh the village lookup maps."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.pluginhost.models import PluginSwitch
from core.villages.lookup import invalidate_village_maps, village_id_for_page
from core.villages.models import Village
from core.website import cache as page_cache
from core.website import restrictions
from core.website.models import VillageHomePage, VillageSiteSettings


def _bump_for_page(instance: Page) -> None:
    page_cache.bump_village(village_id_for_page(instance))


@receiver(page_published)
@receiver(page_unpublished)
def _page_changed(sender: Any, instance: Page, **kwargs: Any) -> None:
    _bump_for_page(instance)


@receiver(post_page_move)
def _page_moved(sender: Any, instance: Page, **kwargs: Any) -> None:
    restrictions.invalidate()  # restricted paths move with their pages
    _bump_for_page(instance)
    before = kwargs.get("parent_page_before")
    if before is not None:
        _bump_for_page(before)


# Deleting any page deletes its row in Page too, so this one sender covers every page type.
@receiver(post_delete, sender=Page)
def _page_deleted(sender: Any, instance: Page, **kwargs: Any) -> None:
    _bump_for_page(instance)


@receiver([post_save, post_delete], sender=VillageHomePage)
def _home_changed(sender: Any, instance: VillageHomePage, **kwargs: Any) -> None:
    invalidate_village_maps()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _restriction_changed(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
    restrictions.invalidate()
    page_cache.bump_village(village_id_for_page(instance.page))


@receiver([post_save, post_delete], sender=Village)
def _village_changed(sender: Any, instance: Village, **kwargs: Any) -> None:
    page_cache.bump_village(instance.pk)


@receiver([post_save, post_delete], sender=PluginSwitch)
def _switch_changed(sender: Any, instance: PluginSwitch, **kwargs: Any) -> None:
    page_cache.bump_village(instance.village_id)


@receiver(post_save, sender=VillageSiteSettings)
def _settings_changed(sender: Any, instance: VillageSiteSettings, **kwargs: Any) -> None:
    page_cache.bump_site(instance.site_id)
