"""Schema of the alert store, as an ordered list of migrations (append, never edit).

Nothing is ever deleted: superseded and cancelled alerts keep their rows with a state,
incidents keep their history in ``incident_events``, refused payloads are kept in
``rejections``. The incidents table is denormalised (ranking columns, latest values) so
the board query reads one indexed table.
"""

from __future__ import annotations

import sqlite3

from assistant.errors import AssistantError

_SCHEMA_1 = """
CREATE TABLE alerts (
    alert_id TEXT PRIMARY KEY,
    source_format TEXT NOT NULL,
    sender TEXT NOT NULL,
    sent TEXT NOT NULL,
    sent_offset TEXT NOT NULL,
    received_at TEXT NOT NULL,
    event TEXT NOT NULL,
    hazard TEXT,
    colour TEXT,
    level TEXT,
    headline TEXT NOT NULL,
    description TEXT NOT NULL,
    instruction TEXT NOT NULL,
    status TEXT NOT NULL,
    msg_type TEXT NOT NULL,
    refs TEXT NOT NULL,
    urgency TEXT,
    severity TEXT,
    certainty TEXT,
    language TEXT NOT NULL,
    area TEXT NOT NULL,
    district TEXT,
    lat REAL,
    lon REAL,
    point_id TEXT,
    sensor_type TEXT,
    value REAL,
    unit TEXT,
    thresholds TEXT,
    exceedance REAL,
    asset_id TEXT,
    owner TEXT,
    expires TEXT,
    raw TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'active',
    replaced_by TEXT,
    incident_id TEXT
);
CREATE INDEX alerts_incident ON alerts (incident_id, sent);
CREATE INDEX alerts_sent ON alerts (sent);
CREATE TABLE alert_refs (
    alert_id TEXT NOT NULL,
    ref_id TEXT NOT NULL,
    msg_type TEXT NOT NULL,
    PRIMARY KEY (alert_id, ref_id)
);
CREATE INDEX alert_refs_target ON alert_refs (ref_id);
CREATE TABLE incidents (
    incident_id TEXT PRIMARY KEY,
    group_key TEXT NOT NULL,
    hazard TEXT,
    colour TEXT,
    level TEXT,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    is_open INTEGER NOT NULL,
    count INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    peak_value REAL,
    peak_exceedance REAL,
    latest_value REAL,
    unit TEXT,
    trend TEXT NOT NULL,
    recent TEXT NOT NULL,
    district TEXT,
    lat REAL,
    lon REAL,
    latest_alert_id TEXT NOT NULL,
    assignee TEXT,
    urgency TEXT,
    colour_rank INTEGER NOT NULL,
    urgency_rank INTEGER NOT NULL,
    exceed_bucket REAL NOT NULL,
    near_rank INTEGER NOT NULL,
    near_site TEXT,
    near_site_km REAL,
    updated_at TEXT NOT NULL
);
CREATE INDEX incidents_board
    ON incidents (is_open, colour_rank, urgency_rank, exceed_bucket DESC, near_rank, last_seen DESC);
CREATE INDEX incidents_group ON incidents (group_key, is_open, last_seen);
CREATE TABLE incident_events (
    id INTEGER PRIMARY KEY,
    incident_id TEXT NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    note TEXT NOT NULL DEFAULT '',
    alert_id TEXT
);
CREATE INDEX incident_events_incident ON incident_events (incident_id, id);
CREATE TABLE rejections (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    source TEXT NOT NULL,
    problem TEXT NOT NULL,
    payload TEXT NOT NULL
);
"""

# One index per board filter, each in the board's ranking order, so a filtered top 50 is an
# index range read even when the filter matches nothing among 100k incidents. The index on
# alerts.sent served no query and cost every insert.
_BOARD_FILTER_INDEXES_2 = """
CREATE INDEX incidents_board_hazard
    ON incidents (is_open, hazard, colour_rank, urgency_rank, exceed_bucket DESC, near_rank, last_seen DESC);
CREATE INDEX incidents_board_district
    ON incidents (is_open, district, colour_rank, urgency_rank, exceed_bucket DESC, near_rank, last_seen DESC);
CREATE INDEX incidents_board_status
    ON incidents (status, colour_rank, urgency_rank, exceed_bucket DESC, near_rank, last_seen DESC);
DROP INDEX alerts_sent;
"""

# The sender's readable name (CAP senderName): where a warning comes from decides which plan applies.
_SENDER_NAME_3 = """
ALTER TABLE alerts ADD COLUMN sender_name TEXT NOT NULL DEFAULT '';
"""

# Tasks handed out from a draft's actions (assistant.tasks), and shift handovers (assistant.handover).
# ``deadline_at`` is when an open task turns overdue unless it moves on (NULL: no clock applies), so the
# board's overdue count and next deadline are one indexed aggregate per incident. Task changes are
# incident events carrying the task's id; handovers keep what was handed over and who took it.
_TASKS_4 = """
CREATE TABLE tasks (
    task_id INTEGER PRIMARY KEY,
    incident_id TEXT NOT NULL,
    draft_id TEXT NOT NULL,
    draft_version INTEGER NOT NULL,
    stage TEXT NOT NULL,
    action_no INTEGER NOT NULL,
    text TEXT NOT NULL,
    unit TEXT NOT NULL,
    time_limit TEXT NOT NULL,
    loop TEXT NOT NULL,
    due_kind TEXT NOT NULL,
    due_at TEXT,
    deadline_at TEXT,
    status TEXT NOT NULL,
    is_open INTEGER NOT NULL,
    issued_at TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    done_at TEXT,
    waive_reason TEXT
);
CREATE INDEX tasks_incident ON tasks (incident_id, is_open, deadline_at);
CREATE INDEX tasks_deadline ON tasks (is_open, deadline_at);
ALTER TABLE incident_events ADD COLUMN task_id INTEGER;
CREATE INDEX incident_events_task ON incident_events (task_id) WHERE task_id IS NOT NULL;
CREATE INDEX incident_events_at ON incident_events (at);
CREATE TABLE handovers (
    handover_id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    next_end TEXT NOT NULL,
    lang TEXT NOT NULL,
    body TEXT NOT NULL,
    acknowledged_by TEXT,
    acknowledged_at TEXT
);
"""

# The board counts each shown incident's tasks (done, waived, overdue, next deadline) from the index alone.
_TASK_COUNTS_COVERED_5 = """
DROP INDEX tasks_incident;
CREATE INDEX tasks_incident_counts ON tasks (incident_id, status, deadline_at);
"""

# Each entry runs once, in order, inside one transaction that also bumps PRAGMA user_version.
MIGRATIONS: tuple[str, ...] = (_SCHEMA_1, _BOARD_FILTER_INDEXES_2, _SENDER_NAME_3, _TASKS_4, _TASK_COUNTS_COVERED_5)


def migrate(db: sqlite3.Connection) -> int:
    """Bring the schema up to date; returns the resulting version."""
    current = db.execute("PRAGMA user_version").fetchone()[0]
    if current > len(MIGRATIONS):
        raise AssistantError(
            f"告警库版本 {current} 比本程序新 / alerts.db schema {current} is newer than this program "
            f"({len(MIGRATIONS)}); upgrade the assistant"
        )
    for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
        db.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version={number};\nCOMMIT;")
    return len(MIGRATIONS)
