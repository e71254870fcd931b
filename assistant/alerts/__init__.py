"""Live alerts: CAP, feeds, sensor and warning-signal JSON in; ranked incidents out.

Callers outside this package need :func:`build_alert_store` (the store, configured from
settings), :func:`build_poller`, :func:`assistant.alerts.ingest.ingest_payload` and the
API router in :mod:`assistant.alerts.api`. See docs/alerts.md.
"""

from assistant.alerts.factory import build_alert_store, build_poller, load_registry
from assistant.alerts.store import AlertStore

__all__ = ["AlertStore", "build_alert_store", "build_poller", "load_registry"]
