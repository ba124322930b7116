"""The one idempotent service that creates a village and everything it needs.

Used by ``manage.py village create``, ``manage.py provision_district``, the village admin and the
bulk village import. Running it again for the same village changes nothing; the returned
``changes`` list says what was done.

A new village's hostname and slug come from :func:`village_address`, the one place that derives
them (the command, the import's preview and confirm and :func:`provision_village` all use it).
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
)
from wagtail_localize.operations import translate_object

from core.pluginhost.switches import ensure_switches
from core.villages import wilayah
from core.villages.models import VILLAGE_CODE_RE, Kecamatan, Village
from core.villages.roles import ROLE_LABELS, grant_role_permissions, permissions_by_key
from core.website.models import DistrictHomePage, VillageHomePage

HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)
#: The shape of a village code, PP.RR.KK.VVVV. The serial VVVV of a kelurahan starts with 1, of
#: a desa with 2 (``VILLAGE_CODE_RE`` of core/villages/models.py).
CODE_SHAPE_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
LABEL_MAX = 63  # one DNS label

EDITOR_PAGE_PERMS = ["add_page", "change_page", "publish_page", "lock_page"]
MODERATOR_PAGE_PERMS = [*EDITOR_PAGE_PERMS, "unlock_page", "bulk_delete_page"]
EDITOR_MEDIA_PERMS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
MODERATOR_MEDIA_PERMS = [
    *EDITOR_MEDIA_PERMS,
    ("wagtailimages", "delete_image"),
    ("wagtaildocs", "delete_document"),
]


class ProvisioningError(Exception):
    """A village that cannot be provisioned as asked; the (Indonesian) message says why."""


@dataclass
class VillageSpec:
    code: str
    name: str
    kecamatan_code: str
    kecamatan_name: str = ""
    hostname: str = ""  # empty: derived by village_address()
    port: int | None = None
    kind: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    latitude: object = None
    longitude: object = None
    domain: str = ""  # of a derived hostname; default SIDEKEM_VILLAGE_DOMAIN

    def resolved_kind(self) -> str:
        if self.kind:
            return self.kind
        return Village.Kind.KELURAHAN if self.code[-4] == "1" else Village.Kind.DESA

    def resolved_kecamatan_name(self) -> str:
        """The kecamatan's name for a new Kecamatan: given, else the official one, else its code."""
        if self.kecamatan_name.strip():
            return self.kecamatan_name.strip()
        area = official_kecamatan().get(self.kecamatan_code)
        return area.name if area else self.kecamatan_code


@dataclass(frozen=True)
class VillageAddress:
    """Where a village's site lives: its hostname and the village's slug."""

    hostname: str
    slug: str
    existing: bool = False  # the village exists already: its own hostname and slug
    note: str = ""  # why a derived hostname is not simply the village's name


@dataclass
class ProvisionResult:
    village: Village
    created: bool
    changes: list[str] = field(default_factory=list)
    address: VillageAddress | None = None


# --- The official list (core/villages/wilayah.py) -----------------------------------------------


@cache
def official_villages() -> dict[str, wilayah.Area]:
    return {area.code: area for area in wilayah.villages()}


@cache
def official_kecamatan() -> dict[str, wilayah.Area]:
    return {area.code: area for area in wilayah.kecamatan_list()}


@cache
def _official_codes_by_name() -> dict[str, frozenset[str]]:
    codes: dict[str, set[str]] = {}
    for area in wilayah.villages():
        codes.setdefault(slugify(area.name), set()).add(area.code)
    return {name: frozenset(found) for name, found in codes.items()}


@dataclass(frozen=True)
class CodeCheck:
    """What a village code is: official (``area``), unknown to the list, or unusable."""

    code: str
    area: wilayah.Area | None = None
    error: str = ""  # why the code cannot be used at all

    @property
    def listed(self) -> bool:
        return self.area is not None


def unlisted_code_message(code: str) -> str:
    return _("Kode %(code)s tidak ada di daftar resmi desa/kelurahan %(district)s.") % {
        "code": code,
        "district": settings.SIDEKEM_DISTRICT_NAME,
    }


def check_village_code(code: str) -> CodeCheck:
    """Tell a malformed code (not PP.RR.KK.VVVV) from one that is well formed but not in the
    official list; an unlisted code whose serial is neither 1xxx nor 2xxx cannot be used."""
    code = code.strip()
    if not CODE_SHAPE_RE.match(code):
        return CodeCheck(
            code,
            error=_(
                "Kode wilayah '%(code)s' salah bentuk: harus PP.RR.KK.VVVV (angka), "
                "mis. 33.27.07.2013."
            )
            % {"code": code},
        )
    area = official_villages().get(code)
    if area is None and not VILLAGE_CODE_RE.match(code):
        return CodeCheck(
            code,
            error=unlisted_code_message(code)
            + " "
            + _("Nomor urut %(serial)s pun tidak bisa dipakai: kelurahan 1xxx, desa 2xxx.")
            % {"serial": code[-4:]},
        )
    return CodeCheck(code, area=area)


