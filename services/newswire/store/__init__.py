"""store service."""
