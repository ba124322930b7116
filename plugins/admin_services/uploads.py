"""Checking and cleaning residents' uploads.

A file is accepted only if its content is what its name says: PDF, JPEG or PNG, told by the
first bytes (never by the browser's content type). Images are decoded and re-encoded with
Pillow, which drops EXIF (GPS position, camera), comments and anything appended after the image
data; the orientation is applied first so the photo still stands upright. Files larger than
``SIDEKEM_SERVICES_MAX_UPLOAD_BYTES`` (default 4 MB) are refused.
"""

from __future__ import annotations

import io
import os
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 4 * 1024 * 1024
MAX_PIXELS = 40_000_000
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
EXTENSIONS = {".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png"}
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


@dataclass
class CleanFile:
    content: ContentFile
    content_type: str
    size: int


def max_bytes() -> int:
    return int(getattr(settings, "SIDEKEM_SERVICES_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES))


def sniff(head: bytes) -> str | None:
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(sig) for sig in signatures):
            return kind
    return None


def clean_upload(upload) -> CleanFile:
    """A checked (and for images re-encoded) copy of ``upload``; ValidationError otherwise."""
    name = upload.name or ""
    ext = os.path.splitext(name)[1].lower()
    claimed = EXTENSIONS.get(ext)
    if claimed is None:
        raise ValidationError(
            _("Berkas %(name)s: hanya PDF, JPG atau PNG yang diterima.") % {"name": name}
        )
    if upload.size > max_bytes():
        raise ValidationError(
            _("Berkas %(name)s terlalu besar (%(size)s); paling besar %(max)s.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(max_bytes()),
            }
        )
    upload.seek(0)
    data = upload.read()
    actual = sniff(data[:16])
    if actual != claimed:
        raise ValidationError(
            _("Berkas %(name)s bukan %(kind)s yang sah: isinya tidak cocok dengan namanya.")
            % {"name": name, "kind": claimed.upper()}
        )
    stem = secrets.token_hex(8)
    if actual == "pdf":
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("Berkas %(name)s rusak atau tidak lengkap.") % {"name": name})
        return CleanFile(ContentFile(data, name=f"{stem}.pdf"), CONTENT_TYPES["pdf"], len(data))
    cleaned = reencode_image(data, actual, name)
    suffix = "jpg" if actual == "jpeg" else "png"
    return CleanFile(
        ContentFile(cleaned, name=f"{stem}.{suffix}"), CONTENT_TYPES[actual], len(cleaned)
    )


def reencode_image(data: bytes, kind: str, name: str = "") -> bytes:
    """The image decoded and saved again without its metadata."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("Gambar %(name)s terlalu besar.") % {"name": name})
            probe.verify()
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            image: Image.Image = ImageOps.exif_transpose(opened)
            out = io.BytesIO()
            if kind == "jpeg":
                image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
            else:
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                image.save(out, "PNG", optimize=True)
            return out.getvalue()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("Gambar %(name)s rusak atau tidak bisa dibaca.") % {"name": name}
        ) from None
