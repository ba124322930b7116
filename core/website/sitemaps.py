"""One sitemap per site: every live public page of this site's tree, in every language."""

from __future__ import annotations

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page

from core.pluginhost.enforcement import exclude_disabled_plugin_pages
from core.website.restrictions import public


class SiteSitemap(Sitemap):
    def items(self):
        site = self.get_wagtail_site()
        roots = Page.objects.filter(translation_key=site.root_page.translation_key).values_list(
            "path", flat=True
        )
        scope = Q(pk__in=[])
        for path in roots:
            scope |= Q(path__startswith=path)
        pages = public(Page.objects.all()).filter(scope)
        pages = exclude_disabled_plugin_pages(pages, site)
        return pages.order_by("path").defer_streamfields().specific(defer=True)


def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"pages": SiteSitemap(request)})
