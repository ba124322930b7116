"""Editor confinement: a village's editors, moderators and officers see and touch only their own
village's data in the admin (viewsets, Wagtail's own views, choosers, listings, dashboard)."""
