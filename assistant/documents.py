"""Documents of a stored draft version: its approval, what it prints, and the files.

A version carries the "草案 / DRAFT" mark until an officer approves it; the approval is
an audit-trail entry (who, when, which version), so editing the plan afterwards makes
a new, unapproved version. The CLI and the UI both write documents through here, so a
Word, PDF or Markdown file of the same version says the same thing.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from assistant.domain import PlanDraft
from assistant.errors import AssistantError, NotFoundError
from assistant.export.document import Approval
from assistant.export.json_codec import draft_to_json
from assistant.export.layout import ExportContext
from assistant.export.markdown import render_markdown
from assistant.export.pdf import docx_to_pdf
from assistant.export.word import write_docx
from assistant.records import Records
from assistant.settings import Settings

APPROVED = "draft.approved"


def approve(records: Records, draft_id: str, version: int, officer: str) -> Approval:
    """Record that ``officer`` approved this version; raises NotFoundError for an unknown draft or version."""
    if not officer.strip():
        raise AssistantError("审核须署名 / an approval needs the approving officer's name (--officer)")
    versions = [r.version for r in records.draft_versions(draft_id)]
    if version not in versions:
        raise NotFoundError(f"草案 {draft_id} 没有第 {version} 版 / draft {draft_id} has no version {version}")
    records.log(APPROVED, actor=officer.strip(), subject=draft_id, version=version)
    found = approval_of(records, draft_id, version)
    assert found is not None, "the approval just logged is in the audit trail"
    return found


def approval_of(records: Records, draft_id: str, version: int) -> Approval | None:
    """The latest approval of exactly this version, or None (a later edit is a new, unapproved version)."""
    for entry in reversed(records.audit_trail(subject=draft_id)):
        if entry["action"] == APPROVED and entry["detail"].get("version") == version:
            at = datetime.fromisoformat(entry["at"])
            return Approval(by=entry["actor"] or "", at=at if at.tzinfo else at.replace(tzinfo=UTC))
    return None


def export_context(
    settings: Settings, drafted_by: str | None = None, approval: Approval | None = None
) -> ExportContext:
    """Issuing unit and duty officer from settings, the drafting officer from the record, the centre's clock."""
    return ExportContext(
        utc_offset=settings.ui.utc_offset,
        issuing_unit=settings.export.issuing_unit,
        duty_officer=settings.export.duty_officer,
        drafted_by=drafted_by or "",
        approval=approval,
    )


def write_pdf(draft: PlanDraft, path: Path, context: ExportContext, settings: Settings) -> Path:
    """The Word document converted by LibreOffice; PDFUnavailableError (with the install hint) without it."""
    with tempfile.TemporaryDirectory(prefix="assistant-docx-") as folder:
        docx = write_docx(draft, Path(folder) / f"{path.stem}.docx", context)
        return docx_to_pdf(
            docx,
            path,
            soffice=settings.export.soffice,
            profile=settings.data_path("libreoffice-profile"),
            timeout_s=settings.export.pdf_timeout_s,
        )


def write_plan(draft: PlanDraft, path: Path, context: ExportContext, settings: Settings) -> Path:
    """Write the plan in the format its suffix names (.docx, .pdf, .json; anything else is Markdown)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return write_docx(draft, path, context)
    if suffix == ".pdf":
        return write_pdf(draft, path, context, settings)
    if suffix == ".json":
        path.write_text(draft_to_json(draft), encoding="utf-8")
    else:
        path.write_text(render_markdown(draft, context), encoding="utf-8")
    return path
