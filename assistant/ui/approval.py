"""批准 / Approve in the incident workspace: the duty leader signs off the version on screen.

Until then every page of the Word and PDF copies carries the "草案 / DRAFT" mark. The
approval is an audit-trail entry naming the officer and the version (``documents.approve``,
the same record ``assistant approve`` writes), so the downloads of that version lose the
mark, and a revised plan, being a new version, is a draft again.

Who may approve: the admin role, which the users file gives the duty leaders (the mark says
"须经值班领导审核后使用"); officers draft, edit and issue tasks but cannot sign off their own
plan. In anonymous local use (one workstation, ``ui.anonymous_role``) the officer must first
give a name, since an approval signed "值班员" names nobody.
"""

from __future__ import annotations

import gradio as gr

from assistant.documents import approval_of, approve
from assistant.export.document import Approval
from assistant.services import Services
from assistant.ui.auth import ANONYMOUS, Access, officer_name
from assistant.ui.i18n import text
from assistant.ui.session import Workspace, user_errors
from assistant.ui.times import shown


def approval_line(services: Services, draft_id: str, lang: str) -> tuple[str, int]:
    """The approval state of the newest version of ``draft_id`` and that version ("" and 0 without a draft)."""
    if not draft_id:
        return "", 0
    version = services.records.latest_draft(draft_id).version
    approval = approval_of(services.records, draft_id, version)
    if approval is None:
        return text("approval_pending", lang, version=version), version
    at = shown(approval.at, services.settings.ui.utc_offset, seconds=False)
    return text("approval_done", lang, version=version, officer=approval.by, at=at), version


def approve_shown(
    services: Services, access: Access, request: gr.Request | None, draft_id: str, shown_version: int, lang: str
) -> Approval:
    """Record the signed-in leader's approval of the version the page shows; gr.Error when they may not,
    when nothing is shown, or when a newer version was saved since the page showed this one."""
    if not access.is_admin(request):
        raise gr.Error(text("approve_leader_only", lang))
    officer = officer_name(request)
    if officer == ANONYMOUS:
        raise gr.Error(text("approve_needs_name", lang))
    if not draft_id or shown_version < 1:
        raise gr.Error(text("draft_first", lang))
    newest = services.records.latest_draft(draft_id).version
    if newest != shown_version:
        raise gr.Error(text("approve_stale", lang, version=newest))
    with user_errors():
        return approve(services.records, draft_id, shown_version, officer)


def build_approval(ws: Workspace, draft_id: gr.State) -> None:
    """The approval line and the 批准 button, under the downloads of the incident workspace.

    An approval bumps ``ws.changed``, so the page redraws and its downloads are written anew for
    the approved version (their file names follow what they print, see ``ui.downloads``).
    """
    services, access, lang0 = ws.services, ws.access, ws.services.settings.ui.language
    version = gr.State(0)
    with gr.Row(equal_height=True):
        line = gr.Markdown("", elem_id="approval-status")
        button = ws.localiser.value(gr.Button(text("approve", lang0), elem_id="approve-draft", scale=0), "approve")

    def refresh(current: str, lang: str) -> tuple[str, int]:
        return approval_line(services, current, lang)

    for trigger in (draft_id.change, ws.changed.change, ws.lang.change):
        trigger(refresh, [draft_id, ws.lang], [line, version], api_visibility="private", show_progress="hidden")

    def on_click(current: str, shown_version: int, lang: str, bump: int, request: gr.Request) -> int:
        approval = approve_shown(services, access, request, current, shown_version, lang)
        gr.Info(text("approved_now", lang, version=shown_version, officer=approval.by), duration=4)
        return bump + 1

    button.click(
        on_click, [draft_id, version, ws.lang, ws.changed], ws.changed, api_name="approve_draft", concurrency_limit=4
    )
