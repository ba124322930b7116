"""A village editor meets Indonesian on every admin screen they use (issue "The village editor's
admin: Indonesian on every screen they use", item 1).

The admin's text comes from Wagtail's and wagtail-localize's catalogues (plus taggit's): their
English catalogues hold every source message (msgid); their ``id_ID`` catalogues translate part
of them and the project ships the rest in ``site/sidekem_site/locale/id/LC_MESSAGES/``
(``django.po`` and ``djangojs.po``, see tools/admin_catalogue.py).

How English is counted. At test time, every source message is put through Django's own
translation machinery in Indonesian (``gettext``/``pgettext``/``ngettext`` for ``django``, the
catalogue ``JavaScriptCatalog`` serves for ``djangojs``): a message whose Indonesian is the
English text itself is *untranslated*, unless :data:`ALLOWED` names it (words that are the same
in Indonesian, technical terms, brand names, each with its reason). Logged in as a Kreo editor
(a village user, not a superuser), the test opens each screen of :func:`screens` and every
screen of the sidebar menu, and collects what the editor can read: the visible text
(``inner_text("body")``, split into lines and table cells), the placeholders, aria-labels and
titles of visible elements, the items of the dropdown menus (hidden until opened), every tab of
the page editors and every side panel, and the labels of the whole sidebar menu. A collected
string counts when, compared case-insensitively (the admin upper-cases some labels in CSS), without
the asterisk of required fields, and with the message's HTML tags removed and its placeholders
matching any text (numbers for %d), it is

* an untranslated message (whole string, or a message of three words or more inside it), or
* a message that *has* Indonesian but is shown in English all the same (e.g. text evaluated
  before the language was set, or a JavaScript catalogue that is not served), or
* a Python value printed as it is (None, True, False),

leaving out strings that are content of the village (page, image and document titles,
translation segments, names…), which may be English on purpose. The JavaScript catalogues are
also checked where they are used: in the browser, ``gettext`` of every JavaScript message of
Wagtail (dashboard) and of wagtail-localize (translation editor) must give Indonesian.

The test fails when anything English is found, listing the strings per screen, except what
:data:`KNOWN_ENGLISH` lists (English no catalogue can translate: labels the packages hard-code,
Python values printed by listings, for others to fix), which its summary prints (``-rP``).
``SIDEKEM_ADMIN_LANGUAGE_DUMP=<folder>`` writes what was collected on each screen there.

Content: Kreo is seeded with the demo content (core/demo/content.py), one resident message and a
draft revision of an article, for this module only, and all of it is removed at the end (the
same snapshot as tests/browser/test_village_website.py; media in a temporary MEDIA_ROOT).
Nothing is saved from the browser.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import expect
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site
from wagtail_localize.models import String, StringTranslation

from core.demo.content import seed_village_content
from core.villagedata.models import PopulationFigure, PotentialFigure
from core.villages.models import Village
from core.website.models import ContactMessage, NewsIndexPage, NewsPage
from tests.browser.conftest import allow_db_beside_playwright
from tests.browser.test_village_website import _Snapshot
from tools.admin_catalogue import (
    PLACEHOLDER,
    Message,
    english_messages,
    has_words,
    translate,
    untranslated_messages,
)

pytestmark = [pytest.mark.django_db]

#: Messages whose Indonesian is the English text itself, and why that is right.
ALLOWED: dict[str, str] = {
    # Indonesian words spelled as in English (in KBBI), used as such in Indonesian admin screens.
    "Admin": "Indonesian word (KBBI: admin)",
    "Administrator": "Indonesian word (KBBI: administrator)",
    "Alias": "Indonesian word (KBBI: alias); Wagtail's id_ID uses it",
    "Format": "Indonesian word (KBBI: format)",
    "item": "Indonesian word (KBBI: item)",
    "label": "Indonesian word (KBBI: label)",
    "Manual": "Indonesian word (KBBI: manual)",
    "Minimum": "Indonesian word (KBBI: minimum); Wagtail's id_ID uses it",
    "Status": "Indonesian word (KBBI: status); Wagtail's id_ID uses it",
    "status": "Indonesian word (KBBI: status)",
    "Status: ": "Indonesian word (KBBI: status)",
    "Status %(status)s": "Indonesian word (KBBI: status)",
    "Tag": "Indonesian word (KBBI: tag); Wagtail's id_ID uses it",
    "tag": "Indonesian word (KBBI: tag)",
    "Token": "Indonesian word (KBBI: token)",
    # Technical terms and abbreviations kept in Indonesian web administration.
    "ID": "abbreviation (identitas), the same in Indonesian",
    "URL": "technical term; Wagtail's id_ID keeps it",
    "slug": "technical term (the page's address part); Wagtail's id_ID keeps it",
    "port": "technical term (network port)",
    # Product names.
    "Wagtail API v2": "product name",
    "Wagtail API v3": "product name",
    "Taggit": "product name (django-taggit)",
}
#: English on the editor's screens that no catalogue can translate: (screen or "*" for any,
#: regular expression the whole string matches) → where it comes from. The test lists them in
#: its summary and does not fail on them; they are for others to fix.
KNOWN_ENGLISH: dict[tuple[str, str], str] = {
    ("*", r"Actions"): (
        'Wagtail\'s slim header template hard-codes aria-label="Actions" on the nav of the '
        "header buttons (not marked for translation)"
    ),
    ("translation editor (English home)", r"More actions"): (
        "wagtail-localize's translation editor (React) hard-codes the screen-reader label of its "
        "action menu toggle"
    ),
    ("admin search", r"Judul\s+[\d.,]+-[\d.,]+ dari [\d.,]+ None"): (
        "Wagtail's page search gives its results header no model name, so it prints None"
    ),
    ("page editor: berita", r"Image"): (
        "the label Wagtail's ImageBlock gives its image field, made from the field's name (used "
        "by the news article's body, core/website/blocks.py)"
    ),
    ("revision: review an earlier version", r"Image"): (
        "the label Wagtail's ImageBlock gives its image field, made from the field's name (used "
        "by the news article's body, core/website/blocks.py)"
    ),
    ("menu: Halaman lama", r"None"): (
        "Wagtail's aging pages report prints the publisher of a page published without a user "
        "(as the demo content is, core/demo/content.py) as Python's None"
    ),
}
#: Python values printed as they are: English too, though no catalogue has them.
PYTHON_VALUES = frozenset({"none", "true", "false"})
PYTHON_TOKEN = re.compile(r"(?<!\S)(None|True|False)(?!\S)")
PYTHON_VALUE = "(a Python value, not a message)"
#: A message of at least this many words also counts when it is part of a longer string.
MIN_WORDS_INSIDE = 3
TAG = re.compile(r"<[^<>]*>")
SPLIT = re.compile(r"[\n\t]+")
NUMBER = r"[\d.,]+"
DUMP_DIR = os.environ.get("SIDEKEM_ADMIN_LANGUAGE_DUMP", "")


def normalise(text: str) -> str:
    """Case-folded, whitespace collapsed, without the asterisk of a required field's label."""
    return " ".join(text.split()).casefold().removesuffix("*").rstrip()


