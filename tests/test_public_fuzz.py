"""Property-based tests of public input: whatever a visitor sends, the answer is never a 500.

Search, feeds, listings with their ``?page=`` and filters, language paths and odd path segments,
the contact form (any field values, any ``issued`` token) and the admin import upload of a
village editor, each fed arbitrary text, percent-encoded bytes and hand-picked oddities.

One Kreo with the demo content is seeded once for the module inside a transaction that is rolled
back at the end (so the rest of the session never sees it); each test still runs in its own
savepoint. The number of examples per property is ``SIDEKEM_FUZZ_EXAMPLES`` (default 60); the
example database is off, so each run explores anew (Hypothesis keeps only caches, in its
self-ignoring ``.hypothesis/``).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from urllib.parse import quote, quote_from_bytes

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import TestCase, override_settings
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.demo.content import ensure_portal_page, seed_village_content
from core.imports.models import ImportJob
from core.villagedata.models import PopulationFigure
from core.villages.models import Village
from core.website.forms import SALT, issue_token
from core.website.models import ContactMessage, DistrictHomePage
from tests.conftest import KREO

EXAMPLES = int(os.environ.get("SIDEKEM_FUZZ_EXAMPLES", "60"))
FUZZ = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Listings are one test per page (a page's own parameters): fewer examples each.
FUZZ_EACH = hypothesis_settings(FUZZ, max_examples=max(10, EXAMPLES // 3))
PORTAL_HOST = "localhost"
IMPORT_URL = "/admin/population_figures/import/"


@dataclass
class World:
    kreo: Village
    editor: object

    @property
    def host(self) -> str:
        return self.kreo.site.hostname


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    media = tempfile.mkdtemp(prefix="sidekem-fuzz-media-")
    uploads = tempfile.mkdtemp(prefix="sidekem-fuzz-imports-")
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(MEDIA_ROOT=media, SIDEKEM_IMPORT_TMP_DIR=uploads),
            transaction.atomic(),
        ):
            with TestCase.captureOnCommitCallbacks(execute=True):
                kreo = Village.objects.select_related("site").get(code=KREO.code)
                seed_village_content(kreo)
                ensure_portal_page(DistrictHomePage.objects.get(locale__language_code="id"))
            cache.clear()
            yield World(
                kreo=Village.objects.select_related("site").get(code=KREO.code),
                editor=get_user_model().objects.get(username="editor.kreo"),
            )
            transaction.set_rollback(True)
    finally:
        cache.clear()
        shutil.rmtree(media, ignore_errors=True)
        shutil.rmtree(uploads, ignore_errors=True)


@pytest.fixture
def web(world, db, client):
    client.raise_request_exception = False
    return client


def assert_no_server_error(response, what: str) -> None:
    assert response.status_code < 500, f"{response.status_code} for {what!r}"


# -- strategies ---------------------------------------------------------------------------
# Characters that have broken a parser, a query or int() somewhere, mixed into arbitrary text.
NASTY = ["\x00", '"', "'", "%", "&", "=", "+", "*", "(", ")", "\\", ":", "^", "-", "~", "\n"]
NASTY += ["²", "①", "٣", "\u202e", "\ufeff", "\u0301", "ｌ", "🙂", " "]
nasty_text = st.text(
    alphabet=st.one_of(st.sampled_from(NASTY), st.characters(codec="utf-8")), max_size=40
)
# Raw query-string values, already percent-encoded (or deliberately broken).
ODD_VALUES = [
    "",
    "%",
    "%zz",
    "%00",
    "%ff",
    "%C0%80",
    "%ED%A0%80",  # an encoded surrogate
    "-1",
    "0",
    "1e9",
    "9" * 30,
    "9" * 5000,  # more digits than int() takes
    "NaN",
    "&",
    "=",
    "+",
    "..%2F..%2F",
]
param_value = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.integers().map(str),
    nasty_text.map(lambda s: quote(s, safe="")),
    st.binary(max_size=30).map(lambda b: quote_from_bytes(b, safe="")),
)
any_name = nasty_text.map(lambda s: quote(s, safe=""))


@st.composite
def query_for(draw, names: list[str]) -> str:
    """A query string: some of ``names`` (a page's own parameters) and a few arbitrary ones."""
    pairs = [(name, draw(param_value)) for name in names if draw(st.booleans())]
    pairs += draw(st.lists(st.tuples(any_name, param_value), max_size=2))
    return "&".join(f"{name}={value}" for name, value in draw(st.permutations(pairs)))


VILLAGE_LISTINGS = {
    "/berita/": ["page", "kategori", "tag"],
    "/pengumuman/": ["page"],
    "/agenda/": ["page"],
    "/galeri/": ["page"],
    "/dokumen/": ["page", "jenis", "kelas", "tahun"],
    "/data-desa/": ["tahun"],
    "/en/news/": ["page", "kategori", "tag"],
    "/en/events/": ["page"],
    "/en/gallery/": ["page"],
    "/en/documents/": ["page", "jenis", "kelas", "tahun"],
    "/en/village-data/": ["tahun"],
}
PORTAL_LISTINGS = {"/": ["q", "kecamatan"], "/berita/": ["page"]}
FEEDS = ["/berita/feed/", "/berita/feed/atom/", "/en/news/feed/", "/agenda/ical/"]
SLUGS = ["berita", "kontak", "cari", "feed", "en", "id", "news", "contact", "agenda", "galeri"]
segment = st.one_of(
    st.sampled_from(SLUGS),
    st.sampled_from([".", "..", "%2e%2e", "%2F", "%00", "%ff", "%C0%AE", "~", ";x=1", ""]),
    nasty_text.map(lambda s: quote(s, safe="")),
    st.binary(max_size=30).map(lambda b: quote_from_bytes(b, safe="")),
)
odd_path = st.tuples(
    st.sampled_from(["", "/en", "/EN", "/id", "/en-us", "/in"]),
    st.lists(segment, max_size=4),
    st.booleans(),
).map(lambda p: p[0] + "/" + "/".join(p[1]) + ("/" if p[2] and p[1] else ""))


# Server errors the fuzzing found (core/villages/params.py reads these inputs now).
FOUND_BY_FUZZING = [
    # core/website/models/media.py DocumentLibraryPage.get_context: int(year) after isdigit()
    pytest.param("kreo", "/dokumen/?tahun=%C2%B2", False, id="documents-tahun-superscript"),
    pytest.param("kreo", "/dokumen/?tahun=" + "9" * 5000, False, id="documents-tahun-5000-digits"),
    # core/villagedata/charts.py data_context: int(requested_year) after isdigit()
    pytest.param("kreo", "/data-desa/?tahun=%E2%91%A0", False, id="village-data-tahun-circled"),
    # core/website/models/news.py NewsIndexPage.get_context: tags__slug=tag (PostgreSQL)
    pytest.param("kreo", "/berita/?tag=%00", True, id="news-tag-nul"),
    # core/website/portal.py portal_context: name__icontains / kecamatan__code (PostgreSQL)
    pytest.param("portal", "/?q=%00", True, id="portal-q-nul"),
    pytest.param("portal", "/?kecamatan=%00", True, id="portal-kecamatan-nul"),
]


# -- search ---------------------------------------------------------------------------------
@FUZZ
@given(language=st.sampled_from(["", "/en"]), q=nasty_text, page=st.text(max_size=12))
@example(language="", q='"', page="1")
@example(language="/en", q="lampu\x00", page="²")
def test_search_answers_any_query(web, world, language, q, page):
    response = web.get(f"{language}/cari/", {"q": q, "page": page}, HTTP_HOST=world.host)
    assert_no_server_error(response, (language, q, page))


@FUZZ
@given(language=st.sampled_from(["", "/en"]), qs=query_for(["q", "page"]))
@example(language="", qs="q=%22&page=%ff")
@example(language="", qs="q=%00")
def test_search_answers_any_query_string(web, world, language, qs):
    response = web.get(f"{language}/cari/?{qs}", HTTP_HOST=world.host)
    assert_no_server_error(response, (language, qs))


# -- feeds, listings and pagination -----------------------------------------------------------
@FUZZ
@given(path=st.sampled_from(FEEDS), qs=query_for(["page", "kategori", "tag"]), portal=st.booleans())
def test_feeds_answer_any_query_string(web, world, path, qs, portal):
    host, path = (PORTAL_HOST, "/berita/feed/") if portal else (world.host, path)
    response = web.get(f"{path}?{qs}", HTTP_HOST=host)
    assert_no_server_error(response, (host, path, qs))


@FUZZ_EACH
@given(data=st.data())
@pytest.mark.parametrize("path", list(VILLAGE_LISTINGS))
def test_village_listings_answer_any_page_and_filter(web, world, path, data):
    qs = data.draw(query_for(VILLAGE_LISTINGS[path]))
    response = web.get(f"{path}?{qs}", HTTP_HOST=world.host)
    assert_no_server_error(response, (path, qs))


@FUZZ_EACH
@given(data=st.data())
@pytest.mark.parametrize("path", list(PORTAL_LISTINGS))
def test_portal_listings_answer_any_page_and_filter(web, world, path, data):
    qs = data.draw(query_for(PORTAL_LISTINGS[path]))
    response = web.get(f"{path}?{qs}", HTTP_HOST=PORTAL_HOST)
    assert_no_server_error(response, (path, qs))


@pytest.mark.parametrize("site, url, postgresql_only", FOUND_BY_FUZZING)
def test_inputs_found_by_fuzzing_answer(web, world, site, url, postgresql_only):
    response = web.get(url, HTTP_HOST=PORTAL_HOST if site == "portal" else world.host)
    assert_no_server_error(response, url)


# -- language paths and odd segments ----------------------------------------------------------
@FUZZ
@given(path=odd_path, portal=st.booleans())
@example(path="/en/%2e%2e/kontak/", portal=False)
@example(path="/en/news/%ff/", portal=False)
@example(path="/en/%00/", portal=False)
def test_any_path_answers_without_server_error(web, world, path, portal):
    response = web.get(path, HTTP_HOST=PORTAL_HOST if portal else world.host)
    assert_no_server_error(response, path)


# -- the contact form -------------------------------------------------------------------------
CONTACT_FIELDS = ["name", "email", "phone", "subject", "message", "website"]
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["t", "n", "x"]) | st.text(max_size=2), inner, max_size=3)
    ),
    max_leaves=6,
)
field_value = st.one_of(
    nasty_text,
    st.text(max_size=300),
    st.sampled_from(["", " ", "\x00", "a@b", "sri@example.invalid", "08123456789", "x" * 6000]),
)
token = st.one_of(
    st.none(),  # no token at all
    st.text(max_size=80),
    st.builds(lambda: issue_token(SALT)),
    json_value.map(lambda value: signing.dumps(value, salt=SALT)),
    st.builds(
        lambda t, n: signing.dumps({"t": t, "n": n}, salt=SALT),
        st.one_of(st.integers(), st.floats()),
        st.one_of(st.text(max_size=300), st.integers()),
    ),
)


