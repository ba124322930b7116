"""Page view restrictions from the shared cache instead of two queries per listing.

Wagtail's ``.public()`` and the serve-time restriction check each query the restriction table.
Restrictions are few and change rarely, so their pages' paths are cached (invalidated when a
restriction or a page moves) and public pages are filtered by path prefix.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Q
from django.http import Http404
from wagtail.models import PageViewRestriction

CACHE_KEY = "sidekem:restricted-paths:v1"


def restricted_paths() -> tuple[str, ...]:
    paths = cache.get(CACHE_KEY)
    if paths is None:
        paths = tuple(
            sorted(PageViewRestriction.objects.values_list("page__path", flat=True).distinct())
        )
        cache.set(CACHE_KEY, paths, None)
    return paths


def invalidate() -> None:
    cache.delete(CACHE_KEY)


def public(queryset):
    """Like ``PageQuerySet.public()`` without the query (``live()`` is applied too)."""
    queryset = queryset.live()
    paths = restricted_paths()
    if not paths:
        return queryset
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    return queryset.exclude(q)


class CachedViewRestrictionsMixin:
    """Answer the serve-time restriction check from the cache when nothing restricts the page."""

    def get_view_restrictions(self):
        if getattr(self, "alias_of_id", None) is None and not any(
            self.path.startswith(path) for path in restricted_paths()
        ):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class ChildRouteMixin:
    """Route to a child in one query when all children are of one model (``child_model``)."""

    child_model: type | None = None
    child_select_related: tuple[str, ...] = ()

    def route(self, request, path_components):
        if path_components and self.child_model is not None:
            child = (
                self.child_model.objects.child_of(self)
                .select_related(*self.child_select_related)
                .filter(slug=path_components[0])
                .first()
            )
            if child is None:
                raise Http404
            child._cached_parent_obj = self
            return child.route(request, path_components[1:])
        return super().route(request, path_components)
