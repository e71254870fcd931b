"""Word and Markdown files of one draft version, written once under the data dir for download.

Named by draft id and version, so a download always matches the version on screen and
two officers exporting the same version share one file.
"""

from __future__ import annotations

from pathlib import Path

from assistant.domain import PlanDraft
from assistant.export.markdown import render_markdown
from assistant.export.word import write_docx
from assistant.settings import Settings


def export_dir(settings: Settings) -> Path:
    return settings.data_path("exports")


def export_files(settings: Settings, draft: PlanDraft, version: int) -> tuple[Path, Path]:
    folder = export_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"plan-{draft.draft_id}-v{version}"
    docx, markdown = folder / f"{stem}.docx", folder / f"{stem}.md"
    if not docx.exists():
        partial = docx.with_suffix(".docx.part")
        write_docx(draft, partial)
        partial.replace(docx)  # a download never sees a half-written file
    if not markdown.exists():
        markdown.write_text(render_markdown(draft), encoding="utf-8")
    return docx, markdown
