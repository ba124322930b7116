"""Search within one village and one language (never the whole install).

Whatever a resident types is answered: Wagtail's database backend passes the words into the
database's own query language (FTS5 on SQLite, tsquery on PostgreSQL), where a stray quote or a
NUL byte is a syntax error. So only words (letters, digits) reach the backend, and a query the
backend still refuses is shown as "no results" with a message, never as a server error.
"""

from __future__ import annotations

import logging
import re
import unicodedata

from django.core.paginator import Paginator
from django.db import DatabaseError, transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from core.website import queries

logger = logging.getLogger("sidekem.search")

PAGE_SIZE = 10
MAX_QUERY = 200
MAX_TERMS = 10
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
# Letters, marks (vowel signs of Javanese script, accents) and digits of any script make words;
# everything else (quotes, operators, brackets, underscores, control characters) separates them.
WORD_CATEGORIES = ("L", "M", "N")


def search_terms(query: str) -> str:
    """The words of ``query`` the backend can take, joined by spaces ("" if there are none)."""
    text = unicodedata.normalize("NFKC", query)[: MAX_QUERY * 2]
    chars = [c if unicodedata.category(c)[0] in WORD_CATEGORIES else " " for c in text]
    return " ".join("".join(chars).split()[:MAX_TERMS])


def search_results(home, terms: str):
    pages = queries.public_pages(home)
    return pages.search(terms, operator="and")


def _results_page(home, terms: str, page_number):
    """One page of results, fully evaluated here (so no query runs later in the template)."""
    with transaction.atomic():  # a savepoint: PostgreSQL's transaction survives the error
        results = Paginator(search_results(home, terms), PAGE_SIZE).get_page(page_number)
        results.object_list = list(results.object_list)
    return results


def search_view(home, request):
    request.sidekem_no_page_cache = True
    query = CONTROL.sub(" ", request.GET.get("q") or "").strip()[:MAX_QUERY]
    results = None
    problem = ""
    if query:
        terms = search_terms(query)
        if not terms:
            problem = _("Tulis kata yang dicari dengan huruf atau angka.")
        else:
            try:
                results = _results_page(home, terms, request.GET.get("page"))
            except DatabaseError:
                logger.warning("search query refused by the backend: %r", terms, exc_info=True)
                problem = _("Pencarian ini tidak dapat diproses. Coba dengan kata lain.")
    context = {"page": home, "self": home}
    context.update(query=query, results=results, search_problem=problem, request=request)
    return TemplateResponse(request, "website/search.html", context)
