"""Which rows of any model belong to a user's villages: one rule for every scoped admin view.

A page belongs to the village whose home tree (either language) holds it, an image or document
(any ``CollectionMember``) to the village owning its collection, and any other model with a
``village`` relation (village data, sites, collections) to that village. Rows of other models
belong to no village. District administrators (``village_ids_for_user`` is ``None``) see all.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q, QuerySet
from wagtail.models import CollectionMember, Page

from core.villages.lookup import (
    collection_ids_for_user,
    pages_of_villages_q,
    village_ids_for_user,
    village_root_paths,
)

STEPLEN = 4  # treebeard path step of Wagtail's page tree


def is_village_scoped(model: type[Model]) -> bool:
    """Whether rows of ``model`` belong to villages (and must be scoped for village users)."""
    return issubclass(model, (Page, CollectionMember)) or any(
        f.name == "village" for f in model._meta.get_fields()
    )


def village_objects_q(model: type[Model], user: Any, prefix: str = "") -> Q | None:
    """A filter for the rows of ``model`` in the user's villages; ``None`` when every row is
    allowed (district administrators). ``prefix`` reaches ``model`` through a relation (e.g.
    ``"content_object__"``). Rows of models that belong to no village match nothing."""
    ids = village_ids_for_user(user)
    if ids is None:
        return None
    if issubclass(model, Page):
        return pages_of_villages_q(ids, prefix=prefix)
    if issubclass(model, CollectionMember):
        return Q(**{f"{prefix}collection__in": collection_ids_for_user(user) or []})
    if any(f.name == "village" for f in model._meta.get_fields()):
        return Q(**{f"{prefix}village__in": list(ids)})
    return Q(**{f"{prefix}pk__in": []})


def scope_queryset(queryset: QuerySet, user: Any) -> QuerySet:
    """``queryset`` cut down to the user's villages (unchanged for district administrators)."""
    q = village_objects_q(queryset.model, user)
    return queryset if q is None else queryset.filter(q)


def pages_with_ancestors_q(user: Any) -> Q | None:
    """Pages of the user's villages and the ancestors of their home pages (the tree root), which
    tree browsing passes through; ``None`` for district administrators."""
    ids = village_ids_for_user(user)
    q = pages_of_villages_q(ids)
    if q is None:
        return None
    ancestors = {
        home[:end] for home in village_root_paths(ids) for end in range(STEPLEN, len(home), STEPLEN)
    }
    return q | Q(path__in=sorted(ancestors))
