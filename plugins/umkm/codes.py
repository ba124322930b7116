"""QR images of QRIS payloads: SVG for pages, PNG for "save the QR", and reading a photo.

Codes are rendered in byte mode with error correction M (segno) and cached per payload, since a
catalogue shows the same codes again and again. Photos of a merchant's sticker are read with
zxing-cpp after Pillow has checked that the upload really is an image of a sensible size.
"""

from __future__ import annotations

import hashlib
import io
from typing import IO

import segno
import zxingcpp
from django.core.cache import cache
from PIL import Image, UnidentifiedImageError

CACHE_SECONDS = 60 * 60 * 24
MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"PNG", "JPEG", "WEBP", "GIF", "BMP"}


class UnreadableImage(ValueError):
    """The upload is not an image, is too large, or holds no QR code."""

    def __init__(self, code: str):
        self.code = code
        super().__init__(code)


def make(payload: str) -> segno.QRCode:
    return segno.make(payload, mode="byte", error="m", micro=False, boost_error=False)


def _key(kind: str, payload: str, scale: int) -> str:
    digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    return f"umkm:qr:{kind}:{scale}:{digest}"


def svg(payload: str, scale: int = 4) -> str:
    """Inline SVG markup (no XML declaration) of the code, cached per payload."""
    key = _key("svg", payload, scale)
    cached = cache.get(key)
    if cached is not None:
        return cached
    buffer = io.BytesIO()
    make(payload).save(
        buffer,
        kind="svg",
        scale=scale,
        border=4,
        xmldecl=False,
        svgclass="qris-code",
        lineclass=None,
        title="QRIS",
    )
    markup = buffer.getvalue().decode("utf-8")
    cache.set(key, markup, CACHE_SECONDS)
    return markup


def png(payload: str, scale: int = 10) -> bytes:
    """PNG bytes of the code with a quiet zone of 4 modules, cached per payload."""
    key = _key("png", payload, scale)
    cached = cache.get(key)
    if cached is not None:
        return cached
    buffer = io.BytesIO()
    make(payload).save(buffer, kind="png", scale=scale, border=4)
    data = buffer.getvalue()
    cache.set(key, data, CACHE_SECONDS)
    return data


def read_payloads(upload: IO[bytes]) -> list[str]:
    """The texts of every QR code in an uploaded image. Raises UnreadableImage("not_image"),
    ("too_large") or ("no_code")."""
    upload.seek(0, io.SEEK_END)
    size = upload.tell()
    upload.seek(0)
    if size > MAX_UPLOAD_BYTES:
        raise UnreadableImage("too_large")
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise UnreadableImage("not_image")
            if probe.width * probe.height > MAX_PIXELS:
                raise UnreadableImage("too_large")
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise UnreadableImage("not_image") from None
    gray: Image.Image = image.convert("L")
    found = zxingcpp.read_barcodes(
        gray, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    texts = [code.text for code in found if code.text]
    if not texts:
        raise UnreadableImage("no_code")
    return texts