# -- the English the admin must not show ------------------------------------------------------


@dataclass
class EnglishText:
    """The English forms of the admin's messages, to find in what a screen shows."""

    #: normalised text → (msgid, untranslated?) for messages without placeholders
    exact: dict[str, tuple[str, bool]] = field(default_factory=dict)
    #: (regex, literal prefix, msgid, untranslated?) for messages with placeholders
    patterns: list[tuple[re.Pattern, str, str, bool]] = field(default_factory=list)
    #: (normalised text, msgid, untranslated?) for messages looked for inside longer strings
    inside: list[tuple[str, str, bool]] = field(default_factory=list)

    @classmethod
    def from_messages(cls, messages: list[Message]) -> EnglishText:
        english = cls()
        for message in messages:
            if message.msgid in ALLOWED:
                continue
            untranslated = translate(message) == message.msgid
            for source in filter(None, (message.msgid, message.msgid_plural)):
                text = normalise(html.unescape(TAG.sub("", source)))
                if not has_words(text):
                    continue
                if not PLACEHOLDER.search(text):
                    english.exact.setdefault(text, (message.msgid, untranslated))
                    if len(text.split()) >= MIN_WORDS_INSIDE:
                        english.inside.append((text, message.msgid, untranslated))
                    continue
                parts = PLACEHOLDER.split(text)
                holes = [NUMBER if p[-1] in "dif" else ".+?" for p in PLACEHOLDER.findall(text)]
                regex = "".join(
                    re.escape(part) + hole for part, hole in zip(parts, [*holes, ""], strict=True)
                )
                english.patterns.append((re.compile(regex), parts[0], message.msgid, untranslated))
        return english

    def find(self, string: str) -> tuple[str, bool] | None:
        """(msgid, untranslated?) of the message ``string`` shows in English, if any."""
        text = normalise(string)
        if text in PYTHON_VALUES or PYTHON_TOKEN.search(string):
            return PYTHON_VALUE, False
        if not has_words(text):
            return None
        if text in self.exact:
            return self.exact[text]
        for regex, prefix, msgid, untranslated in self.patterns:
            if text.startswith(prefix) and regex.fullmatch(text):
                return msgid, untranslated
        for needle, msgid, untranslated in self.inside:
            if len(needle) < len(text) and needle in text:
                return msgid, untranslated
        return None


