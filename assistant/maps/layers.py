"""What the five-colour map shows, apart from how it is drawn.

- incidents, coloured by their warning colour (an incident with no colour is grey), placed at their
  coordinates, else at the centre of their district (marked approximate);
- the registry's assets (bridges, gas-pipe sections): the colour of an open incident on that asset,
  else green (low risk, the fifth colour);
- sensitive sites (schools, hospitals …);
- similar-asset warnings: each asset that shares the alerting asset's risk profile, linked to that
  source asset, with the reasons, in the incident's colour;
- districts shaded by their worst open incident (green when none).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.alerts.assets import AssetRegistry
from assistant.alerts.board import BoardEntry
from assistant.domain import Colour
from assistant.maps.basemap import BaseLayer


@dataclass(frozen=True)
class IncidentMark:
    incident_id: str
    title: str
    colour: Colour | None
    hazard: str | None
    status: str
    lon: float
    lat: float
    approximate: bool  # placed at its district's centre: the alert gave no coordinates
    asset_id: str | None = None


@dataclass(frozen=True)
class AssetMark:
    asset_id: str
    name: str
    kind: str  # bridge | gas_pipe
    lon: float
    lat: float
    colour: Colour  # GREEN unless an open incident is on it
    incident_id: str | None = None


@dataclass(frozen=True)
class SiteMark:
    site_id: str
    name: str
    site_type: str
    lon: float
    lat: float


@dataclass(frozen=True)
class SimilarLink:
    """A common-risk warning: ``asset_id`` shares ``source_id``'s risk profile (raised by ``incident_id``)."""

    source_id: str
    asset_id: str
    incident_id: str
    colour: Colour | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MapData:
    incidents: tuple[IncidentMark, ...]
    assets: tuple[AssetMark, ...]
    sites: tuple[SiteMark, ...]
    links: tuple[SimilarLink, ...]
    shading: dict[str, Colour]  # district name -> worst open colour (GREEN when none)
    unplaced: tuple[str, ...]  # incident ids with neither coordinates nor a district on the base layer

    def incident(self, incident_id: str) -> IncidentMark | None:
        return next((i for i in self.incidents if i.incident_id == incident_id), None)


def _worst(colours: Sequence[Colour | None]) -> Colour:
    ranked = [c for c in colours if c is not None and c is not Colour.GREEN]
    return min(ranked, key=lambda c: c.rank) if ranked else Colour.GREEN


def build_map(
    entries: Sequence[BoardEntry],
    base: BaseLayer,
    registry: AssetRegistry | None,
    asset_of: Callable[[BoardEntry], str | None],
    similar_limit: int = 5,
) -> MapData:
    """The map's layers from the open incidents (board entries), the base layer and the asset registry.

    ``asset_of`` gives the asset an incident's alert is on (its sensor's ``asset_id``), if any.
    """
    incidents: list[IncidentMark] = []
    unplaced: list[str] = []
    for entry in entries:
        i = entry.incident
        lon, lat, approximate = entry.lon, entry.lat, False
        if lon is None or lat is None:
            district = base.district(i.district)
            if district is None:
                unplaced.append(i.incident_id)
                continue
            (lon, lat), approximate = district.centre, True
        incidents.append(
            IncidentMark(
                i.incident_id, i.title, i.colour, i.hazard, i.status.value, lon, lat, approximate, asset_of(entry)
            )
        )
    on_asset = {m.asset_id: m for m in sorted(incidents, key=lambda m: m.colour.rank if m.colour else 9) if m.asset_id}
    assets: list[AssetMark] = []
    links: list[SimilarLink] = []
    sites: list[SiteMark] = []
    if registry is not None:
        for asset in registry.assets.values():
            mark = on_asset.get(asset.asset_id)
            colour = (mark.colour or Colour.GREEN) if mark else Colour.GREEN
            assets.append(
                AssetMark(
                    asset.asset_id,
                    asset.name,
                    asset.kind,
                    asset.lon,
                    asset.lat,
                    colour,
                    mark.incident_id if mark else None,
                )
            )
        for source_id, mark in on_asset.items():
            for similar in registry.similar_assets(source_id)[:similar_limit]:
                links.append(
                    SimilarLink(source_id, similar.asset.asset_id, mark.incident_id, mark.colour, similar.reasons)
                )
        sites = [SiteMark(s.site_id, s.name, s.site_type, s.lon, s.lat) for s in registry.sites]
    shading = {}
    for district in base.districts:
        inside = [
            m.colour
            for m in incidents
            if district.contains(m.lon, m.lat) or (m.approximate and district.centre == (m.lon, m.lat))
        ]
        shading[district.name] = _worst(inside)
    return MapData(tuple(incidents), tuple(assets), tuple(sites), tuple(links), shading, tuple(unplaced))
