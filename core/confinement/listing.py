"""Scope the parts of Wagtail's own admin that look across all sites.

Wagtail's page listing offers filters whose choices come from the whole tree (every site, every
page owner, every editor), and the dashboard counts every page. For a village user those must
show their village only. Filters are patched once at start-up; Wagtail is pinned to 8.0.x and
the isolation sweep (tests/test_isolation_sweep.py) checks the result on every run.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.models import Page, PageLogEntry, Site

from core.villages.lookup import pages_of_villages_q, village_ids_for_user


def _sites(request: HttpRequest) -> QuerySet:
    ids = village_ids_for_user(request.user)
    return Site.objects.all() if ids is None else Site.objects.filter(village__in=ids)


def _owners(request: HttpRequest) -> QuerySet:
    pages = Page.objects.all()
    q = pages_of_villages_q(village_ids_for_user(request.user))
    if q is not None:
        pages = pages.filter(q)
    return get_user_model().objects.filter(
        pk__in=pages.order_by().values_list("owner_id", flat=True).distinct()
    )


def _editors(request: HttpRequest) -> QuerySet:
    entries = PageLogEntry.objects.filter(action="wagtail.edit")
    q = pages_of_villages_q(village_ids_for_user(request.user), prefix="page__")
    if q is not None:
        entries = entries.filter(q)
    return get_user_model().objects.filter(
        pk__in=entries.order_by().values_list("user_id", flat=True).distinct()
    )


def scope_page_listing_filters() -> None:
    filters: dict[str, Any] = PageFilterSet.base_filters
    filters["site"].queryset = _sites
    filters["owner"].queryset = _owners
    filters["edited_by"].queryset = _editors
