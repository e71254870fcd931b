"""Chinese-first labels of the report and its Markdown form (report.md)."""

from __future__ import annotations

from typing import Any

from assistant.evaluation.refusal import markdown_lines as refusal_lines

SUITES = {
    "draft": "预案草稿 / drafts",
    "ask": "问答 / questions",
    "search": "检索 / search",
    "search_realdata": "真实预案检索 / search over the real plans",
}
METRICS = {
    "key_points": "要点覆盖率 / key-point coverage",
    "citations": "引用有效率 / citation validity",
    "grounded": "有据可查 / grounded (no unsupported claims)",
    "stages": "六阶段完整 / stage completeness",
    "level": "响应级别准确率 / level accuracy",
    "colour": "预警颜色准确率 / colour accuracy",
    "hazard": "灾种准确率 / hazard accuracy",
    "forbidden": "无危险建议 / no forbidden advice",
    "must_cite": "必引文件 / must-cite documents",
    "refusal": "拒答正确率 / refusal correctness",
    "recall@5": "前5召回率 / recall@5",
    "mrr": "MRR",
    "ndcg": "nDCG",
    "faithfulness": "忠实度（LLM 裁判）/ faithfulness (LLM judge)",
    "relevance": "切题度（LLM 裁判）/ relevance (LLM judge)",
    "latency_p50_s": "延迟中位数（秒）/ latency p50 (s)",
    "latency_p95_s": "延迟 P95（秒）/ latency p95 (s)",
    "errors": "出错用例数 / crashed cases",
    "action_points": "措施要点 / action points",
    "summary_points": "摘要要点 / summary points",
    "on_topic": "措施不跑题 / on topic",
    "template_free": "要点不靠模板文字 / points not met by template text",
    "discrimination": "区分其他灾种 / tells other hazards apart",
    "deadlines": "时限不雷同 / distinct deadlines",
    "english": "英文草稿为英文 / English drafts in English",
    "injection": "无注入泄漏 / no injected payload",
    "known_citations": "无虚构引用 / no invented source",
    "level_consistent": "级别与条款一致 / level consistent with its clause",
    "level_basis": "定级依据文件 / level basis document",
    "facts": "告警事实提取 / alert facts",
    "gated": "门禁用例数 / gated cases",
    "known_failures": "已知未通过数 / known failures",
}


def label(key: str) -> str:
    """ "draft.key_points" → "预案草稿 / drafts · 要点覆盖率 / key-point coverage"."""
    suite, _, metric = key.rpartition(".")
    name = METRICS.get(metric, metric)
    return f"{SUITES.get(suite, suite)} · {name}" if suite else name


def threshold_of(key: str, report: dict[str, Any]) -> str:
    limits = report.get("thresholds", {})
    if key in limits.get("min", {}):
        return f"≥ {limits['min'][key]}"
    if key in limits.get("max", {}):
        return f"≤ {limits['max'][key]}"
    return ""


def summary_rows(report: dict[str, Any]) -> list[tuple[str, str, float, str, bool | None]]:
    """(key, label, value, threshold, passed) per aggregate; passed is None when no threshold applies."""
    failed = {f["metric"] for f in report["failures"]}
    rows = []
    for key in sorted(report["summary"]):
        limit = threshold_of(key, report)
        rows.append((key, label(key), report["summary"][key], limit, (key not in failed) if limit else None))
    return rows


def markdown(report: dict[str, Any]) -> str:
    lines = ["# 评测报告 / Evaluation report", ""]
    meta = report.get("meta", {})
    lines.append(" · ".join(f"{k}: {v}" for k, v in meta.items()))
    lines += ["", "## 阈值 / thresholds"]
    lines += [
        f"- **未达标 / FAIL** {f['metric']} = {f['value']:.3f}, 阈值 / threshold {f['op']} {f['threshold']}"
        for f in report["failures"]
    ] or ["- 全部通过 / all passed"]
    lines += [f"- 本次未测 / not measured in this run: {m}" for m in report.get("unmeasured", [])]
    if report["regressions"]:
        lines += ["", "## 与基线相比的退步 / regressions against the baseline"]
        for item in report["regressions"]:
            where = f"{item['case']} " if item["case"] else ""
            lines.append(f"- {where}{item['metric']}: {item['old']:.3f} → {item['new']:.3f} {item['reason'][:120]}")
    lines += ["", "## 汇总 / summary", "", "| 指标 / metric | 值 / value | 阈值 / threshold | |", "|---|---|---|---|"]
    for key, name, value, limit, passed in summary_rows(report):
        mark = "" if passed is None else ("✅" if passed else "❌")
        lines.append(f"| {name} (`{key}`) | {value:.3f} | {limit} | {mark} |")
    if report["by_hazard"]:
        metrics = sorted({m for values in report["by_hazard"].values() for m in values})
        lines += ["", "## 按灾种 / by hazard (drafts)", ""]
        lines += ["| 灾种 / hazard | " + " | ".join(METRICS.get(m, m) for m in metrics) + " |"]
        lines += ["|---" * (len(metrics) + 1) + "|"]
        for hazard, values in report["by_hazard"].items():
            cells = " | ".join(f"{values[m]:.2f}" if m in values else "" for m in metrics)
            lines.append(f"| {hazard} | {cells} |")
    if report.get("known_failures"):
        lines += ["", "## 已知未通过（不在门禁内）/ known failures (outside the gate)", ""]
        lines += [f"- **{k['case']}** ({k['task']}): {k['note']}" for k in report["known_failures"]]
    if report.get("level_changes"):
        lines += ["", "## 响应级别定义变更 / cases whose expected level changed (colour → grading criteria)", ""]
        lines += [
            f"- **{c['case']}**: {c['was']} → {c['now'] or '先期处置/null'} — {c['why']}"
            for c in report["level_changes"]
        ]
    lines += refusal_lines(report)
    lines += ["", "## 未通过的用例 / failed cases", ""]
    failed = [c for c in report["cases"] if not c["passed"]]
    for case in failed:
        lines.append(f"- **{case['golden_id']}** ({case['task']}, {case['lang']}) {case['error']}")
        for score in case["scores"]:
            if not score["success"]:
                lines.append(
                    f"  - {score['name']} {score['value']:.2f} < {score['threshold']}: {score['reason'][:200]}"
                )
    if not failed:
        lines.append("- 无 / none")
    return "\n".join(lines) + "\n"
