from core.scoping import VillageDataViewSet

from .models import SampleNote


class SampleNoteViewSet(VillageDataViewSet):
    model = SampleNote
    plugin_key = "sample"
    icon = "doc-full"
    menu_label = "Catatan contoh"
    name = "sample_notes"
    form_fields = ["village", "title"]
    list_display = ["title", "village"]
    list_export = ["title", "village"]
    inspect_view_enabled = True
    copy_view_enabled = True


sample_note_viewset = SampleNoteViewSet()
