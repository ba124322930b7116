from django.urls import path

from core.views.public import health

urlpatterns = [path("healthz", health, name="health")]
