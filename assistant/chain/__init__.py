"""The six-stage chain: evidence, situation analysis, stage drafting, grounding, chat."""
