from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from core.villages import request_memo
from core.villages.lookup import village_id_for_site
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
