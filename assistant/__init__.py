"""Emergency decision-support assistant for city duty officers."""

__version__ = "0.1.0"
