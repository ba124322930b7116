from wagtail import hooks

from .viewsets import sample_note_viewset


@hooks.register("register_admin_viewset")
def register_viewsets():
    return sample_note_viewset
