"""Every page type exists, is creatable only where it belongs, and renders in both languages."""

from __future__ import annotations

import pytest
from wagtail.models import Page

from core.villagedata.models import VillageDataPage
from core.website import models as cm
from core.website.models import DistrictHomePage, VillageHomePage

SECTION_TYPES = [
    cm.ProfilePage,
    cm.GovernmentPage,
    cm.NewsIndexPage,
    cm.AnnouncementIndexPage,
    cm.EventIndexPage,
    cm.GalleryIndexPage,
    cm.DocumentLibraryPage,
    cm.ContactPage,
    VillageDataPage,
]
CHILD_TYPES = {
    cm.NewsPage: cm.NewsIndexPage,
    cm.AnnouncementPage: cm.AnnouncementIndexPage,
    cm.EventPage: cm.EventIndexPage,
    cm.GalleryAlbumPage: cm.GalleryIndexPage,
    cm.LibraryDocumentPage: cm.DocumentLibraryPage,
}
ALL_TYPES = [*SECTION_TYPES, *CHILD_TYPES, cm.StandardPage]


def test_sections_only_under_a_village_home(demo):
    home = demo.kreo.home_pages.get(locale__language_code="id")
    news_index = cm.NewsIndexPage.objects.child_of(home).get()
    for model in SECTION_TYPES:
        assert not model.can_create_at(demo.portal), model
        assert not model.can_create_at(news_index), model
        assert model in VillageHomePage.creatable_subpage_models()
        assert model.max_count_per_parent == 1
        # The one each village already has blocks a second.
        assert not model.can_create_at(home), model


def test_children_only_under_their_index(demo):
    home = demo.kreo.home_pages.get(locale__language_code="id")
    for child, parent_model in CHILD_TYPES.items():
        parent = parent_model.objects.child_of(home).get()
        assert child.can_create_at(parent), child
        assert not child.can_create_at(home), child
        assert not child.can_create_at(demo.portal), child
        other = cm.ProfilePage.objects.child_of(home).get()
        assert not child.can_create_at(other), child


def test_section_creatable_in_a_new_village(demo):
    from core.website.tests.conftest import provision

    village = provision("33.27.01.2001", "Plakaran", "plakaran.localhost")
    home = village.home_pages.get(locale__language_code="id")
    for model in SECTION_TYPES:
        assert model.can_create_at(home), model
    assert cm.StandardPage.can_create_at(home)
    assert cm.StandardPage.can_create_at(demo.portal)
    assert not VillageHomePage.is_creatable
    assert not DistrictHomePage.can_create_at(home)


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_type_filled_by_seed_in_both_languages(demo, language):
    for village in (demo.kreo, demo.kandang):
        home = village.home_pages.get(locale__language_code=language)
        for model in ALL_TYPES:
            assert model.objects.live().descendant_of(home).exists(), (village, model, language)


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_live_page_renders(demo, client, language):
    home = demo.kreo.home_pages.get(locale__language_code=language)
    pages = Page.objects.live().descendant_of(home, inclusive=True)
    assert pages.count() >= 20
    for page in pages:
        url = page.get_url()
        response = client.get(url, HTTP_HOST=demo.kreo_host)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()


def test_news_count_and_translations(demo):
    home = demo.kreo.home_pages.get(locale__language_code="id")
    en_home = demo.kreo.home_pages.get(locale__language_code="en")
    assert cm.NewsPage.objects.live().descendant_of(home).count() >= 8
    assert cm.NewsPage.objects.live().descendant_of(en_home).count() >= 3


def test_featured_image_needs_alt_text(demo):
    from django.core.exceptions import ValidationError

    page = cm.NewsPage.objects.live().filter(featured_image__isnull=False).first()
    page.featured_image_alt = ""
    with pytest.raises(ValidationError):
        page.full_clean()


def test_gallery_refuses_images_of_another_village(demo):
    from django.core.exceptions import ValidationError
    from wagtail.images import get_image_model

    album = cm.GalleryAlbumPage.objects.descendant_of(
        demo.kreo.home_pages.get(locale__language_code="id")
    ).first()
    foreign = get_image_model().objects.filter(collection_id=demo.kandang.collection_id).first()
    album.images.add(cm.GalleryImage(image=foreign, alt_text="x"))
    with pytest.raises(ValidationError):
        album.full_clean()


def test_demo_seed_is_idempotent(demo):
    from core.demo.content import seed_village_content

    before = Page.objects.count()
    assert seed_village_content(demo.kreo) == 0
    assert Page.objects.count() == before
