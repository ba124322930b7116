from django.urls import path

from . import telegram, views

# Open311 is at the site root (root_urls.py); these stay under /admin_services/.
urlpatterns = [
    path("verifikasi/", views.verify, name="verify"),
    path("telegram/", telegram.webhook, name="telegram_webhook"),
]
