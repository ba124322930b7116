from plugins.social.text import (
    BLUESKY_GRAPHEME_LIMIT,
    TELEGRAM_CAPTION_LIMIT,
    bluesky_facets,
    build_texts,
    grapheme_length,
    mastodon_length,
    utf16_length,
)
from plugins.social.tid import TID_RE, new_tid

URL = "https://kreo.localhost/berita/kerja-bakti-saluran-irigasi-dusun-krajan/"


def test_mastodon_counts_every_url_as_23():
    text = f"Kerja bakti\n\n{URL}"
    assert mastodon_length(text) == len("Kerja bakti\n\n") + 23
    assert len(URL) > 23


def test_graphemes_count_what_a_reader_sees():
    assert grapheme_length("é") == 1  # e + combining acute
    assert grapheme_length("👍🏽") == 1  # skin tone modifier
    assert grapheme_length("👨‍👩‍👧") == 1  # ZWJ family
    assert grapheme_length("🇮🇩🇮🇩") == 2  # two flags
    assert grapheme_length("Desa") == 4


def test_bluesky_facets_use_utf8_byte_offsets():
    text = f"Panen raya 🌾 di Kreo — {URL}"
    [facet] = bluesky_facets(text)
    start = facet["index"]["byteStart"]
    end = facet["index"]["byteEnd"]
    assert text.encode()[start:end].decode() == URL
    assert start != text.index(URL)  # the emoji and dash take more bytes than characters
    assert facet["features"][0]["uri"] == URL


def test_texts_keep_the_url_whole_and_fit_each_limit():
    title = "Musyawarah desa membahas " + "anggaran pembangunan jalan " * 5
    summary = "Warga hadir di balai desa untuk membahas rencana kerja. " * 40
    texts = build_texts(title, summary, URL, has_image=True)
    for network in ("telegram", "mastodon", "bluesky", "instagram"):
        assert texts[network].endswith(URL), network
    assert utf16_length(texts["telegram"]) <= TELEGRAM_CAPTION_LIMIT
    assert mastodon_length(texts["mastodon"]) <= 500
    assert grapheme_length(texts["bluesky"]) <= BLUESKY_GRAPHEME_LIMIT
    assert "…" in texts["bluesky"]
    assert URL not in texts["facebook"]  # sent as the link field (a card)
    short = build_texts("Judul", "Ringkas.", URL)
    assert short["telegram"] == f"Judul\n\nRingkas.\n\n{URL}"


def test_tids_are_valid_and_sort_by_time():
    first = new_tid(now_us=1_700_000_000_000_000, clock_id=5)
    later = new_tid(now_us=1_700_000_000_000_001, clock_id=0)
    assert TID_RE.match(first) and TID_RE.match(later) and len(first) == 13
    assert later > first
    assert TID_RE.match(new_tid())