@pytest.fixture(scope="module")
def english_text() -> EnglishText:
    return EnglishText.from_messages(english_messages())


def test_every_admin_message_has_indonesian():
    """Every message of the admin's catalogues has Indonesian, or an allowed reason not to."""
    untranslated = untranslated_messages()
    missing = sorted({m.msgid for m in untranslated} - set(ALLOWED))
    assert not missing, (
        f"{len(missing)} admin messages have no Indonesian (tools/admin_catalogue.py lists them, "
        f"--update adds them to site/sidekem_site/locale/id/LC_MESSAGES/): {missing}"
    )
    stale = sorted(set(ALLOWED) - {m.msgid for m in untranslated})
    assert not stale, f"ALLOWED names messages that are translated or gone: {stale}"


# -- content ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AdminContent:
    pages: dict[str, int]  # page type (verbose name) → one page of Kreo's Indonesian tree
    news_index_id: int
    article_id: int  # has a draft revision by the editor on top of the published one
    draft_revision_id: int
    image_id: int
    document_id: int
    message_urls: tuple[str, ...]  # listing, inspect and edit of a resident message
    figure_urls: tuple[str, ...]  # edit views of a population and a potential figure
    content_texts: frozenset[str]  # normalised: the village's own text, never counted


def _content_texts() -> frozenset[str]:
    """Text that belongs to the villages' content: it may be English on purpose."""
    texts: list[str] = []
    for title, draft_title in Page.objects.values_list("title", "draft_title"):
        texts += [title, draft_title]
    texts += get_image_model().objects.values_list("title", flat=True)
    texts += get_document_model().objects.values_list("title", flat=True)
    texts += Collection.objects.values_list("name", flat=True)
    texts += Site.objects.values_list("site_name", flat=True)
    texts += Group.objects.values_list("name", flat=True)
    texts += Tag.objects.values_list("name", flat=True)
    texts += [locale.get_display_name() or "" for locale in Locale.objects.all()]
    for user in get_user_model().objects.all():
        texts += [user.get_username(), user.get_full_name(), user.first_name, user.last_name]
    texts += String.objects.values_list("data", flat=True)
    texts += StringTranslation.objects.values_list("data", flat=True)
    texts += ContactMessage.objects.values_list("subject", flat=True)
    texts += PopulationFigure.objects.values_list("label", flat=True)
    texts += PotentialFigure.objects.values_list("label", flat=True)
    lines = {normalise(line) for text in texts for line in SPLIT.split(TAG.sub("\n", text or ""))}
    return frozenset(lines - {""})


