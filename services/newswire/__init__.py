"""newswire: a live news wire turned into structured events and alerts."""

__version__ = "0.1.0"
PIPELINE_VERSION = "newswire-0.1.0"
