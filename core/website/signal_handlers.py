"""Invalidation: whatever changes what a village's visitors see bumps its page-cache generation
(core/website/cache.py) and, once committed, purges the front cache (Varnish or a CDN:
core/website/frontend_cache.py; the page cache first, so a refetch finds the new page); village
home pages moving or changing also refresh the village lookup maps."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

from core.pluginhost.models import PluginSwitch
from core.villages.lookup import invalidate_village_maps, village_id_for_page
from core.villages.models import Village
from core.website import cache as page_cache
from core.website import frontend_cache, restrictions
from core.website.models import VillageHomePage, VillageSiteSettings


def _bump_for_page(instance: Page) -> None:
    page_cache.bump_village(village_id_for_page(instance))


@receiver(page_published)
@receiver(page_unpublished)
def _page_changed(sender: Any, instance: Page, **kwargs: Any) -> None:
    _bump_for_page(instance)
    frontend_cache.page_changed(instance)


@receiver(pre_page_move)
def _page_moving(sender: Any, instance: Page, **kwargs: Any) -> None:
    frontend_cache.page_moving(instance)  # the URLs it is leaving


@receiver(post_page_move)
def _page_moved(sender: Any, instance: Page, **kwargs: Any) -> None:
    restrictions.invalidate()  # restricted paths move with their pages
    _bump_for_page(instance)
    before = kwargs.get("parent_page_before")
    if before is not None:
        _bump_for_page(before)
    frontend_cache.page_moved(instance)


# Deleting any page deletes its row in Page too, so this one sender covers every page type.
# Before the rows go: the front cache needs the page's URLs, parents and listings.
@receiver(pre_delete, sender=Page)
def _page_deleted(sender: Any, instance: Page, **kwargs: Any) -> None:
    _bump_for_page(instance)
    frontend_cache.page_changed(instance)


@receiver([post_save, post_delete], sender=VillageHomePage)
def _home_changed(sender: Any, instance: VillageHomePage, **kwargs: Any) -> None:
    invalidate_village_maps()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _restriction_changed(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
    restrictions.invalidate()
    page_cache.bump_village(village_id_for_page(instance.page))
    frontend_cache.page_site_changed(instance.page)  # a subtree, its listings and menus


@receiver([post_save, post_delete], sender=Village)
def _village_changed(sender: Any, instance: Village, **kwargs: Any) -> None:
    page_cache.bump_village(instance.pk)
    frontend_cache.site_changed(instance.site_id, portal=True)  # the portal lists villages


@receiver([post_save, post_delete], sender=PluginSwitch)
def _switch_changed(sender: Any, instance: PluginSwitch, **kwargs: Any) -> None:
    page_cache.bump_village(instance.village_id)
    frontend_cache.village_changed(instance.village_id)


@receiver(post_save, sender=VillageSiteSettings)
def _settings_changed(sender: Any, instance: VillageSiteSettings, **kwargs: Any) -> None:
    page_cache.bump_site(instance.site_id)
    frontend_cache.site_changed(instance.site_id)


# A site's hostname or port changing leaves its pages cached under the old host, too.
@receiver(pre_save, sender=Site)
def _site_saving(sender: Any, instance: Site, **kwargs: Any) -> None:
    if instance.pk and frontend_cache.enabled():
        old = Site.objects.filter(pk=instance.pk).first()
        instance._sidekem_old_root_url = old.root_url if old else None


@receiver([post_save, post_delete], sender=Site)
def _site_changed(sender: Any, instance: Site, **kwargs: Any) -> None:
    old = instance.__dict__.pop("_sidekem_old_root_url", None)
    frontend_cache.site_changed(instance, extra_hosts=[urlsplit(old).netloc] if old else [])
