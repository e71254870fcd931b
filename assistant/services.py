"""The one place that chooses implementations from settings and wires them together.

The UI and the CLI receive a ``Services`` and never build adapters themselves, so a
test can build a fresh, fully isolated set from settings pointing at a tmp data dir.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path

from assistant.alerts import AlertStore, build_alert_store, load_registry
from assistant.alerts.assets import AssetRegistry
from assistant.alerts.notable import LEVEL_PROPOSED
from assistant.chain.answers import Answer
from assistant.chain.card_check import Problem, check_folder
from assistant.chain.cards import CARDS_DIR, load_decks
from assistant.chain.chat import ChatService
from assistant.chain.drafter import Drafter, DraftOutcome
from assistant.chain.facts import AlertFacts, Site, facts_from_alert
from assistant.chain.llm_writer import LLMStageWriter
from assistant.domain import Alert, Incident, PlanDraft, Stage
from assistant.handover import (
    Handover,
    HandoverRecord,
    HandoverStore,
    ReportDue,
    ReportsDue,
    collect_handover,
    shift_period,
)
from assistant.handover.document import handover_markdown
from assistant.knowledge.embedding_cache import seed_home
from assistant.knowledge.embeddings import ModelEmbeddings, make_embeddings
from assistant.knowledge.first_run import DenseWarmup, export_cache, export_shipped_cache
from assistant.knowledge.first_run import ensure_shipped_knowledge as _ensure_shipped
from assistant.knowledge.index import KnowledgeIndex, ProgressFn
from assistant.knowledge.ingest import Ingestor, IngestReport
from assistant.knowledge.retriever import HybridRetriever
from assistant.llm import make_chat_model
from assistant.llm.base import ChatModel
from assistant.records import Records
from assistant.reports.service import ReportService
from assistant.reports.store import ReportStore
from assistant.reports.task_source import tasks_from
from assistant.settings import PROJECT_ROOT, Settings
from assistant.tasks import Clock, TaskStore

log = logging.getLogger(__name__)

FACTS_CACHE = 512  # alerts whose facts the board keeps (a board shows at most 100 incidents)
# Any question works: it only has to pass through the tokenizer, the query embedder and both indexes.
WARM_UP_QUESTION = "燃气泄漏 应急处置"


@dataclass
class KnowledgeServices:
    settings: Settings
    index: KnowledgeIndex
    ingestor: Ingestor
    retriever: HybridRetriever
    warmup: DenseWarmup | None = field(default=None)

    def shipped_dirs(self) -> list[Path]:
        return shipped_dirs(self.settings)

    def export_seed_cache(
        self, on_progress: ProgressFn | None = None, folders: Sequence[Path] = ()
    ) -> tuple[Path, int]:
        """Write <folder>/.embeddings/<model_id>.npz so the next machine skips embedding that library.

        Without folders: the shipped knowledge's seed (knowledge/.embeddings), which fresh installs use.
        """
        if folders:
            return export_cache(self.ingestor, folders, on_progress)
        return export_shipped_cache(self.ingestor, self.shipped_dirs(), on_progress)

    def close(self) -> None:
        if self.warmup:
            self.warmup.stop()
        self.index.embeddings.close()  # stops embedding worker processes an upload may still be using
        self.index.close()


def shipped_dirs(settings: Settings) -> list[Path]:
    """The shipped knowledge folders (relative ones are taken from the project root)."""
    return [Path(d) if Path(d).is_absolute() else PROJECT_ROOT / d for d in settings.knowledge.shipped_dirs]


def build_knowledge(settings: Settings, embeddings: ModelEmbeddings | None = None) -> KnowledgeServices:
    """The knowledge index and its ingestor and retriever; ``embeddings`` overrides the configured model."""
    model = embeddings or make_embeddings(settings.embedding)
    shipped = shipped_dirs(settings)
    index = KnowledgeIndex(settings, model, seed_dirs=[seed_home(shipped)] if shipped else [])
    return KnowledgeServices(
        settings=settings,
        index=index,
        ingestor=Ingestor(index, settings.knowledge),
        retriever=HybridRetriever(index=index, settings=settings.retrieval),
    )


def ensure_shipped_knowledge(
    services: Services | KnowledgeServices, background: bool = True, on_progress: ProgressFn | None = None
) -> IngestReport:
    """Call at start-up: shipped knowledge becomes searchable now, dense vectors follow (see first_run)."""
    knowledge = services.knowledge if isinstance(services, Services) else services
    report, knowledge.warmup = _ensure_shipped(knowledge.ingestor, knowledge.shipped_dirs(), background, on_progress)
    return report


def warm_query_path(services: Services | KnowledgeServices) -> threading.Thread:
    """Load the tokenizer dictionary, query embedder, lexical index and vector seeds in the background.

    Without this the first officer's question after a start pays for them (≈3 s on 2 cores).
    """
    knowledge = services.knowledge if isinstance(services, Services) else services

    def search_once() -> None:
        try:
            knowledge.retriever.search(WARM_UP_QUESTION)
            knowledge.index.embeddings.cached([WARM_UP_QUESTION])  # reads the seeds (clause vectors) once
        except Exception as err:  # a failed warm-up only costs the first question its speed
            log.warning("检索预热失败 / query warm-up failed: %s", err)

    thread = threading.Thread(target=search_once, name="query-warmup", daemon=True)
    thread.start()
    return thread


@dataclass
class Services:
    """Everything the UI and CLI use; built once per process (or per test) from settings."""

    settings: Settings
    knowledge: KnowledgeServices
    records: Records
    alerts: AlertStore
    assets: AssetRegistry | None
    chat_model: ChatModel | None
    drafter: Drafter
    chat: ChatService
    tasks: TaskStore
    clock: Clock  # "now" for deadlines, the board's overdue marks and handovers (tests move it)
    handovers: HandoverStore
    report_store: ReportStore
    _facts: dict[tuple[str, str | None], AlertFacts] = field(default_factory=dict, repr=False)

    @cached_property
    def reports(self) -> ReportService:
        """Reports up the chain (信息报送) over the alert store, records, tasks, the library and the task clock."""
        return ReportService(
            store=self.report_store,
            alerts=self.alerts,
            records=self.records,
            library=self.knowledge.retriever,
            facts_of=lambda alert, lang: self.alert_facts(alert, lang=lang),
            utc_offset=self.settings.ui.utc_offset,
            unit=self.settings.export.issuing_unit,
            tasks=tasks_from(self.tasks),
            clock=self.clock.now,
        )

    def nearby_sites(self, alert: Alert) -> tuple[Site, ...]:
        """Sensitive sites within the configured radius of the alert's location (from the asset registry)."""
        lat, lon = alert.area.lat, alert.area.lon
        if self.assets is None or lat is None or lon is None:
            return ()
        radius = self.settings.alerts.sensitive_radius_km
        return tuple(
            Site(s.site_type, s.name, round(d * 1000), "registry")
            for s, d in self.assets.sites_within(lat, lon, radius)[:5]
        )

    def similar_assets(self, alert: Alert) -> tuple[str, ...]:
        """Assets sharing the alerting asset's risk profile, for a common-risk inspection."""
        asset_id = alert.sensor.asset_id if alert.sensor else None
        if self.assets is None or not asset_id:
            return ()
        return tuple(f"{s.asset.name}（{s.asset.asset_id}）" for s in self.assets.similar_assets(asset_id)[:5])

    def alert_facts(self, alert: Alert, lang: str | None = None) -> AlertFacts:
        """The facts of one alert as the board and workspace show them (cached: the board asks every second)."""
        key = (alert.alert_id, lang)
        facts = self._facts.get(key)
        if facts is None:
            facts = facts_from_alert(
                alert,
                lang=lang,
                nearby=self.nearby_sites(alert),
                similar_assets=self.similar_assets(alert),
                home=self.settings.alerts.home_region,
            )
            if len(self._facts) >= FACTS_CACHE:
                self._facts.pop(next(iter(self._facts)))
            self._facts[key] = facts
        return facts

    def draft(
        self, alert: Alert, incident: Incident | None = None, lang: str | None = None, officer: str | None = None
    ) -> DraftOutcome:
        """Draft a plan for the alert and record it with what it was generated from."""
        outcome = self.drafter.draft(
            alert, incident, lang=lang, nearby=self.nearby_sites(alert), similar_assets=self.similar_assets(alert)
        )
        self.records.save_draft(outcome.draft, officer=officer, retrieved=outcome.retrieved, timings=outcome.timings)
        draft = outcome.draft
        if incident is not None and draft.proposed_level is not None:  # the next shift hears of it (handover)
            self.alerts.record_event(incident.incident_id, officer or "system", LEVEL_PROPOSED, draft.proposed_level.zh)
        return outcome

    def regenerate_stage(
        self, draft: PlanDraft, alert: Alert, stage: Stage, request: str = "", officer: str | None = None
    ) -> PlanDraft:
        """Rewrite one stage (following the officer's request if given) and record it as the next version."""
        revised = self.drafter.regenerate_stage(
            draft,
            alert,
            stage,
            request=request,
            officer=officer or "",
            nearby=self.nearby_sites(alert),
            similar_assets=self.similar_assets(alert),
        )
        change = "revised" if request else "stage_regenerated"
        self.records.save_draft(revised, change=change, officer=officer)
        return revised

    def save_edit(self, draft: PlanDraft, officer: str) -> int:
        """An officer's in-place edit, stored as a new version; returns the version number."""
        return self.records.save_draft(draft, change="edited", officer=officer).version

    def record_answer(
        self,
        question: str,
        answer: Answer,
        session_id: str = "cli",
        officer: str | None = None,
        incident_id: str | None = None,
    ) -> None:
        self.records.add_chat_turn(session_id, "user", question, officer=officer, incident_id=incident_id)
        self.records.add_chat_turn(
            session_id,
            "assistant",
            answer.text,
            officer=officer,
            incident_id=incident_id,
            engine=answer.engine,
            covered=answer.covered,
            citations=[c.chunk_id for c in answer.citations],
        )

    def close(self) -> None:
        self.knowledge.close()
        self.records.close()
        self.alerts.close()
        self.report_store.close()


