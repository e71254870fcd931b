"""report.html: one self-contained page (inline CSS and SVG, no scripts, no external files).

CI keeps it as an artifact and reviewers open it from anywhere, so nothing may be fetched.
Failures and regressions come first; every case can be unfolded to its scores and reasons.
"""

from __future__ import annotations

from html import escape
from typing import Any

from assistant.evaluation.report_text import METRICS, summary_rows

COLOURS = {"key_points": "#c0392b", "citations": "#2471a3", "grounded": "#229954", "level": "#b9770e"}
CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei",sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
th{background:#f3f3f3}.fail{color:#b00020;font-weight:bold}.ok{color:#17702c}.muted{color:#888}
tr.regressed td,li.regressed{background:#fde2e2}.badge{display:inline-block;padding:0 6px;border-radius:3px;color:#fff}
.badge.fail{background:#b00020;color:#fff}.badge.ok{background:#17702c}details{margin:3px 0}
summary{cursor:pointer}.key{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}.reason{color:#444}
"""


def _bar_chart(by_hazard: dict[str, dict[str, float]]) -> str:
    """Grouped horizontal bars: one group per hazard, one bar per metric, scale 0 to 1."""
    metrics = [m for m in COLOURS if any(m in v for v in by_hazard.values())]
    left, scale, bar = 130, 420, 12
    group = bar * len(metrics) + 10
    parts = []
    top = 4
    for g, (hazard, values) in enumerate(by_hazard.items()):
        y0 = top + g * group
        parts.append(f'<text x="0" y="{y0 + group / 2}" font-size="13">{escape(hazard)}</text>')
        for i, metric in enumerate(metrics):
            if metric not in values:
                continue
            y, width = y0 + i * bar, values[metric] * scale
            parts.append(
                f'<rect x="{left}" y="{y}" width="{width:.1f}" height="{bar - 2}" fill="{COLOURS[metric]}">'
                f"<title>{escape(hazard)} {metric} {values[metric]:.2f}</title></rect>"
                f'<text x="{left + width + 4:.1f}" y="{y + bar - 3}" font-size="10">{values[metric]:.2f}</text>'
            )
    height = top + len(by_hazard) * group + 4
    axis = f'<line x1="{left}" y1="{top - 4}" x2="{left}" y2="{height}" stroke="#999"/>'
    legend = "".join(f"<span class='key' style='background:{COLOURS[m]}'></span>{escape(METRICS[m])} " for m in metrics)
    return f"<p>{legend}</p>" + (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + scale + 240}" height="{height}" '
        f'role="img" aria-label="scores by hazard">{axis}{"".join(parts)}</svg>'
    )


def _verdict(report: dict[str, Any]) -> str:
    items = [
        f"<li class='fail'>未达标 / FAIL {escape(f['metric'])} = {f['value']:.3f}，阈值 / threshold {f['op']} "
        f"{f['threshold']}</li>"
        for f in report["failures"]
    ] or ["<li class='ok'>全部阈值通过 / all thresholds passed</li>"]
    items += [f"<li class='muted'>本次未测 / not measured: {escape(m)}</li>" for m in report.get("unmeasured", [])]
    return f"<ul>{''.join(items)}</ul>"


def _regressions(report: dict[str, Any]) -> str:
    if not report["regressions"]:
        return "<p class='ok'>无退步 / no regressions (或未给出基线 / or no baseline given)</p>"
    rows = "".join(
        f"<tr class='regressed'><td>{escape(r['case'] or '汇总 / aggregate')}</td><td>{escape(r['metric'])}</td>"
        f"<td>{r['old']:.3f}</td><td>{r['new']:.3f}</td><td class='reason'>{escape(r['reason'])}</td></tr>"
        for r in report["regressions"]
    )
    head = "<tr><th>用例 / case</th><th>指标 / metric</th><th>基线 / baseline</th><th>本次 / now</th><th>原因 / reason</th></tr>"
    return f"<table>{head}{rows}</table>"


def _summary(report: dict[str, Any]) -> str:
    rows = []
    for key, name, value, limit, passed in summary_rows(report):
        status = (
            ""
            if passed is None
            else ("<span class='ok'>通过 / pass</span>" if passed else "<span class='fail'>未达标 / FAIL</span>")
        )
        rows.append(
            f"<tr><td>{escape(name)}</td><td><code>{escape(key)}</code></td><td>{value:.3f}</td>"
            f"<td>{escape(limit)}</td><td>{status}</td></tr>"
        )
    head = "<tr><th>指标 / metric</th><th>键 / key</th><th>值 / value</th><th>阈值 / threshold</th><th></th></tr>"
    return f"<table>{head}{''.join(rows)}</table>"


def _case(case: dict[str, Any], regressed: set[tuple[str, str]]) -> str:
    rows = []
    for s in case["scores"]:
        mark = "regressed" if (case["golden_id"], s["name"]) in regressed else ""
        rows.append(
            f"<tr class='{mark}'><td>{escape(s['name'])}</td><td class='{'ok' if s['success'] else 'fail'}'>"
            f"{s['value']:.2f}</td><td>{s['threshold']}</td><td class='reason'>{escape(s['reason'])}</td></tr>"
        )
    error = f"<p class='fail'>出错 / error: {escape(case['error'])}</p>" if case["error"] else ""
    badge = (
        "<span class='badge ok'>通过 / pass</span>"
        if case["passed"]
        else "<span class='badge fail'>未通过 / fail</span>"
    )
    flagged = any(c == case["golden_id"] for c, _ in regressed)
    opened = " open" if not case["passed"] or flagged else ""
    title = f"{escape(case['golden_id'])} · {escape(case['task'])} · {escape(case['lang'])} · {escape(case['hazard'])} · {case['latency_s']:.2f}s"
    table = "<table><tr><th>指标 / metric</th><th>值 / value</th><th>阈值 / threshold</th><th>原因 / reason</th></tr>"
    return f"<details{opened}><summary>{badge} {title}</summary>{error}{table}{''.join(rows)}</table></details>"


def _listed(items: list[dict[str, Any]], line: str) -> str:
    if not items:
        return "<p class='muted'>无 / none</p>"
    return (
        "<ul>"
        + "".join(f"<li>{line.format(**{k: escape(str(v)) for k, v in item.items()})}</li>" for item in items)
        + "</ul>"
    )


def html_report(report: dict[str, Any]) -> str:
    regressed = {(r["case"], r["metric"]) for r in report["regressions"] if r["case"]}
    ordered = sorted(report["cases"], key=lambda c: (c["passed"], c["golden_id"] not in {k for k, _ in regressed}))
    meta = " · ".join(f"{escape(str(k))}: {escape(str(v))}" for k, v in report.get("meta", {}).items())
    failed = sum(1 for c in report["cases"] if not c["passed"])
    return f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>评测报告 / Evaluation report</title><style>{CSS}</style></head>
<body><h1>评测报告 / Evaluation report</h1><p class="muted">{meta}</p>
<h2>阈值 / thresholds</h2>{_verdict(report)}
<h2>与基线相比 / against the baseline</h2>{_regressions(report)}
<h2>汇总 / summary</h2>{_summary(report)}
<h2>按灾种的得分 / scores by hazard (drafts)</h2>{_bar_chart(report["by_hazard"])}
<h2>已知未通过（不在门禁内）/ known failures, outside the gate</h2>{_listed(report.get("known_failures", []), "<b>{case}</b> ({task}): {note}")}
<h2>响应级别定义变更 / expected levels changed (colour → grading criteria)</h2>{_listed(report.get("level_changes", []), "<b>{case}</b>: {was} → {now} — {why}")}
<h2>用例 / cases（{len(report["cases"])}，未通过 / failed {failed}）</h2>
{"".join(_case(c, regressed) for c in ordered)}
</body></html>
"""
