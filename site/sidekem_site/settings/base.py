"""Settings shared by every run mode. Everything deploy-specific comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from sidekem_site.plugin_discovery import discover_plugins

PROJECT_DIR = Path(__file__).resolve().parent.parent  # site/sidekem_site
BASE_DIR = Path(os.environ.get("SIDEKEM_DATA_DIR", PROJECT_DIR.parent.parent)).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SIDEKEM_PLUGIN_DENYLIST = env_list("SIDEKEM_PLUGIN_DENYLIST")
# Fernet keys for personal data and credentials at rest (core/villages/crypto.py), newest first;
# empty: a key derived from SECRET_KEY. Generate one with
# `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.
SIDEKEM_FIELD_ENCRYPTION_KEYS = env_list("SIDEKEM_FIELD_ENCRYPTION_KEYS")
SIDEKEM_PLUGINS = discover_plugins(SIDEKEM_PLUGIN_DENYLIST)

# Core's apps, top layer first (the import-linter layers contract in pyproject.toml keeps each
# one importing only those below it); plugins come before them so their templates may override.
CORE_APPS = [
    "core.dashboard",
    "core.villagedata",
    "core.website",
    "core.provisioning",
    "core.confinement",
    "core.imports",
    "core.pluginhost",
    "core.villages",
]

INSTALLED_APPS = [
    *SIDEKEM_PLUGINS,
    *CORE_APPS,
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "import_export",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Answers anonymous visitors from the page cache before anything below runs, stores the
    # final response, and marks personal responses private (core/website/cache.py).
    "core.website.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.villages.middleware.VillageMiddleware",
    "core.confinement.middleware.AdminVillageScopeMiddleware",
    "core.pluginhost.admin.PluginAdminGateMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# Pages are never framed; Wagtail's preview views allow their own admin to frame them.
X_FRAME_OPTIONS = "DENY"

ROOT_URLCONF = "sidekem_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "core.villages.context_processors.village",
            ],
        },
    },
]

WSGI_APPLICATION = "sidekem_site.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One shared cache whenever Redis is configured: Wagtail keeps site root paths in the default
# cache, and plugin switches are cached there too; a per-process cache goes stale across workers.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "sidekem"),
            "TIMEOUT": 3600,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Bahasa Indonesia first (content and admin), English second.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WAGTAIL_SITE_NAME = os.environ.get("SIDEKEM_DISTRICT_NAME", "Kabupaten Pemalang")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "csv", "txt", "jpg", "png"]
# Documents are only ever served by Wagtail's view (/documents/<id>/<name>), which checks the
# privacy of their collection first: "redirect" or "direct" would hand out their public /media/
# path. Behind nginx the view may leave sending the file to nginx after that check
# (X-Accel-Redirect to an internal location aliasing MEDIA_ROOT; README.md, Production).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
SIDEKEM_ACCEL_REDIRECT_PREFIX = os.environ.get("SIDEKEM_ACCEL_REDIRECT_PREFIX", "")
if SIDEKEM_ACCEL_REDIRECT_PREFIX:
    SENDFILE_BACKEND = "sidekem_site.sendfile_nginx"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILLOCALIZE_ENABLE_MACHINE_TRANSLATION = False
# Never synchronise locale trees: it would alias every village's pages.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SIDEKEM_IMPORT_MAX_BYTES = 5 * 1024 * 1024
SIDEKEM_IMPORT_TMP_DIR = BASE_DIR / "var" / "imports"
# Whole-page cache for anonymous visitors (core/website/cache.py); 0 switches it off, and the
# public HTTP caching headers with it. Public pages tell browsers to keep them
# SIDEKEM_BROWSER_CACHE_SECONDS (max-age) and shared caches, a front cache such as Varnish,
# SIDEKEM_PROXY_CACHE_SECONDS (s-maxage; by default as long as the page cache keeps them).
SIDEKEM_PAGE_CACHE_SECONDS = int(os.environ.get("SIDEKEM_PAGE_CACHE_SECONDS", "300"))
SIDEKEM_BROWSER_CACHE_SECONDS = int(os.environ.get("SIDEKEM_BROWSER_CACHE_SECONDS", "60"))
SIDEKEM_PROXY_CACHE_SECONDS = int(
    os.environ.get("SIDEKEM_PROXY_CACHE_SECONDS", SIDEKEM_PAGE_CACHE_SECONDS)
)
# Parts of public pages (header, menu, footer, home and article bodies) kept in the cache
# between publishes, whether the page cache is on or off (core/website/fragments.py); 0 = off.
SIDEKEM_FRAGMENT_CACHE_SECONDS = int(os.environ.get("SIDEKEM_FRAGMENT_CACHE_SECONDS", "300"))
# Front cache: Varnish with deploy/varnish/sidekem.vcl in front of the application (README.md,
# "Production"). With SIDEKEM_VARNISH_URL (e.g. http://127.0.0.1:6081) publishing purges the
# pages it changes there and village-wide changes ban the village's host, after commit
# (core/website/frontend_cache.py); each request waits at most SIDEKEM_VARNISH_TIMEOUT seconds.
# Without it nothing is sent. Wagtail's frontend-cache backends read WAGTAILFRONTENDCACHE; its
# app (wagtail.contrib.frontend_cache) is not installed, and both language versions are purged
# by their own URLs (no WAGTAILFRONTENDCACHE_LANGUAGES expansion).
SIDEKEM_VARNISH_URL = os.environ.get("SIDEKEM_VARNISH_URL", "")
SIDEKEM_VARNISH_TIMEOUT = float(os.environ.get("SIDEKEM_VARNISH_TIMEOUT", "2"))
WAGTAILFRONTENDCACHE: dict[str, dict] = {}
if SIDEKEM_VARNISH_URL:
    WAGTAILFRONTENDCACHE["varnish"] = {
        "BACKEND": "core.website.frontend_cache.VarnishBackend",
        "LOCATION": SIDEKEM_VARNISH_URL,
        "TIMEOUT": SIDEKEM_VARNISH_TIMEOUT,
    }
WAGTAILFRONTENDCACHE_LANGUAGES: list[str] = []
# Reverse proxies in front of the application (core/website/ratelimit.py): with N, the client is
# the Nth address from the right of X-Forwarded-For; 0 uses REMOTE_ADDR. Behind the nginx of
# README.md ("Production") that is 1; never more than the proxies that really append to it.
SIDEKEM_TRUSTED_PROXY_COUNT = int(os.environ.get("SIDEKEM_TRUSTED_PROXY_COUNT", "0"))
# Contact form (core/website/forms.py): messages per client and village, and per village (both
# language versions of the contact page count), in a window of SIDEKEM_CONTACT_LIMIT_WINDOW
# seconds; 0 switches a limit off.
SIDEKEM_CONTACT_LIMIT_PER_CLIENT = int(os.environ.get("SIDEKEM_CONTACT_LIMIT_PER_CLIENT", "5"))
SIDEKEM_CONTACT_LIMIT_PER_VILLAGE = int(os.environ.get("SIDEKEM_CONTACT_LIMIT_PER_VILLAGE", "60"))
SIDEKEM_CONTACT_LIMIT_WINDOW = int(os.environ.get("SIDEKEM_CONTACT_LIMIT_WINDOW", "3600"))

# Multi-site: hostnames and port of new village sites.
SIDEKEM_PORTAL_HOSTNAME = os.environ.get("SIDEKEM_PORTAL_HOSTNAME", "localhost")
SIDEKEM_SITE_PORT = int(os.environ.get("SIDEKEM_SITE_PORT", "443"))
SIDEKEM_VILLAGE_DOMAIN = os.environ.get("SIDEKEM_VILLAGE_DOMAIN", "localhost")

# Celery: a real worker with Redis, in-process tasks without it (demo needs no services).
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"sidekem": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# Human-readable names used in templates that do not have a translation context.
SIDEKEM_DISTRICT_NAME = WAGTAIL_SITE_NAME
SIDEKEM_DISTRICT_CODE = os.environ.get("SIDEKEM_DISTRICT_CODE", "33.27")
