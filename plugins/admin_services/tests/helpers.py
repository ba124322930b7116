"""Shared helpers of the admin_services tests: valid files, form data, a stored request."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from plugins.admin_services.forms import nik_index
from plugins.admin_services.models import ServiceRequest
from plugins.admin_services.workflow import record_submission

from .conftest import VALID_KK, VALID_NIK


def png_bytes(size=(8, 8), exif_comment: bytes | None = None) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, "PNG")
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (16, 16), (10, 200, 10))
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x0131] = "PerangkatLunakRahasia"  # Software
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def form_data(service, **overrides):
    data = {
        "name": "Siti Aminah",
        "nik": VALID_NIK,
        "kk": VALID_KK,
        "phone": "081234567890",
        "email": "",
        "dusun": "Krajan",
        "rt": "2",
        "rw": "1",
        "pin": "482913",
        "consent": "on",
        "website": "",
    }
    for field in service.fields:
        code = field["code"]
        if field["datatype"] == "number":
            data[f"f_{code}"] = "3"
        elif field["datatype"] == "datetime":
            data[f"f_{code}"] = "2026-11-01T10:00"
        elif field["datatype"] in ("singlevaluelist", "multivaluelist"):
            data[f"f_{code}"] = field["values"][0]["key"]
        else:
            data[f"f_{code}"] = "Mendaftar sekolah"
    if service.kind == "pengaduan":
        data["description"] = "Jembatan di RT 2 ambrol."
        data["address"] = "Jembatan Kali Kreo"
    data.update(overrides)
    return data


def make_request(service, nik=VALID_NIK, pin="482913", **extra) -> ServiceRequest:
    obj = ServiceRequest(
        village_id=service.village_id,
        service=service,
        name=extra.pop("name", "Budi"),
        nik=nik,
        nik_index=nik_index(nik),
        phone=extra.pop("phone", "081234567890"),
        **extra,
    )
    obj.set_pin(pin)
    obj.save()
    record_submission(obj)
    return obj
