"""alert service."""
