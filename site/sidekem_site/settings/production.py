"""Production: PostgreSQL (DATABASE_URL), Redis (REDIS_URL), HTTPS behind a proxy."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set in production")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production (e.g. .desa.example.id)")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")

# A CDN instead of (or besides) Varnish (README.md, "Production"): Wagtail's Cloudflare backend
# purges the same URLs through Cloudflare's API; a village-wide change purges every known URL of
# that village (a CDN has no ban by host here).
if os.environ.get("SIDEKEM_CLOUDFLARE_ZONE_ID"):
    if not os.environ.get("SIDEKEM_CLOUDFLARE_TOKEN"):
        raise ImproperlyConfigured("SIDEKEM_CLOUDFLARE_ZONE_ID needs SIDEKEM_CLOUDFLARE_TOKEN")
    WAGTAILFRONTENDCACHE = {
        **WAGTAILFRONTENDCACHE,  # noqa: F405
        "cloudflare": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "ZONEID": os.environ["SIDEKEM_CLOUDFLARE_ZONE_ID"],
            "BEARER_TOKEN": os.environ["SIDEKEM_CLOUDFLARE_TOKEN"],
        },
    }
