"""Demo data: a district with several villages and realistic content, images drawn locally.
Only the dev and test settings install this app."""
