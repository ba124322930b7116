from django.urls import path

from . import views

urlpatterns = [
    path("produk/<int:pk>/qris.png", views.ProductQrisPng.as_view(), name="product_qris_png"),
    path("usaha/<int:pk>/qris.png", views.BusinessQrisPng.as_view(), name="business_qris_png"),
    path("pesan/<int:pk>/", views.OrderView.as_view(), name="order"),
]