def _seed(editor: str) -> tuple[AdminContent, list]:
    """Kreo's demo content, a resident message and a draft by ``editor``; returns the facts and
    the rows to delete afterwards."""
    kreo = Village.objects.get(code="33.27.07.2013")
    seed_village_content(kreo)
    home = kreo.home_pages.get(locale__language_code="id")
    pages: dict[str, int] = {}
    for page in Page.objects.descendant_of(home, inclusive=True).specific().order_by("path"):
        pages.setdefault(str(page.specific_class._meta.verbose_name), page.pk)
    news_index = NewsIndexPage.objects.child_of(home).get()
    article = NewsPage.objects.child_of(news_index).order_by("path").first()
    article.summary = f"{article.summary} (konsep)"
    draft = article.save_revision(
        user=get_user_model().objects.get(username=editor), log_action=True
    )
    message = ContactMessage.objects.create(
        village=kreo,
        name="Warga Kreo",
        email="warga@example.invalid",
        subject="Lampu jalan padam",
        message="Lampu jalan di RT 02 padam sejak kemarin.",
    )
    population = PopulationFigure.objects.filter(village=kreo).first()
    potential = PotentialFigure.objects.filter(village=kreo).first()
    content = AdminContent(
        pages=pages,
        news_index_id=news_index.pk,
        article_id=article.pk,
        draft_revision_id=draft.pk,
        image_id=get_image_model().objects.filter(collection=kreo.collection).first().pk,
        document_id=get_document_model().objects.filter(collection=kreo.collection).first().pk,
        message_urls=(
            reverse("contact_messages:index"),
            reverse("contact_messages:inspect", args=[message.pk]),
            reverse("contact_messages:edit", args=[message.pk]),
        ),
        figure_urls=(
            reverse("population_figures:edit", args=[population.pk]),
            reverse("potential_figures:edit", args=[potential.pk]),
        ),
        content_texts=_content_texts(),
    )
    return content, [message]


@pytest.fixture(scope="module")
def admin_content(browser_world, django_db_blocker) -> Iterator[AdminContent]:
    """Kreo's demo content, committed, for this module (see the module docstring)."""
    media = tempfile.mkdtemp(prefix="sidekem-browser-media-")
    snapshot = None
    extras: list = []
    with override_settings(MEDIA_ROOT=media):
        try:
            with django_db_blocker.unblock(), allow_db_beside_playwright():
                snapshot = _Snapshot()
                try:
                    content, extras = _seed(browser_world.kreo.editor)
                finally:
                    cache.clear()
            yield content
        finally:
            with django_db_blocker.unblock(), allow_db_beside_playwright():
                for row in extras:
                    row.delete()
                if snapshot is not None:
                    snapshot.restore()
            shutil.rmtree(media, ignore_errors=True)


# -- screens ----------------------------------------------------------------------------------

#: What the editor can read besides the visible text: placeholders, aria-labels and titles of
#: visible elements, and the items of dropdown menus (in the page, hidden until opened).
COLLECT_JS = """() => {
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return (box.width > 0 || box.height > 0) && style.visibility !== 'hidden';
  };
  const out = [];
  for (const el of document.querySelectorAll('[placeholder], [aria-label], [title]')) {
    if (!shown(el)) continue;
    for (const name of ['placeholder', 'aria-label', 'title']) {
      const value = el.getAttribute(name);
      if (value) out.push(value);
    }
  }
  for (const menu of document.querySelectorAll('[data-w-dropdown-target="content"]')) {
    for (const item of menu.querySelectorAll('a, button, [role=menuitem]')) {
      out.push(item.textContent.trim());
      out.push(item.getAttribute('aria-label') || item.getAttribute('title') || '');
    }
  }
  return out.filter(Boolean);
}"""

#: Every label and address of the sidebar menu, submenus included (its React props).
SIDEBAR_JS = """() => {
  const props = JSON.parse(document.getElementById('wagtail-sidebar-props').textContent);
  const items = [];
  const walk = (node) => {
    if (Array.isArray(node)) { node.forEach(walk); return; }
    if (node && typeof node === 'object') {
      if (typeof node.label === 'string') items.push([node.label, node.url || '']);
      Object.values(node).forEach(walk);
    }
  };
  walk(props);
  return items;
}"""

#: Messages of a JavaScript catalogue the browser was served without Indonesian.
JS_CATALOGUE_JS = """(messages) => messages.filter(([context, msgid, plural]) => {
  const text = context ? pgettext(context, msgid)
    : plural ? ngettext(msgid, plural, 1) : gettext(msgid);
  return text === msgid;
}).map(([context, msgid]) => msgid)"""


