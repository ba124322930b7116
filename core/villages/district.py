"""The one gate for district-only admin screens (villages, kecamatan, plugin switches, village
import, cross-village reports): district administrators pass, everyone else is refused."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from wagtail.admin.menu import MenuItem

from core.villages.lookup import is_district_admin


def district_admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_district_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.sidekem_district_only = True  # type: ignore[attr-defined]
    return wrapped


class DistrictMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return is_district_admin(request.user)


class DistrictOnlyViewSetMixin:
    """Mix into a ViewSet or ViewSetGroup: every view refuses, and the menu item hides, for
    anyone but district administrators."""

    def construct_view(self, view_class: type, **kwargs: Any) -> Callable[..., HttpResponse]:
        return district_admin_required(super().construct_view(view_class, **kwargs))  # type: ignore[misc]

    def get_menu_item(self, order: int | None = None) -> MenuItem:
        item = super().get_menu_item(order)  # type: ignore[misc]
        item.is_shown = lambda request: is_district_admin(request.user)
        return item