@FUZZ
@given(
    path=st.sampled_from(["/kontak/", "/en/contact/"]),
    fields=st.fixed_dictionaries({}, optional={name: field_value for name in CONTACT_FIELDS}),
    issued=token,
)
@example(path="/kontak/", fields={}, issued=None)
@example(path="/kontak/", fields={"email": "a" * 300 + "@example.invalid"}, issued="x")
@example(path="/kontak/", fields={}, issued=signing.dumps({"t": 10**400, "n": "x"}, salt=SALT))
def test_contact_form_answers_any_post(web, world, path, fields, issued):
    data = dict(fields)
    if issued is not None:
        data["issued"] = issued
    response = web.post(path, data, HTTP_HOST=world.host)
    assert_no_server_error(response, (path, data))


@pytest.mark.parametrize("path", ["/kontak/", "/en/contact/"])
def test_contact_form_message_of_only_refusals_is_not_stored(web, world, path):
    response = web.post(path, {"issued": "x", "website": "y"}, HTTP_HOST=world.host)
    assert response.status_code == 200 and not ContactMessage.objects.exists()


# -- import uploads in the admin --------------------------------------------------------------
COLUMNS = ["tahun", "kategori", "uraian", "jumlah", "urutan", "id", "desa", "village"]
CELLS = ["2025", "agama", "jenis_kelamin", "Islam", "1", "-1", "2.210", "1e309", "", "=1+1"]
cell = st.one_of(st.sampled_from(CELLS), nasty_text)


