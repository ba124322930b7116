from django.urls import path

from core.website.views import health

urlpatterns = [path("healthz", health, name="health")]
