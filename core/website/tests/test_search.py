"""Village search answers every query: what the search backend cannot parse is never a 500."""

from __future__ import annotations

import pytest
from django.db import DatabaseError

from core.website import search
from core.website.models import NewsIndexPage
from core.website.tests.conftest import add_news, index_of

# Each of these once reached the SQLite FTS5 or PostgreSQL tsquery parser as it was typed.
ODD_QUERIES = [
    '"',
    '"lampu',
    'lampu"jalan',
    "'",
    "\x00",
    "lampu\x00jalan",
    "*",
    "(",
    ")",
    "NEAR(",
    "lampu OR",
    "AND",
    "NOT lampu",
    "-",
    "a:b",
    "^",
    "{}",
    "\\",
    "%",
    "🙂",
    "lampu " * 80,
]


def _get(client, host, prefix, **params):
    client.raise_request_exception = False
    return client.get(f"{prefix}/cari/", params, HTTP_HOST=host)


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("query", ODD_QUERIES, ids=repr)
def test_odd_queries_answer_without_server_error(demo, client, prefix, query):
    response = _get(client, demo.kreo_host, prefix, q=query, page="2")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_query_of_punctuation_only_says_what_to_type(demo, client):
    body = _get(client, demo.kreo_host, "", q='"').content.decode()
    assert "Tidak ada hasil" in body
    assert "huruf atau angka" in body


def test_punctuation_does_not_hide_results(demo, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        add_news(index_of(demo.kreo, NewsIndexPage), "Lomba zebrakreo", "Kabar zebrakreo.")
    body = _get(client, demo.kreo_host, "", q='"zebrakreo').content.decode()
    assert "1 hasil" in body and "Lomba zebrakreo" in body
    # What the resident typed is shown as typed (escaped), in the page and the search box.
    assert "&quot;zebrakreo" in body


def test_backend_query_error_is_no_results_with_a_message(demo, client, monkeypatch):
    def broken(home, query):
        raise DatabaseError("fts5: syntax error near something")

    monkeypatch.setattr(search, "search_results", broken)
    response = _get(client, demo.kreo_host, "", q="lampu")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tidak ada hasil" in body and "tidak dapat diproses" in body


def test_search_terms_keep_words_and_drop_syntax():
    assert search.search_terms('"lampu" jalan* (RT-02) OR') == "lampu jalan RT 02 OR"
    assert search.search_terms("ｌａｍｐｕ\x00jalan") == "lampu jalan"
    assert search.search_terms("\"'*()") == ""
    assert len(search.search_terms("kata " * 100).split()) == search.MAX_TERMS
