"""Upload → preview → confirm → summary imports in the Wagtail admin (django-import-export).

Follows Wagtail's redirect importer. The preview is a dry run; the confirm step queues the real
import (:func:`core.imports.tasks.run_import_job`), which runs in one transaction and rolls
everything back if any row fails, so a file with one bad row saves nothing. The uploaded file is
kept between the two steps under a random token in ``SIDEKEM_IMPORT_TMP_DIR``, never in the
session.
"""

from __future__ import annotations

import csv
import io
import os
from typing import TYPE_CHECKING, Any

import tablib
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.imports.engine import (
    FORMATS,
    load_dataset,
    read_upload,
    row_errors,
    run_import,
    store_upload,
)
from core.imports.models import ImportJob
from core.imports.tasks import run_import_job

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise
    from import_export.resources import Resource


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Berkas (CSV atau XLSX)"),
        help_text=gettext_lazy("Baris pertama berisi nama kolom."),
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        ext = os.path.splitext(upload.name)[1].lower().lstrip(".")
        if ext not in FORMATS:
            raise ValidationError(_("Hanya berkas .csv atau .xlsx yang dapat diimpor."))
        if upload.size > settings.SIDEKEM_IMPORT_MAX_BYTES:
            raise ValidationError(
                _("Berkas terlalu besar (maksimal %(mb)s MB).")
                % {"mb": settings.SIDEKEM_IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        content = upload.read()
        try:
            load_dataset(content, ext)
        except Exception as exc:  # tablib raises many kinds for broken files
            raise ValidationError(_("Berkas tidak dapat dibaca: %(err)s") % {"err": exc}) from exc
        self.cleaned_data["format"] = ext
        self.cleaned_data["content"] = content
        return upload


class ImportView(View):
    """Subclass and set ``resource_class``, ``title``, ``template_columns`` and ``index_url``."""

    resource_class: type[Resource] | None = None
    title: str | StrPromise = ""
    template_name = "imports/import.html"
    template_columns: list[str] = []
    required_columns: list[str] = []
    index_url_name = "wagtailadmin_home"

    def has_permission(self, request: HttpRequest) -> bool:
        return False

    def get_resource(self, request: HttpRequest) -> Resource | None:
        """The resource to import with, or ``None`` while the upload cannot go on (e.g. no
        village chosen yet)."""
        if self.resource_class is None:
            raise ImproperlyConfigured(f"{type(self).__qualname__} sets no resource_class")
        return self.resource_class(user=request.user)

    def extra_preview_context(self, request: HttpRequest) -> dict[str, Any]:
        """Hidden values the confirm step needs back (e.g. the chosen village)."""
        return {}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not self.has_permission(request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render(self, request: HttpRequest, **context: Any) -> HttpResponse:
        context.setdefault("form", ImportUploadForm())
        context.update(
            title=self.title,
            template_columns=self.template_columns,
            index_url_name=self.index_url_name,
        )
        return TemplateResponse(request, self.template_name, context)

    def get(self, request: HttpRequest) -> HttpResponse:
        if "job" in request.GET:
            return self.job_status(request, request.GET["job"])
        if request.GET.get("template") == "csv":
            return self.template_response()
        return self.render(request, step="upload")

    #: Example rows of the downloadable template (under ``template_columns``).
    template_rows: list[list[Any]] = []

    def template_response(self) -> HttpResponse:
        """The CSV template with example rows (opens in any spreadsheet program)."""
        buffer = io.StringIO()
        csv.writer(buffer).writerows([self.template_columns, *self.template_rows])
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
        slug = "".join(c if c.isalnum() else "-" for c in str(self.title).lower()).strip("-")
        response["Content-Disposition"] = f'attachment; filename="templat-{slug}.csv"'
        return response

    def post(self, request: HttpRequest) -> HttpResponse:
        if "token" in request.POST:
            return self.confirm(request)
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(request, step="upload", form=form)
        dataset = load_dataset(form.cleaned_data["content"], form.cleaned_data["format"])
        missing = [c for c in self.required_columns if c not in dataset.headers]
        if missing:
            form.add_error(
                "file", _("Kolom wajib tidak ada: %(cols)s") % {"cols": ", ".join(missing)}
            )
            return self.render(request, step="upload", form=form)
        resource = self.get_resource(request)
        if resource is None:
            return self.render(request, step="upload", form=form)
        result = run_import(resource, dataset, dry_run=True)
        errors = row_errors(result)
        token = (
            None
            if errors
            else store_upload(form.cleaned_data["content"], form.cleaned_data["format"])
        )
        return self.render(
            request,
            step="preview",
            result=result,
            errors=errors,
            token=token,
            rows=self.preview_rows(dataset),
            headers=dataset.headers,
            totals=result.totals,
            hidden=self.extra_preview_context(request),
        )

    def preview_rows(self, dataset: tablib.Dataset, limit: int = 500) -> list[list[Any]]:
        return [list(row) for row in dataset[:limit]]

    def confirm(self, request: HttpRequest) -> HttpResponse:
        """Queue the real import; the editor is sent to a page that shows how it went."""
        user = request.user
        if not user.is_authenticated:  # has_permission lets no anonymous user this far
            raise PermissionDenied
        token = request.POST["token"]
        try:
            read_upload(token)
        except FileNotFoundError:
            messages.error(request, _("Berkas unggahan sudah kedaluwarsa; unggah ulang."))
            return redirect(request.path)
        resource = self.get_resource(request)
        if resource is None:
            raise PermissionDenied
        village = getattr(resource, "village", None)
        job = ImportJob.objects.create(
            user=user,
            village=village,
            resource=f"{type(resource).__module__}.{type(resource).__qualname__}",
            token=token,
            title=str(self.title),
            index_url_name=self.index_url_name,
        )
        if settings.CELERY_TASK_ALWAYS_EAGER:
            run_import_job(str(job.pk))  # in-process mode: the demo has no worker
        else:
            transaction.on_commit(lambda: run_import_job.delay(str(job.pk)))
        return redirect(f"{request.path}?job={job.pk}")

    def job_status(self, request: HttpRequest, job_id: str) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:  # has_permission lets no anonymous user this far
            raise PermissionDenied
        try:
            job = ImportJob.objects.get(pk=job_id, user=user)
        except (ImportJob.DoesNotExist, ValidationError, ValueError):
            raise Http404 from None
        return self.render(
            request,
            step="summary" if job.finished else "running",
            job=job,
            errors=job.errors,
            totals=job.totals,
        )
