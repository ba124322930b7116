"""Imports in the Wagtail admin: upload → preview with each bad row's reasons → confirm (run as
a Celery task, all or nothing) → summary, for every importable model; rows of village data are
always written into the importing user's village."""
