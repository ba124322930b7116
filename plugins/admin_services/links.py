"""Public links of a request: its services page and tracking URL on the village's host."""

from __future__ import annotations

from .models import ServiceRequest
from .pages import ServicesPage


def services_page_for(village) -> ServicesPage | None:
    return (
        ServicesPage.objects.live()
        .filter(path__startswith=village.site.root_page.path, locale__language_code="id")
        .first()
    )


def tracking_url(service_request: ServiceRequest) -> str:
    page = services_page_for(service_request.village)
    if page is None:
        return ""
    site = service_request.village.site
    return f"{site.root_url}{page.relative_url(site)}lacak/{service_request.tracking_token}/"
