"""Site-root URLs of the umkm plugin (docs/plugins.md, "Site-root URLs"): the district-wide
directory of leading products, on the district portal only."""

from django.urls import path

from core.pluginhost.enforcement import portal_only

from .directory import DirectoryView

urlpatterns = [
    path("produk-unggulan/", portal_only(DirectoryView.as_view()), name="directory"),
]
