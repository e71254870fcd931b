"""Regenerate the stored drafts in tests/export/fixtures/ from the current offline drafter.

    .venv/bin/python -m tests.export.make_fixtures

Indexes the shipped knowledge in a temporary data folder (vectors from the shipped seed
cache, waiting for all of them so retrieval is the full hybrid one), drafts each alert
below with the offline drafter as ``assistant draft`` does, and writes the draft as the
project's JSON. Takes about two minutes on two cores; prints each draft's counts.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from assistant.alerts.intake import parse_file
from assistant.cli.drafting import most_severe
from assistant.export.json_codec import draft_to_json
from assistant.services import build_services, ensure_shipped_knowledge
from assistant.settings import PROJECT_ROOT, load_settings

FIXTURES = Path(__file__).parent / "fixtures"
# fixture name -> the alert it is drafted from
ALERTS = {
    "draft_rainstorm_orange_beijing": FIXTURES / "alert_rainstorm_orange_beijing.json",
    "draft_gas_alarm": PROJECT_ROOT / "examples" / "alerts" / "gas_alarm.json",
}


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="export-fixtures-") as data:
        env = {**os.environ, "ASSISTANT_DATA_DIR": data, "ASSISTANT__LLM__BASE_URL": ""}
        services = build_services(load_settings(env=env))
        try:
            ensure_shipped_knowledge(services, background=False)
            for name, alert_file in ALERTS.items():
                draft = services.draft(most_severe(parse_file(alert_file).alerts)).draft
                (FIXTURES / f"{name}.json").write_text(draft_to_json(draft) + "\n", encoding="utf-8")
                actions = sum(len(stage.actions) for stage in draft.stages)
                print(
                    f"{name}: {actions} actions, {len(draft.citations)} sources, level {draft.proposed_level}",
                    file=sys.stderr,
                )
        finally:
            services.close()
    print(f"made {datetime.now(UTC):%Y-%m-%d}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
