from core.confinement.viewsets import VillageDataViewSet
from core.imports.resources import VillageScopedResource

from .models import SampleNote


class SampleNoteResource(VillageScopedResource):
    template_rows = [["", "Catatan pertama"]]

    class Meta:
        model = SampleNote
        fields = ("id", "title")
        import_id_fields = ("id",)


class SampleNoteViewSet(VillageDataViewSet):
    model = SampleNote
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