@st.composite
def csv_upload(draw) -> bytes:
    header = draw(
        st.one_of(
            st.just(COLUMNS[:5]),  # the real columns: rows reach the (dry-run) import
            st.lists(st.one_of(st.sampled_from(COLUMNS), nasty_text), max_size=7),
        )
    )
    rows = draw(st.lists(st.lists(cell, max_size=8), max_size=6))
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
    return buffer.getvalue().encode(encoding, errors="replace")


@FUZZ
@given(
    content=st.one_of(st.binary(max_size=3000), csv_upload()),
    name=st.one_of(
        st.sampled_from(["data.csv", "data.xlsx", "DATA.CSV", "data.txt", "data", ".csv"]),
        st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=20).map(
            lambda stem: f"{stem}.csv"
        ),
    ),
    extra=st.fixed_dictionaries({}, optional={"token": st.text(max_size=60)}),
)
@example(content=b"PK\x03\x04garbage", name="data.xlsx", extra={})
@example(content=b"\xff\xfe\x00", name="data.csv", extra={})
def test_import_upload_answers_any_file_and_saves_nothing(web, world, content, name, extra):
    web.force_login(world.editor)
    figures = PopulationFigure.objects.count()
    data = {"file": SimpleUploadedFile(name, content), **extra}
    response = web.post(IMPORT_URL, data)
    assert_no_server_error(response, (name, content[:200], extra))
    assert PopulationFigure.objects.count() == figures
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    "content, name",
    [(b"\x00\x01\x02\xff" * 50, "data.csv"), (b"PK\x03\x04" + b"\x00" * 64, "data.xlsx")],
)
def test_garbage_upload_is_a_form_error(web, world, content, name):
    web.force_login(world.editor)
    response = web.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert "tidak dapat dibaca" in response.content.decode()
    assert not ImportJob.objects.exists()
