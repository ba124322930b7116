"""Page types and models of the village and district websites."""

from .contact import ContactMessage
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
from .settings import VillageSiteSettings
from .standard import ContactPage, StandardPage

# Last: the root pages' views list the content types above.
from .home import DistrictHomePage, VillageHomePage  # noqa: E402  isort: skip

__all__ = [
    "DistrictHomePage",
    "VillageHomePage",
    "VillageSiteSettings",
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
