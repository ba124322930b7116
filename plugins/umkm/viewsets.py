"""Admin of businesses and products (village-scoped viewsets, core/confinement/viewsets.py).

The business form validates the QRIS payload on save (every problem in Indonesian), can read
it from a photo of the merchant's sticker, shows the decoded merchant name and NMID with any
warning, and records who changed the payload (the change resets the verified flag)."""

from __future__ import annotations

from django import forms
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, Panel
from wagtail.admin.views.generic import EditView
from wagtail.admin.widgets.button import HeaderButton

from core.confinement.viewsets import VillageDataViewSet, allowed_village_ids

from . import codes, qris
from .admin_views import QrisReviewView, SendLinkView
from .models import Business, ChangeStatus, Product, QrisPayloadChange, Seller
from .qris_messages import problem_message
from .resources import BusinessResource, ProductResource

IMAGE_MESSAGES = {
    "not_image": _("Berkas ini bukan gambar PNG, JPEG, WebP, GIF atau BMP yang dapat dibaca."),
    "too_large": _("Gambar terlalu besar (paling besar 8 MB dan 40 megapiksel)."),
    "no_code": _(
        "Tidak ada kode QR yang terbaca di gambar ini. Foto stiker lebih dekat dan tegak."
    ),
}


class BusinessForm(WagtailAdminModelForm):
    qris_photo = forms.FileField(
        label=_("Foto stiker QRIS"),
        required=False,
        help_text=_("Unggah foto stiker QRIS usaha ini untuk mengisi kode QRIS secara otomatis."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("qris_payload")
        instance = self.instance
        if field is not None and instance.pk and instance.qris_payload:
            lines = [
                (_("Nama merchant di QRIS"), instance.qris_merchant_name or "–"),
                (_("NMID"), instance.qris_nmid or "–"),
                *((_("Peringatan"), message) for message in instance.qris_warnings()),
            ]
            field.help_text = format_html_join(
                "", "<br><strong>{}:</strong> {}", ((str(a), str(b)) for a, b in lines)
            )

    def clean(self):
        data = super().clean()
        photo = data.get("qris_photo")
        if not photo:
            return data
        try:
            texts = codes.read_payloads(photo)
        except codes.UnreadableImage as error:
            self.add_error("qris_photo", IMAGE_MESSAGES[error.code])
            return data
        candidates = [text for text in texts if text.startswith("000201")]
        if not candidates:
            self.add_error("qris_photo", _("Gambar ini berisi kode QR, tetapi bukan kode QRIS."))
            return data
        payload = candidates[0]
        problems = qris.errors(payload)
        if problems:
            self.add_error("qris_photo", [problem_message(p) for p in problems])
            return data
        data["qris_payload"] = payload
        self.errors.pop("qris_payload", None)
        return data

    def save(self, commit=True):
        self.instance._changed_by = getattr(self, "for_user", None)
        return super().save(commit=commit)


class SellersPanel(Panel):
    """The business's sellers with a "Kirim tautan masuk" button each, and the count of QRIS
    changes asked for by sellers awaiting review (links only: no form inside the form)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "umkm/admin/sellers_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            instance = self.instance
            context["instance"] = instance
            if instance.pk:
                context["sellers"] = list(instance.sellers.order_by("name"))
                context["pending_count"] = QrisPayloadChange.objects.filter(
                    business=instance, status=ChangeStatus.PENDING
                ).count()
            return context


class BusinessViewSet(VillageDataViewSet):
    model = Business
    icon = "group"
    menu_label = _("Usaha UMKM")
    menu_order = 410
    name = "umkm_businesses"
    list_display = [
        "name",
        "owner_name",
        "category",
        "status",
        "verified",
        "qris_merchant_name",
        "village",
    ]
    list_filter = ["status", "category", "verified"]
    search_fields = ["name", "owner_name", "qris_merchant_name"]
    search_backend_name = None
    list_export = ["name", "owner_name", "category", "status", "verified", "qris_nmid", "village"]
    inspect_view_enabled = True
    import_resource_class = BusinessResource
    inspect_view_fields = [
        "village",
        "name",
        "owner_name",
        "category",
        "status",
        "verified",
        "qris_merchant_name",
        "qris_nmid",
        "nib",
        "spp_irt",
        "halal_certificate",
        "whatsapp",
    ]
    panels = [
        FieldPanel("village"),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("owner_name"), FieldPanel("category")]),
        FieldPanel("description"),
        FieldPanel("photo"),
        FieldPanel("gallery"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Lokasi"),
        ),
        MultiFieldPanel(
            [FieldPanel("whatsapp"), FieldPanel("marketplace_links"), FieldPanel("opening_hours")],
            heading=_("Kontak dan toko daring"),
        ),
        MultiFieldPanel(
            [FieldPanel("nib"), FieldPanel("spp_irt"), FieldPanel("halal_certificate")],
            heading=_("Legalitas"),
        ),
        MultiFieldPanel(
            [FieldPanel("qris_payload"), FieldPanel("qris_photo"), FieldPanel("verified")],
            heading=_("QRIS"),
        ),
        FieldPanel("status"),
        SellersPanel(heading=_("Penjual dan tautan masuk")),
    ]

    def get_edit_handler(self):
        handler = super().get_edit_handler()
        handler.base_form_class = BusinessForm
        return handler

    def get_urlpatterns(self) -> list:
        view = QrisReviewView.as_view(viewset=self)
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/tinjau-qris/", self._guard(view), name="qris_review"),
        ]


class ProductViewSet(VillageDataViewSet):
    model = Product
    icon = "tag"
    menu_label = _("Produk UMKM")
    menu_order = 411
    name = "umkm_products"
    list_display = ["name", "business", "price", "unit", "available", "featured", "village"]
    list_filter = ["available", "featured"]
    search_fields = ["name", "business__name"]
    search_backend_name = None
    list_export = ["name", "business", "price", "unit", "available", "featured", "village"]
    inspect_view_enabled = True
    import_resource_class = ProductResource
    panels = [
        FieldPanel("village"),
        FieldPanel("business"),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("price"), FieldPanel("unit")]),
        FieldPanel("description"),
        FieldPanel("photo"),
        FieldPanel("gallery"),
        FieldPanel("variants"),
        FieldPanel("wholesale_tiers"),
        FieldRowPanel([FieldPanel("available"), FieldPanel("featured"), FieldPanel("hidden")]),
    ]

    def scope_form(self, form, user) -> None:
        super().scope_form(form, user)
        field = form.fields.get("business")
        if field is not None:
            ids = allowed_village_ids(user, self.get_plugin_key())
            if ids is not None:
                field.queryset = Business.objects.filter(village__in=ids)


class SellerEditView(EditView):
    @cached_property
    def header_buttons(self) -> list:
        return [
            *super().header_buttons,
            HeaderButton(
                _("Kirim tautan masuk"),
                url=reverse("umkm_sellers:send_link", args=[self.object.pk]),
                icon_name="link",
            ),
        ]


class SellerViewSet(VillageDataViewSet):
    """Sellers who may edit their business in the seller area, and their sign-in links."""

    model = Seller
    icon = "user"
    menu_label = _("Penjual UMKM")
    menu_order = 412
    name = "umkm_sellers"
    edit_view_class = SellerEditView
    list_display = ["name", "business", "whatsapp", "email", "active", "last_signed_in_at"]
    list_filter = ["active"]
    search_fields = ["name", "business__name"]
    search_backend_name = None
    panels = [
        FieldPanel("village"),
        FieldPanel("business"),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("whatsapp"), FieldPanel("email")]),
        FieldPanel("active"),
    ]

    def scope_form(self, form, user) -> None:
        super().scope_form(form, user)
        field = form.fields.get("business")
        if field is not None:
            ids = allowed_village_ids(user, self.get_plugin_key())
            if ids is not None:
                field.queryset = Business.objects.filter(village__in=ids)

    def get_urlpatterns(self) -> list:
        view = SendLinkView.as_view(viewset=self)
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/tautan-masuk/", self._guard(view), name="send_link"),
        ]


business_viewset = BusinessViewSet()
product_viewset = ProductViewSet()
seller_viewset = SellerViewSet()
