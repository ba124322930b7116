"""Site-root URLs of the plugin (docs/plugins.md, "Public non-page URLs"): the district page of
the villages' budgets, on the district portal only. The path is not one a village page would
take (root URLs are tried before Wagtail's pages on every host)."""

from django.urls import path

from core.pluginhost.enforcement import portal_only

from . import district

urlpatterns = [
    path("apbdes-kabupaten/", portal_only(district.portal_view), name="district"),
]
