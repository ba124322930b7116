from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def village(request: HttpRequest) -> dict[str, Any]:
    return {
        "current_village": getattr(request, "village", None),
        "district_name": settings.SIDEKEM_DISTRICT_NAME,
    }
