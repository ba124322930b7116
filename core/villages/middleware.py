from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import ResolverMatch
from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from core.villages import request_memo
from core.villages.lookup import is_district_admin, village_id_for_site
from core.villages.models import Village


class VillageMiddleware:
    """Attach the request's Site and village id, and open the request memo of hot lookups."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        site = Site.find_for_request(request)
        village_id = village_id_for_site(site)
        request.village_id = village_id  # type: ignore[attr-defined]
        request.village = SimpleLazyObject(lambda: _load_village(village_id))  # type: ignore[attr-defined]
        token = request_memo.start()
        try:
            return self.get_response(request)
        finally:
            request_memo.end(token)


def _load_village(village_id: int | None) -> Village | None:
    if not village_id:
        return None
    return Village.objects.select_related("kecamatan", "site").get(pk=village_id)


class VillageUserAdminMiddleware:
    """Base of the admin gates: ``check`` runs before every admin view a signed-in village user
    (not a district administrator) requests, and may answer instead of the view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: dict
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or not request.path.startswith("/admin/"):
            return None
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated) or is_district_admin(user):
            return None
        return self.check(request, match, view_func, view_args, view_kwargs)

    def check(
        self,
        request: HttpRequest,
        match: ResolverMatch,
        view_func: Any,
        view_args: Any,
        view_kwargs: dict,
    ) -> HttpResponse | None:
        raise NotImplementedError
