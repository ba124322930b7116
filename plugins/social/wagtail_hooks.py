from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button

from core.pluginhost.switches import is_enabled

from . import views
from .outbox import PLUGIN_KEY, share_page_types
from .panels import DeliveriesAttentionPanel
from .viewsets import delivery_viewset, social_account_viewset


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [social_account_viewset, delivery_viewset]


@hooks.register("register_village_dashboard_panel")
def register_dashboard_panel():
    return DeliveriesAttentionPanel


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("social/page/<int:pk>/", views.PageSocialView.as_view(), name="social_page")]


@hooks.register("register_page_header_buttons")
def page_social_button(page, user, view_name, next_url=None):
    if page.specific_class is None:
        return
    if page.specific_class._meta.label_lower not in share_page_types():
        return
    if not is_enabled(page, PLUGIN_KEY):
        return
    yield Button(
        _("Media sosial"), reverse("social_page", args=[page.pk]), icon_name="globe", priority=80
    )


# Unpublishing deletes nothing on the networks: the editor is told which posts are still live.
hooks.register("after_unpublish_page", views.warn_about_live_posts)
