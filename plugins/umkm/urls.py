from django.urls import path

from . import seller_views, views

urlpatterns = [
    path("produk/<int:pk>/qris.png", views.ProductQrisPng.as_view(), name="product_qris_png"),
    path("usaha/<int:pk>/qris.png", views.BusinessQrisPng.as_view(), name="business_qris_png"),
    path("pesan/<int:pk>/", views.OrderView.as_view(), name="order"),
    # the seller area (plugins/umkm/seller_views.py)
    path("penjual/masuk/", seller_views.SignInView.as_view(), name="seller_sign_in"),
    path("penjual/keluar/", seller_views.SignOutView.as_view(), name="seller_sign_out"),
    path("penjual/", seller_views.HomeView.as_view(), name="seller_home"),
    path("penjual/usaha/", seller_views.BusinessEditView.as_view(), name="seller_business"),
    path(
        "penjual/produk/tambah/",
        seller_views.ProductCreateView.as_view(),
        name="seller_product_add",
    ),
    path(
        "penjual/produk/<int:pk>/",
        seller_views.ProductEditView.as_view(),
        name="seller_product_edit",
    ),
    path(
        "penjual/produk/<int:pk>/sembunyikan/",
        seller_views.ProductHideView.as_view(),
        name="seller_product_hide",
    ),
]
