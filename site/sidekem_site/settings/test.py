"""Test runs: SQLite in memory by default; PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set."""

import os
from pathlib import Path

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, SIDEKEM_PLUGINS, STORAGES

SECRET_KEY = "test-only-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
if not os.environ.get("DATABASE_URL"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SIDEKEM_SITE_PORT = 80
# The plugin that exists only for the tests: it exercises every enforcement point.
INSTALLED_APPS = ["tests.sample_plugin", *INSTALLED_APPS, "core.demo"]
SIDEKEM_PLUGINS = [*SIDEKEM_PLUGINS, "tests.sample_plugin"]
SIDEKEM_IMPORT_TMP_DIR = Path(os.environ.get("TMPDIR", "/tmp")) / "sidekem-test-imports"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Page cache off by default in tests (ids are reused across rolled-back tests); the cache
# tests switch it on explicitly.
SIDEKEM_PAGE_CACHE_SECONDS = 0

# Tests clear the cache between tests; keep it in its own Redis database so that never touches
# the Celery broker's queues (database 0).
if os.environ.get("REDIS_URL"):
    _base = os.environ["REDIS_URL"].rstrip("/")
    _root = _base.rsplit("/", 1)[0] if _base.count("/") > 2 else _base
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"{_root}/{os.environ.get('TEST_CACHE_REDIS_DB', '1')}",
            "KEY_PREFIX": "sidekem-test",
        }
    }

# Tasks run in process in tests (imports, mail); tests/test_celery_worker.py switches the Celery
# app to its real Redis broker and worker for the end-to-end path.
CELERY_TASK_ALWAYS_EAGER = True
