"""Village tenancy: villages and kecamatan, their official codes, and which village a site,
page, object, request or user belongs to. The lowest layer of core: it imports no other app."""
