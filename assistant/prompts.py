"""Prompt templates as versioned files, and the quoting that keeps documents and alerts as data.

Templates live in ``prompts/<name>.<lang>.md`` with YAML front matter (``version``,
``description``) so a prompt change is a reviewed file change and every draft can
record which versions produced it. Placeholders are ``$var`` / ``${var}``; a literal
dollar sign is ``$$``.

Retrieved passages, alert text and officer notes are untrusted: a document may
contain "忽略以上指令" and an alert may be forged. ``quote_data`` puts such text in
a fenced block whose fence the text cannot reproduce, and the system prompt tells
the model that fenced text is data, never instructions.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Template

import yaml

from assistant.domain import Stage
from assistant.errors import PromptError

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
LANGS = ("zh", "en")
_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}\.\d+$")
_FENCE_MARK = re.compile(r"<{3,}|>{3,}")


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    lang: str
    version: str
    text: str
    description: str = ""

    @property
    def variables(self) -> frozenset[str]:
        return frozenset(Template(self.text).get_identifiers())

    def render(self, **values: object) -> str:
        """The prompt with every placeholder filled; a missing value is an error, never a silent blank."""
        missing = sorted(self.variables - values.keys())
        if missing:
            raise PromptError(
                f"提示词 {self.name}.{self.lang} 缺少变量 / prompt {self.name}.{self.lang} needs values for: "
                + ", ".join(missing)
            )
        return Template(self.text).substitute({k: str(v) for k, v in values.items()})


def load_prompt(name: str, lang: str, directory: Path | None = None) -> PromptTemplate:
    """The template ``name`` in ``lang``; a missing language is an error that lists what exists."""
    return _load(name, lang, (directory or PROMPTS_DIR).resolve())


@lru_cache(maxsize=128)
def _load(name: str, lang: str, directory: Path) -> PromptTemplate:
    path = directory / f"{name}.{lang}.md"
    if not path.is_file():
        have = sorted(p.name for p in directory.glob(f"{name}.*.md"))
        hint = f"现有 / available: {', '.join(have)}" if have else f"{directory} 中没有该提示词 / no such prompt"
        raise PromptError(f"找不到提示词 / prompt not found: {path.name} ({hint})")
    raw = path.read_text(encoding="utf-8")
    meta, body = _split_front_matter(raw, path)
    version = str(meta.get("version", ""))
    if not _VERSION.match(version):
        raise PromptError(f"{path}: 版本号应形如 2026-11-22.1 / front matter needs version like '2026-11-22.1'")
    template = PromptTemplate(name, lang, version, body.strip() + "\n", str(meta.get("description", "")))
    if not Template(template.text).is_valid():
        raise PromptError(f"{path}: 占位符无效（字面 $ 请写作 $$）/ invalid placeholder (write a literal $ as $$)")
    return template


def _split_front_matter(raw: str, path: Path) -> tuple[dict[str, object], str]:
    if not raw.startswith("---\n"):
        raise PromptError(f"{path}: 缺少 YAML 头 / missing the '---' front matter with version and description")
    head, sep, body = raw[4:].partition("\n---\n")
    if not sep:
        raise PromptError(f"{path}: YAML 头未结束 / front matter is not closed by a '---' line")
    try:
        meta = yaml.safe_load(head) or {}
    except yaml.YAMLError as err:
        raise PromptError(f"{path}: YAML 头格式错误 / invalid front matter: {err}") from err
    if not isinstance(meta, dict):
        raise PromptError(f"{path}: YAML 头应为映射 / front matter must be a mapping")
    return meta, body


def prompt_names(directory: Path | None = None) -> list[str]:
    """Every template name that has at least one language file."""
    base = directory or PROMPTS_DIR
    return sorted({p.name.split(".")[0] for p in base.glob("*.*.md")})


def prompt_versions(lang: str = "zh", directory: Path | None = None) -> dict[str, str]:
    """name -> version of every template in ``lang``, to record with each draft and chat turn."""
    return {name: load_prompt(name, lang, directory).version for name in prompt_names(directory)}


def stage_guidance(stage: Stage, lang: str) -> str:
    """What a stage must cover, for the ``$stage_guidance`` slot of the stage template."""
    return load_prompt(f"stage_guidance_{stage.value}", lang).text.strip()


def quote_data(label: str, text: str) -> str:
    """``text`` as an inert, fenced data block that the text itself cannot close.

    The fence id is a hash of label and text, so a document cannot know it in
    advance, and every run of three or more angle brackets inside the text is
    replaced by look-alike guillemets, so no fence (real or guessed) survives.
    """
    safe_label = " ".join(_FENCE_MARK.sub(_defang, label).replace('"', "'").split())
    body = _FENCE_MARK.sub(_defang, text.replace("\r\n", "\n")).strip("\n")
    fence = hashlib.sha256(f"{label}\x00{text}".encode()).hexdigest()[:10]
    return f'<<<DATA id={fence} label="{safe_label}">>>\n{body}\n<<<END DATA id={fence}>>>'


def _defang(match: re.Match[str]) -> str:
    return ("‹" if match.group(0)[0] == "<" else "›") * len(match.group(0))
