from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from core import plugins
from core.villages import village_id_for_site


class VillageMiddleware:
    """Attach the request's Site and village id, and memoise plugin switches for the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        site = Site.find_for_request(request)
        request.village_id = village_id_for_site(site)
        request.village = SimpleLazyObject(lambda: _load_village(request.village_id))
        token = plugins.start_request_memo()
        try:
            return self.get_response(request)
        finally:
            plugins.end_request_memo(token)


def _load_village(village_id):
    if not village_id:
        return None
    from core.models import Village

    return Village.objects.select_related("kecamatan", "site").get(pk=village_id)
