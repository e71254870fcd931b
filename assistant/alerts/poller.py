"""Polls CAP Atom/RSS feeds on a background thread and stores what is new.

Each poll fetches every configured feed; entries that carry CAP (embedded or as NWS
index fields) are stored directly, and an entry that only links to its CAP message
(``type="application/cap+xml"``) has that message fetched once. The store is
idempotent, so a restart that re-reads a feed stores nothing twice. A failing feed is
recorded and retried at the next interval; it never stops the others or the thread.
"""

from __future__ import annotations

import logging
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlparse

from assistant.alerts.ingest import store_parsed
from assistant.alerts.intake import ParseResult, parse_payload
from assistant.alerts.store import AlertStore
from assistant.errors import AlertFormatError

log = logging.getLogger(__name__)
MAX_FEED_BYTES = 8 * 1024 * 1024
MAX_LINKED_PER_POLL = 50
USER_AGENT = "emergency-assistant-alert-poller/0.1"


@dataclass
class FeedReport:
    url: str
    entries: int = 0
    new: int = 0
    duplicates: int = 0
    errors: list[str] = field(default_factory=list)


def fetch(url: str, timeout_s: float, max_bytes: int = MAX_FEED_BYTES) -> bytes:
    """GET an http(s) URL with a size cap; AlertFormatError says what failed."""
    if urlparse(url).scheme not in ("http", "https"):
        raise AlertFormatError(url, "只支持 http/https 地址 / only http and https URLs are polled")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/atom+xml, */*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as err:
        raise AlertFormatError(url, f"HTTP {err.code} {err.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise AlertFormatError(url, f"无法获取 / cannot fetch: {reason}") from None
    if len(data) > max_bytes:
        raise AlertFormatError(url, f"超过 {max_bytes // 1024} KB / larger than {max_bytes // 1024} KB")
    return data


class FeedPoller:
    """Call :meth:`poll_once` directly, or :meth:`start` a thread that polls every ``interval_s``."""

    def __init__(self, store: AlertStore, urls: list[str], interval_s: float, timeout_s: float = 15.0) -> None:
        self.store = store
        self.urls = list(urls)
        self.interval_s = interval_s
        self.timeout_s = timeout_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._linked_ok: dict[str, bool] = {}  # CAP link -> whether fetching it gave alerts
        self.last_reports: list[FeedReport] = []

    def poll_once(self) -> list[FeedReport]:
        reports = [self._poll_feed(url) for url in self.urls]
        self.last_reports = reports
        return reports

    def _poll_feed(self, url: str) -> FeedReport:
        report = FeedReport(url)
        try:
            data = fetch(url, self.timeout_s)
            result = parse_payload(data, url)
        except AlertFormatError as err:
            self.store.record_rejection(url, err.problem)
            report.errors.append(str(err))
            return report
        report.entries = len(result.items) or len(result.alerts)
        replaced = self._follow_links(url, result, report)
        result.alerts = [a for a in result.alerts if a.alert_id not in replaced]
        stored = store_parsed(self.store, result, url, data)
        report.new += stored.new
        report.duplicates += stored.duplicates
        report.errors.extend(str(e) for e in stored.errors)
        return report

    def _follow_links(self, feed_url: str, result: ParseResult, report: FeedReport) -> set[str]:
        """Fetch the CAP message of entries that only link to it; returns the entry alerts it replaces."""
        budget = MAX_LINKED_PER_POLL
        replaced: set[str] = set()
        for item in result.items:
            if item.cap_link is None or item.alert is None:
                continue
            link = urljoin(feed_url, item.cap_link)
            if link in self._linked_ok:
                if self._linked_ok[link]:
                    replaced.add(item.alert.alert_id)
                continue
            if budget == 0:
                continue
            budget -= 1
            self._linked_ok[link] = False
            try:
                data = fetch(link, self.timeout_s)
                linked = parse_payload(data, link)
            except AlertFormatError as err:
                self.store.record_rejection(link, err.problem)
                report.errors.append(str(err))
                continue
            stored = store_parsed(self.store, linked, link, data)
            report.new += stored.new
            report.duplicates += stored.duplicates
            report.errors.extend(str(e) for e in stored.errors)
            if stored.outcomes:
                self._linked_ok[link] = True
                replaced.add(item.alert.alert_id)
        return replaced

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="alert-feed-poller", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                for report in self.poll_once():
                    if report.errors:
                        log.warning("feed %s: %s", report.url, "; ".join(report.errors[:3]))
            except Exception:  # the thread must survive any single bad poll
                log.exception("alert feed poll failed")
            self._stop.wait(self.interval_s)
