"""Let nginx send a document once Wagtail's serve view has checked its privacy.

Wagtail's document view hands the file to the ``SENDFILE_BACKEND`` module after the
``before_serve_document`` hooks and the collection's privacy check have passed; this backend
answers with an empty response whose ``X-Accel-Redirect`` names the file under the internal
nginx location ``SIDEKEM_ACCEL_REDIRECT_PREFIX`` (an alias of MEDIA_ROOT that clients cannot
request themselves). settings/base.py switches it on; README.md (Production) has the nginx part.
"""

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpResponse


def sendfile(request, filename, **kwargs):
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        relative = Path(filename).resolve().relative_to(root)
    except ValueError:
        raise Http404 from None  # never a file outside MEDIA_ROOT
    prefix = settings.SIDEKEM_ACCEL_REDIRECT_PREFIX.rstrip("/")
    response = HttpResponse()
    response["X-Accel-Redirect"] = quote(f"{prefix}/{relative.as_posix()}")
    return response
