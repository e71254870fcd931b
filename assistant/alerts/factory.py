"""Builds the alert store from settings; the one place that knows where its files live."""

from __future__ import annotations

from pathlib import Path

from assistant.alerts.assets import AssetRegistry, load_assets
from assistant.alerts.poller import FeedPoller
from assistant.alerts.store import AlertStore
from assistant.settings import PROJECT_ROOT, Settings


def load_registry(settings: Settings) -> AssetRegistry | None:
    """The asset registry named in settings, or None when no such file exists."""
    if not settings.alerts.assets_file:
        return None
    path = Path(settings.alerts.assets_file)
    if not path.is_absolute():
        path = PROJECT_ROOT / path
    return load_assets(path) if path.exists() else None


def build_alert_store(settings: Settings) -> AlertStore:
    """The alert store under the data dir, with the asset registry for closeness ranking."""
    return AlertStore(
        settings.data_path("alerts.db"),
        group_window_min=settings.alerts.group_window_min,
        assets=load_registry(settings),
        near_km=settings.alerts.sensitive_radius_km,
    )


def build_poller(settings: Settings, store: AlertStore) -> FeedPoller:
    """The feed poller for ``alerts.feed_urls``; call ``start()`` with the app and ``stop()`` on shutdown."""
    return FeedPoller(store, settings.alerts.feed_urls, settings.alerts.poll_interval_s)
