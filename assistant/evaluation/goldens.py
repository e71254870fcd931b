"""Golden cases (evals/goldens/*.jsonl): loading and validation with line-accurate errors.

Operators add their own files, so a malformed line is rejected with its file, line
number and reason, and the whole file is refused: silently skipping a case would make
a regression look like an improvement.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.domain import HAZARD_NAMES
from assistant.errors import AssistantError

TASKS = ("draft", "ask", "search", "report")
# expect.* fields that are lists of synonym groups (each group: the wordings of one point).
SYNONYM_GROUPS = ("key_points", "action_points", "summary_points", "lead")


class GoldenError(AssistantError):
    """A goldens file that does not follow evals/README.md."""


@dataclass(frozen=True)
class Relevant:
    title: str
    section: str


@dataclass(frozen=True)
class Golden:
    id: str
    lang: str
    task: str
    source: Path
    line: int
    question: str = ""
    alert: dict[str, Any] | None = None
    alert_file: Path | None = None
    corpus: str = "knowledge"  # knowledge | realdata
    expect: dict[str, Any] = field(default_factory=dict)
    note: str = ""  # why a case is a known failure (required in known_failures/)
    level_change: dict[str, Any] | None = None  # {"was": "II", "why": …}: the level under the old colour definition
    report: dict[str, Any] | None = None  # task report: kind, notes, phone, tasks, with_draft (evals/README.md)

    @property
    def relevant(self) -> list[Relevant]:
        return [Relevant(r["title"], r.get("section", "")) for r in self.expect.get("relevant", [])]


def _fail(path: Path, line: int, reason: str) -> GoldenError:
    return GoldenError(f"{path}:{line}: {reason}")


def _validate(data: Any, path: Path, line: int) -> Golden:
    if not isinstance(data, dict):
        raise _fail(path, line, "每行应为一个 JSON 对象 / each line must be a JSON object")
    for key in ("id", "lang", "task"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise _fail(path, line, f"缺少字段 / missing field '{key}'")
    if data["lang"] not in ("zh", "en"):
        raise _fail(path, line, f"lang 必须为 zh 或 en / lang must be zh or en, got {data['lang']!r}")
    if data["task"] not in TASKS:
        raise _fail(path, line, f"task 必须为 {'/'.join(TASKS)} / unknown task {data['task']!r}")
    expect = data.get("expect", {})
    if not isinstance(expect, dict):
        raise _fail(path, line, "expect 必须为对象 / expect must be an object")
    if data["task"] in ("ask", "search") and not isinstance(data.get("question"), str):
        raise _fail(path, line, "ask/search 用例需要 question / ask and search cases need a question")
    if data["task"] in ("draft", "report") and not (
        isinstance(data.get("alert"), dict) or isinstance(data.get("alert_file"), str)
    ):
        raise _fail(path, line, "draft/report 用例需要 alert 或 alert_file / draft and report cases need an alert")
    if data["task"] == "report" and ("rule" not in expect or not isinstance(data.get("report", {}), dict)):
        raise _fail(path, line, "report 用例需要 expect.rule（无适用条款时为 null）/ report cases need expect.rule")
    if data["task"] == "search" and not expect.get("relevant"):
        raise _fail(path, line, "search 用例需要 expect.relevant / search cases need expect.relevant")
    for item in expect.get("relevant", []):
        if not isinstance(item, dict) or not isinstance(item.get("title"), str):
            raise _fail(path, line, "relevant 每项需要 title / each relevant item needs a title")
    unknown = [h for h in expect.get("hazards", []) if h not in HAZARD_NAMES]
    if unknown:
        raise _fail(path, line, f"未知灾种 / hazards not in the vocabulary: {unknown}")
    for key in SYNONYM_GROUPS:
        for group in expect.get(key, []):
            if not isinstance(group, list) or not all(isinstance(s, str) for s in group):
                raise _fail(path, line, f"{key} 每项应为同义词列表 / each {key} entry must be a list of synonyms")
    change = data.get("level_change")
    if change is not None and not (isinstance(change, dict) and isinstance(change.get("why"), str) and "was" in change):
        raise _fail(path, line, 'level_change 应为 {"was": 级别, "why": 原因} / level_change needs "was" and "why"')
    alert_file = path.parent / data["alert_file"] if isinstance(data.get("alert_file"), str) else None
    if alert_file is not None and not alert_file.exists():
        raise _fail(path, line, f"alert_file 不存在 / alert_file not found: {alert_file}")
    return Golden(
        id=data["id"],
        lang=data["lang"],
        task=data["task"],
        source=path,
        line=line,
        question=data.get("question", ""),
        alert=data.get("alert"),
        alert_file=alert_file,
        corpus=data.get("corpus", "knowledge"),
        expect=expect,
        note=str(data.get("note", "")),
        level_change=change,
        report=data.get("report"),
    )


def load_goldens(paths: list[Path]) -> list[Golden]:
    """All cases of the given files or folders (*.jsonl); ids must be unique across them."""
    files: list[Path] = []
    for path in paths:
        files += sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    goldens: list[Golden] = []
    seen: dict[str, str] = {}
    for file in files:
        if not file.exists():
            raise GoldenError(f"找不到评测文件 / goldens file not found: {file}")
        for number, raw in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            if not raw.strip() or raw.lstrip().startswith("//"):
                continue
            try:
                data = json.loads(raw)
            except json.JSONDecodeError as err:
                raise _fail(file, number, f"JSON 格式错误 / invalid JSON: {err.msg} (column {err.colno})") from err
            golden = _validate(data, file, number)
            if golden.id in seen:
                raise _fail(file, number, f"id 重复 / duplicate id {golden.id!r} (first in {seen[golden.id]})")
            seen[golden.id] = f"{file.name}:{number}"
            goldens.append(golden)
    return goldens


KNOWN_FAILURES = "known_failures"


def known_failures(folders: list[Path]) -> list[Golden]:
    """The cases kept out of the gate (``<folder>/known_failures/*.jsonl``); each must say why in ``note``."""
    found: list[Golden] = []
    for folder in folders:
        sub = folder / KNOWN_FAILURES
        if folder.is_dir() and sub.is_dir():
            for golden in load_goldens([sub]):
                if not golden.note.strip():
                    raise _fail(
                        golden.source,
                        golden.line,
                        "已知未通过的用例必须在 note 中写明原因 / a known failure needs its reason in note",
                    )
                found.append(golden)
    return found
