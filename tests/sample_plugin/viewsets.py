from core.resources import VillageScopedResource
from core.confinement.viewsets import VillageDataViewSet

from .models import SampleNote


class SampleNoteResource(VillageScopedResource):
    class Meta:
        model = SampleNote
        fields = ("id", "title")
        import_id_fields = ("id",)


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
    import_resource_class = SampleNoteResource


sample_note_viewset = SampleNoteViewSet()
