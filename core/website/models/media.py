"""Gallery albums (images from the village's own collection) and the document library."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.villages.lookup import village_id_for_page
from core.villages.models import Village
from core.villages.params import int_param
from core.website.blocks import RICH_TEXT_FEATURES
from core.website.models.base import VillagePageMixin
from core.website.restrictions import ChildRouteMixin, public

PAGE_SIZE = 12


class GalleryIndexPage(VillagePageMixin, ChildRouteMixin, Page):
    intro = RichTextField(_("pengantar"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["website.VillageHomePage"]
    subpage_types = ["website.GalleryAlbumPage"]
    max_count_per_parent = 1
    template = "website/pages/gallery_index_page.html"
    child_model = property(lambda self: GalleryAlbumPage)

    class Meta:
        verbose_name = _("galeri")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        albums = (
            public(GalleryAlbumPage.objects.all())
            .child_of(self)
            .filter(locale_id=self.locale_id)
            .order_by("-date", "-pk")
        )
        page = Paginator(albums, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
        attach_covers(page.object_list)
        context["albums"] = page
        return context


def attach_covers(albums) -> None:
    """First photo of every album, with renditions, in a fixed number of queries."""
    albums = list(albums)
    photos = (
        GalleryImage.objects.filter(page_id__in=[a.pk for a in albums])
        .select_related("image")
        .order_by("page_id", "sort_order", "pk")
    )
    first: dict[int, GalleryImage] = {}
    for photo in photos:
        first.setdefault(photo.page_id, photo)
    for album in albums:
        album.cover_images = [first[album.pk]] if album.pk in first else []


class GalleryAlbumPage(VillagePageMixin, Page):
    date = models.DateField(_("tanggal"))
    description = models.TextField(_("keterangan"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("description"),
        InlinePanel("images", label=_("Foto"), min_num=1),
    ]
    search_fields = [*Page.search_fields, index.SearchField("description")]
    parent_page_types = ["website.GalleryIndexPage"]
    subpage_types: list[str] = []
    template = "website/pages/gallery_album_page.html"

    class Meta:
        verbose_name = _("album foto")
        verbose_name_plural = _("album foto")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["photos"] = list(
            self.images.select_related("image").prefetch_related(
                Prefetch(
                    "image__renditions",
                    queryset=get_image_model().get_rendition_model().objects.all(),
                )
            )
        )
        return context

    def clean(self):
        super().clean()
        village_id = village_id_for_page(self) or (
            village_id_for_page(self.get_parent()) if self.pk is None and self.depth else None
        )
        if not village_id:
            return
        collection_id = (
            Village.objects.filter(pk=village_id).values_list("collection_id", flat=True).first()
        )
        foreign = [
            item.image
            for item in self.images.all()
            if item.image_id and item.image.collection_id != collection_id
        ]
        if foreign:
            raise ValidationError(
                _("Foto harus dari koleksi desa ini: %(titles)s")
                % {"titles": ", ".join(img.title for img in foreign)}
            )

    @property
    def cover(self):
        covers = getattr(self, "cover_images", None)
        if covers is not None:
            return covers[0] if covers else None
        return self.images.select_related("image").first()


class GalleryImage(Orderable):
    page = ParentalKey(GalleryAlbumPage, related_name="images", on_delete=models.CASCADE)
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("foto"), on_delete=models.CASCADE, related_name="+"
    )
    alt_text = models.CharField(
        _("teks alternatif"),
        max_length=250,
        help_text=_("Apa yang tampak di foto, untuk pembaca layar."),
    )
    caption = models.CharField(_("keterangan"), max_length=250, blank=True)

    panels = [FieldPanel("image"), FieldPanel("alt_text"), FieldPanel("caption")]


class DocumentKind(models.TextChoices):
    PERDES = "perdes", _("Peraturan Desa (Perdes)")
    PERKADES = "perkades", _("Peraturan Kepala Desa (Perkades)")
    SK = "sk", _("Keputusan Kepala Desa")
    INFORMASI = "informasi", _("Informasi publik")
    LAINNYA = "lainnya", _("Lainnya")


class InformationClass(models.TextChoices):
    """Public information classes of UU 14/2008 (Keterbukaan Informasi Publik)."""

    BERKALA = "berkala", _("Berkala")
    SERTA_MERTA = "serta_merta", _("Serta merta")
    SETIAP_SAAT = "setiap_saat", _("Setiap saat (atas permintaan)")


class DocumentLibraryPage(VillagePageMixin, ChildRouteMixin, Page):
    intro = RichTextField(_("pengantar"), blank=True, features=RICH_TEXT_FEATURES)
    request_info = RichTextField(
        _("cara meminta informasi"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("Untuk informasi yang tersedia atas permintaan."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("request_info")]
    parent_page_types = ["website.VillageHomePage"]
    subpage_types = ["website.LibraryDocumentPage"]
    max_count_per_parent = 1
    template = "website/pages/document_library_page.html"
    child_model = property(lambda self: LibraryDocumentPage)
    child_select_related = ("document",)

    class Meta:
        verbose_name = _("pustaka dokumen")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        docs = (
            public(LibraryDocumentPage.objects.all())
            .child_of(self)
            .filter(locale_id=self.locale_id)
            .select_related("document")
            .order_by("-year", "kind", "number", "pk")
        )
        kind = request.GET.get("jenis", "")
        if kind in DocumentKind.values:
            docs = docs.filter(kind=kind)
        else:
            kind = ""
        info_class = request.GET.get("kelas", "")
        if info_class in InformationClass.values:
            docs = docs.filter(information_class=info_class)
        else:
            info_class = ""
        year_number = int_param(request.GET.get("tahun"), max_digits=4)
        if year_number is not None:
            docs = docs.filter(year=year_number)
        year = str(year_number) if year_number is not None else ""
        context.update(
            documents=Paginator(docs, 25).get_page(request.GET.get("page")),
            kinds=DocumentKind.choices,
            classes=InformationClass.choices,
            kind=kind,
            info_class=info_class,
            year=year,
        )
        return context


class LibraryDocumentPage(VillagePageMixin, Page):
    kind = models.CharField(_("jenis"), max_length=12, choices=DocumentKind.choices)
    number = models.CharField(_("nomor"), max_length=50, blank=True)
    year = models.PositiveSmallIntegerField(_("tahun"))
    enacted_on = models.DateField(_("tanggal penetapan"), null=True, blank=True)
    information_class = models.CharField(
        _("klasifikasi informasi"),
        max_length=12,
        choices=InformationClass.choices,
        default=InformationClass.SETIAP_SAAT,
    )
    summary = models.TextField(_("ringkasan"), blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("berkas"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Kosongkan untuk informasi yang hanya tersedia atas permintaan."),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("number"),
                FieldPanel("year"),
                FieldPanel("enacted_on"),
                FieldPanel("information_class"),
            ],
            heading=_("Keterangan dokumen"),
        ),
        FieldPanel("summary"),
        FieldPanel("document"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("number"),
        index.FilterField("kind"),
        index.FilterField("year"),
    ]
    parent_page_types = ["website.DocumentLibraryPage"]
    subpage_types: list[str] = []
    template = "website/pages/library_document_page.html"

    class Meta:
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")

    def clean(self):
        super().clean()
        if (
            self.kind in (DocumentKind.PERDES, DocumentKind.PERKADES, DocumentKind.SK)
            and not (self.number or "").strip()
        ):
            raise ValidationError({"number": _("Peraturan dan keputusan wajib bernomor.")})
        if self.year and not 1945 <= self.year <= 2100:
            raise ValidationError({"year": _("Tahun tidak wajar.")})

    @property
    def official_title(self) -> str:
        if self.kind in (DocumentKind.PERDES, DocumentKind.PERKADES) and self.number:
            return f"{self.get_kind_display()} Nomor {self.number} Tahun {self.year}"
        return self.title
