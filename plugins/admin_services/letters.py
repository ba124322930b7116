"""Issuing letters: number, PDF on F4 paper with a verification QR code, SHA-256 of the file.

The PDF is drawn with reportlab: letterhead (settings of the village), number, subject, the
service's body text filled from the request (placeholders ``{nama}``, ``{alamat}``, the typed
fields' codes…), and the signature block. The QR code (segno) holds the public verification URL
``/admin_services/verifikasi/?kode=<token>`` on the village's host; the page shows only number,
date, subject, signer, validity and the file's SHA-256 — never the NIK.

An uploaded scan of the signed, stamped letter can replace the generated file
(:func:`replace_file`); the hash is then computed on that final file.
"""

from __future__ import annotations

import hashlib
import io
import string
from typing import Any

import segno
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen import canvas

from .models import Letter, ServiceRequest, ServiceSettings, Signer
from .numbering import next_letter

F4 = (215 * mm, 330 * mm)
MARGIN = 25 * mm


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def fill(template: str, values: dict[str, Any]) -> str:
    """``template`` with ``{name}`` placeholders filled; unknown ones become empty, and braces
    in residents' answers are never interpreted (values are inserted, not formatted)."""
    out = []
    for literal, field, _spec, _conv in string.Formatter().parse(template or ""):
        out.append(literal)
        if field is not None:
            value = values.get(field, "")
            out.append(", ".join(value) if isinstance(value, list) else str(value))
    return "".join(out)


def placeholders(service_request: ServiceRequest) -> dict[str, Any]:
    village = service_request.village
    address = ", ".join(
        part
        for part in (
            service_request.dusun and f"Dusun {service_request.dusun}",
            service_request.rt and f"RT {service_request.rt}",
            service_request.rw and f"RW {service_request.rw}",
            f"Desa {village.name}",
        )
        if part
    )
    return {
        **service_request.answers,
        "nama": service_request.name,
        "nik": service_request.nik,
        "alamat": address,
        "dusun": service_request.dusun,
        "rt": service_request.rt,
        "rw": service_request.rw,
        "desa": village.name,
        "tanggal": formats.date_format(timezone.localdate(), "j F Y"),
    }


def verification_url(letter: Letter) -> str:
    return f"{letter.village.site.root_url}/admin_services/verifikasi/?kode={letter.verify_token}"


def signer_of(service_request: ServiceRequest, conf: ServiceSettings) -> tuple[str, str]:
    if service_request.service.signer == Signer.SEKDES:
        return conf.sekdes_name, f"a.n. {conf.kepala_desa_title}\n{conf.sekdes_title}"
    return conf.kepala_desa_name, conf.kepala_desa_title


def qr_png(url: str) -> bytes:
    """The verification QR code as PNG (error correction M, quiet zone kept)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=4, border=4)
    return out.getvalue()


def render_pdf(letter: Letter, body: str, conf: ServiceSettings) -> bytes:
    village = letter.village
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=F4, pageCompression=0)
    pdf.setTitle(f"{letter.subject} {letter.number}")
    width, height = F4
    y = height - MARGIN
    heading = conf.letterhead_name or f"PEMERINTAH DESA {village.name.upper()}"
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawCentredString(width / 2, y, heading)
    y -= 6 * mm
    pdf.setFont("Helvetica", 10)
    pdf.drawCentredString(
        width / 2, y, conf.letterhead_address or village.address or f"Desa {village.name}"
    )
    y -= 4 * mm
    pdf.setLineWidth(1.5)
    pdf.line(MARGIN, y, width - MARGIN, y)
    y -= 12 * mm
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawCentredString(width / 2, y, letter.subject.upper())
    y -= 5 * mm
    pdf.setFont("Helvetica", 11)
    pdf.drawCentredString(width / 2, y, f"Nomor: {letter.number}")
    y -= 12 * mm
    for paragraph in body.splitlines() or [""]:
        for line in simpleSplit(paragraph, "Helvetica", 11, width - 2 * MARGIN) or [""]:
            pdf.drawString(MARGIN, y, line)
            y -= 6 * mm
    y -= 8 * mm
    x = width - MARGIN - 70 * mm
    pdf.drawString(x, y, f"{village.name}, {formats.date_format(letter.issued_on, 'j F Y')}")
    for line in letter.signer_title.splitlines():
        y -= 6 * mm
        pdf.drawString(x, y, line)
    y -= 25 * mm
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawString(x, y, letter.signer_name or "(..............................)")
    png = io.BytesIO(qr_png(verification_url(letter)))
    pdf.drawImage(ImageReader(png), MARGIN, MARGIN, 30 * mm, 30 * mm)
    pdf.setFont("Helvetica", 7)
    pdf.drawString(MARGIN + 32 * mm, MARGIN + 4 * mm, "Periksa keaslian surat: pindai kode QR.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def issue_letter(service_request: ServiceRequest) -> Letter:
    """Number the request's letter and store its PDF (once: a second call returns the same)."""
    existing = Letter.objects.filter(request=service_request).first()
    if existing is not None:
        return existing
    village = service_request.village
    conf = ServiceSettings.for_site(village.site)
    service = service_request.service
    signer_name, signer_title = signer_of(service_request, conf)
    with transaction.atomic():
        letter = next_letter(
            village,
            subject=service.letter_subject or service.name,
            classification_code=service.classification_code,
            addressee=service_request.name,
            request=service_request,
            signer_name=signer_name,
            signer_title=signer_title,
        )
        body = fill(service.letter_body, placeholders(service_request))
        replace_file(letter, render_pdf(letter, body, conf), f"{letter.verify_token[:12]}.pdf")
    return letter


def replace_file(letter: Letter, data: bytes, name: str) -> None:
    """Store ``data`` as the letter's final file and its SHA-256."""
    if letter.file:
        letter.file.delete(save=False)
    letter.file.save(name, ContentFile(data), save=False)
    letter.sha256 = hashlib.sha256(data).hexdigest()
    letter.save(update_fields=["file", "sha256"])
