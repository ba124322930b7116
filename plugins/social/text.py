"""Post text per network, within each network's counting rules.

* Telegram: 4096 characters for a message, 1024 for a photo caption (counted in UTF-16 code
  units, as the Bot API does).
* Mastodon: 500 characters by default (an instance may allow more); every URL counts as 23.
* Bluesky: 300 graphemes; a link is only clickable with a facet whose byte offsets count the
  UTF-8 encoding of the text.
* Facebook: the link is sent as its own field and renders as a card; Instagram captions hold
  2200 characters and links in them are not clickable.

Text is cut at a word boundary with an ellipsis; the page URL is never cut.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

URL_RE = re.compile(r"https?://[^\s<>\"]+")
ELLIPSIS = "…"

TELEGRAM_MESSAGE_LIMIT = 4096
TELEGRAM_CAPTION_LIMIT = 1024
MASTODON_DEFAULT_LIMIT = 500
MASTODON_URL_WEIGHT = 23
BLUESKY_GRAPHEME_LIMIT = 300
INSTAGRAM_CAPTION_LIMIT = 2200
FACEBOOK_LIMIT = 5000

_ZWJ = "\u200d"


def _extends(ch: str) -> bool:
    """Characters that never start a grapheme cluster (combining marks, variation selectors,
    emoji modifiers, ZWJ, tags)."""
    cp = ord(ch)
    return (
        unicodedata.category(ch) in ("Mn", "Me", "Mc")
        or 0xFE00 <= cp <= 0xFE0F
        or 0x1F3FB <= cp <= 0x1F3FF
        or 0xE0020 <= cp <= 0xE007F
        or ch == _ZWJ
    )


def _regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def graphemes(text: str) -> list[str]:
    """User-perceived characters: the parts of Unicode's extended grapheme clusters that occur
    in Indonesian text and emoji (combining marks, ZWJ sequences, flags, skin tones, CRLF)."""
    clusters: list[str] = []
    for ch in text:
        if clusters:
            last = clusters[-1]
            if _extends(ch) or last.endswith(_ZWJ) or (last == "\r" and ch == "\n"):
                clusters[-1] += ch
                continue
            if _regional(ch) and len(last) == 1 and _regional(last):
                clusters[-1] += ch
                continue
        clusters.append(ch)
    return clusters


def grapheme_length(text: str) -> int:
    return len(graphemes(text))


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def mastodon_length(text: str) -> int:
    """Mastodon's count: every URL weighs 23 characters, the rest counts code points."""
    total = 0
    last = 0
    for match in URL_RE.finditer(text):
        total += len(text[last : match.start()]) + MASTODON_URL_WEIGHT
        last = match.end()
    return total + len(text[last:])


def _shorten(body: str, fits) -> str:
    """The longest prefix of ``body`` (cut at a word, with an ellipsis) for which ``fits``."""
    if fits(body):
        return body
    words = body.split(" ")
    while words:
        words.pop()
        candidate = " ".join(words).rstrip(" ,.;:-") + ELLIPSIS
        if words and fits(candidate):
            return candidate
    # one very long word: cut by characters
    for end in range(len(body), 0, -1):
        candidate = body[:end] + ELLIPSIS
        if fits(candidate):
            return candidate
    return ""


def compose(title: str, summary: str, url: str, fits, *, link_in_text: bool = True) -> str:
    """Title, summary and URL in one text that ``fits``; the summary is cut first, then the
    title; the URL is always whole."""
    summary = " ".join(summary.split())
    title = " ".join(title.split())
    tail = f"\n\n{url}" if link_in_text and url else ""

    def whole(body: str) -> str:
        return f"{body}{tail}"

    if summary:
        head = f"{title}\n\n"
        if fits(whole(head + summary)):
            return whole(head + summary)
        short = _shorten(summary, lambda s: fits(whole(head + s)))
        if short and len(short) > 40:
            return whole(head + short)
    return whole(_shorten(title, lambda s: fits(whole(s))))


@dataclass
class BlueskyPost:
    text: str
    facets: list[dict] = field(default_factory=list)


def bluesky_facets(text: str) -> list[dict]:
    """Link facets for every URL in ``text``, indexed in UTF-8 bytes."""
    facets = []
    for match in URL_RE.finditer(text):
        start = len(text[: match.start()].encode("utf-8"))
        end = start + len(match.group(0).encode("utf-8"))
        facets.append(
            {
                "index": {"byteStart": start, "byteEnd": end},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": match.group(0)}],
            }
        )
    return facets


def build_texts(title: str, summary: str, url: str, *, has_image: bool = False) -> dict:
    """The text per network for a page (stored on the share, shown in the preview)."""
    tg_limit = TELEGRAM_CAPTION_LIMIT if has_image else TELEGRAM_MESSAGE_LIMIT
    return {
        "telegram": compose(title, summary, url, lambda t: utf16_length(t) <= tg_limit),
        "mastodon": compose(
            title, summary, url, lambda t: mastodon_length(t) <= MASTODON_DEFAULT_LIMIT
        ),
        "bluesky": compose(
            title, summary, url, lambda t: grapheme_length(t) <= BLUESKY_GRAPHEME_LIMIT
        ),
        "facebook": compose(
            title, summary, url, lambda t: len(t) <= FACEBOOK_LIMIT, link_in_text=False
        ),
        "instagram": compose(title, summary, url, lambda t: len(t) <= INSTAGRAM_CAPTION_LIMIT),
    }


def whatsapp_text(title: str, summary: str, url: str) -> str:
    """Copy-ready text for a WhatsApp channel or group (no length limit worth cutting for)."""
    return compose(title, summary, url, lambda t: len(t) <= 1000)
