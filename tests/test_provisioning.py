from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
    Page,
    Site,
)

from core.pluginhost.models import PluginSwitch, PluginSwitchChange
from core.provisioning.services import VillageSpec, provision_village
from core.villages.models import Village
from core.website.models import VillageHomePage
from tests.conftest import KREO

pytestmark = pytest.mark.django_db


def counts():
    return (
        Site.objects.count(),
        Page.objects.count(),
        Collection.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        GroupSitePermission.objects.count(),
        PluginSwitch.objects.count(),
        PluginSwitchChange.objects.count(),
        Village.objects.count(),
    )


def test_provisioned_village_has_everything(kreo):
    assert kreo.site.hostname == "kreo.localhost"
    assert not kreo.site.is_default_site
    home = VillageHomePage.objects.get(village=kreo, locale__language_code="id")
    en = VillageHomePage.objects.get(village=kreo, locale__language_code="en")
    assert kreo.site.root_page_id == home.pk
    assert en.translation_key == home.translation_key and en.live
    assert kreo.collection.name.startswith("Desa Kreo")
    for group in (kreo.editors_group, kreo.moderators_group, kreo.officers_group):
        assert group.permissions.filter(codename="access_admin").exists()
    for page in (home, en):
        assert GroupPagePermission.objects.filter(
            group=kreo.editors_group, page=page, permission__codename="publish_page"
        ).exists()
    assert GroupCollectionPermission.objects.filter(
        group=kreo.editors_group, collection=kreo.collection, permission__codename="add_image"
    ).exists()
    assert GroupSitePermission.objects.filter(group=kreo.editors_group, site=kreo.site).exists()
    assert set(PluginSwitch.objects.filter(village=kreo).values_list("plugin_key", flat=True)) == {
        "sample"
    }


def test_provisioning_twice_changes_nothing(kreo):
    before = counts()
    result = provision_village(KREO)
    assert result.created is False
    assert result.changes == []
    assert counts() == before


def test_command_is_idempotent_and_uses_official_list(db):
    out = StringIO()
    call_command(
        "village",
        "create",
        "--code",
        "33.27.06.2011",
        "--hostname",
        "bantarbolang.localhost",
        stdout=out,
    )
    village = Village.objects.get(code="33.27.06.2011")
    assert village.name == "Bantarbolang" and village.kecamatan.name == "Bantarbolang"
    assert "dibuat" in out.getvalue()
    before = counts()
    out = StringIO()
    call_command(
        "village",
        "create",
        "--code",
        "33.27.06.2011",
        "--hostname",
        "bantarbolang.localhost",
        stdout=out,
    )
    assert "tidak ada perubahan" in out.getvalue()
    assert counts() == before


def test_command_rejects_bad_code(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("village", "create", "--code", "33.27.99", "--name", "X", "--kecamatan", "Y")


def test_kelurahan_kind_follows_code(db):
    village = provision_village(
        VillageSpec(
            code="33.27.08.1004",
            name="Paduraksa",
            kecamatan_code="33.27.08",
            kecamatan_name="Pemalang",
            hostname="paduraksa.localhost",
        )
    ).village
    assert village.kind == Village.Kind.KELURAHAN
    assert str(village) == "Kelurahan Paduraksa"


@pytest.mark.parametrize(
    "host,expected",
    [
        ("kreo.localhost", "Desa Kreo"),
        ("kandang.localhost", "Desa Kandang"),
        ("nosuch.localhost", "portal"),
        ("localhost", "portal"),
    ],
)
def test_hostnames_route_to_their_site(client, kreo, kandang, host, expected):
    html = client.get("/", HTTP_HOST=host).content.decode()
    if expected == "portal":
        assert "Portal desa dan kelurahan" in html
        assert "<h1>Desa" not in html
    else:
        assert f">{expected}</h1>" in html


def test_english_home_is_served_under_en(client, kreo):
    response = client.get("/en/", HTTP_HOST="kreo.localhost")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_robots_and_sitemap_are_per_site(client, kreo, kandang):
    robots = client.get("/robots.txt", HTTP_HOST="kreo.localhost").content.decode()
    assert "Sitemap: http://kreo.localhost/sitemap.xml" in robots
    xml = client.get("/sitemap.xml", HTTP_HOST="kreo.localhost").content.decode()
    assert "kreo.localhost" in xml and "kandang.localhost" not in xml


def test_renaming_hostname_refreshes_urls_everywhere(kreo):
    """Wagtail caches site root paths: a changed hostname must show at once (shared cache)."""
    home = VillageHomePage.objects.get(village=kreo, locale__language_code="id")
    assert home.get_full_url().startswith("http://kreo.localhost")
    kreo.site.hostname = "kreo.example.id"
    kreo.site.save()
    home = Page.objects.get(pk=home.pk)
    assert home.get_full_url().startswith("http://kreo.example.id")


def test_favicon(client, kreo):
    response = client.get("/favicon.ico", HTTP_HOST="kreo.localhost")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")
