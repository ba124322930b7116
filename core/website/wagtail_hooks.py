"""Registration only."""

from wagtail import hooks

from core.website.viewsets import ContactMessageViewSet


@hooks.register("register_admin_viewset")
def register_contact_messages():
    return ContactMessageViewSet()
