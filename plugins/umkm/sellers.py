"""One-time sign-in links and the seller session of the seller area.

The village operator issues a link for a seller (plugins/umkm/admin_views.py): a random token of
256 bits whose SHA-256 alone is stored (``SellerSignInLink``), valid for ``LINK_MINUTES``, used
once, and at most ``LINKS_PER_HOUR`` issued per seller per hour. It is sent by e-mail (Django
mail) or handed to the operator as a WhatsApp click-to-chat link with the text prefilled.

The link opens a confirmation page on the village host; only its POST redeems the token (link
previews of chat apps fetch a URL with GET and must not use it up). Redeeming stores the seller
in the Django session under its own key ``SESSION_KEY`` with the village and an end time
(``SESSION_HOURS``); every seller view reads it back with :func:`current_seller`, which answers
only for the request's own village.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Seller, SellerSignInLink

LINK_MINUTES = 30
LINKS_PER_HOUR = 5
SESSION_HOURS = 8
SESSION_KEY = "umkm_seller"


class TooManyLinks(Exception):
    """More than ``LINKS_PER_HOUR`` links asked for one seller within an hour."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in_url(seller: Seller, token: str) -> str:
    """The absolute sign-in URL on the seller's village host."""
    root = seller.village.site.root_url
    return f"{root}{reverse('umkm:seller_sign_in')}?{urlencode({'token': token})}"


def issue_link(seller: Seller, user=None) -> tuple[SellerSignInLink, str]:
    """A fresh link for ``seller``: the stored row and the URL (which holds the only copy of
    the token). Raises :class:`TooManyLinks` past the hourly limit."""
    now = timezone.now()
    with transaction.atomic():
        Seller.objects.select_for_update().filter(pk=seller.pk).first()
        recent = SellerSignInLink.objects.filter(
            seller=seller, created_at__gte=now - timedelta(hours=1)
        ).count()
        if recent >= LINKS_PER_HOUR:
            raise TooManyLinks
        token = secrets.token_urlsafe(32)
        link = SellerSignInLink.objects.create(
            seller=seller,
            village_id=seller.village_id,
            token_hash=token_hash(token),
            expires_at=now + timedelta(minutes=LINK_MINUTES),
            created_by=user if getattr(user, "pk", None) else None,
        )
    return link, sign_in_url(seller, token)


def message_text(seller: Seller, url: str) -> str:
    return _(
        "Halo %(name)s, ini tautan masuk ke halaman penjual %(business)s di situs desa. "
        "Tautan berlaku %(minutes)s menit dan hanya dapat dipakai sekali; jangan teruskan ke "
        "orang lain.\n%(url)s"
    ) % {
        "name": seller.name,
        "business": seller.business.name,
        "minutes": LINK_MINUTES,
        "url": url,
    }


def whatsapp_link(seller: Seller, url: str) -> str:
    """A wa.me click-to-chat link to the seller with the message prefilled (empty without a
    WhatsApp number)."""
    number = seller.whatsapp_number
    if not number:
        return ""
    return f"https://wa.me/{number}?text={quote(message_text(seller, url))}"


def email_link(seller: Seller, url: str) -> bool:
    """Send the link by e-mail; False when the seller has no address or sending failed."""
    if not seller.email:
        return False
    subject = _("Tautan masuk penjual: %(business)s") % {"business": seller.business.name}
    try:
        sent = send_mail(
            subject,
            message_text(seller, url),
            settings.DEFAULT_FROM_EMAIL,
            [seller.email],
        )
    except OSError:
        return False
    return bool(sent)


def redeem(token: str, village_id: int | None) -> Seller | None:
    """The seller of a valid, unused, unexpired link of ``village_id``, marking it used; None
    otherwise (any link of another village, a used or expired one, an inactive seller)."""
    if not token or not village_id or len(token) > 100:
        return None
    now = timezone.now()
    link = (
        SellerSignInLink.objects.select_related("seller__business")
        .filter(
            token_hash=token_hash(token),
            village_id=village_id,
            seller__village_id=village_id,
            seller__business__village_id=village_id,
            seller__active=True,
        )
        .first()
    )
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    claimed = SellerSignInLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now)
    if claimed != 1:
        return None  # used by a concurrent request
    seller = link.seller
    Seller.objects.filter(pk=seller.pk).update(last_signed_in_at=now)
    return seller


def start_session(request, seller: Seller) -> None:
    request.session.cycle_key()
    until = timezone.now() + timedelta(hours=SESSION_HOURS)
    request.session[SESSION_KEY] = {
        "seller": seller.pk,
        "village": seller.village_id,
        "until": until.timestamp(),
    }


def end_session(request) -> None:
    request.session.pop(SESSION_KEY, None)


def session_village(request) -> int | None:
    data = request.session.get(SESSION_KEY)
    return data.get("village") if isinstance(data, dict) else None


def current_seller(request) -> Seller | None:
    """The signed-in seller of the request's village, or None (no session, expired, another
    village's session, an inactive seller or one moved to another village)."""
    data = request.session.get(SESSION_KEY)
    village_id = getattr(request, "village_id", None)
    if not isinstance(data, dict) or not village_id or data.get("village") != village_id:
        return None
    seller_id = data.get("seller")
    if not isinstance(seller_id, int) or data.get("until", 0) <= timezone.now().timestamp():
        end_session(request)
        return None
    return (
        Seller.objects.select_related("business")
        .filter(
            pk=seller_id,
            village_id=village_id,
            business__village_id=village_id,
            active=True,
        )
        .first()
    )
