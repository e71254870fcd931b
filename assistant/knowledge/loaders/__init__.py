"""Reading documents into blocks: one module per format, chosen by file suffix.

``load_document`` is the only entry point callers need; it never lets a library's own
exception escape, so a bad file is reported as a ``DocumentError`` and the rest of an
ingestion run carries on.
"""

from __future__ import annotations

from assistant.knowledge.loaders.base import Block, BlockKind, LoadedDocument
from assistant.knowledge.loaders.registry import SUPPORTED_SUFFIXES, load_document

__all__ = ["SUPPORTED_SUFFIXES", "Block", "BlockKind", "LoadedDocument", "load_document"]
