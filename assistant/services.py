"""The one place that chooses implementations from settings and wires them together.

The UI and the CLI receive a ``Services`` and never build adapters themselves, so a
test can build a fresh, fully isolated set from settings pointing at a tmp data dir.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assistant.knowledge.embeddings import ModelEmbeddings, make_embeddings
from assistant.knowledge.first_run import DenseWarmup, export_shipped_cache
from assistant.knowledge.first_run import ensure_shipped_knowledge as _ensure_shipped
from assistant.knowledge.index import KnowledgeIndex, ProgressFn
from assistant.knowledge.ingest import Ingestor, IngestReport
from assistant.knowledge.retriever import HybridRetriever
from assistant.settings import PROJECT_ROOT, Settings


@dataclass
class KnowledgeServices:
    settings: Settings
    index: KnowledgeIndex
    ingestor: Ingestor
    retriever: HybridRetriever
    warmup: DenseWarmup | None = field(default=None)

    def shipped_dirs(self) -> list[Path]:
        return shipped_dirs(self.settings)

    def export_seed_cache(self, on_progress: ProgressFn | None = None) -> tuple[Path, int]:
        """Write knowledge/.embeddings/<model_id>.npz so fresh installs skip embedding the shipped knowledge."""
        return export_shipped_cache(self.ingestor, self.shipped_dirs(), on_progress)

    def close(self) -> None:
        if self.warmup:
            self.warmup.stop()
        self.index.close()


def shipped_dirs(settings: Settings) -> list[Path]:
    """The shipped knowledge folders (relative ones are taken from the project root)."""
    return [Path(d) if Path(d).is_absolute() else PROJECT_ROOT / d for d in settings.knowledge.shipped_dirs]


def build_knowledge(settings: Settings, embeddings: ModelEmbeddings | None = None) -> KnowledgeServices:
    """The knowledge index and its ingestor and retriever; ``embeddings`` overrides the configured model."""
    model = embeddings or make_embeddings(settings.embedding)
    index = KnowledgeIndex(settings, model, seed_dirs=shipped_dirs(settings))
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


@dataclass
class Services:
    settings: Settings
    knowledge: KnowledgeServices

    def close(self) -> None:
        self.knowledge.close()


def build_services(settings: Settings) -> Services:
    return Services(settings=settings, knowledge=build_knowledge(settings))
