"""Typical secondary and chained risks per hazard (knowledge/data/hazard_chains.yaml).

The analysis stage names them so the officer prepares for the next link of the chain
(gas leak → explosion → collapse) before it happens.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from assistant.settings import PROJECT_ROOT

CHAINS_PATH = PROJECT_ROOT / "knowledge" / "data" / "hazard_chains.yaml"


@dataclass(frozen=True)
class ChainLink:
    source: str
    source_en: str
    target: str
    target_en: str
    why: str
    cases: tuple[str, ...]

    def describe(self, lang: str) -> str:
        if lang == "en":
            return f"{self.source_en or self.source} → {self.target_en or self.target}"
        return f"{self.source}→{self.target}" + (f"（{self.why}）" if self.why else "")


@lru_cache(maxsize=2)
def load_chains(path: Path = CHAINS_PATH) -> dict[str, tuple[ChainLink, ...]]:
    """Links by hazard name; an absent file means no chain data (never an error)."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    chains: dict[str, list[ChainLink]] = {}
    for chain in data.get("chains", []):
        for link in chain.get("links", []):
            chains.setdefault(chain["hazard"], []).append(
                ChainLink(
                    source=str(link.get("from", "")),
                    source_en=str(link.get("from_en", "")),
                    target=str(link.get("to", "")),
                    target_en=str(link.get("to_en", "")),
                    why=str(link.get("why", "")),
                    cases=tuple(link.get("cases", ())),
                )
            )
    return {hazard: tuple(links) for hazard, links in chains.items()}


def chained_risks(hazard: str | None, limit: int = 5) -> tuple[ChainLink, ...]:
    if not hazard:
        return ()
    return load_chains().get(hazard, ())[:limit]


@lru_cache(maxsize=2)
def chains_text(path: Path = CHAINS_PATH) -> str:
    """The raw table, for the grounding check (chain wording in a draft comes from here)."""
    return path.read_text(encoding="utf-8") if path.exists() else ""