# --- Hostname and slug --------------------------------------------------------------------------


def hostname_owner(hostname: str, code: str = "") -> str:
    """Who uses ``hostname`` other than the village ``code`` ("" if nobody), for messages."""
    site = Site.objects.filter(hostname=hostname).exclude(village__code=code).first()
    if site is None:
        return ""
    village = Village.objects.filter(site=site).first()
    if village is not None:
        return f"{village} ({village.code})"
    return _("situs %(name)s") % {"name": site.site_name or site.hostname}


def _fit(prefix: str, suffix: str = "") -> str:
    return prefix[: LABEL_MAX - len(suffix)].strip("-") + suffix


def _candidate_labels(spec: VillageSpec, kecamatan_name: str) -> tuple[list[str], bool]:
    """Labels to try, best first, and whether the plain name is shared in the official list.

    A name that several villages of the official list share (Kuta, Sarwodadi) is never used
    alone, so which of them is provisioned first does not matter; the kecamatan's name tells
    them apart, and the code's digits are the last resort.
    """
    name = slugify(spec.name) or "desa"
    kecamatan = slugify(kecamatan_name)
    digits = spec.code.replace(".", "")
    shared = bool(_official_codes_by_name().get(name, frozenset()) - {spec.code})
    qualified = _fit(f"{name}-{kecamatan}") if kecamatan and kecamatan != name else _fit(name)
    labels = [] if shared else [_fit(name)]
    labels += [qualified, _fit(qualified, f"-{digits[-4:]}"), _fit(qualified, f"-{digits}")]
    return list(dict.fromkeys(labels)), shared


def village_address(
    spec: VillageSpec,
    *,
    claimed_hostnames: Container[str] = frozenset(),
    claimed_slugs: Container[str] = frozenset(),
) -> VillageAddress:
    """The hostname and slug of the village ``spec`` describes: the ONE place they are derived.

    An existing village keeps its own. A new one gets ``spec.hostname`` if given (an error if
    another site uses it), else ``<name>.<domain>``; a name that would collide (it is shared in
    the official list, or taken) becomes ``<name>-<kecamatan>``, then gets the code's digits.
    The slug follows the same labels. ``claimed_*`` are taken too (earlier rows of an import
    file). Deterministic: the same spec and database give the same answer.
    """
    village = Village.objects.select_related("site").filter(code=spec.code).first()
    if village is not None:
        return VillageAddress(village.site.hostname, village.slug, existing=True)

    kecamatan = Kecamatan.objects.filter(code=spec.kecamatan_code).first()
    kecamatan_name = kecamatan.name if kecamatan else spec.resolved_kecamatan_name()
    labels, shared = _candidate_labels(spec, kecamatan_name)
    domain = (spec.domain or settings.SIDEKEM_VILLAGE_DOMAIN).strip().lower().strip(".")

    def slug_free(slug: str) -> bool:
        return slug not in claimed_slugs and not (
            Village.objects.filter(slug=slug).exclude(code=spec.code).exists()
        )

    def host_free(hostname: str) -> bool:
        return hostname not in claimed_hostnames and not hostname_owner(hostname, spec.code)

    if spec.hostname.strip():
        hostname = spec.hostname.strip().lower()
        if not HOSTNAME_RE.match(hostname):
            raise ProvisioningError(_("nama host '%(h)s' tidak sah") % {"h": hostname})
        owner = hostname_owner(hostname, spec.code)
        if owner or hostname in claimed_hostnames:
            raise ProvisioningError(
                _(
                    "Nama host %(h)s sudah dipakai %(owner)s. Pilih nama host lain, atau "
                    "kosongkan agar dibuat otomatis."
                )
                % {"h": hostname, "owner": owner or _("desa lain di berkas ini")}
            )
        slug = next((label for label in labels if slug_free(label)), None)
        if slug is None:
            raise ProvisioningError(
                _("Tidak ada slug bebas untuk %(name)s (dicoba: %(tried)s).")
                % {"name": spec.name, "tried": ", ".join(labels)}
            )
        return VillageAddress(hostname, slug)

    taken = []
    for label in labels:
        hostname = f"{label}.{domain}"
        if host_free(hostname) and slug_free(label):
            notes = []
            if shared:
                notes.append(
                    _("nama %(name)s dipakai lebih dari satu desa/kelurahan di daftar resmi")
                    % {"name": spec.name}
                )
            if taken:
                notes.append(_("%(hosts)s sudah dipakai") % {"hosts": ", ".join(taken)})
            return VillageAddress(hostname, label, note="; ".join(notes))
        taken.append(hostname)
    raise ProvisioningError(
        _(
            "Tidak ada nama host bebas untuk %(name)s (%(code)s): %(hosts)s sudah dipakai. "
            "Berikan nama host sendiri."
        )
        % {"name": spec.name, "code": spec.code, "hosts": ", ".join(taken)}
    )


