"""Incident events the next shift must hear about, recorded while alerts are grouped.

A raised warning colour ("黄色→橙色") and a common-risk warning for assets like the one that
alerted are written as incident events in the same transaction as the alert, so the shift
handover (and the timeline) reads them from the incident's history.
"""

from __future__ import annotations

from assistant.alerts.assets import AssetRegistry
from assistant.alerts.batch import Batch
from assistant.alerts.grouping import IncidentState, absorb
from assistant.domain import Alert, Colour

COLOUR_RAISED = "colour_raised"  # the warning colour went up (note: "黄色→橙色")
SIMILAR_ASSETS = "similar_assets"  # assets like the alerting one, for a common-risk check (note lists them)
LEVEL_PROPOSED = "level_proposed"  # a draft proposed a response level (note: "Ⅲ级（较大）"); written by services


def absorb_noting_colour(batch: Batch, state: IncidentState, alert: Alert) -> None:
    """Fold the alert into the incident; a colour that went up is recorded."""
    before = state.colour
    absorb(state, alert)
    batch.touch(state)
    after = state.colour
    if after is not None and after is not Colour.GREEN and (before is None or after.rank < before.rank):
        was = before.zh if before else "无色"
        batch.event(state.incident_id, "system", COLOUR_RAISED, note=f"{was}→{after.zh}", alert_id=alert.alert_id)


def note_similar_assets(batch: Batch, state: IncidentState, alert: Alert, assets: AssetRegistry | None) -> None:
    """A warning on one asset is a common-risk warning for the assets like it (up to five)."""
    asset_id = alert.sensor.asset_id if alert.sensor else None
    if assets is None or not asset_id:
        return
    similar = assets.similar_assets(asset_id)[:5]
    if similar:
        names = "、".join(f"{s.asset.name}（{s.asset.asset_id}）" for s in similar)
        batch.event(state.incident_id, "system", SIMILAR_ASSETS, note=f"{asset_id} → {names}", alert_id=alert.alert_id)
