from django.urls import path

from core.pluginhost.enforcement import portal_only

from . import views

urlpatterns = [
    path("sample-everywhere/", views.everywhere, name="everywhere"),
    path("sample-district/", portal_only(views.district), name="district"),
]
