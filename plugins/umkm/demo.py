"""Demo data of the umkm plugin (``PluginConfig.demo``, called by core's ``seed_demo``).

For a village: four published businesses (a halal-certified snack maker, a batik workshop, a
farmers' group and a catfish farm) with their products and prices, each with a static QRIS
built by the plugin's own codec (:mod:`plugins.umkm.qris`) for a made-up merchant, and the
public catalogue page under the village home.

No WhatsApp number is set: any made-up number may belong to someone, and the order links would
message them. The QRIS codes are demo codes: acquirer ``ID.SIDEKEM.DEMO``, merchant PAN and
NMID made of zeros and the village's digits. They are valid QRIS structures (CRC sealed) so the
pages show them, but no payment provider knows them: a payment app refuses them.

Idempotent: businesses are looked up by name in the village, products by name in the
business, the page under the home page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from core.website.models import VillageHomePage

from . import qris
from .models import Business, Category, Product, Status
from .pages import CataloguePage

PAGE_SLUG = "umkm"
DEMO_ACQUIRER = "ID.SIDEKEM.DEMO"
CITY = "PEMALANG"


@dataclass(frozen=True)
class Item:
    name: str
    price: int
    unit: str
    description: str
    featured: bool = False
    variants: tuple[tuple[str, int | None], ...] = ()
    tiers: tuple[tuple[int, int], ...] = ()  # (minimum order, unit price)


@dataclass(frozen=True)
class Shop:
    name: str
    owner: str
    category: str
    mcc: str  # merchant category code (QRIS tag 52)
    description: str
    hours: str
    items: tuple[Item, ...]
    legal: dict = field(default_factory=dict)


def shops(village) -> list[Shop]:
    digits = "".join(ch for ch in village.code if ch.isdigit())
    return [
        Shop(
            name="Keripik Tempe Mbok Darsih",
            owner="Darsih",
            category=Category.FOOD,
            mcc="5499",
            description=(
                f"Keripik tempe tipis renyah buatan rumah di Desa {village.name}, digoreng "
                "setiap pagi dengan minyak baru. Tanpa pengawet, tanpa penyedap buatan."
            ),
            hours="Senin–Sabtu 07.00–16.00",
            items=(
                Item(
                    "Keripik tempe original 250 g",
                    15_000,
                    "bungkus",
                    "Tempe kedelai lokal, bumbu bawang dan ketumbar.",
                    featured=True,
                    tiers=((10, 13_500), (50, 12_500)),
                ),
                Item(
                    "Keripik tempe pedas daun jeruk 250 g",
                    16_000,
                    "bungkus",
                    "Cabai rawit dan daun jeruk purut.",
                    tiers=((10, 14_500),),
                ),
                Item("Peyek kacang 200 g", 12_000, "bungkus", "Kacang tanah, tepung beras."),
            ),
            legal={
                "spp_irt": f"2063327{digits[-4:]}01-29",
                "halal_certificate": f"ID3311000{digits[-6:]}0125",
            },
        ),
        Shop(
            name="Batik Tulis Sekar Jagad",
            owner="Siti Rahayu",
            category=Category.CRAFTS,
            mcc="5651",
            description=(
                "Batik tulis dan cap motif Pemalangan (kembang, burung, dan ikan) dengan "
                "pewarna alam dan sintetis. Menerima pesanan seragam."
            ),
            hours="Setiap hari 08.00–17.00",
            items=(
                Item(
                    "Kain batik tulis pewarna alam 2 m",
                    450_000,
                    "lembar",
                    "Katun primissima, dikerjakan sekitar tiga minggu.",
                    featured=True,
                ),
                Item(
                    "Kemeja batik cap lengan pendek",
                    185_000,
                    "potong",
                    "Katun, motif Pemalangan.",
                    variants=(("S", None), ("M", None), ("L", None), ("XL", 195_000)),
                    tiers=((12, 165_000),),
                ),
                Item("Selendang batik", 95_000, "lembar", "Sutra sintetis 180 × 50 cm."),
            ),
        ),
        Shop(
            name="Kelompok Tani Sri Rejeki",
            owner="Tarmuji",
            category=Category.AGRICULTURE,
            mcc="5499",
            description=(
                f"Hasil sawah dan kebun anggota kelompok tani Desa {village.name}: beras "
                "giling baru, gula kelapa, dan cabai segar langsung dari petani."
            ),
            hours="Senin–Jumat 08.00–15.00",
            items=(
                Item(
                    "Beras medium 5 kg",
                    72_000,
                    "karung",
                    "Giling baru dari padi panen kelompok.",
                    featured=True,
                    tiers=((10, 69_000),),
                ),
                Item("Gula kelapa 1 kg", 24_000, "kg", "Gula cetak dari nira kelapa."),
                Item("Cabai merah keriting", 38_000, "kg", "Harga mengikuti panen."),
            ),
        ),
        Shop(
            name="Lele Segar Mina Makmur",
            owner="Casmadi",
            category=Category.LIVESTOCK,
            mcc="5422",
            description="Budidaya lele di kolam terpal, dijual hidup atau sudah dibersihkan.",
            hours="Setiap hari 06.00–12.00",
            items=(
                Item(
                    "Lele segar isi 7–8 ekor",
                    24_000,
                    "kg",
                    "Ditimbang saat diambil.",
                    tiers=((10, 22_000),),
                ),
                Item("Lele asap", 85_000, "kg", "Diasap dengan sabut kelapa."),
            ),
        ),
    ]


def demo_qris(village, index: int, shop: Shop) -> str:
    """A static QRIS of a made-up merchant, built field by field and sealed with its CRC."""
    digits = "".join(ch for ch in village.code if ch.isdigit())  # 10 digits
    serial = f"{digits}{index:02d}"
    fields = [
        qris.Field("00", "01"),
        qris.Field("01", "11"),
        qris.template(
            "26",
            [
                qris.Field("00", DEMO_ACQUIRER),
                qris.Field("01", f"936000000{serial[-9:]}"),
                qris.Field("02", f"DEMO{serial}"),
                qris.Field("03", "UMI"),
            ],
        ),
        qris.template(
            "51",
            [
                qris.Field("00", qris.QRIS_CENTRAL_GUID),
                qris.Field("02", f"ID00{serial[-10:]}"),
                qris.Field("03", "UMI"),
            ],
        ),
        qris.Field("52", shop.mcc),
        qris.Field("53", "360"),
        qris.Field("58", "ID"),
        qris.Field("59", shop.name[:25].strip()),
        qris.Field("60", CITY),
        qris.Field("61", "52300"),
    ]
    payload = qris.seal(qris.Payload(tuple(fields)))
    problems = qris.errors(payload)
    if problems:
        raise ValueError(f"demo QRIS of {shop.name}: {problems}")
    return payload


def _product(business: Business, item: Item) -> int:
    if business.products.filter(name=item.name).exists():
        return 0
    Product.objects.create(
        village_id=business.village_id,
        business=business,
        name=item.name,
        description=item.description,
        price=Decimal(item.price),
        unit=item.unit,
        featured=item.featured,
        variants=[
            ("variant", {"name": name, "price": None if price is None else Decimal(price)})
            for name, price in item.variants
        ],
        wholesale_tiers=[
            ("tier", {"min_quantity": minimum, "unit_price": Decimal(price)})
            for minimum, price in item.tiers
        ],
    )
    return 1


def _page(village) -> int:
    home = VillageHomePage.objects.filter(village=village, locale__language_code="id").first()
    if home is None or CataloguePage.objects.child_of(home).exists():
        return 0
    page = CataloguePage(
        title="Katalog UMKM",
        slug=PAGE_SLUG,
        show_in_menus=True,
        intro=(
            f"<p>Produk usaha warga Desa {village.name}. Pesan lewat WhatsApp dan bayar dengan "
            "aplikasi pembayaran apa pun yang mendukung QRIS.</p>"
        ),
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return 1


def seed_demo(village) -> int:
    """Published businesses with products and demo QRIS codes, and the catalogue page of
    ``village``; the number of rows and pages made (0 when all exist)."""
    made = 0
    for index, shop in enumerate(shops(village), start=1):
        business = Business.objects.filter(village=village, name=shop.name).first()
        if business is None:
            business = Business(
                village=village,
                name=shop.name,
                owner_name=shop.owner,
                category=shop.category,
                description=shop.description,
                address=f"Desa {village.name}, Kabupaten Pemalang",
                opening_hours=shop.hours,
                qris_payload=demo_qris(village, index, shop),
                status=Status.PUBLISHED,
                **shop.legal,
            )
            business.full_clean()
            business.save()
            made += 1
        for item in shop.items:
            made += _product(business, item)
    made += _page(village)
    return made
