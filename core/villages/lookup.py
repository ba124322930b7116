"""Who acts for which village, and which village a site, page or request belongs to.

These are on every hot path (page serving, plugin checks, admin scoping), so lookups go through
the shared cache and a per-request memo, and are invalidated when villages change.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import Q

SITE_MAP_KEY = "sidekem:site-village-map:v1"
COLLECTION_MAP_KEY = "sidekem:collection-village-map:v1"
ROOT_MAP_KEY = "sidekem:root-path-village-map:v1"
HOME_DEPTH_PATH_LEN = 8  # treebeard steplen 4 × depth 2: path of a village home page


def is_district_admin(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("villages.manage_district"))
    )


def _site_map() -> dict[int, int]:
    data = cache.get(SITE_MAP_KEY)
    if data is None:
        from core.villages.models import Village

        data = dict(Village.objects.values_list("site_id", "pk"))
        cache.set(SITE_MAP_KEY, data, None)
    return data


def _root_map() -> dict[str, int]:
    data = cache.get(ROOT_MAP_KEY)
    if data is None:
        from core.website.models import VillageHomePage

        data = dict(VillageHomePage.objects.values_list("path", "village_id"))
        cache.set(ROOT_MAP_KEY, data, None)
    return data


def _collection_map() -> dict[int, int]:
    data = cache.get(COLLECTION_MAP_KEY)
    if data is None:
        from core.villages.models import Village

        data = dict(
            Village.objects.filter(collection__isnull=False).values_list("collection_id", "pk")
        )
        cache.set(COLLECTION_MAP_KEY, data, None)
    return data


def invalidate_village_maps() -> None:
    cache.delete_many([SITE_MAP_KEY, ROOT_MAP_KEY, COLLECTION_MAP_KEY])


def village_id_for_site(site) -> int | None:
    if site is None:
        return None
    return _site_map().get(site.pk)


def village_id_for_page(page) -> int | None:
    """Village of any page in either locale tree (the district portal's pages give None)."""
    if page is None or len(page.path) < HOME_DEPTH_PATH_LEN:
        return None
    return _root_map().get(page.path[:HOME_DEPTH_PATH_LEN])


def village_id_of(obj) -> int | None:
    """Village id of a Village, Site, Page, Collection, image/document, request, int, or any
    model instance with ``village_id``."""
    from wagtail.models import Collection, CollectionMember, Page, Site

    from core.villages.models import Village

    if obj is None:
        return None
    if isinstance(obj, int):
        return obj
    if isinstance(obj, Village):
        return obj.pk
    if isinstance(obj, Site):
        return village_id_for_site(obj)
    if isinstance(obj, Page):
        return village_id_for_page(obj)
    if isinstance(obj, Collection):
        return _collection_map().get(obj.pk)
    if isinstance(obj, CollectionMember):  # images, documents
        return _collection_map().get(obj.collection_id)
    if hasattr(obj, "META"):  # a request
        return getattr(obj, "village_id", None)
    return getattr(obj, "village_id", None)


def village_ids_for_user(user) -> frozenset[int] | None:
    """Villages the user may act for; ``None`` means all (district administrator)."""
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    if is_district_admin(user):
        return None
    cached = getattr(user, "_sidekem_village_ids", None)
    if cached is not None:
        return cached
    from core.villages.models import Village

    group_ids = list(user.groups.values_list("pk", flat=True))
    ids = frozenset(
        Village.objects.filter(
            Q(editors_group__in=group_ids)
            | Q(moderators_group__in=group_ids)
            | Q(officers_group__in=group_ids)
        ).values_list("pk", flat=True)
    )
    user._sidekem_village_ids = ids
    return ids


def home_pages_for_villages(village_ids: Iterable[int]):
    from core.website.models import VillageHomePage

    return VillageHomePage.objects.filter(village_id__in=list(village_ids))
