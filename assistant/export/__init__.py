"""Renderers that turn a PlanDraft into documents officers send on (Markdown, Word, JSON)."""
