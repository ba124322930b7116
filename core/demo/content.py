"""Demo content of a village: every page type filled with plausible Indonesian content.

Idempotent: each page is looked up by slug under its parent (and each translation by
translation key and locale) before anything is created, so seeding twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale

from core.demo import images as demo_images
from core.demo.villagedata import fill_village_data
from core.villagedata.models import VillageDataPage
from core.website.models import (
    AnnouncementIndexPage,
    AnnouncementPage,
    ContactPage,
    DocumentKind,
    DocumentLibraryPage,
    EventIndexPage,
    EventPage,
    GalleryAlbumPage,
    GalleryImage,
    GalleryIndexPage,
    GovernmentPage,
    InformationClass,
    LibraryDocumentPage,
    NewsIndexPage,
    NewsPage,
    Official,
    Position,
    ProfilePage,
    StandardPage,
)

FIRST_NAMES = [
    "Sutrisno",
    "Slamet",
    "Siti",
    "Bambang",
    "Sri",
    "Agus",
    "Dwi",
    "Nur",
    "Joko",
    "Tri",
    "Eko",
    "Wahyu",
    "Umi",
    "Rohman",
    "Darsono",
    "Suparmi",
    "Tarmuji",
    "Khoirul",
    "Muhammad",
    "Endang",
    "Fitri",
    "Casmadi",
    "Warsono",
    "Taryono",
    "Kusnadi",
    "Rusmini",
    "Tarsiti",
    "Daryanto",
]
LAST_NAMES = [
    "Riyadi",
    "Aminah",
    "Sugiarto",
    "Wahyuni",
    "Salim",
    "Haryanto",
    "Hidayah",
    "Purnomo",
    "Rahayu",
    "Prasetyo",
    "Nugroho",
    "Kulsum",
    "Anam",
    "Ridwan",
    "Susilowati",
    "Yuliani",
    "Santoso",
    "Setiawan",
    "Maulana",
    "Fauzi",
]

SPECIALITY = {
    "33.27.07.2013": ("kerajinan tas kulit", "leather bag craft"),
    "33.27.12.2017": ("konveksi dan garmen", "garment making"),
}


def _name(rnd: random.Random) -> str:
    return f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)}"


def _rich(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _body(*paragraphs: str, heading: str = "", image=None, alt: str = "") -> str:
    blocks = []
    for i, text in enumerate(paragraphs):
        if heading and i == 1:
            blocks.append({"type": "heading", "value": heading})
        blocks.append({"type": "paragraph", "value": f"<p>{text}</p>"})
    if image is not None:
        blocks.append(
            {
                "type": "image",
                "value": {
                    "image": {"image": image.pk, "decorative": False, "alt_text": alt},
                    "caption": alt,
                },
            }
        )
    return json.dumps(blocks)


class VillageDemo:
    def __init__(self, village, stdout=None):
        self.village = village
        self.rnd = random.Random(village.code)
        self.id_locale = Locale.objects.get(language_code="id")
        self.en_locale = Locale.objects.get(language_code="en")
        self.home = village.home_pages.get(locale=self.id_locale).specific
        self.en_home = village.home_pages.filter(locale=self.en_locale).first()
        self.stdout = stdout
        self.created = 0
        self.speciality = SPECIALITY.get(
            village.code, ("pertanian padi dan palawija", "rice and crop farming")
        )

    # -- helpers ------------------------------------------------------------------------
    def image(self, title: str, alt: str, motif: str = "fields", portrait: bool = False):
        Image = get_image_model()
        existing = Image.objects.filter(
            collection_id=self.village.collection_id, title=title
        ).first()
        if existing:
            return existing
        data = (
            demo_images.portrait(f"{self.village.code}{title}")
            if portrait
            else demo_images.landscape(f"{self.village.code}{title}", motif)
        )
        image = Image(title=title, description=alt[:255], collection_id=self.village.collection_id)
        image.file = ImageFile(
            io.BytesIO(data), name=f"{self.village.slug}-{slugify(title)[:60]}.jpg"
        )
        image.save()
        return image

    def document(self, title: str, lines: list[str]):
        Document = get_document_model()
        existing = Document.objects.filter(
            collection_id=self.village.collection_id, title=title
        ).first()
        if existing:
            return existing
        doc = Document(title=title, collection_id=self.village.collection_id)
        doc.file = ContentFile(
            demo_images.document_pdf(title, lines),
            name=f"{self.village.slug}-{slugify(title)[:60]}.pdf",
        )
        doc.save()
        return doc

    def child(self, parent, model, slug: str, **fields):
        page = model.objects.child_of(parent).filter(slug=slug).first()
        if page is not None:
            return page
        page = model(slug=slug, locale=parent.locale, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created += 1
        return page

    def translate(self, page, **fields):
        """An English copy of ``page`` (its parent must be translated already)."""
        existing = (
            type(page)
            .objects.filter(translation_key=page.translation_key, locale=self.en_locale)
            .first()
        )
        if existing is not None:
            return existing
        copy = page.copy_for_translation(self.en_locale)
        for name, value in fields.items():
            setattr(copy, name, value)
        copy.save()
        copy.save_revision().publish()
        self.created += 1
        return copy

    # -- the village ------------------------------------------------------------------
    def run(self) -> int:
        v = self.village
        if not v.phone:
            lat = Decimal("-6.9") - Decimal(self.rnd.randint(0, 300)) / 1000
            lon = Decimal("109.2") + Decimal(self.rnd.randint(0, 400)) / 1000
            v.address = (
                f"Jl. Raya {v.name} No. {self.rnd.randint(1, 120)}, Kec. {v.kecamatan}, "
                "Kab. Pemalang, Jawa Tengah"
            )
            v.phone = f"0284-{self.rnd.randint(300000, 399999)}"
            v.whatsapp = f"08{self.rnd.randint(1100000000, 1399999999)}"
            v.email = f"pemdes.{v.slug}@example.invalid"
            v.latitude, v.longitude = lat, lon
            v.save()
        self.fill_home()
        sections = self.sections()
        self.fill_profile(sections["profile"])
        self.fill_government(sections["government"])
        news = self.fill_news(sections["news"])
        announcements = self.fill_announcements(sections["announcements"])
        events = self.fill_events(sections["events"])
        albums = self.fill_gallery(sections["gallery"])
        documents = self.fill_documents(sections["documents"])
        self.fill_statistics()
        self.fill_quick_links(sections)
        self.fill_english(sections, news, announcements, events, albums, documents)
        return self.created

    def fill_home(self):
        home = self.home
        if home.head_name:
            return
        rnd = self.rnd
        home.head_name = _name(rnd)
        home.head_photo = self.image(
            f"Foto {self.village.display_head_title} {self.village.name}",
            f"Foto resmi {home.head_name}",
            portrait=True,
        )
        home.intro = _rich(
            "Assalamualaikum warahmatullahi wabarakatuh, salam sejahtera bagi kita semua.",
            f"Selamat datang di situs resmi {self.village}. Melalui situs ini kami menyampaikan "
            "informasi pemerintahan, pembangunan, anggaran dan layanan desa secara terbuka, agar "
            "warga dapat mengikuti dan ikut mengawasi jalannya pemerintahan desa.",
            f"Desa kami dikenal dengan {self.speciality[0]}. Mari bersama membangun desa yang "
            "maju, mandiri dan sejahtera.",
        )
        home.save_revision().publish()

    def sections(self) -> dict:
        home = self.home
        return {
            "profile": self.child(
                home, ProfilePage, "profil", title="Profil Desa", show_in_menus=True
            ),
            "government": self.child(
                home, GovernmentPage, "pemerintahan", title="Pemerintahan Desa", show_in_menus=True
            ),
            "news": self.child(
                home,
                NewsIndexPage,
                "berita",
                title="Berita",
                show_in_menus=True,
                intro=_rich(f"Kabar terbaru dari {self.village}."),
            ),
            "announcements": self.child(
                home, AnnouncementIndexPage, "pengumuman", title="Pengumuman", show_in_menus=True
            ),
            "events": self.child(
                home, EventIndexPage, "agenda", title="Agenda", show_in_menus=True
            ),
            "gallery": self.child(
                home, GalleryIndexPage, "galeri", title="Galeri", show_in_menus=True
            ),
            "documents": self.child(
                home,
                DocumentLibraryPage,
                "dokumen",
                title="Dokumen dan Informasi Publik",
                show_in_menus=True,
                intro=_rich(
                    "Peraturan desa, keputusan kepala desa dan informasi publik sesuai "
                    "UU No. 14 Tahun 2008 tentang Keterbukaan Informasi Publik."
                ),
                request_info=_rich(
                    "Informasi yang tersedia atas permintaan dapat diminta di "
                    "kantor desa pada jam kerja atau melalui halaman Kontak."
                ),
            ),
            "data": self._data_page(),
            "contact": self.child(
                home,
                ContactPage,
                "kontak",
                title="Kontak",
                show_in_menus=True,
                intro=_rich(
                    "Sampaikan pertanyaan, saran atau pengaduan Anda. Kami membalas pada "
                    "hari kerja."
                ),
            ),
            "services": self.child(
                home,
                StandardPage,
                "layanan-administrasi",
                title="Layanan Administrasi",
                intro="Persyaratan surat-menyurat yang paling sering diminta warga.",
                body=_body(
                    "KTP-el, KK, akta dan pindah dalam kabupaten: langsung ke Disdukcapil, tanpa "
                    "surat pengantar RT/RW atau desa (Perpres 96/2018, Permendagri 108/2019).",
                    "Surat Keterangan Tidak Mampu (SKTM): bawa KTP, KK dan surat pernyataan "
                    "dari RT/RW.",
                    "Surat Keterangan Usaha: bawa KTP, KK dan foto tempat usaha.",
                    heading="Persyaratan",
                ),
            ),
        }

    def _data_page(self):
        return self.child(
            self.home,
            VillageDataPage,
            "data-desa",
            title="Data Desa",
            show_in_menus=True,
            intro=_rich("Data kependudukan dan potensi desa, diperbarui setiap tahun."),
            source_note="Buku Induk Kependudukan dan Profil Desa",
        )

    def fill_profile(self, profile):
        if profile.history:
            return
        v = self.village
        profile.history = _rich(
            f"Menurut cerita para sesepuh, {v.name} bermula dari permukiman kecil di tepi sungai "
            "yang dibuka oleh para pendatang pada masa Kerajaan Mataram. Nama desa diambil dari "
            "nama pohon besar yang dahulu tumbuh di dekat balai desa.",
            f"Sejak tahun 1980-an warga mengembangkan {self.speciality[0]} yang kini menjadi "
            "sumber penghasilan utama selain pertanian.",
        )
        profile.vision = (
            f"Terwujudnya {v} yang maju, mandiri, sejahtera dan berbudaya "
            "berlandaskan gotong royong."
        )
        profile.mission = (
            "<ol><li>Meningkatkan pelayanan publik yang cepat, mudah dan transparan.</li>"
            "<li>Membangun sarana dan prasarana desa secara merata.</li>"
            f"<li>Mengembangkan ekonomi desa melalui {self.speciality[0]} dan BUMDes.</li>"
            "<li>Meningkatkan kualitas kesehatan dan pendidikan warga.</li>"
            "<li>Melestarikan adat, budaya dan kerukunan warga.</li></ol>"
        )
        profile.geography = _rich(
            "Wilayah desa berupa dataran rendah hingga perbukitan dengan iklim tropis. Sebagian "
            "besar lahan dimanfaatkan untuk sawah irigasi teknis dan tegalan."
        )
        profile.area_hectares = Decimal(self.rnd.randint(18000, 65000)) / 100
        profile.elevation_m = self.rnd.randint(15, 400)
        profile.border_north = "Desa Tetangga Utara"
        profile.border_east = "Sungai Comal" if self.rnd.random() < 0.5 else "Desa Tetangga Timur"
        profile.border_south = "Hutan Perhutani"
        profile.border_west = "Desa Tetangga Barat"
        profile.save_revision().publish()

    def fill_government(self, page):
        if page.officials.exists():
            return
        rnd = self.rnd
        head = self.home.head_name
        roster = [
            (Position.KEPALA_DESA, "", head),
            (Position.SEKRETARIS, "", _name(rnd)),
            (Position.KAUR, "Keuangan", _name(rnd)),
            (Position.KAUR, "Umum dan Perencanaan", _name(rnd)),
            (Position.KASI, "Pemerintahan", _name(rnd)),
            (Position.KASI, "Kesejahteraan", _name(rnd)),
            (Position.KASI, "Pelayanan", _name(rnd)),
            (Position.KADUS, "Dusun I", _name(rnd)),
            (Position.KADUS, "Dusun II", _name(rnd)),
            (Position.BPD_KETUA, "", _name(rnd)),
            (Position.BPD_WAKIL, "", _name(rnd)),
            (Position.BPD_SEKRETARIS, "", _name(rnd)),
            (Position.BPD_ANGGOTA, "", _name(rnd)),
            (Position.BPD_ANGGOTA, "", _name(rnd)),
        ]
        page.intro = _rich(
            "Pemerintah desa terdiri atas kepala desa dan perangkat desa sesuai Permendagri "
            "Nomor 84 Tahun 2015 tentang Susunan Organisasi dan Tata Kerja Pemerintah Desa."
        )
        page.bpd_intro = _rich(
            "BPD membahas dan menyepakati rancangan peraturan desa bersama kepala desa, "
            "menampung aspirasi warga dan mengawasi kinerja kepala desa."
        )
        officials = []
        for i, (position, detail, name) in enumerate(roster):
            photo = (
                self.image(f"Foto {name} ({position})", f"Foto {name}", portrait=True)
                if i < 7
                else None
            )
            officials.append(
                Official(
                    name=name,
                    position=position,
                    position_detail=detail,
                    photo=photo,
                    term_start=dt.date(2021, 6, 1)
                    if position.startswith("bpd") or i == 0
                    else dt.date(2019, 1, 2),
                    term_end=dt.date(2027, 6, 1) if position.startswith("bpd") or i == 0 else None,
                    sort_order=i,
                )
            )
        page.officials.set(officials)
        page.save_revision().publish()

    NEWS = [
        (
            "musyawarah-desa-rkpdes",
            "Musyawarah Desa Penyusunan RKPDes 2027",
            "pemerintahan",
            ["musdes", "perencanaan"],
            "hall",
            "Pemerintah desa bersama BPD menggelar musyawarah desa untuk menyusun Rencana Kerja "
            "Pemerintah Desa tahun 2027.",
            "Musyawarah dihadiri ketua RT dan RW, tokoh masyarakat, PKK, karang taruna dan "
            "pendamping desa. Usulan dari musyawarah dusun dibahas satu per satu dan diurutkan "
            "menurut prioritas.",
        ),
        (
            "penyaluran-blt-dana-desa",
            "Penyaluran BLT Dana Desa Tahap II",
            "kemasyarakatan",
            ["blt", "dana desa"],
            "people",
            "Sebanyak 64 keluarga penerima manfaat menerima Bantuan Langsung Tunai Dana Desa "
            "tahap kedua di balai desa.",
            "Penyaluran disaksikan oleh BPD dan pendamping desa. Penerima diminta membawa KTP dan "
            "KK asli. Bagi warga lanjut usia yang berhalangan, petugas mengantar bantuan ke rumah.",
        ),
        (
            "posyandu-balita-dan-lansia",
            "Posyandu Balita dan Lansia Kembali Ramai",
            "kesehatan",
            ["posyandu", "kesehatan"],
            "people",
            "Kader posyandu mencatat kenaikan kunjungan balita dan lansia setelah jadwal "
            "disesuaikan dengan hari pasar.",
            "Selain penimbangan dan imunisasi, posyandu kini menyediakan pemeriksaan tekanan darah "
            "dan gula darah untuk lansia bekerja sama dengan puskesmas.",
        ),
        (
            "kerja-bakti-saluran-irigasi",
            "Kerja Bakti Normalisasi Saluran Irigasi",
            "pembangunan",
            ["gotong royong", "pertanian"],
            "fields",
            "Ratusan warga bergotong royong membersihkan saluran irigasi menjelang musim tanam.",
            "Kegiatan ini diharapkan melancarkan aliran air ke sawah di dusun bagian hilir yang "
            "tahun lalu sering kekurangan air.",
        ),
        (
            "pelatihan-pemasaran-daring",
            "Pelatihan Pemasaran Daring bagi Pelaku UMKM",
            "ekonomi",
            ["umkm", "pelatihan"],
            "stalls",
            "Dua puluh lima pelaku usaha mengikuti pelatihan foto produk dan penjualan melalui "
            "lokapasar.",
            "Peserta belajar memotret produk dengan ponsel, menulis deskripsi yang menarik dan "
            "menerima pembayaran QRIS.",
        ),
        (
            "rabat-beton-jalan-dusun",
            "Pembangunan Jalan Rabat Beton Dusun II Rampung",
            "pembangunan",
            ["infrastruktur", "dana desa"],
            "houses",
            "Jalan rabat beton sepanjang 350 meter di Dusun II selesai dikerjakan dan dapat "
            "dilalui kendaraan roda empat.",
            "Pekerjaan dilakukan secara swakelola oleh Tim Pelaksana Kegiatan dengan melibatkan "
            "tenaga kerja warga setempat.",
        ),
        (
            "vaksinasi-hewan-ternak",
            "Vaksinasi Hewan Ternak Gratis",
            "pemberdayaan",
            ["peternakan"],
            "fields",
            "Dinas peternakan bersama pemerintah desa memberikan vaksinasi gratis untuk sapi dan "
            "kambing milik warga.",
            "Peternak diimbau melaporkan ternak yang sakit kepada petugas kesehatan hewan agar "
            "segera ditangani.",
        ),
        (
            "pelatihan-kader-pkk",
            "PKK Gelar Pelatihan Olahan Pangan Lokal",
            "pemberdayaan",
            ["pkk", "pelatihan"],
            "people",
            "Tim Penggerak PKK desa melatih ibu-ibu mengolah singkong dan pisang menjadi camilan "
            "bernilai jual.",
            "Produk hasil pelatihan akan dipasarkan melalui BUMDes dan pameran produk desa.",
        ),
        (
            "peringatan-hari-jadi-desa",
            "Kirab Budaya Peringatan Hari Jadi Desa",
            "budaya",
            ["budaya", "hari jadi"],
            "people",
            "Warga memadati jalan desa untuk menyaksikan kirab budaya peringatan hari jadi desa.",
            "Kirab menampilkan kesenian kuda lumping, rebana dan gunungan hasil bumi yang "
            "kemudian dibagikan kepada warga.",
        ),
    ]

    def fill_news(self, index) -> list:
        today = timezone.localdate()
        pages = []
        for i, (slug, title, category, tags, motif, summary, text) in enumerate(self.NEWS):
            existing = NewsPage.objects.child_of(index).filter(slug=slug).first()
            if existing:
                pages.append(existing)
                continue
            alt = f"{title} di {self.village}"
            image = self.image(f"Berita: {title}", alt, motif)
            body_image = self.image(
                f"Dokumentasi: {title}",
                f"Suasana kegiatan: {title}",
                "people" if motif != "people" else "fields",
            )
            page = NewsPage(
                slug=slug,
                locale=index.locale,
                title=title,
                date=today - dt.timedelta(days=i * 6 + 1),
                category=category,
                summary=summary,
                search_description=summary,
                featured_image=image,
                featured_image_alt=alt,
                body=_body(
                    summary,
                    text,
                    f"Informasi lebih lanjut dapat ditanyakan di kantor {self.village}.",
                    heading="Keterangan",
                    image=body_image,
                    alt=f"Suasana kegiatan: {title}",
                ),
            )
            index.add_child(instance=page)
            page.tags.add(*tags)
            page.save_revision().publish()
            self.created += 1
            pages.append(page)
        return pages

    def fill_announcements(self, index) -> list:
        today = timezone.localdate()
        items = [
            (
                "jadwal-pelayanan-kantor-desa",
                "Jadwal Pelayanan Kantor Desa",
                0,
                None,
                True,
                "Kantor desa melayani warga Senin–Kamis pukul 08.00–15.00 dan Jumat pukul "
                "08.00–11.00 WIB.",
            ),
            (
                "pendaftaran-ulang-penerima-blt",
                "Pendaftaran Ulang Calon Penerima BLT",
                -5,
                20,
                False,
                "Warga yang merasa memenuhi syarat dapat mendaftar di kantor desa dengan "
                "membawa KTP dan KK.",
            ),
            (
                "pembayaran-pbb-2026",
                "Batas Akhir Pembayaran PBB-P2",
                -10,
                45,
                False,
                "Pembayaran PBB-P2 dapat dilakukan melalui kolektor dusun atau bank daerah.",
            ),
            (
                "pemadaman-listrik-terjadwal",
                "Pemadaman Listrik Terjadwal",
                -30,
                -20,
                False,
                "PLN memberitahukan pemadaman listrik untuk pemeliharaan jaringan.",
            ),
        ]
        pages = []
        for slug, title, start, end, important, text in items:
            pages.append(
                self.child(
                    index,
                    AnnouncementPage,
                    slug,
                    title=title,
                    valid_from=today + dt.timedelta(days=start),
                    valid_until=today + dt.timedelta(days=end) if end is not None else None,
                    important=important,
                    body=_rich(text),
                    search_description=text[:150],
                )
            )
        return pages

    def fill_events(self, index) -> list:
        now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
        items = [
            ("musyawarah-dusun-i", "Musyawarah Dusun I", 3, 9, "Balai Dusun I", "Pemerintah Desa"),
            ("posyandu-lansia", "Posyandu Lansia", 6, 8, "Polindes", "Kader Posyandu"),
            ("senam-sehat-bersama", "Senam Sehat Bersama", 10, 6, "Lapangan Desa", "Karang Taruna"),
            (
                "pelatihan-bumdes",
                "Pelatihan Pengelolaan BUMDes",
                -12,
                9,
                "Balai Desa",
                "Dinpermasdes Kabupaten Pemalang",
            ),
            (
                "lomba-kebersihan-rt",
                "Penilaian Lomba Kebersihan RT",
                -25,
                8,
                "Seluruh RT",
                "TP PKK Desa",
            ),
        ]
        pages = []
        for slug, title, days, hour, place, organiser in items:
            start = (now + dt.timedelta(days=days)).replace(hour=hour)
            pages.append(
                self.child(
                    index,
                    EventPage,
                    slug,
                    title=title,
                    start=start,
                    end=start + dt.timedelta(hours=2),
                    place=place,
                    organiser=organiser,
                    summary=f"{title} di {place}. Warga diharapkan hadir tepat waktu.",
                )
            )
        return pages

    def fill_gallery(self, index) -> list:
        albums = []
        for slug, title, motif, days in [
            ("kerja-bakti", "Kerja Bakti Warga", "fields", 20),
            ("hari-jadi-desa", "Kirab Hari Jadi Desa", "people", 45),
        ]:
            album = GalleryAlbumPage.objects.child_of(index).filter(slug=slug).first()
            if album is None:
                album = GalleryAlbumPage(
                    slug=slug,
                    title=title,
                    locale=index.locale,
                    date=timezone.localdate() - dt.timedelta(days=days),
                    description=f"Dokumentasi kegiatan {title.lower()} di {self.village}.",
                )
                for i in range(4):
                    image = self.image(
                        f"{title} {i + 1}",
                        f"{title}, foto {i + 1}",
                        [motif, "houses", "people", "fields"][i],
                    )
                    album.images.add(
                        GalleryImage(
                            image=image,
                            alt_text=f"{title}: suasana kegiatan, foto {i + 1}",
                            caption=f"{title} ({i + 1}/4)",
                            sort_order=i,
                        )
                    )
                index.add_child(instance=album)
                album.save_revision().publish()
                self.created += 1
            albums.append(album)
        return albums

    def fill_documents(self, index) -> list:
        year = timezone.localdate().year
        items = [
            (
                "perdes-apbdes",
                f"Anggaran Pendapatan dan Belanja Desa Tahun {year}",
                DocumentKind.PERDES,
                "1",
                InformationClass.BERKALA,
                True,
            ),
            (
                "perdes-rpjmdes",
                "Rencana Pembangunan Jangka Menengah Desa 2022–2027",
                DocumentKind.PERDES,
                "3",
                InformationClass.BERKALA,
                True,
            ),
            (
                "perkades-penjabaran-apbdes",
                f"Penjabaran APBDes Tahun {year}",
                DocumentKind.PERKADES,
                "1",
                InformationClass.BERKALA,
                True,
            ),
            (
                "sk-tim-pelaksana-kegiatan",
                "Pembentukan Tim Pelaksana Kegiatan",
                DocumentKind.SK,
                "141/05",
                InformationClass.SETIAP_SAAT,
                True,
            ),
            (
                "laporan-realisasi-apbdes",
                f"Laporan Realisasi APBDes Tahun {year - 1}",
                DocumentKind.INFORMASI,
                "",
                InformationClass.BERKALA,
                True,
            ),
            (
                "jalur-evakuasi-banjir",
                "Peta dan Jalur Evakuasi Banjir",
                DocumentKind.INFORMASI,
                "",
                InformationClass.SERTA_MERTA,
                True,
            ),
            (
                "daftar-aset-desa",
                "Daftar Inventaris Aset Desa",
                DocumentKind.INFORMASI,
                "",
                InformationClass.SETIAP_SAAT,
                False,
            ),
        ]
        pages = []
        for slug, title, kind, number, info_class, with_file in items:
            doc_year = year - 4 if "2022" in title else year
            document = (
                self.document(
                    title,
                    [
                        f"{self.village}",
                        f"Nomor {number} Tahun {doc_year}" if number else "",
                        "Dokumen contoh untuk demo Sidekem.",
                    ],
                )
                if with_file
                else None
            )
            pages.append(
                self.child(
                    index,
                    LibraryDocumentPage,
                    slug,
                    title=title,
                    kind=kind,
                    number=number,
                    year=doc_year,
                    information_class=info_class,
                    document=document,
                    enacted_on=dt.date(doc_year, 1, 15) if number else None,
                    summary=f"{title} {self.village}.",
                )
            )
        return pages

    def fill_statistics(self):
        fill_village_data(self.village, self.rnd)

    def fill_quick_links(self, sections):
        home = self.home
        if len(home.quick_links):
            return
        links = [
            ("Layanan administrasi", "Persyaratan surat-menyurat", sections["services"]),
            ("Pengumuman", "Informasi penting untuk warga", sections["announcements"]),
            ("Dokumen publik", "Perdes, APBDes dan informasi publik", sections["documents"]),
            ("Data desa", "Penduduk dan potensi desa", sections["data"]),
            ("Hubungi kami", "Pertanyaan, saran dan pengaduan", sections["contact"]),
        ]
        home.quick_links = [
            ("link", {"label": label, "description": desc, "page": page, "url": ""})
            for label, desc, page in links
        ]
        home.save_revision().publish()

    # -- English --------------------------------------------------------------------------
    SECTION_EN = {
        "profile": ("Village Profile", "profile"),
        "government": ("Village Government", "government"),
        "news": ("News", "news"),
        "announcements": ("Announcements", "announcements"),
        "events": ("Events", "events"),
        "gallery": ("Gallery", "gallery"),
        "documents": ("Documents and Public Information", "documents"),
        "data": ("Village Data", "village-data"),
        "contact": ("Contact", "contact"),
        "services": ("Administrative Services", "administrative-services"),
    }
    NEWS_EN = {
        "musyawarah-desa-rkpdes": (
            "Village Deliberation on the 2027 Work Plan",
            "The village government and the BPD held a village "
            "deliberation to draw up the 2027 work plan.",
        ),
        "posyandu-balita-dan-lansia": (
            "Health Posts for Toddlers and the Elderly Busy Again",
            "Health volunteers report more visits since the schedule was moved to market days.",
        ),
        "pelatihan-pemasaran-daring": (
            "Online Marketing Training for Small Businesses",
            "Twenty-five business owners learned product photography "
            "and selling on online marketplaces.",
        ),
        "rabat-beton-jalan-dusun": (
            "Concrete Road in Hamlet II Completed",
            "A 350-metre concrete road in Hamlet II is finished and open to cars.",
        ),
    }

    def fill_english(self, sections, news, announcements, events, albums, documents):
        if self.en_home is None:
            return
        en_sections = {}
        for key, page in sections.items():
            title, slug = self.SECTION_EN[key]
            en_sections[key] = self.translate(page, title=title, slug=slug)
        self.fill_english_home(en_sections)
        for page in news:
            if page.slug in self.NEWS_EN:
                title, summary = self.NEWS_EN[page.slug]
                self.translate(
                    page,
                    title=title,
                    summary=summary,
                    search_description=summary,
                    featured_image_alt=f"{title} — {self.village.name}",
                    body=_body(
                        summary,
                        "Residents, neighbourhood heads and village officials took part.",
                        heading="Details",
                    ),
                )
        if announcements:
            self.translate(
                announcements[0],
                title="Village Office Opening Hours",
                body=_rich(
                    "The village office serves residents Monday to Thursday "
                    "08:00–15:00 and Friday 08:00–11:00."
                ),
            )
        for event in events[:2]:
            self.translate(event)
        if albums:
            self.translate(
                albums[0],
                title="Community Clean-up",
                description="Photos of the community clean-up.",
            )
        if documents:
            self.translate(documents[0])

    def fill_english_home(self, en_sections):
        # Fresh from the database: translations were added under it through other instances,
        # and publishing a stale copy would reset its child count.
        en_home = type(self.home).objects.get(pk=self.en_home.pk)
        if en_home.head_name:
            return
        en_home.head_name = self.home.head_name
        en_home.head_photo = self.home.head_photo
        en_home.intro = _rich(
            f"Welcome to the official website of {self.village.name} village. Here we publish "
            "news, announcements, budgets and services openly, so that residents can follow and "
            "take part in the work of the village government.",
            f"Our village is known for {self.speciality[1]}.",
        )
        links = [
            ("Administrative services", "Requirements for letters", "services"),
            ("Announcements", "Important information for residents", "announcements"),
            ("Public documents", "Regulations, budget and public information", "documents"),
            ("Village data", "Population and village potential", "data"),
            ("Contact us", "Questions, suggestions and complaints", "contact"),
        ]
        en_home.quick_links = [
            ("link", {"label": label, "description": desc, "page": en_sections[key], "url": ""})
            for label, desc, key in links
        ]
        en_home.save_revision().publish()


def seed_village_content(village, stdout=None) -> int:
    return VillageDemo(village, stdout).run()


def ensure_portal_page(portal) -> None:
    if StandardPage.objects.child_of(portal).filter(slug="tentang").exists():
        return
    page = StandardPage(
        slug="tentang",
        title="Tentang Portal",
        locale=portal.locale,
        show_in_menus=True,
        intro="Portal desa dan kelurahan Kabupaten Pemalang.",
        body=_body(
            "Portal ini menghimpun situs resmi desa dan kelurahan di Kabupaten Pemalang. "
            "Setiap desa mengelola situsnya sendiri."
        ),
    )
    portal.add_child(instance=page)
    page.save_revision().publish()
