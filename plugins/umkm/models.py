"""Models of the umkm plugin."""
