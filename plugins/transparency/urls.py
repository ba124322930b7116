"""Public non-page URLs of the plugin, under ``/transparency/`` on the village host
(docs/plugins.md): the open-data JSON endpoints (api.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("api/anggaran.json", api.budgets, name="api_budgets"),
    path("api/anggaran/<int:year>.json", api.budget_year, name="api_budget_year"),
    path("api/pembangunan/<int:year>.json", api.developments, name="api_developments"),
]
