"""Confirmed imports run here, not in the web request."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.module_loading import import_string

from core.imports.engine import discard_upload, load_dataset, read_upload, row_errors, run_import
from core.imports.models import ImportJob

logger = logging.getLogger("sidekem.imports")


@shared_task(time_limit=3600, soft_time_limit=3300)
def run_import_job(job_id: str) -> str:
    """Import a previewed file for real, all or nothing. Runs once: a re-delivered job whose
    status is no longer queued is left alone."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING
    )
    if not claimed:
        return "skipped"
    job = ImportJob.objects.select_related("village").get(pk=job_id)
    try:
        content, fmt = read_upload(job.token)
        resource_class = import_string(job.resource)
        user = get_user_model().objects.get(pk=job.user_id)
        kwargs: dict[str, Any] = {"user": user}
        if job.village_id:
            kwargs["village"] = job.village
        result = run_import(resource_class(**kwargs), load_dataset(content, fmt), dry_run=False)
        job.totals = dict(result.totals)
        job.errors = row_errors(result)
        job.status = ImportJob.Status.FAILED if job.errors else ImportJob.Status.DONE
        if not job.errors:
            discard_upload(job.token)
    except Exception as exc:  # the job must end in a state the editor can read
        logger.exception("import job %s failed", job_id)
        job.errors = [{"row": None, "messages": [str(exc)]}]
        job.status = ImportJob.Status.FAILED
    job.finished_at = timezone.now()
    job.save()
    return job.status