def ensure_locales() -> tuple[Locale, Locale]:
    locales = {}
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        locales[code], _new = Locale.objects.get_or_create(language_code=code)
    return locales[settings.LANGUAGE_CODE], locales["en"]


def _tree_root(locale: Locale) -> Page:
    """Wagtail's root page (created by its migrations; recreated on a flushed database)."""
    return Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Semua situs", slug="root", locale=locale)
    )


@transaction.atomic
def ensure_district_portal(
    title: str | None = None, hostname: str | None = None, port: int | None = None
) -> DistrictHomePage:
    """Make the district portal the root of the default Site (replacing Wagtail's welcome page)."""
    id_locale, _en = ensure_locales()
    portal = DistrictHomePage.objects.filter(locale=id_locale).first()
    root = _tree_root(id_locale)
    if portal is None:
        portal = DistrictHomePage(
            title=title or settings.SIDEKEM_DISTRICT_NAME,
            slug="portal-kabupaten",
            locale=id_locale,
            intro=f"<p>Portal desa dan kelurahan {settings.SIDEKEM_DISTRICT_NAME}.</p>",
        )
        root.add_child(instance=portal)
        portal.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    hostname = hostname or settings.SIDEKEM_PORTAL_HOSTNAME
    port = port or settings.SIDEKEM_SITE_PORT
    if site is None:
        site = Site(is_default_site=True)
    if (site.root_page_id, site.hostname, site.port) != (portal.pk, hostname, port):
        old_root_id = site.root_page_id
        site.root_page = portal
        site.hostname = hostname
        site.port = port
        site.site_name = title or settings.SIDEKEM_DISTRICT_NAME
        site.save()
        # Remove Wagtail's placeholder "Welcome" page once nothing points at it.
        if old_root_id and old_root_id != portal.pk:
            old = Page.objects.filter(pk=old_root_id, content_type__model="page").first()
            if old and not Site.objects.filter(root_page_id=old.pk).exists():
                old.delete()
    return portal


def district_portal(
    hostname: str | None = None, port: int | None = None
) -> tuple[DistrictHomePage, bool]:
    """The district portal and whether it was made now. Only a missing portal is made (by
    :func:`ensure_district_portal`, with ``hostname`` and ``port``); an existing portal's Site
    keeps the address it was given, whoever provisions a village."""
    id_locale, _en = ensure_locales()
    portal = DistrictHomePage.objects.filter(locale=id_locale).first()
    if portal is not None:
        return portal, False
    return ensure_district_portal(hostname=hostname, port=port), True


@transaction.atomic
def provision_village(spec: VillageSpec, user=None) -> ProvisionResult:
    """Create the village of ``spec`` with everything it needs, or complete an existing one.

    Raises :class:`ProvisioningError` (never an IntegrityError) when the village cannot be
    created as asked, e.g. its given hostname belongs to another site.
    """
    changes: list[str] = []
    id_locale, en_locale = ensure_locales()
    portal, _created = district_portal()

    kecamatan, created = Kecamatan.objects.get_or_create(
        code=spec.kecamatan_code, defaults={"name": spec.resolved_kecamatan_name()}
    )
    if created:
        changes.append(f"kecamatan {kecamatan.code}")

    village = Village.objects.select_related("site").filter(code=spec.code).first()
    created_village = village is None
    if village is None:
        address = village_address(spec)
        port = spec.port or settings.SIDEKEM_SITE_PORT
        try:
            with transaction.atomic():
                # The Site needs a root page and the home page needs the village: start the Site
                # on the portal and move it to the village home page below.
                site = Site.objects.create(
                    hostname=address.hostname,
                    port=port,
                    root_page=portal,
                    site_name=f"Desa {spec.name}",
                )
                village = Village.objects.create(
                    site=site,
                    code=spec.code,
                    name=spec.name,
                    slug=address.slug,
                    kind=spec.resolved_kind(),
                    kecamatan=kecamatan,
                    address=spec.address,
                    phone=spec.phone,
                    email=spec.email,
                    latitude=spec.latitude,
                    longitude=spec.longitude,
                )
        except IntegrityError as exc:  # another process took the hostname, slug or code just now
            raise ProvisioningError(
                _(
                    "%(name)s (%(code)s) tidak dapat dibuat: nama host %(h)s atau slug %(slug)s "
                    "baru saja dipakai proses lain (%(error)s). Jalankan lagi."
                )
                % {
                    "name": spec.name,
                    "code": spec.code,
                    "h": address.hostname,
                    "slug": address.slug,
                    "error": exc,
                }
            ) from exc
        changes.append(f"village {village.code}")
    else:
        address = VillageAddress(village.site.hostname, village.slug, existing=True)

    home = _ensure_home_page(village, id_locale, changes)
    if village.site.root_page_id != home.pk:
        village.site.root_page = home
        village.site.site_name = str(village)
        village.site.save()
        changes.append("site root")
    en_home = _ensure_translation(home, en_locale, user, changes)
    _ensure_collection(village, changes)
    _ensure_groups(village, [home, en_home], changes)
    ensure_switches(village, user, changes)
    return ProvisionResult(
        village=village, created=created_village, changes=changes, address=address
    )


