"""The Wagtail and wagtail-localize admin messages that still lack an Indonesian translation.

The admin's text comes from the installed packages' catalogues: their English catalogues hold
every source message (msgid), their ``id_ID`` catalogues translate part of them, and the project
ships the rest in ``site/sidekem_site/locale/id/LC_MESSAGES/`` (``LOCALE_PATHS``, which Django
merges last, so its entries win). A message counts as translated when Django's own machinery
returns something else than the English for it in Indonesian: ``gettext``/``pgettext``/
``ngettext`` for the ``django`` domain, and for the ``djangojs`` domain the catalogue
``JavaScriptCatalog`` serves for the package (Wagtail's ``/admin/jsi18n/`` and
wagtail-localize's ``/admin/localize/jsi18n/`` both merge ``LOCALE_PATHS`` too).

Usage, from the repository root (after ``python site/manage.py compile_translations``)::

    .venv/bin/python tools/admin_catalogue.py            # counts per catalogue and the messages
    .venv/bin/python tools/admin_catalogue.py --count    # counts only
    .venv/bin/python tools/admin_catalogue.py --update   # add them, empty, to the project's .po

``--update`` appends every missing message, with an empty translation, to the project's
``django.po``/``djangojs.po`` (a translator then fills them in and runs compile_translations);
entries already there are left alone. The browser test tests/browser/test_admin_language.py
uses :func:`untranslated_messages` to find English admin text on the editor's screens.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import django
import polib
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = "id"
#: The project's Indonesian catalogues (in LOCALE_PATHS, see site/sidekem_site/settings/base.py).
PROJECT_CATALOGUES = ROOT / "site" / "sidekem_site" / "locale" / LANGUAGE / "LC_MESSAGES"
#: Packages whose messages the admin shows a village editor, with their domains. Apps that are
#: not installed (search promotions, simple translation, style guide, table blocks) are left out.
SOURCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("wagtail.admin", ("django", "djangojs")),
    ("wagtail", ("django",)),
    ("wagtail.images", ("django",)),
    ("wagtail.documents", ("django",)),
    ("wagtail.snippets", ("django",)),
    ("wagtail.users", ("django",)),
    ("wagtail.sites", ("django",)),
    ("wagtail.locales", ("django",)),
    ("wagtail.embeds", ("django",)),
    ("wagtail.search", ("django",)),
    ("wagtail.contrib.settings", ("django",)),
    ("wagtail.contrib.redirects", ("django",)),
    ("wagtail.contrib.forms", ("django",)),
    ("wagtail_localize", ("django", "djangojs")),
    ("wagtail_localize.locales", ("django",)),
    ("taggit", ("django",)),
)
#: Placeholders of Python (%-style and brace) and JavaScript messages.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
HEADER = {
    "Project-Id-Version": "sidekem",
    "PO-Revision-Date": "2026-01-01 00:00+0700",
    "Last-Translator": "Sidekem <sidekem@example.invalid>",
    "Language-Team": "Indonesian",
    "Language": LANGUAGE,
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=1; plural=0;",
}


@dataclass(frozen=True)
class Message:
    package: str  # "wagtail.admin"
    domain: str  # "django" or "djangojs"
    msgid: str
    msgid_plural: str = ""
    msgctxt: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return self.domain, self.msgctxt, self.msgid


def package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise LookupError(f"package {package} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def english_catalogue(package: str, domain: str) -> Path:
    return package_dir(package) / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"


def english_messages(sources: Iterable[tuple[str, tuple[str, ...]]] = SOURCES) -> list[Message]:
    """Every source message of ``sources``, once per (domain, context, msgid)."""
    seen: dict[tuple[str, str, str], Message] = {}
    for package, domains in sources:
        for domain in domains:
            for entry in polib.pofile(str(english_catalogue(package, domain))):
                if entry.obsolete or not entry.msgid:
                    continue
                message = Message(
                    package, domain, entry.msgid, entry.msgid_plural or "", entry.msgctxt or ""
                )
                seen.setdefault(message.key, message)
    return list(seen.values())


@cache
def _js_catalogue(package: str):
    """What ``JavaScriptCatalog(packages=[package])`` serves in Indonesian."""
    return DjangoTranslation(
        LANGUAGE, domain="djangojs", localedirs=[str(package_dir(package) / "locale")]
    )


def translate(message: Message) -> str:
    """The Indonesian Django gives for ``message`` (its singular form)."""
    if message.domain == "djangojs":
        catalogue = _js_catalogue(message.package)
        if message.msgctxt and message.msgid_plural:
            return catalogue.npgettext(message.msgctxt, message.msgid, message.msgid_plural, 1)
        if message.msgctxt:
            return catalogue.pgettext(message.msgctxt, message.msgid)
        if message.msgid_plural:
            return catalogue.ngettext(message.msgid, message.msgid_plural, 1)
        return catalogue.gettext(message.msgid)
    with translation.override(LANGUAGE):
        if message.msgctxt and message.msgid_plural:
            return translation.npgettext(message.msgctxt, message.msgid, message.msgid_plural, 1)
        if message.msgctxt:
            return translation.pgettext(message.msgctxt, message.msgid)
        if message.msgid_plural:
            return translation.ngettext(message.msgid, message.msgid_plural, 1)
        return translation.gettext(message.msgid)


def has_words(text: str) -> bool:
    """Whether ``text`` has words of its own (not only placeholders and punctuation)."""
    return len(re.findall(r"[^\W\d_]", PLACEHOLDER.sub("", text))) >= 2


def untranslated_messages(
    sources: Iterable[tuple[str, tuple[str, ...]]] = SOURCES,
) -> list[Message]:
    """The messages with words for which Django returns the English text in Indonesian."""
    return [
        message
        for message in english_messages(sources)
        if has_words(message.msgid) and translate(message) == message.msgid
    ]


def project_catalogue(domain: str) -> polib.POFile:
    path = PROJECT_CATALOGUES / f"{domain}.po"
    if path.exists():
        return polib.pofile(str(path), wrapwidth=100)
    po = polib.POFile(wrapwidth=100)
    po.metadata = dict(HEADER)
    return po


def update(messages: list[Message]) -> dict[str, int]:
    """Append ``messages`` missing from the project's catalogues, untranslated."""
    added: dict[str, int] = {}
    for domain in ("django", "djangojs"):
        po = project_catalogue(domain)
        count = 0
        for message in messages:
            if message.domain != domain:
                continue
            if po.find(message.msgid, msgctxt=message.msgctxt or False) is not None:
                continue
            entry = polib.POEntry(
                msgid=message.msgid,
                msgctxt=message.msgctxt or None,
                comment=message.package,
            )
            if message.msgid_plural:
                entry.msgid_plural = message.msgid_plural
                entry.msgstr_plural = {0: ""}
            else:
                entry.msgstr = ""
            po.append(entry)
            count += 1
        if count:
            PROJECT_CATALOGUES.mkdir(parents=True, exist_ok=True)
            po.save(str(PROJECT_CATALOGUES / f"{domain}.po"))
        added[domain] = count
    return added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", action="store_true", help="counts per catalogue only")
    parser.add_argument(
        "--update", action="store_true", help="add the missing messages to the project's .po"
    )
    args = parser.parse_args(argv)

    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sidekem_site.settings.dev")
    django.setup()

    everything = english_messages()
    missing = untranslated_messages()
    for package, domains in SOURCES:
        for domain in domains:
            total = sum(1 for m in everything if (m.package, m.domain) == (package, domain))
            lacking = [m for m in missing if (m.package, m.domain) == (package, domain)]
            counts = f"{total:4} messages, {len(lacking):4} without Indonesian"
            print(f"{package:26} {domain:8} {counts}")
            if not args.count and not args.update:
                for message in lacking:
                    context = f" [{message.msgctxt}]" if message.msgctxt else ""
                    print(f"    {message.msgid!r}{context}")
    print(f"{len(missing)} of {len(everything)} messages without Indonesian")
    if args.update:
        for domain, count in update(missing).items():
            print(f"{count} added to {(PROJECT_CATALOGUES / f'{domain}.po').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
