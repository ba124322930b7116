"""Local demo: SQLite, in-process tasks, *.localhost villages on port 8000."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env_list

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-change-me"  # noqa: F405
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,.localhost,127.0.0.1,testserver")
SIDEKEM_SITE_PORT = int(__import__("os").environ.get("SIDEKEM_SITE_PORT", "8000"))
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# seed_demo lives in its own app, installed only where the demo is loaded.
INSTALLED_APPS = [*INSTALLED_APPS, "core.demo"]
