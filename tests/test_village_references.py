"""Saved references stay inside the village: a page (any type) or a village data form may only
reference images, documents, pages and village data of the village it belongs to.

Choosers offer only the user's village; these tests post the ids of another village's objects
straight to the admin, as a hand-made request would (core/confinement/references.py).
"""

from __future__ import annotations

import pytest
from django import forms
from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from core.confinement.references import VillageReferencesFormMixin, guard_form_references
from core.website.models import (
    DistrictHomePage,
    GalleryAlbumPage,
    GalleryIndexPage,
    NewsIndexPage,
    NewsPage,
    StandardPage,
    VillageHomePage,
)
from tests.sample_plugin.models import SampleNote
from tests.test_isolation_sweep import png_bytes

pytestmark = pytest.mark.django_db

FOREIGN_IMAGE = "Gambar ini milik desa lain."
FOREIGN_DOCUMENT = "Dokumen ini milik desa lain."
FOREIGN_PAGE = "Halaman ini milik desa lain."
FOREIGN_IN_TEXT = "Teks ini menautkan atau memuat sesuatu milik desa lain."


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def home_of(village):
    return VillageHomePage.objects.get(village=village, locale__language_code="id")


def image_of(village, title="Foto"):
    return get_image_model().objects.create(
        title=f"{title} {village.name}",
        collection=village.collection,
        file=ContentFile(png_bytes(), name="foto.png"),
    )


def document_of(village, title="Dokumen"):
    return get_document_model().objects.create(
        title=f"{title} {village.name}",
        collection=village.collection,
        file=ContentFile(b"%PDF-1.4 isi", name="berkas.pdf"),
    )


def publish(parent, page, user=None):
    parent.add_child(instance=page)
    page.save_revision(user=user).publish(user=user)
    return page


def news_page(village):
    index = publish(home_of(village), NewsIndexPage(title="Berita", slug="berita"))
    return publish(index, NewsPage(title="Kerja bakti", slug="kerja-bakti", date="2024-05-01"))


def news_data(page, featured_image=None, body=(), **extra):
    data = {
        "title": page.title,
        "slug": page.slug,
        "date": "2024-05-01",
        "category": "pemerintahan",
        "tags": "",
        "summary": "Warga bergotong royong.",
        "featured_image": featured_image.pk if featured_image else "",
        "featured_image_alt": "Warga bekerja" if featured_image else "",
        "body": streamfield(list(body)),
        "action-publish": "1",
        **extra,
    }
    return nested_form_data(data)


def image_block(image):
    return ("image", {"image": {"image": image.pk, "alt_text": "Balai", "decorative": ""}})


def document_block(document):
    return ("document", {"document": document.pk, "label": "Unduh"})


def edit(client, page, data):
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def error_text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def stored_body(page):
    page = NewsPage.objects.get(pk=page.pk)
    return page.featured_image_id, [block.block_type for block in page.body]


# -- page types: the form class ---------------------------------------------------------------
def test_every_page_type_gets_the_reference_check():
    """Every page model, plugins' included, builds its admin form with the check; fails if
    Wagtail stops building page forms from the model's base_form_class."""
    page_models = [m for m in apps.get_models() if issubclass(m, Page) and m is not Page]
    assert {"SamplePage", "NewsPage", "VillageHomePage", "StandardPage"} <= {
        m.__name__ for m in page_models
    }
    for model in page_models:
        form_class = model.get_edit_handler().get_form_class()
        assert issubclass(form_class, VillageReferencesFormMixin), model


# -- chooser fields ---------------------------------------------------------------------------
def test_featured_image_of_another_village_is_refused(client, kreo, kandang, kreo_editor):
    page = news_page(kreo)
    foreign = image_of(kandang)
    client.force_login(kreo_editor)
    html = error_text(edit(client, page, news_data(page, featured_image=foreign)))
    assert FOREIGN_IMAGE in html
    page.refresh_from_db()
    assert page.featured_image_id is None
    assert page.get_latest_revision().content.get("featured_image") is None