def log_in(page, world) -> None:
    kreo = world.kreo
    page.goto(world.url("kreo", "/admin/login/"))
    page.get_by_label("Nama pengguna").fill(kreo.editor)
    page.locator("input[name=password]").fill(world.password)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(world.url("kreo", "/admin/"))


def visible_strings(page) -> list[str]:
    strings = SPLIT.split(page.inner_text("body"))
    strings += page.evaluate(COLLECT_JS)
    return [s.strip() for s in strings if s.strip()]


def open_editor_parts(page) -> list[str]:
    """Every tab and every side panel of an editing screen, with what each shows."""
    strings: list[str] = []
    tabs = page.locator("[role=tab]:visible")
    for number in range(tabs.count()):
        tabs.nth(number).click()
        strings += visible_strings(page)
    toggles = page.locator("[data-side-panel-toggle]:visible")
    for number in range(toggles.count()):
        toggles.nth(number).click()
        page.wait_for_timeout(300)
        strings += visible_strings(page)
    return strings


@dataclass
class Finding:
    """What one screen showed in English: untranslated messages, messages shown in English
    though they have Indonesian (or Python values), and the known cases (KNOWN_ENGLISH)."""

    screen: str
    url: str
    untranslated: dict[str, str] = field(default_factory=dict)  # shown string → msgid
    in_english: dict[str, str] = field(default_factory=dict)  # shown string → msgid
    known: dict[str, str] = field(default_factory=dict)  # shown string → why

    @property
    def count(self) -> int:
        return len(self.untranslated) + len(self.in_english)

    def check(self, strings, english_text: EnglishText, content_texts=frozenset()) -> None:
        for string in strings:
            if normalise(string) in content_texts:
                continue
            found = english_text.find(string)
            if found is None:
                continue
            msgid, untranslated = found
            why = next(
                (
                    why
                    for (screen, regex), why in KNOWN_ENGLISH.items()
                    if screen in ("*", self.screen)
                    and re.fullmatch(regex, string.strip().removesuffix("*").rstrip())
                ),
                None,
            )
            if why:
                self.known[string] = why
            elif untranslated:
                self.untranslated[string] = msgid
            else:
                self.in_english[string] = msgid

    def report(self) -> list[str]:
        lines = [f"{self.screen} ({self.url}):"]
        lines += [
            f"    {s!r}  [no Indonesian: {m!r}]" for s, m in sorted(self.untranslated.items())
        ]
        lines += [
            f"    {s!r}  [shown in English, has Indonesian: {m!r}]"
            for s, m in sorted(self.in_english.items())
        ]
        return lines


def js_messages(package: str) -> list[list[str]]:
    return [
        [m.msgctxt, m.msgid, m.msgid_plural]
        for m in english_messages(((package, ("djangojs",)),))
        if has_words(m.msgid) and m.msgid not in ALLOWED
    ]


def js_catalogue_finding(page, package: str, name: str) -> Finding:
    """The JavaScript messages of ``package`` the browser's catalogue leaves in English."""
    finding = Finding(name, page.url)
    for msgid in page.evaluate(JS_CATALOGUE_JS, js_messages(package)):
        finding.untranslated[msgid] = msgid
    return finding


