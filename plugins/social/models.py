"""Models of the social plugin."""
