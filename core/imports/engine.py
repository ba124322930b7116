"""The import machinery without the web: reading files, keeping an upload between preview and
confirm, running an import all or nothing, and reporting each bad row."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tablib
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from import_export.resources import Resource
    from import_export.results import Result

FORMATS = {"csv": "csv", "xlsx": "xlsx"}
TOKEN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def load_dataset(content: bytes, fmt: str) -> tablib.Dataset:
    if fmt == "csv":
        text = content.decode("utf-8-sig")
        dataset = tablib.Dataset().load(text, format="csv")
    else:
        dataset = tablib.Dataset().load(content, format="xlsx")
    if not dataset.headers:
        raise ValueError(_("baris judul kolom tidak ada"))
    dataset.headers = [str(h or "").strip().lower() for h in dataset.headers]
    return dataset


def _tmp_dir() -> Path:
    path = Path(settings.SIDEKEM_IMPORT_TMP_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(content: bytes, fmt: str) -> str:
    token = f"{secrets.token_urlsafe(24)}.{fmt}"
    (_tmp_dir() / token).write_bytes(content)
    return token


def read_upload(token: str) -> tuple[bytes, str]:
    name, _dot, fmt = token.rpartition(".")
    if fmt not in FORMATS or not name or not set(name) <= TOKEN_CHARS:
        raise PermissionDenied
    path = _tmp_dir() / token
    if not path.exists():
        raise FileNotFoundError(token)
    return path.read_bytes(), fmt


def discard_upload(token: str) -> None:
    try:
        (_tmp_dir() / token).unlink()
    except FileNotFoundError:
        pass


def row_errors(result: Result) -> list[dict[str, Any]]:
    """Row number (as the editor sees it in the file: header is row 1) and reasons."""
    errors: list[dict[str, Any]] = []
    for line, row_errs in result.row_errors():
        errors.append({"row": line + 1, "messages": [str(err.error) for err in row_errs]})
    for invalid in result.invalid_rows:
        messages = []
        for field, errs in invalid.error_dict.items():
            for err in errs:
                text = " ".join(err.messages) if hasattr(err, "messages") else str(err)
                messages.append(text if field == "__all__" else f"{field}: {text}")
        errors.append({"row": invalid.number + 1, "messages": messages})
    for base in result.base_errors:
        errors.append({"row": None, "messages": [str(base.error)]})
    return sorted(errors, key=lambda e: e["row"] or 0)


def run_import(
    resource: Resource, dataset: tablib.Dataset, *, dry_run: bool, **kwargs: Any
) -> Result:
    """Import ``dataset`` atomically: any error rolls back every row."""
    with transaction.atomic():
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            collect_failed_rows=False,
            **kwargs,
        )
        if dry_run or result.has_errors() or result.has_validation_errors():
            transaction.set_rollback(True)
    return result
