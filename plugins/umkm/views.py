"""Public plugin URLs (mounted at /umkm/, 404 where the plugin is off): QR downloads and the
order step. Rows are always those of ``request.village_id`` and of published businesses."""

from __future__ import annotations

import secrets
from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from core.website.cache import mark_private

from . import codes, qris
from .models import Business, Product, Status, UmkmSettings

MAX_QUANTITY = 9999
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L


def quantity_param(request) -> int:
    try:
        value = int(request.GET.get("jumlah", "1"))
    except ValueError:
        return 1
    return min(max(value, 1), MAX_QUANTITY)


def order_reference(village_code: str) -> str:
    """A short reference a buyer quotes in WhatsApp: village, date and 4 random characters."""
    tail = village_code.replace(".", "")[-4:]
    random_part = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(4))
    return f"UMKM-{tail}-{timezone.localdate():%y%m%d}-{random_part}"


def whatsapp_link(number: str, text: str) -> str:
    return f"https://wa.me/{number}?text={quote(text)}"


class VillageProductMixin:
    model = Product

    def get_queryset(self):
        return Product.objects.filter(
            village_id=self.request.village_id,
            business__village_id=self.request.village_id,
            business__status=Status.PUBLISHED,
            hidden=False,
        ).select_related("business")


class ProductQrisPng(VillageProductMixin, DetailView):
    """The amount-bearing QRIS of a product (times ``jumlah``) as a PNG download."""

    def get(self, request, *args, **kwargs):
        product = self.get_object()
        quantity = quantity_param(request)
        payload = product.qris_payload_for(quantity) if product.available else None
        if payload is None:
            raise Http404
        response = HttpResponse(codes.png(payload), content_type="image/png")
        name = slugify(f"qris-{product.name}-{quantity}") or "qris"
        response["Content-Disposition"] = f'attachment; filename="{name}.png"'
        return response


class BusinessQrisPng(DetailView):
    """The static QRIS of a business as a PNG download."""

    model = Business

    def get_queryset(self):
        return Business.objects.filter(village_id=self.request.village_id, status=Status.PUBLISHED)

    def get(self, request, *args, **kwargs):
        business = self.get_object()
        if not business.qris_payload or qris.errors(business.qris_payload):
            raise Http404
        response = HttpResponse(codes.png(business.qris_payload), content_type="image/png")
        name = slugify(f"qris-{business.name}") or "qris"
        response["Content-Disposition"] = f'attachment; filename="{name}.png"'
        return response


class OrderView(VillageProductMixin, DetailView):
    """The order step: a fresh order reference, the total for ``jumlah``, the QRIS for it,
    a WhatsApp message to the seller and a "send proof of payment" message. Personal to the
    visitor (a new reference each time), so never cached."""

    template_name = "umkm/order.html"

    def get(self, request, *args, **kwargs):
        product = self.get_object()
        business = product.business
        quantity = quantity_param(request)
        total = product.total_for(quantity)
        reference = order_reference(request.village.code)
        payload = product.qris_payload_for(quantity) if product.available else None
        number = business.whatsapp_number
        order_text = _(
            "Halo %(business)s, saya ingin memesan %(quantity)s %(unit)s %(product)s "
            "(total Rp %(total)s). Nomor pesanan: %(reference)s."
        ) % {
            "business": business.name,
            "quantity": quantity,
            "unit": product.unit,
            "product": product.name,
            "total": rupiah(total),
            "reference": reference,
        }
        proof_text = _(
            "Halo %(business)s, berikut bukti pembayaran QRIS untuk pesanan %(reference)s "
            "sebesar Rp %(total)s. (Lampirkan tangkapan layar bukti bayar.)"
        ) % {"business": business.name, "reference": reference, "total": rupiah(total)}
        settings = UmkmSettings.for_village(request.village)
        if settings is not None and settings.whatsapp_intro:
            order_text = f"{settings.whatsapp_intro}\n{order_text}"
            proof_text = f"{settings.whatsapp_intro}\n{proof_text}"
        context = {
            "product": product,
            "business": business,
            "quantity": quantity,
            "unit_price": product.unit_price_for(quantity),
            "total": total,
            "reference": reference,
            "above_cap": total > qris.AMOUNT_CAP,
            "qris_svg": codes.svg(payload) if payload else "",
            "qris_png_url": reverse("umkm:product_qris_png", args=[product.pk])
            + f"?jumlah={quantity}",
            "order_link": whatsapp_link(number, order_text) if number else "",
            "proof_link": whatsapp_link(number, proof_text) if number else "",
            "merchant_name": business.qris_merchant_name,
            "nmid": business.qris_nmid,
        }
        response = TemplateResponse(request, self.template_name, context)
        mark_private(response)
        return response


def rupiah(amount) -> str:
    return f"{int(amount):,}".replace(",", ".")