def test_own_image_and_document_are_accepted(client, kreo, kreo_editor):
    page = news_page(kreo)
    own_image, own_document = image_of(kreo), document_of(kreo)
    client.force_login(kreo_editor)
    data = news_data(
        page, featured_image=own_image, body=[image_block(own_image), document_block(own_document)]
    )
    response = edit(client, page, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert stored_body(page) == (own_image.pk, ["image", "document"])


def test_head_photo_and_quick_link_page_of_another_village_are_refused(
    client, kreo, kandang, kreo_editor
):
    home = home_of(kreo)
    kandang_page = publish(home_of(kandang), StandardPage(title="Layanan", slug="layanan"))
    client.force_login(kreo_editor)
    data = nested_form_data(
        {
            "title": home.title,
            "slug": home.slug,
            "head_name": "Bapak Kepala Desa",
            "head_photo": image_of(kandang).pk,
            "intro": rich_text("<p>Sugeng rawuh.</p>"),
            "quick_links": streamfield(
                [
                    (
                        "link",
                        {"label": "Surat", "description": "", "page": kandang_page.pk, "url": ""},
                    )
                ]
            ),
            "action-publish": "1",
        }
    )
    html = error_text(edit(client, home, data))
    assert FOREIGN_IMAGE in html  # head_photo
    assert FOREIGN_PAGE in html  # the page chooser inside the quick link block
    home.refresh_from_db()
    assert home.head_photo_id is None and len(home.quick_links) == 0


# -- StreamField blocks ------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["image", "document"])
def test_body_blocks_with_another_villages_media_are_refused(
    client, kreo, kandang, kreo_editor, kind
):
    """The image sits three levels down (stream → captioned image → ImageBlock → chooser), the
    document two (stream → document link → chooser)."""
    page = news_page(kreo)
    block = (
        image_block(image_of(kandang)) if kind == "image" else document_block(document_of(kandang))
    )
    client.force_login(kreo_editor)
    html = error_text(edit(client, page, news_data(page, body=[("heading", "Isi"), block])))
    assert (FOREIGN_IMAGE if kind == "image" else FOREIGN_DOCUMENT) in html
    assert stored_body(page) == (None, [])


def test_standard_page_body_and_rich_text_links_are_checked(client, kreo, kandang, kreo_editor):
    page = publish(home_of(kreo), StandardPage(title="Sejarah", slug="sejarah"))
    foreign_document = document_of(kandang)
    client.force_login(kreo_editor)
    paragraph = rich_text(
        f'<p>Lihat <a linktype="document" id="{foreign_document.pk}">arsip</a>.</p>'
    )
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "intro": "",
            "body": streamfield([("paragraph", paragraph), document_block(foreign_document)]),
            "action-publish": "1",
        }
    )
    html = error_text(edit(client, page, data))
    assert FOREIGN_DOCUMENT in html
    assert FOREIGN_IN_TEXT in html
    assert len(StandardPage.objects.get(pk=page.pk).body) == 0


def test_inline_gallery_photo_of_another_village_is_refused_on_its_field(
    client, kreo, kandang, kreo_editor
):
    index = publish(home_of(kreo), GalleryIndexPage(title="Galeri", slug="galeri"))
    album = publish(index, GalleryAlbumPage(title="Panen", slug="panen", date="2024-05-01"))
    client.force_login(kreo_editor)
    data = nested_form_data(
        {
            "title": album.title,
            "slug": album.slug,
            "date": "2024-05-01",
            "description": "",
            "images": inline_formset(
                [{"image": image_of(kandang).pk, "alt_text": "Sawah", "caption": ""}]
            ),
            "action-publish": "1",
        }
    )
    response = edit(client, album, data)
    assert response.status_code == 200
    child = response.context["form"].formsets["images"].forms[0]
    assert child.errors["image"] == [FOREIGN_IMAGE]
    assert album.images.count() == 0


# -- district administrators ------------------------------------------------------------------
def test_district_admin_is_held_to_the_pages_village(client, kreo, kandang, district_admin):
    page = news_page(kreo)
    client.force_login(district_admin)
    html = error_text(edit(client, page, news_data(page, body=[image_block(image_of(kandang))])))
    assert FOREIGN_IMAGE in html
    assert stored_body(page) == (None, [])


def test_district_portal_pages_may_reference_anything(client, kandang, district_admin):
    portal = DistrictHomePage.objects.get(locale__language_code="id")
    page = publish(portal, StandardPage(title="Informasi", slug="informasi"))
    image = image_of(kandang)
    client.force_login(district_admin)
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "intro": "",
            "body": streamfield([image_block(image)]),
            "action-publish": "1",
        }
    )
    assert edit(client, page, data).status_code == 302
    assert StandardPage.objects.get(pk=page.pk).body[0].value["image"].pk == image.pk


# -- village data viewsets --------------------------------------------------------------------
class NoteWithImageForm(WagtailAdminModelForm):
    """A village data form with a reference field, as a plugin's model with an image has."""

    image = forms.ModelChoiceField(queryset=get_image_model().objects.all(), required=False)
    collection = forms.ModelChoiceField(queryset=Collection.objects.all(), required=False)

    class Meta:
        model = SampleNote
        fields = ["village", "title"]


def test_village_data_forms_check_references_against_their_village(kreo, kandang):
    kreo_image, kandang_image = image_of(kreo), image_of(kandang)

    def form(village, image, collection=None):
        data = {"village": village.pk, "title": "Catatan", "image": image.pk}
        if collection is not None:
            data["collection"] = collection.pk
        form = NoteWithImageForm(data=data)
        guard_form_references(form, "village")
        return form

    refused = form(kreo, kandang_image, kandang.collection)
    assert not refused.is_valid()
    assert refused.errors["image"] == [FOREIGN_IMAGE]
    assert refused.errors["collection"] == ["Data ini milik desa lain."]
    assert "village" not in refused.errors
    assert form(kreo, kreo_image, kreo.collection).is_valid()
    assert form(kandang, kandang_image).is_valid()  # e.g. a district administrator for Kandang


def test_village_data_viewset_forms_are_guarded(client, district_admin):
    client.force_login(district_admin)
    response = client.get(reverse("sample_notes:add"))
    assert response.status_code == 200
    assert response.context["form"].sidekem_reference_guard == "village"
