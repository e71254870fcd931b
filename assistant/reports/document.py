"""A report version as an official document: title, the seven sections, issuing block, Word bytes.

It is typeset by the same ``official_docx`` as the plans, so a 首报 looks like every other document
the centre sends. Until the version is marked sent it carries a "待报送" mark in the page header;
the report's deadline and rule stay in the workspace: they are the centre's business, not the reader's.
"""

from __future__ import annotations

from assistant.export.document import IssuingBlock, OfficialDocument, Paragraph, Section
from assistant.export.local_time import local_date, local_time
from assistant.export.official_docx import docx_bytes
from assistant.reports.model import section_label
from assistant.reports.store import ReportRecord

MARKS = {"zh": "待报送稿　以实际报送版本为准", "en": "NOT YET SENT · the version sent is authoritative"}
LEAD = {
    "zh": "{kind} · 第 {version} 版 · 起草时间：{created}",
    "en": "{kind} · version {version} · drafted {created}",
}
SENT = {"zh": "已于 {at} 报送：{to}（{officer} 登记）", "en": "Sent {at} to {to} (recorded by {officer})"}


def report_document(record: ReportRecord, utc_offset: str, unit: str = "") -> OfficialDocument:
    """The official document of one stored report version."""
    report = record.report
    lang = "en" if report.lang == "en" else "zh"
    created = local_time(record.created_at, utc_offset, lang)
    lead = [Paragraph(LEAD[lang].format(kind=report.kind.label(lang), version=record.version, created=created))]
    if record.sent is not None:
        at = local_time(record.sent.at, utc_offset, lang)
        lead.append(Paragraph(SENT[lang].format(at=at, to=record.sent.to, officer=record.sent.officer)))
    sections = tuple(
        Section(section_label(s.key, lang), tuple(Paragraph(line.text) for line in s.lines)) for s in report.sections
    )
    return OfficialDocument(
        title=report.title,
        lang=lang,
        sections=sections,
        lead=tuple(lead),
        issuing=IssuingBlock(
            unit=unit or "", date=local_date(record.created_at, utc_offset, lang), duty_officer=report.officer
        ),
        draft_mark="" if record.sent is not None else MARKS[lang],
        comments=f"report_id={report.report_id}; version={record.version}; kind={report.kind.value}",
    )


def report_docx(record: ReportRecord, utc_offset: str, unit: str = "") -> bytes:
    return docx_bytes(report_document(record, utc_offset, unit))