@dataclass(frozen=True)
class CardCheck:
    problems: list[Problem]
    hazards: int
    cards: int


def check_action_cards(settings: Settings, cards_dir: Path | None = None) -> CardCheck:
    """``assistant kb check-cards``: the action cards against the shipped library they cite."""
    folder = cards_dir or CARDS_DIR
    decks = load_decks(folder)
    return CardCheck(
        check_folder(folder, shipped_dirs(settings)), len(decks), sum(len(d.cards) for d in decks.values())
    )


@dataclass
class DutyServices:
    """What the task and handover commands need — alerts, records, tasks, the clock — without the knowledge
    index and models, so `assistant tasks ...` starts in a second."""

    settings: Settings
    alerts: AlertStore
    records: Records
    clock: Clock
    tasks: TaskStore
    handovers: HandoverStore

    def close(self) -> None:
        self.records.close()
        self.alerts.close()


def build_duty_services(settings: Settings) -> DutyServices:
    alerts, records, clock = build_alert_store(settings), Records(settings.data_path("records.db")), Clock()
    return DutyServices(
        settings,
        alerts,
        records,
        clock,
        TaskStore(alerts, clock, audit=records.log),
        HandoverStore(alerts, clock, audit=records.log),
    )


def reports_due_hook(services: Services | DutyServices) -> ReportsDue | None:
    """HOOK (issue 18, part 2): reports due, from the reports module, for the handover.

    The duty services (no knowledge library, so no reporting clause to read) give None: the handover then
    says reports were not checked instead of claiming none are due.
    """
    if not isinstance(services, Services):
        return None
    reports = services.reports

    def due(incident_ids: Sequence[str], _end: datetime, next_end: datetime) -> list[ReportDue]:
        return [
            ReportDue(
                d.incident_id, services.alerts.incident(d.incident_id).title, d.kind.label("zh"), d.due_at, d.rule
            )
            for d in reports.due(incident_ids, next_end)
        ]

    return due


