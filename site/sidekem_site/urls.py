import posixpath
import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.http import Http404
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core.pluginhost.enforcement import plugin_urlpatterns
from core.website import urls as website_urls
from core.website.sitemaps import sitemap
from core.website.views import favicon, robots_txt

# Uploads Django serves in development (DEBUG): images only, renditions and originals. Documents
# never have a public file path: Wagtail's view serves them at /documents/<id>/<name>
# (WAGTAILDOCS_SERVE_METHOD in settings/base.py) after checking the privacy of their collection.
# README.md (Production) gives nginx the same rule.
PUBLIC_MEDIA_DIRS = ("images", "original_images")


def serve_public_media(request, path):
    clean = posixpath.normpath(path).lstrip("/")
    if clean.split("/", 1)[0] not in PUBLIC_MEDIA_DIRS:
        raise Http404
    return serve(request, clean, document_root=settings.MEDIA_ROOT)


def media_urlpatterns() -> list:
    prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    return [re_path(rf"^{prefix}(?P<path>.+)$", serve_public_media)]


urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include(website_urls)),
    *plugin_urlpatterns(),
]


if settings.DEBUG:
    urlpatterns += media_urlpatterns()

urlpatterns += i18n_patterns(
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
