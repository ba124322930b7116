"""The one idempotent service that creates a village and everything it needs.

Used by ``manage.py village create``, the village admin and the bulk village import. Running it
again for the same village changes nothing; the returned ``changes`` list says what was done.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify
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
from core.villages.models import Kecamatan, Village
from core.villages.roles import ROLE_LABELS, grant_role_permissions, permissions_by_key
from core.website.models import DistrictHomePage, VillageHomePage

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


@dataclass
class VillageSpec:
    code: str
    name: str
    kecamatan_code: str
    kecamatan_name: str = ""
    hostname: str = ""
    port: int | None = None
    kind: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    latitude: object = None
    longitude: object = None

    def resolved_kind(self) -> str:
        if self.kind:
            return self.kind
        return Village.Kind.KELURAHAN if self.code[-4] == "1" else Village.Kind.DESA

    def resolved_hostname(self) -> str:
        if self.hostname:
            return self.hostname.strip().lower()
        return f"{slugify(self.name)}.{settings.SIDEKEM_VILLAGE_DOMAIN}"


@dataclass
class ProvisionResult:
    village: Village
    created: bool
    changes: list[str] = field(default_factory=list)


def ensure_locales() -> tuple[Locale, Locale]:
    locales = {}
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        locales[code], _ = Locale.objects.get_or_create(language_code=code)
    return locales[settings.LANGUAGE_CODE], locales["en"]


def _tree_root(locale: Locale) -> Page:
    """Wagtail's root page (created by its migrations; recreated on a flushed database)."""
    return Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
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


def _unique_slug(base: str, code: str) -> str:
    slug = slugify(base) or "desa"
    if Village.objects.filter(slug=slug).exclude(code=code).exists():
        slug = f"{slug}-{code.replace('.', '')[-6:]}"
    return slug


@transaction.atomic
def provision_village(spec: VillageSpec, user=None) -> ProvisionResult:
    changes: list[str] = []
    id_locale, en_locale = ensure_locales()
    portal = ensure_district_portal()

    kecamatan, created = Kecamatan.objects.get_or_create(
        code=spec.kecamatan_code, defaults={"name": spec.kecamatan_name or spec.kecamatan_code}
    )
    if created:
        changes.append(f"kecamatan {kecamatan.code}")

    village = Village.objects.select_related("site").filter(code=spec.code).first()
    created_village = village is None
    if created_village:
        hostname = spec.resolved_hostname()
        port = spec.port or settings.SIDEKEM_SITE_PORT
        # The Site needs a root page and the home page needs the village: start the Site on the
        # portal and move it to the village home page below, all in this transaction.
        site = Site.objects.create(
            hostname=hostname, port=port, root_page=portal, site_name=f"Desa {spec.name}"
        )
        village = Village.objects.create(
            site=site,
            code=spec.code,
            name=spec.name,
            slug=_unique_slug(spec.name, spec.code),
            kind=spec.resolved_kind(),
            kecamatan=kecamatan,
            address=spec.address,
            phone=spec.phone,
            email=spec.email,
            latitude=spec.latitude,
            longitude=spec.longitude,
        )
        changes.append(f"village {village.code}")

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
    return ProvisionResult(village=village, created=created_village, changes=changes)


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
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
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
            group, _ = Group.objects.get_or_create(name=f"{village} ({village.code}) · {label}")
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