def dump(screen: str, url: str, strings: list[str]) -> None:
    if not DUMP_DIR:
        return
    folder = Path(DUMP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", screen)[:100]
    (folder / f"{name}.txt").write_text(url + "\n" + "\n".join(strings), encoding="utf-8")


def screens(world, content: AdminContent) -> list[tuple[str, str, bool]]:
    """(name, path, open tabs and side panels?) of the screens a village editor works on."""
    kreo = world.kreo
    listed = [
        ("explorer: root", "/admin/pages/", False),
        ("explorer: village home", f"/admin/pages/{kreo.home_id}/", False),
        ("explorer: news section", f"/admin/pages/{content.news_index_id}/", False),
        ("new page: choose its type", f"/admin/pages/{content.news_index_id}/add_subpage/", False),
        (
            "new page: news article",
            f"/admin/pages/add/website/newspage/{content.news_index_id}/",
            True,
        ),
    ]
    listed += [
        (f"page editor: {kind}", f"/admin/pages/{page_id}/edit/", True)
        for kind, page_id in content.pages.items()
    ]
    article = content.article_id
    listed += [
        ("page history", f"/admin/pages/{article}/history/", False),
        (
            "revision: compare",
            f"/admin/pages/{article}/revisions/compare/earliest...latest/",
            False,
        ),
        (
            "revision: review an earlier version",
            f"/admin/pages/{article}/revisions/{content.draft_revision_id}/revert/",
            True,
        ),
        ("page usage", f"/admin/pages/{article}/usage/", False),
        ("images", "/admin/images/", False),
        ("image: edit", f"/admin/images/{content.image_id}/", False),
        ("images: upload", "/admin/images/multiple/add/", False),
        ("documents", "/admin/documents/", False),
        ("document: edit", f"/admin/documents/edit/{content.document_id}/", False),
        ("documents: upload", "/admin/documents/multiple/add/", False),
        ("resident messages", content.message_urls[0], False),
        ("resident message: inspect", content.message_urls[1], False),
        ("resident message: edit", content.message_urls[2], False),
        ("village data: population figure", content.figure_urls[0], False),
        ("village data: potential figure", content.figure_urls[1], False),
        ("translation editor (English home)", f"/admin/pages/{kreo.en_home_id}/edit/", False),
        ("account settings", "/admin/account/", False),
        ("admin search", "/admin/pages/search/?q=desa", False),
    ]
    return listed


@pytest.mark.browser
def test_village_editor_meets_no_english_in_the_admin(
    browser_world, admin_content, english_text, page
):
    world = browser_world
    log_in(page, world)
    findings: list[Finding] = []

    def visit(screen: str, path: str, parts: bool) -> None:
        url = world.url("kreo", path)
        response = page.goto(url)
        assert response is not None and response.ok, f"{screen}: {url} answered {response}"
        page.wait_for_load_state("networkidle")
        strings = visible_strings(page)
        if parts:
            strings += open_editor_parts(page)
        finding = Finding(screen, page.url)
        finding.check(strings, english_text, admin_content.content_texts)
        findings.append(finding)
        dump(screen, page.url, strings)

    # The sidebar: every label (submenus included) on the dashboard, then every screen of its
    # menu (village data, resident messages, reports, settings open to the editor…).
    visit("dashboard", "/admin/", False)
    sidebar = page.evaluate(SIDEBAR_JS)
    sidebar_finding = Finding("sidebar menu", page.url)
    sidebar_finding.check([label for label, _ in sidebar], english_text)
    findings.append(sidebar_finding)
    findings.append(js_catalogue_finding(page, "wagtail.admin", "Wagtail's JavaScript catalogue"))

    seen = {"/admin/"}
    for name, path, parts in screens(world, admin_content):
        visit(name, path, parts)
        seen.add(path.split("?")[0])
    for label, url in sidebar:
        if url.startswith("/admin/") and url not in seen and "logout" not in url:
            visit(f"menu: {label}", url, False)
            seen.add(url)

    # wagtail-localize's translation editor (React) uses its own JavaScript catalogue.
    page.goto(world.url("kreo", f"/admin/pages/{world.kreo.en_home_id}/edit/"))
    expect(page.locator(".js-translation-editor li").first).to_be_visible()
    findings.append(
        js_catalogue_finding(page, "wagtail_localize", "wagtail-localize's JavaScript catalogue")
    )

    summary = "\n".join(
        f"  {f.count:3} English, {len(f.known)} known  {f.screen}" for f in findings
    )
    known = sorted({f"  {string!r}: {why}" for f in findings for string, why in f.known.items()})
    print(f"English strings per screen:\n{summary}\nKnown English (KNOWN_ENGLISH):")
    print("\n".join(known))
    failed = [f for f in findings if f.count]
    assert not failed, (
        f"English on {len(failed)} of {len(findings)} admin screens of a village editor:\n"
        + "\n".join(line for f in failed for line in f.report())
        + f"\nAll screens:\n{summary}"
    )
    assert len(findings) >= 40, summary
