"""The admin home page (core/dashboard): a village's own dashboard for its team, the district's
for district administrators.

Kreo's editor finds Kreo's name, site links, counts, page awaiting moderation, recent edit,
quick actions, unhandled messages and the sample plugin's panel, and nothing of Kandang, whose
objects all carry a marker. The district administrator finds the villages by kecamatan, the
village silent for 30 days, plugin adoption and the messages never e-mailed, in a number of
queries that does not grow with the number of villages (223 in Pemalang).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    GroupApprovalTask,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowState,
    WorkflowTask,
)
from wagtail.users.models import UserProfile

from core.dashboard.district import district_panels
from core.pluginhost.models import PluginSwitchChange
from core.pluginhost.registry import installed_plugins
from core.pluginhost.switches import set_plugin_enabled
from core.villages.lookup import pages_of_villages_q
from core.villages.models import Kecamatan, Village
from core.website.models import (
    AnnouncementIndexPage,
    ContactMessage,
    EventIndexPage,
    NewsIndexPage,
    StandardPage,
    VillageHomePage,
)
from tests.conftest import make_user
from tests.sample_plugin.models import SampleNote
from tests.test_isolation_sweep import png_bytes

pytestmark = pytest.mark.django_db

MARKER = "DASBOR-KANDANG"
KREO_HOST = {"HTTP_HOST": "kreo.localhost"}
#: Queries of the whole /admin/ request (session, user, menus, Wagtail's panels included):
#: 30 with the sample plugin alone, and at most 3 more per further installed plugin (the two
#: adoption queries of core.pluginhost.switches.villages_with_plugin and its own panel). Flat in
#: the number of villages whatever the plugins (asserted below).
DISTRICT_MAX_QUERIES = 30 + 3 * (len(installed_plugins()) - 1)
VILLAGE_MAX_QUERIES = 40


def home_of(village, language="id"):
    return VillageHomePage.objects.get(village=village, locale__language_code=language)


def add_page(parent, page, live=True, user=None):
    parent.add_child(instance=page)
    revision = page.save_revision(user=user, log_action=True)
    if live:
        revision.publish(user=user)
    return page


def add_media(village, title):
    get_image_model().objects.create(
        title=f"{title} foto",
        collection=village.collection,
        file=ContentFile(png_bytes(), name="foto.png"),
    )
    get_document_model().objects.create(
        title=f"{title} dokumen",
        collection=village.collection,
        file=ContentFile(b"%PDF-1.4 isi", name="dokumen.pdf"),
    )


def submit_for_moderation(page, user, village):
    task = GroupApprovalTask.objects.create(name=f"Persetujuan {village.name}")
    task.groups.add(village.moderators_group)
    workflow = Workflow.objects.create(name=f"Alur {village.name}")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow.start(page, user)


def message(village, subject, **fields):
    return ContactMessage.objects.create(
        village=village, name="Warga", subject=subject, message="Isi pesan", **fields
    )


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def count_of(html: str, key: str) -> int:
    found = re.search(rf'data-count="{key}">\s*(\d+)', html)
    assert found, f"no count {key}"
    return int(found.group(1))


def shown_date(moment) -> str:
    """A date as the dashboard shows it (in Indonesian, the admin's language here)."""
    with translation.override("id"):
        return dateformat.format(timezone.localtime(moment), "j M Y")


def section(html: str, panel_id: str) -> str:
    start = html.index(f'id="{panel_id}-section"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def kreo_world(kreo, kreo_editor):
    """Kreo's indexes, a published news article, a draft, a page in moderation, media and
    messages (two unhandled, one handled, one suspected spam)."""
    home = home_of(kreo)
    news = add_page(home, NewsIndexPage(title="Berita", slug="berita"))
    add_page(home, AnnouncementIndexPage(title="Pengumuman", slug="pengumuman"))
    add_page(home, EventIndexPage(title="Agenda", slug="agenda"))
    add_page(home, StandardPage(title="Konsep profil Kreo", slug="konsep"), live=False)
    edited = add_page(home, StandardPage(title="Jadwal posyandu Kreo", slug="posyandu"))
    edited.title = "Jadwal posyandu Kreo (baru)"
    edited.save_revision(user=kreo_editor, log_action=True)
    waiting = add_page(home, StandardPage(title="Laporan dana desa Kreo", slug="dana"))
    waiting.save_revision(user=kreo_editor)
    submit_for_moderation(waiting, kreo_editor, kreo)
    add_media(kreo, "Balai Kreo")
    message(kreo, "Jalan rusak di RT 02")
    message(kreo, "Lampu jalan mati")
    message(kreo, "Sudah dibalas", handled=True)
    message(kreo, "Menang undian", suspected_spam=True)
    SampleNote.objects.create(village=kreo, title="Catatan Kreo")
    return {"home": home, "news": news, "edited": edited, "waiting": waiting}


@pytest.fixture
def kandang_world(kandang, kandang_editor):
    """Kandang's objects of every kind the dashboard shows, each with the marker."""
    kandang_editor.last_name = MARKER
    kandang_editor.save()
    home = home_of(kandang)
    add_page(home, NewsIndexPage(title=f"{MARKER} berita", slug="berita"))
    add_page(home, StandardPage(title=f"{MARKER} konsep", slug="konsep"), live=False)
    edited = add_page(home, StandardPage(title=f"{MARKER} terbit", slug="terbit"))
    edited.save_revision(user=kandang_editor, log_action=True)
    waiting = add_page(home, StandardPage(title=f"{MARKER} moderasi", slug="moderasi"))
    waiting.save_revision(user=kandang_editor)
    submit_for_moderation(waiting, kandang_editor, kandang)
    waiting.locked, waiting.locked_by = True, kandang_editor
    waiting.save()
    add_media(kandang, MARKER)
    for n in range(3):
        message(kandang, f"{MARKER} pesan {n}")
    SampleNote.objects.create(village=kandang, title=f"{MARKER} catatan")
    return {"home": home}


# -- the village dashboard ---------------------------------------------------------------------


def test_kreo_editor_sees_kreos_dashboard_and_nothing_of_kandang(
    client, kreo, kreo_editor, kreo_world, kandang_world
):
    client.force_login(kreo_editor)
    html = text(client.get("/admin/", **KREO_HOST))

    overview = section(html, f"village-{kreo.pk}")
    assert "Desa Kreo" in overview and "Randudongkal" in overview
    assert 'href="http://kreo.localhost/"' in overview
    assert 'href="http://kreo.localhost/en/"' in overview
    pages = Page.objects.filter(pages_of_villages_q({kreo.pk}))
    assert count_of(overview, "pages") == pages.count() == 8  # two homes and six pages
    assert count_of(overview, "drafts") == pages.filter(has_unpublished_changes=True).count() == 3
    assert count_of(overview, "images") == 1
    assert count_of(overview, "documents") == 1

    # Quick actions: under Kreo's own index pages, and the document upload.
    news, announcements, events = (
        Page.objects.get(pk=kreo_world["news"].pk),
        AnnouncementIndexPage.objects.get(
            slug="pengumuman", path__startswith=kreo_world["home"].path
        ),
        EventIndexPage.objects.get(slug="agenda", path__startswith=kreo_world["home"].path),
    )
    for model, parent in (("newspage", news), ("announcementpage", announcements)):
        assert reverse("wagtailadmin_pages:add", args=["website", model, parent.pk]) in overview
    assert reverse("wagtailadmin_pages:add", args=["website", "eventpage", events.pk]) in overview
    assert reverse("wagtaildocs:add_multiple") in overview

    moderation = section(html, "village-moderation")
    assert "Laporan dana desa Kreo" in moderation
    assert count_of(moderation, "awaiting-moderation") == 1
    assert "Persetujuan Kreo" in moderation

    edits = section(html, "village-recent-edits")
    assert "Jadwal posyandu Kreo (baru)" in edits
    assert "editor.kreo" in edits
    # Newest first: the page submitted for moderation was saved after the edited one.
    assert edits.index("Laporan dana desa Kreo") < edits.index("Jadwal posyandu Kreo (baru)")

    messages = section(html, "village-contact-messages")
    assert count_of(messages, "unhandled-messages") == 2
    assert count_of(messages, "spam-messages") == 1
    assert "Jalan rusak di RT 02" in messages and "Sudah dibalas" not in messages
    assert reverse("contact_messages:index") + "?handled=false" in messages

    assert "sample-dashboard-panel" in html
    assert "Catatan contoh: 1 (Kreo)" in html

    assert MARKER not in html and MARKER.lower() not in html
    assert "Kandang" not in html


def test_wagtails_panels_give_way_to_the_villages(client, kreo, kreo_editor, kandang_world):
    """Wagtail's own panels (your pages in a workflow, tasks to review, your recent edits, your
    locked pages) are replaced: a user moved from Kandang to Kreo sees none of Kandang's."""
    kandang_editor = get_user_model().objects.get(username="editor.kandang")
    kandang_editor.groups.set([kreo.editors_group])
    client.force_login(kandang_editor)
    html = text(client.get("/admin/", **KREO_HOST))
    for wagtail_panel in ("objects-in-workflow", "recent-edits", "locked-pages"):
        assert f'id="{wagtail_panel}-section"' not in html
    assert f"{MARKER} moderasi" not in html and f"{MARKER} terbit" not in html
    assert 'id="village-recent-edits-section"' in html


def test_the_village_moderator_sees_pages_of_the_village_waiting(client, kreo, kreo_world):
    moderator = get_user_model().objects.get(username="moderator.kreo")
    client.force_login(moderator)
    html = text(client.get("/admin/", **KREO_HOST))
    moderation = section(html, "village-moderation")
    edit = reverse("wagtailadmin_pages:edit", args=[kreo_world["waiting"].pk])
    assert edit in moderation
    assert WorkflowState.objects.filter(status="in_progress").count() >= 1


def test_service_officer_gets_no_quick_actions_but_the_messages(client, kreo, kreo_world):
    officer = make_user("petugas.kreo", [kreo.officers_group])
    client.force_login(officer)
    html = text(client.get("/admin/", **KREO_HOST))
    overview = section(html, f"village-{kreo.pk}")
    assert "Desa Kreo" in overview
    assert "Tindakan cepat" not in overview
    assert "/admin/pages/add/" not in html and reverse("wagtaildocs:add_multiple") not in html
    assert count_of(section(html, "village-contact-messages"), "unhandled-messages") == 2


def test_quick_actions_follow_page_permissions(client, kreo, kreo_editor, kreo_world):
    """Without the add permission on Kreo's pages the page actions go; the upload stays."""
    from wagtail.models import GroupPagePermission

    GroupPagePermission.objects.filter(
        group=kreo.editors_group, permission__codename="add_page"
    ).delete()
    client.force_login(kreo_editor)
    overview = section(text(client.get("/admin/", **KREO_HOST)), f"village-{kreo.pk}")
    assert "/admin/pages/add/" not in overview
    assert reverse("wagtaildocs:add_multiple") in overview


def test_the_dashboard_in_english_for_who_chose_it(client, kreo, kreo_editor, kreo_world):
    profile = UserProfile.get_for_user(kreo_editor)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(kreo_editor)
    html = text(client.get("/admin/", **KREO_HOST))
    assert 'lang="en"' in html
    for english in (
        "Quick actions",
        "Write a news article",
        "Unpublished drafts",
        "Village pages awaiting moderation",
        "page awaiting moderation",
        "messages not handled yet",
        "Recent edits by the village team",
    ):
        assert english in html, english
    assert "Tindakan cepat" not in html


def test_user_without_a_village_gets_no_village_panels(client):
    from django.contrib.auth.models import Permission

    user = make_user("tanpa.desa")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    html = text(client.get("/admin/", **KREO_HOST))
    assert "village-" not in html and "Desa Kreo" not in html


def test_village_dashboard_queries_do_not_grow_with_content(
    client, kreo, kreo_editor, kreo_world, django_assert_max_num_queries
):
    client.force_login(kreo_editor)
    client.get("/admin/", **KREO_HOST)  # warm the caches (site maps, locales, switches)
    with CaptureQueriesContext(connection) as before:
        text(client.get("/admin/", **KREO_HOST))
    home = kreo_world["home"]
    for n in range(15):
        page = add_page(home, StandardPage(title=f"Halaman {n}", slug=f"halaman-{n}"))
        page.save_revision(user=kreo_editor, log_action=True)
        message(kreo, f"Pesan {n}")
    client.get("/admin/", **KREO_HOST)
    with django_assert_max_num_queries(VILLAGE_MAX_QUERIES):
        with CaptureQueriesContext(connection) as after:
            text(client.get("/admin/", **KREO_HOST))
    assert len(after) == len(before), (len(before), len(after))


# -- the district dashboard --------------------------------------------------------------------


def test_district_dashboard(client, kreo, kandang, district_admin, kreo_world, kandang_world):
    old = timezone.now() - datetime.timedelta(days=45)
    Page.objects.filter(pages_of_villages_q({kandang.pk})).update(last_published_at=old)
    message(kreo, "Terkirim", emailed_at=timezone.now())
    message(kreo, "Belum terkirim")
    set_plugin_enabled([kreo], "sample", False, None, PluginSwitchChange.Source.COMMAND)
    client.force_login(district_admin)
    html = text(client.get("/admin/"))

    villages = section(html, "district-villages")
    assert "Kecamatan Randudongkal" in villages and "Kecamatan Comal" in villages
    randudongkal = villages[villages.index('data-kecamatan="33.27.07"') :]
    randudongkal = randudongkal[: randudongkal.index("</tbody>")]
    assert "Desa Kreo" in randudongkal and "Desa Kandang" not in randudongkal
    assert shown_date(kreo_world["waiting"].last_published_at) in randudongkal
    assert f'data-village="{kreo.code}">' in villages
    assert f'data-village="{kandang.code}" class="sidekem-stale"' in villages
    kandang_row = villages[villages.index(f'data-village="{kandang.code}"') :]
    assert shown_date(old) in kandang_row[: kandang_row.index("</tr>")]

    stale = section(html, "district-stale-villages")
    assert count_of(stale, "stale-villages") == 1
    assert "Desa Kandang" in stale and "Desa Kreo" not in stale

    adoption = section(html, "district-plugin-adoption")
    sample = adoption[adoption.index('data-plugin="sample"') :]
    assert count_of(sample, "plugin-villages") == 1
    assert "dari 2" in sample

    unsent = section(html, "district-unsent-messages")
    # Kreo: 4 (handled or not; not the suspected spam, not the one sent), Kandang 3.
    assert count_of(unsent, "unsent-messages") == 7
    rows = {
        code: int(count)
        for code, count in re.findall(
            r'data-village="([\d.]+)">.*?data-count="unsent">(\d+)<', unsent, re.S
        )
    }
    assert rows == {kreo.code: 4, kandang.code: 3}
    assert unsent.index(kreo.code) < unsent.index(kandang.code)  # most first

    # Wagtail's own panels and the plugins' stay for the district.
    assert "Catatan contoh: 1 (Kandang)" in html


def test_never_published_village_is_listed_as_such(client, district_admin, kandang):
    Page.objects.filter(pages_of_villages_q({kandang.pk})).update(last_published_at=None)
    client.force_login(district_admin)
    stale = section(text(client.get("/admin/")), "district-stale-villages")
    assert "Desa Kandang" in stale and "belum pernah terbit" in stale


def add_villages(count: int) -> None:
    """``count`` more villages (Site, Village, published home page) in 14 new kecamatan,
    without the whole provisioning, and a message never e-mailed in every tenth."""
    portal_site = Site.objects.get(is_default_site=True)
    root = Page.get_first_root_node()
    locale = Locale.objects.get(language_code="id")
    kecamatan = [
        Kecamatan.objects.create(code=f"33.27.{50 + k}", name=f"Kecamatan Uji {k}")
        for k in range(14)
    ]
    for n in range(count):
        kec = kecamatan[n % len(kecamatan)]
        site = Site.objects.create(
            hostname=f"uji{n}.localhost", port=80, root_page_id=portal_site.root_page_id
        )
        village = Village.objects.create(
            site=site,
            code=f"{kec.code}.{2001 + n}",
            name=f"Uji {n}",
            slug=f"uji-{n}",
            kecamatan=kec,
        )
        home = VillageHomePage(
            title=f"Desa Uji {n}", slug=f"uji-{n}", village=village, locale=locale
        )
        root.add_child(instance=home)
        published = timezone.now() - datetime.timedelta(days=n % 60)
        Page.objects.filter(pk=home.pk).update(live=True, last_published_at=published)
        site.root_page_id = home.pk
        site.save()
        if n % 10 == 0:
            message(village, f"Pesan uji {n}")


def test_district_dashboard_queries_stay_flat_for_223_villages(
    client, district_admin, django_assert_max_num_queries, django_assert_num_queries
):
    client.force_login(district_admin)
    client.get("/admin/")  # warm the caches (site maps, locales)
    with CaptureQueriesContext(connection) as two:
        text(client.get("/admin/"))
    add_villages(221)
    assert Village.objects.count() == 223
    client.get("/admin/")
    with django_assert_max_num_queries(DISTRICT_MAX_QUERIES):
        with CaptureQueriesContext(connection) as many:
            html = text(client.get("/admin/"))
    assert len(many) == len(two), (len(two), len(many))
    villages = section(html, "district-villages")
    assert villages.count("data-village=") == 223
    assert villages.count("data-kecamatan=") == 16
    stale = section(html, "district-stale-villages")
    # Published n % 60 days ago (before the request): 30 days and more is stale.
    expected = sum(1 for n in range(221) if n % 60 >= 30)
    assert count_of(stale, "stale-villages") == expected
    assert count_of(section(html, "district-unsent-messages"), "unsent-messages") == 23

    # The district panels alone: villages, last publications, unsent messages, and two queries
    # per installed plugin (core.pluginhost.switches.villages_with_plugin).
    panels = district_panels()
    with django_assert_num_queries(3 + 2 * len(installed_plugins())):
        for panel in panels:
            panel.render_html({})
