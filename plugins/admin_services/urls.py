from django.urls import path

from . import open311, telegram, views

V2 = "open311/v2/"


def both_formats(route: str, view_class, name: str) -> list:
    """The route with the ``.json`` and ``.xml`` suffixes of Open311 (two views, no format
    parameter in the URL)."""
    return [
        path(f"{V2}{route}.{fmt}", view_class.as_view(fmt=fmt), name=f"open311_{name}_{fmt}")
        for fmt in ("json", "xml")
    ]


urlpatterns = [
    path("verifikasi/", views.verify, name="verify"),
    path("telegram/", telegram.webhook, name="telegram_webhook"),
    *both_formats("services", open311.ServiceListView, "services"),
    *both_formats("services/<str:pk>", open311.ServiceDefinitionView, "service"),
    *both_formats("requests", open311.RequestListView, "requests"),
    *both_formats("requests/<str:pk>", open311.RequestDetailView, "request"),
]
