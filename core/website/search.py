"""Search within one village and one language (never the whole install)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from core.website import queries

PAGE_SIZE = 10
MAX_QUERY = 200


def search_results(home, query: str):
    pages = queries.public_pages(home)
    return pages.search(query, operator="and")


def search_view(home, request):
    request.sidekem_no_page_cache = True
    query = (request.GET.get("q") or "").strip()[:MAX_QUERY]
    results = None
    if query:
        results = Paginator(search_results(home, query), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    context = {"page": home, "self": home}
    context.update(query=query, results=results, request=request)
    return TemplateResponse(request, "website/search.html", context)
