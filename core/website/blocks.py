"""StreamField blocks of village pages: few, accessible, and rendered without JavaScript."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Subjudul")
        template = "website/blocks/heading.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Gambar"))
    caption = blocks.CharBlock(label=_("Keterangan"), required=False)

    class Meta:
        icon = "image"
        label = _("Gambar")
        template = "website/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Kutipan"))
    attribution = blocks.CharBlock(label=_("Sumber"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Kutipan")
        template = "website/blocks/quote.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Dokumen"))
    label = blocks.CharBlock(label=_("Teks tautan"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Dokumen")
        template = "website/blocks/document.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Paragraf"))
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    document = DocumentLinkBlock()


class QuickLinkBlock(blocks.StructBlock):
    """A service shortcut on the village home page: an internal page or an external address."""

    label = blocks.CharBlock(label=_("Judul"), max_length=60)
    description = blocks.CharBlock(label=_("Keterangan singkat"), required=False, max_length=120)
    page = blocks.PageChooserBlock(label=_("Halaman"), required=False)
    url = blocks.URLBlock(label=_("atau alamat web"), required=False)

    class Meta:
        icon = "link"
        label = _("Tautan layanan")

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise StructBlockValidationError(
                block_errors={"page": ValidationError(_("Pilih halaman atau isi alamat web."))}
            )
        return value
