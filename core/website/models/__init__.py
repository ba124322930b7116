from .events import EventIndexPage, EventPage
from .media import (
    DocumentKind,
    DocumentLibraryPage,
    GalleryAlbumPage,
    GalleryImage,
    GalleryIndexPage,
    InformationClass,
    LibraryDocumentPage,
)
from .news import (
    AnnouncementIndexPage,
    AnnouncementPage,
    NewsCategory,
    NewsIndexPage,
    NewsPage,
    NewsPageTag,
)
from .profile import GovernmentPage, Official, Position, ProfilePage
from .standard import ContactMessage, ContactPage, StandardPage

__all__ = [
    "AnnouncementIndexPage",
    "AnnouncementPage",
    "ContactMessage",
    "ContactPage",
    "DocumentKind",
    "DocumentLibraryPage",
    "EventIndexPage",
    "EventPage",
    "GalleryAlbumPage",
    "GalleryImage",
    "GalleryIndexPage",
    "GovernmentPage",
    "InformationClass",
    "LibraryDocumentPage",
    "NewsCategory",
    "NewsIndexPage",
    "NewsPage",
    "NewsPageTag",
    "Official",
    "Position",
    "ProfilePage",
    "StandardPage",
]
