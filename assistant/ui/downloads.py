"""Word, Markdown and PDF files of one draft version, written once under the data dir for download.

Named by draft id, version and what the document prints (issuing unit, officers,
approval), so a download always matches the version on screen, an approval or a
changed issuing unit gives a fresh file, and two officers exporting the same version
share one file. Word and Markdown are written when the page shows the draft; the PDF
only when asked for, since LibreOffice takes seconds.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from assistant.documents import approval_of, export_context, write_plan
from assistant.domain import PlanDraft
from assistant.export.layout import ExportContext
from assistant.services import Services
from assistant.settings import Settings


def export_dir(settings: Settings) -> Path:
    return settings.data_path("exports")


def plan_context(services: Services, draft_id: str, version: int) -> ExportContext:
    """What this version's documents print: the drafting officer of version 1 and this version's approval."""
    versions = services.records.draft_versions(draft_id)
    drafted_by = versions[0].officer if versions else None
    return export_context(services.settings, drafted_by, approval_of(services.records, draft_id, version))


def _file(services: Services, draft: PlanDraft, version: int, suffix: str) -> Path:
    context = plan_context(services, draft.draft_id, version)
    digest = hashlib.sha256(repr(context).encode("utf-8")).hexdigest()[:8]
    folder = export_dir(services.settings)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"plan-{draft.draft_id}-v{version}-{digest}{suffix}"
    if not path.exists():
        partial = write_plan(draft, path.with_name(f"{path.stem}.part{suffix}"), context, services.settings)
        partial.replace(path)  # a download never sees a half-written file
    return path


def export_files(services: Services, draft: PlanDraft, version: int) -> tuple[Path, Path]:
    """The Word and Markdown files of this version."""
    return _file(services, draft, version, ".docx"), _file(services, draft, version, ".md")


def export_pdf(services: Services, draft: PlanDraft, version: int) -> Path:
    """The PDF of this version; PDFUnavailableError (saying what to install) where LibreOffice is absent."""
    return _file(services, draft, version, ".pdf")
