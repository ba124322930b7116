"""Site-root URLs (``root_urls``, docs/plugins.md): Open311 GeoReport v2 at ``/open311/v2/`` on
every village host where the plugin is on, and on the district portal with ``jurisdiction_id``
(plugins/admin_services/open311.py)."""

from django.urls import path

from . import open311

V2 = "open311/v2/"


def both_formats(route: str, view_class, name: str) -> list:
    """The route with the ``.json`` and ``.xml`` suffixes of Open311 (two views, no format
    parameter in the URL)."""
    return [
        path(f"{V2}{route}.{fmt}", view_class.as_view(fmt=fmt), name=f"open311_{name}_{fmt}")
        for fmt in ("json", "xml")
    ]


urlpatterns = [
    # The endpoint's base address, named for the discovery document; it answers the JSON
    # discovery.
    path(V2, open311.DiscoveryView.as_view(fmt="json"), name="open311_base"),
    *both_formats("discovery", open311.DiscoveryView, "discovery"),
    *both_formats("services", open311.ServiceListView, "services"),
    *both_formats("services/<str:pk>", open311.ServiceDefinitionView, "service"),
    *both_formats("requests", open311.RequestListView, "requests"),
    *both_formats("requests/<str:pk>", open311.RequestDetailView, "request"),
    *both_formats("tokens/<str:pk>", open311.TokenView, "token"),
    path(f"{V2}media/<int:pk>/", open311.MediaView.as_view(), name="open311_media"),
]
