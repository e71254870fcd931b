"""Shift handover (交接班): what one shift hands to the next, as a page and a document, acknowledged.

:func:`collect_handover` gathers it from the alert and task stores; :mod:`assistant.handover.document`
writes it (Word, Markdown); :class:`HandoverStore` keeps what was handed over and who took it;
:func:`shift_period` reads the period an officer asks for.
"""

from assistant.handover.collect import ReportsDue, collect_handover
from assistant.handover.document import handover_docx, handover_markdown
from assistant.handover.model import Handover, Period, ReportDue
from assistant.handover.period import shift_period
from assistant.handover.store import HandoverRecord, HandoverStore

__all__ = [
    "Handover",
    "HandoverRecord",
    "HandoverStore",
    "Period",
    "ReportDue",
    "ReportsDue",
    "collect_handover",
    "handover_docx",
    "handover_markdown",
    "shift_period",
]
