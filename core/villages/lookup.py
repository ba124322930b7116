"""Who acts for which village, and which village a site, page, object or request belongs to.

These are on every hot path (page serving, plugin checks, admin scoping), so the maps come from
the shared cache and are invalidated when villages, sites or home pages change
(:func:`invalidate_village_maps`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db.models import Q
from wagtail.models import Collection, CollectionMember, Page, Site

from core.villages import request_memo
from core.villages.models import Village

SITE_MAP_KEY = "sidekem:site-village-map:v2"
COLLECTION_MAP_KEY = "sidekem:collection-village-map:v2"
ROOT_MAP_KEY = "sidekem:root-path-village-map:v2"
HOME_DEPTH_PATH_LEN = 8  # treebeard steplen 4 × depth 2: path of a village home page
DISTRICT_PERMISSION = "villages.manage_district"


def is_district_admin(user: Any) -> bool:
    """Superusers and holders of ``villages.manage_district`` act for the whole district."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(DISTRICT_PERMISSION))
    )


def _site_map() -> dict[int, int]:
    memo = request_memo.namespace("villages")
    if memo is not None and "site_map" in memo:
        return memo["site_map"]
    data = cache.get(SITE_MAP_KEY)
    if data is None:
        data = dict(Village.objects.values_list("site_id", "pk"))
        cache.set(SITE_MAP_KEY, data, None)
    if memo is not None:
        memo["site_map"] = data
    return data


def _root_map() -> dict[str, int]:
    """Path of each village home page, in every language tree, to its village.

    A village's site root is its Indonesian home page; its translations share the root's
    translation key and sit at the same depth in their own locale's tree.
    """
    data = cache.get(ROOT_MAP_KEY)
    if data is None:
        by_key = dict(Village.objects.values_list("site__root_page__translation_key", "pk"))
        homes = Page.objects.filter(depth=2, translation_key__in=list(by_key))
        data = {path: by_key[key] for path, key in homes.values_list("path", "translation_key")}
        cache.set(ROOT_MAP_KEY, data, None)
    return data


def _collection_map() -> dict[int, int]:
    data = cache.get(COLLECTION_MAP_KEY)
    if data is None:
        data = dict(
            Village.objects.filter(collection__isnull=False).values_list("collection_id", "pk")
        )
        cache.set(COLLECTION_MAP_KEY, data, None)
    return data


def invalidate_village_maps() -> None:
    cache.delete_many([SITE_MAP_KEY, ROOT_MAP_KEY, COLLECTION_MAP_KEY])
    memo = request_memo.namespace("villages")
    if memo is not None:
        memo.clear()


def village_exists(village_id: int) -> bool:
    """Whether a village with this id exists (from the cached site map)."""
    return village_id in _site_map().values()


def village_id_for_site(site: Site | None) -> int | None:
    if site is None:
        return None
    return _site_map().get(site.pk)


def village_id_for_page(page: Page | None) -> int | None:
    """Village of any page in either locale tree (the district portal's pages give None)."""
    if page is None:
        return None
    return village_id_for_path(page.path)


def village_id_for_path(path: str) -> int | None:
    """Village of the page at tree ``path`` (or of pages grouped by a prefix of their paths at
    least as long as a home page's), in either locale tree; ``None`` outside every village."""
    if len(path) < HOME_DEPTH_PATH_LEN:
        return None
    return _root_map().get(path[:HOME_DEPTH_PATH_LEN])


def village_root_paths(village_ids: Iterable[int] | None) -> list[str]:
    """Tree paths of the home pages (every language) of these villages; ``None`` = all."""
    if village_ids is None:
        return sorted(_root_map())
    wanted = set(village_ids)
    return sorted(path for path, vid in _root_map().items() if vid in wanted)


def pages_of_villages_q(village_ids: Iterable[int] | None, prefix: str = "") -> Q | None:
    """A filter for pages inside these villages' trees (``prefix`` for related lookups, e.g.
    ``"page__"``); ``None`` when every page is allowed (district administrators)."""
    if village_ids is None:
        return None
    q = Q(pk__in=[]) if not prefix else Q(**{f"{prefix}pk__in": []})
    for path in village_root_paths(village_ids):
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


def village_id_of(obj: Any) -> int | None:
    """Village id of a Village, Site, Page, Collection, image/document, request, int, or any
    model instance with ``village_id``."""
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
    return getattr(obj, "village_id", None)  # a request (VillageMiddleware) or village data


def village_ids_for_user(user: Any) -> frozenset[int] | None:
    """Villages the user may act for; ``None`` means all (district administrator)."""
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    if is_district_admin(user):
        return None
    cached = getattr(user, "_sidekem_village_ids", None)
    if cached is not None:
        return cached
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


def collection_ids_for_user(user: Any) -> list[int] | None:
    """Collections of the user's villages (``None`` = all); search backends filter on ids."""
    ids = village_ids_for_user(user)
    if ids is None:
        return None
    return [cid for cid, vid in _collection_map().items() if vid in ids]
