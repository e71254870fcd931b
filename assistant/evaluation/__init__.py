"""Evaluation: goldens, metrics and runners. The goldens themselves live in evals/."""