def _ensure_home_page(village: Village, locale: Locale, changes: list[str]) -> VillageHomePage:
    home = VillageHomePage.objects.filter(village=village, locale=locale).first()
    if home is None:
        root = _tree_root(locale)
        home = VillageHomePage(
            title=str(village),
            slug=village.slug,
            village=village,
            locale=locale,
            intro=f"<p>Selamat datang di situs resmi {village}.</p>",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        changes.append("home page (id)")
    return home


def _ensure_translation(home, locale, user, changes):
    existing = VillageHomePage.objects.filter(
        translation_key=home.translation_key, locale=locale
    ).first()
    if existing:
        return existing
    translate_object(home, [locale], user=user)
    changes.append(f"home page ({locale.language_code})")
    return VillageHomePage.objects.get(translation_key=home.translation_key, locale=locale)


def _ensure_collection(village: Village, changes: list[str]) -> None:
    if village.collection_id:
        return
    root = Collection.get_first_root_node() or Collection.add_root(name="Semua koleksi")
    collection = root.add_child(name=f"{village} ({village.code})")
    village.collection = collection
    village.save(update_fields=["collection"])
    changes.append("collection")


ROLE_PAGE_PERMS = {
    "editors_group": EDITOR_PAGE_PERMS,
    "moderators_group": MODERATOR_PAGE_PERMS,
    "officers_group": [],
}
ROLE_MEDIA_PERMS = {
    "editors_group": EDITOR_MEDIA_PERMS,
    "moderators_group": MODERATOR_MEDIA_PERMS,
    "officers_group": [],
}


def _ensure_rules(model, scope: dict, wanted: dict, changes: list[str]) -> None:
    """Create the (group, object, permission) rules of ``wanted`` that do not exist yet.

    ``scope`` filters the rule table to this village's objects; ``wanted`` maps
    (group_id, object_id, permission_id) to a change description.
    """
    object_field = next(iter(scope)).removesuffix("__in")
    existing = set(
        model.objects.filter(**scope).values_list("group_id", f"{object_field}_id", "permission_id")
    )
    missing = [key for key in wanted if key not in existing]
    model.objects.bulk_create(
        [model(group_id=g, permission_id=p, **{f"{object_field}_id": o}) for g, o, p in missing]
    )
    changes.extend(wanted[key] for key in missing)


def _ensure_groups(village: Village, home_pages: list[Page], changes: list[str]) -> None:
    keys = [("wagtailadmin", "access_admin")]
    keys += [("wagtailcore", c) for perms in ROLE_PAGE_PERMS.values() for c in perms]
    keys += [k for perms in ROLE_MEDIA_PERMS.values() for k in perms]
    perms = permissions_by_key(keys)
    access_admin = perms[("wagtailadmin", "access_admin")]

    dirty = False
    page_rules, collection_rules = {}, {}
    for attr, label in ROLE_LABELS.items():
        group = getattr(village, attr)
        if group is None:
            group, _new = Group.objects.get_or_create(name=f"{village} ({village.code}) · {label}")
            setattr(village, attr, group)
            dirty = True
            changes.append(f"group {label}")
        if not group.permissions.filter(pk=access_admin.pk).exists():
            group.permissions.add(access_admin)
            changes.append(f"{label}: access_admin")
        for page in home_pages:
            for codename in ROLE_PAGE_PERMS[attr]:
                perm = perms[("wagtailcore", codename)]
                page_rules[(group.pk, page.pk, perm.pk)] = f"{label}: {codename} on {page.pk}"
        for key in ROLE_MEDIA_PERMS[attr]:
            collection_rules[(group.pk, village.collection_id, perms[key].pk)] = (
                f"{label}: {key[1]}"
            )
    if dirty:
        village.save(update_fields=list(ROLE_LABELS))
    _ensure_rules(GroupPagePermission, {"page__in": home_pages}, page_rules, changes)
    _ensure_rules(
        GroupCollectionPermission,
        {"collection__in": [village.collection_id]},
        collection_rules,
        changes,
    )
    grant_role_permissions(village, changes)
