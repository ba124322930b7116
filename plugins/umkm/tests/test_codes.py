"""QR images: byte mode SVG and PNG (cached per payload) and reading them back with zxing-cpp."""

import io

import pytest
import segno
import zxingcpp
from django.core.cache import cache
from PIL import Image

from plugins.umkm import codes, qris

from .qris_samples import DANA_STATIC, NOBU_STATIC


def test_png_decodes_back_to_the_payload():
    payload = qris.with_amount(NOBU_STATIC, 45000)
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(codes.png(payload))))
    assert [code.text for code in found] == [payload]
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode
    assert found[0].content_type == zxingcpp.ContentType.Text


def test_codes_are_byte_mode_with_error_correction_m():
    code = codes.make(DANA_STATIC)
    assert code.mode == "byte"
    assert code.error == "M"
    assert not code.is_micro


def test_svg_is_inline_markup_and_cached(monkeypatch):
    markup = codes.svg(DANA_STATIC)
    assert markup.startswith("<svg") and "<?xml" not in markup
    calls = []
    original = segno.make
    monkeypatch.setattr(segno, "make", lambda *a, **kw: calls.append(a) or original(*a, **kw))
    assert codes.svg(DANA_STATIC) == markup
    assert calls == []  # served from the cache
    cache.clear()
    assert codes.svg(DANA_STATIC) == markup
    assert len(calls) == 1


def test_read_payloads_refuses_oversized_uploads():
    big = io.BytesIO(b"\0" * (codes.MAX_UPLOAD_BYTES + 1))
    with pytest.raises(codes.UnreadableImage) as caught:
        codes.read_payloads(big)
    assert caught.value.code == "too_large"
