"""The seller area: public-site pages under /umkm/penjual/ (not the Wagtail admin) where a seller
signed in by a one-time link (plugins/umkm/sellers.py) edits their own business profile and
products. Session-based (its own session key), CSRF-protected, never cached.

Every view answers 404 while the plugin is off for the village (``require_plugin`` around every
plugin URL) and for a seller session of another village; without a seller session, 403 with a
page telling the seller to ask the village operator for a new link. Objects are looked up among
the signed-in seller's own business only, so another business's product is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_protect

from core.website.cache import mark_private

from . import sellers
from .models import Business, ChangeStatus, Product, QrisPayloadChange
from .seller_forms import SellerBusinessForm, SellerProductForm


def _private(response):
    mark_private(response)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@method_decorator(csrf_protect, name="dispatch")
class SignInView(View):
    """``?token=…`` shows a confirmation button; its POST redeems the token (a chat app's link
    preview, which GETs the URL, does not use the link up)."""

    template_name = "umkm/seller/sign_in.html"

    def get(self, request):
        token = request.GET.get("token", "")
        return self._render(request, token, status=200 if token else 403)

    def post(self, request):
        token = request.POST.get("token", "")
        seller = sellers.redeem(token, request.village_id)
        if seller is None:
            return self._render(request, "", status=403, failed=True)
        sellers.start_session(request, seller)
        return _private(HttpResponseRedirect(reverse("umkm:seller_home")))

    def _render(self, request, token, status, failed=False):
        context = {"token": token, "failed": failed or not token}
        return _private(TemplateResponse(request, self.template_name, context, status=status))


@method_decorator(csrf_protect, name="post")
class SignOutView(View):
    def post(self, request):
        sellers.end_session(request)
        return _private(
            TemplateResponse(request, "umkm/seller/signed_out.html", {"signed_out": True})
        )


@method_decorator(csrf_protect, name="dispatch")
class SellerAreaView(View):
    """Base of the signed-in pages: ``self.seller`` and ``self.business`` are set."""

    def dispatch(self, request, *args, **kwargs):
        seller = sellers.current_seller(request)
        if seller is None:
            other = sellers.session_village(request)
            if other and other != request.village_id:
                raise Http404
            response = TemplateResponse(request, "umkm/seller/signed_out.html", {}, status=403)
            return _private(response)
        self.seller = seller
        self.business = seller.business
        return _private(super().dispatch(request, *args, **kwargs))

    def render(self, template, **context):
        context.update({"seller": self.seller, "business": self.business})
        return TemplateResponse(self.request, template, context)


class HomeView(SellerAreaView):
    def get(self, request):
        return self.render(
            "umkm/seller/home.html",
            products=self.business.products.order_by("hidden", "name"),
            pending=QrisPayloadChange.objects.filter(
                business=self.business, status=ChangeStatus.PENDING
            ).first(),
        )


class BusinessEditView(SellerAreaView):
    template_name = "umkm/seller/business_form.html"

    def get(self, request):
        return self.render(self.template_name, form=SellerBusinessForm(instance=self.business))

    def post(self, request):
        form = SellerBusinessForm(request.POST, instance=self.business)
        if not form.is_valid():
            return self.render(self.template_name, form=form)
        form.save()
        if form.qris_changed:
            QrisPayloadChange.request_by_seller(self.seller, form.cleaned_data["new_qris_payload"])
            messages.info(
                request,
                _("Profil usaha disimpan. Kode QRIS baru menunggu pemeriksaan operator desa."),
            )
        else:
            messages.success(request, _("Profil usaha disimpan."))
        return HttpResponseRedirect(reverse("umkm:seller_home"))


class ProductCreateView(SellerAreaView):
    template_name = "umkm/seller/product_form.html"
    model = Product

    def new_product(self) -> Product:
        return Product(business=self.business, village_id=self.business.village_id)

    def get(self, request):
        return self.render(self.template_name, form=SellerProductForm(instance=self.new_product()))

    def post(self, request):
        form = SellerProductForm(request.POST, instance=self.new_product())
        if not form.is_valid():
            return self.render(self.template_name, form=form)
        product = form.save()
        messages.success(request, _("Produk %(name)s ditambahkan.") % {"name": product.name})
        return HttpResponseRedirect(reverse("umkm:seller_home"))


class SellerProductMixin:
    model = Product
    business: Business

    def get_product(self, pk) -> Product:
        business = self.business
        return get_object_or_404(
            Product.objects.filter(business=business, village_id=business.village_id), pk=pk
        )


class ProductEditView(SellerProductMixin, SellerAreaView):
    template_name = "umkm/seller/product_form.html"

    def get(self, request, pk):
        product = self.get_product(pk)
        return self.render(
            self.template_name, form=SellerProductForm(instance=product), product=product
        )

    def post(self, request, pk):
        product = self.get_product(pk)
        form = SellerProductForm(request.POST, instance=product)
        if not form.is_valid():
            return self.render(self.template_name, form=form, product=product)
        form.save()
        messages.success(request, _("Produk %(name)s disimpan.") % {"name": product.name})
        return HttpResponseRedirect(reverse("umkm:seller_home"))


class ProductHideView(SellerProductMixin, SellerAreaView):
    """POST: hide a product from the catalogue, or show it again (``tampilkan=1``)."""

    def post(self, request, pk):
        product = self.get_product(pk)
        product.hidden = request.POST.get("tampilkan") != "1"
        product.save(update_fields=["hidden", "updated_at"])
        if product.hidden:
            messages.success(request, _("Produk %(name)s disembunyikan.") % {"name": product.name})
        else:
            messages.success(
                request, _("Produk %(name)s ditampilkan lagi.") % {"name": product.name}
            )
        return HttpResponseRedirect(reverse("umkm:seller_home"))
