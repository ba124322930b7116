"""Wagtail's admin API (``/admin/api/main/…``) scoped to the user's villages.

Wagtail's endpoints list every image and document of the district (the collection permission
policy is not applied there) and find pages by the permission policy only. Every endpoint the
``construct_admin_api`` hook has registered is replaced by a subclass whose querysets (listing,
``?search=``, detail, ``find/``, page actions) hold the user's villages' objects only; see the
hook in core/confinement/wagtail_hooks.py. ``find/?id=`` with a non-number answers 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from wagtail.models import Page

from core.confinement.scope import pages_with_ancestors_q, scope_queryset


class VillageScopedEndpoint:
    """Mixed in front of an admin API endpoint class: its objects are the user's villages'."""

    request: Any

    def get_queryset(self) -> QuerySet:
        return scope_queryset(super().get_queryset(), self.request.user)  # type: ignore[misc]

    def find_object(self, queryset: QuerySet, request: HttpRequest) -> Any:
        # Wagtail looks ``?id=`` up as it comes: a non-number would answer 500, not 404.
        if "id" in request.GET:
            try:
                queryset.model._meta.pk.to_python(request.GET["id"])
            except ValidationError:
                raise Http404 from None
        return super().find_object(queryset, request)  # type: ignore[misc]


class VillageScopedPagesEndpoint(VillageScopedEndpoint):
    """Pages also scope the base queryset that ``child_of``/``descendant_of`` and the children
    counts use; the tree root stays in it so that the explorer can start there."""

    def get_base_queryset(self) -> QuerySet:
        queryset = super().get_base_queryset()  # type: ignore[misc]
        q = pages_with_ancestors_q(self.request.user)
        return queryset if q is None else queryset.filter(q)


def village_scoped_endpoint(endpoint_class: type) -> type:
    """A subclass of an admin API endpoint class scoped to the user's villages (idempotent)."""
    if issubclass(endpoint_class, VillageScopedEndpoint):
        return endpoint_class
    model = getattr(endpoint_class, "model", None)
    is_pages = isinstance(model, type) and issubclass(model, Page)
    mixin = VillageScopedPagesEndpoint if is_pages else VillageScopedEndpoint
    return type(f"VillageScoped{endpoint_class.__name__}", (mixin, endpoint_class), {})
