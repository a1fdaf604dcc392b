"""enrich service."""
