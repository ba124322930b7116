"""Models of the admin_services plugin."""