def prepare_handover(
    services: Services | DutyServices, since: str | None, until: str | None, next_hours: float, by: str, lang: str
) -> tuple[HandoverRecord, Handover]:
    """Gather and record a handover for the asked period (by default: since the last one ended)."""
    settings = services.settings
    latest = services.handovers.latest()
    period = shift_period(
        since, until, next_hours, services.clock.now(), settings.ui.utc_offset, latest.period.end if latest else None
    )
    handover = collect_handover(services.alerts, services.tasks, period, by, reports_due=reports_due_hook(services))
    body = handover_markdown(handover, lang, settings.ui.utc_offset, settings.export.issuing_unit)
    return services.handovers.save(period, by.strip(), lang, body), handover


def build_services(settings: Settings) -> Services:
    knowledge = build_knowledge(settings)
    chat_model = make_chat_model(settings)
    llm_writer = LLMStageWriter(chat_model, settings.llm.max_tokens) if chat_model else None
    duty = build_duty_services(settings)
    return Services(
        settings=settings,
        knowledge=knowledge,
        records=duty.records,
        alerts=duty.alerts,
        tasks=duty.tasks,
        clock=duty.clock,
        handovers=duty.handovers,
        report_store=ReportStore(settings.data_path("reports.db")),
        assets=load_registry(settings),
        chat_model=chat_model,
        drafter=Drafter(knowledge.retriever, llm_writer, home=settings.alerts.home_region),
        chat=ChatService(
            knowledge.retriever, chat_model, max_tokens=settings.llm.max_tokens, embedder=knowledge.index.embeddings
        ),
    )
