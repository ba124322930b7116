from django.conf import settings


def village(request):
    return {
        "current_village": getattr(request, "village", None),
        "district_name": settings.SIDEKEM_DISTRICT_NAME,
    }
