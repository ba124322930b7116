"""Models of the transparency plugin."""
