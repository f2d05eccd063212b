"""The class report: `grades.csv` for a gradebook and `report.html` for a person to look at.

`report.html` is one self-contained file (inline CSS and SVG, no script, nothing fetched): a heat map of each
kata's score for each student, the hardest katas with their most common first failing test, the distribution
of totals, the katas that time out most, and the submissions the tamper checks flagged.
"""

from __future__ import annotations

import csv
import html
import re
from collections import Counter
from pathlib import Path

FIRST_PROBLEM = re.compile(r"first problem \((?P<outcome>\w+)\) in (?P<nodeid>\S+::\S+?): ")


def rows(reports: list[dict]) -> tuple[list[str], list[list]]:
    """The CSV: one row per student, each kata's points, the total, what was flagged, and where it ran."""
    katas = [t["name"] for t in reports[0]["tests"]] if reports else []
    header = ["student", *katas, "total", "max", "tampered", "integrity_changes", "flags", "isolation"]
    table = []
    for report in reports:
        scores = {t["name"]: t["score"] for t in report["tests"]}
        table.append(
            [
                report["student"],
                *[scores.get(k, 0) for k in katas],
                round(sum(scores.values()), 2),
                report["max_score"],
                "; ".join(sorted(report.get("tampered", {}))),
                len(report.get("integrity_changes", [])),
                sum(len(v) for v in report.get("flags", {}).values()),
                report.get("isolated_by", "local"),  # reports from before containers ran locally
            ]
        )
    return header, table


def write_csv(reports: list[dict], path: Path) -> None:
    header, table = rows(reports)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(table)


def _colour(fraction: float) -> str:
    """Red (0) through amber to green (1), readable with dark text."""
    hue = round(120 * max(0.0, min(1.0, fraction)))
    return f"hsl({hue}, 65%, 72%)"


def _kata_stats(reports: list[dict]) -> list[dict]:
    katas = [t["name"] for t in reports[0]["tests"]] if reports else []
    stats = []
    for kata in katas:
        entries = [next(t for t in r["tests"] if t["name"] == kata) for r in reports]
        fractions = [t["score"] / t["max_score"] if t["max_score"] else 0 for t in entries]
        firsts = Counter(
            m["nodeid"].rsplit("::", 1)[-1] for t in entries if (m := FIRST_PROBLEM.search(t["message"]))
        )
        timeouts = sum("(timeout)" in t["message"] or "timed out" in t["message"] for t in entries)
        stats.append(
            {
                "kata": kata,
                "mean": sum(fractions) / len(fractions) if fractions else 0,
                "solved": sum(t["status"] == "pass" for t in entries),
                "first": firsts.most_common(1)[0] if firsts else None,
                "timeouts": timeouts,
            }
        )
    return stats


def _histogram(totals: list[float], most: float, width: int = 560, height: int = 180) -> str:
    bins = 10
    counts = [0] * bins
    for total in totals:
        counts[min(bins - 1, int(bins * total / most)) if most else 0] += 1
    top = max(counts) or 1
    bar = width / bins
    parts = [f'<svg class="histogram" width="{width}" height="{height + 30}" role="img" '
             f'aria-label="distribution of total scores">']  # fmt: skip
    for index, count in enumerate(counts):
        h = (height - 10) * count / top
        x = index * bar
        parts.append(
            f'<rect x="{x + 2:.0f}" y="{height - h:.0f}" width="{bar - 4:.0f}" height="{h:.0f}" fill="#5b8def">'
            f"<title>{count} student(s)</title></rect>"
        )
        if count:
            parts.append(
                f'<text x="{x + bar / 2:.0f}" y="{height - h - 3:.0f}" text-anchor="middle">{count}</text>'
            )
        parts.append(
            f'<text x="{x + bar / 2:.0f}" y="{height + 16}" text-anchor="middle" class="axis">'
            f"{round(most * index / bins)}–{round(most * (index + 1) / bins)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def render_html(reports: list[dict]) -> str:
    stats = _kata_stats(reports)
    totals = [sum(t["score"] for t in r["tests"]) for r in reports]
    most = reports[0]["max_score"] if reports else 0
    esc = html.escape
    head = "".join(f'<th class="kata"><span>{esc(s["kata"])}</span></th>' for s in stats)
    body = []
    for report, total in zip(reports, totals, strict=True):
        cells = []
        for test in report["tests"]:
            fraction = test["score"] / test["max_score"] if test["max_score"] else 0
            cells.append(
                f'<td class="cell" style="background:{_colour(fraction)}" title="{esc(test["name"])}: '
                f'{test["score"]:g}/{test["max_score"]} — {esc(test["message"][:300])}">{test["score"]:g}</td>'
            )
        flagged = " flagged" if report.get("tampered") or report.get("integrity_changes") else ""
        body.append(
            f'<tr><th class="student{flagged}">{esc(report["student"])}</th>{"".join(cells)}'
            f'<td class="total">{total:g}</td></tr>'
        )
    hardest = sorted(stats, key=lambda s: (s["mean"], s["kata"]))[:10]

    def first_failure(stat: dict) -> str:
        return f"{esc(stat['first'][0])} ({stat['first'][1]})" if stat["first"] else "—"

    hardest_rows = "".join(
        f"<tr><td>{esc(s['kata'])}</td><td>{100 * s['mean']:.0f} %</td><td>{s['solved']}/{len(reports)}</td>"
        f"<td>{first_failure(s)}</td></tr>"
        for s in hardest
    )
    timeouts = [s for s in sorted(stats, key=lambda s: -s["timeouts"]) if s["timeouts"]][:10]
    timeout_rows = "".join(f"<tr><td>{esc(s['kata'])}</td><td>{s['timeouts']}</td></tr>" for s in timeouts)
    flagged_rows = []
    for report in reports:
        reasons = [f"not trusted: {esc(report['untrusted'])}"] if report.get("untrusted") else []
        reasons += [f"{esc(k)}: {esc('; '.join(v))}" for k, v in report.get("tampered", {}).items()]
        reasons += [f"changed outside the katas: {esc(c)}" for c in report.get("integrity_changes", [])[:5]]
        reasons += [f"{esc(k)}: {esc(line)}" for k, v in report.get("flags", {}).items() for line in v[:3]]
        if reasons:
            flagged_rows.append(f"<tr><td>{esc(report['student'])}</td><td>{'<br>'.join(reasons)}</td></tr>")
    # Shards merged from different machines may have run differently: every isolation used is named.
    used = Counter(r.get("isolation", "") for r in reports)
    isolation = " · ".join(esc(text if len(used) == 1 else f"{n}× {text}") for text, n in used.items())
    mean = sum(totals) / len(totals) if totals else 0
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Class report</title>
<style>
body {{ font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1d2330; }}
h1 {{ margin-bottom: 4px; }} h2 {{ margin-top: 28px; }}
table {{ border-collapse: collapse; }} td, th {{ padding: 3px 6px; }}
.heatmap td.cell {{ width: 26px; text-align: center; font-size: 11px; border: 1px solid #fff; }}
.heatmap th.kata {{ height: 150px; white-space: nowrap; vertical-align: bottom; font-weight: normal; }}
.heatmap th.kata span {{ writing-mode: vertical-rl; transform: rotate(180deg); font-size: 11px; }}
.heatmap th.student {{ text-align: right; font-weight: normal; }}
.heatmap th.flagged::after {{ content: " ⚑"; color: #c0392b; }}
.heatmap td.total {{ font-weight: bold; padding-left: 10px; }}
.list td, .list th {{ border-bottom: 1px solid #e3e6ec; text-align: left; }}
.histogram text {{ font-size: 11px; }} .histogram .axis {{ fill: #667; }}
.muted {{ color: #667; }}
</style></head>
<body>
<h1>Class report</h1>
<p class="muted">{len(reports)} submissions · mean {mean:.1f} / {most} points · {isolation}</p>
<h2>Scores per kata</h2>
<table class="heatmap" id="heatmap"><thead><tr><th></th>{head}<th>total</th></tr></thead>
<tbody>{"".join(body)}</tbody></table>
<h2>Distribution of totals</h2>
<div id="distribution">{_histogram(totals, most)}</div>
<h2>Hardest katas</h2>
<table class="list" id="hardest"><tr><th>kata</th><th>mean score</th><th>solved</th>
<th>most common first failing test</th></tr>{hardest_rows}</table>
<h2>Katas that time out most</h2>
<table class="list" id="timeouts"><tr><th>kata</th><th>submissions timing out</th></tr>
{timeout_rows or '<tr><td colspan="2">none</td></tr>'}</table>
<h2>Flagged submissions</h2>
<table class="list" id="flagged"><tr><th>student</th><th>what the checks found</th></tr>
{"".join(flagged_rows) or '<tr><td colspan="2">none</td></tr>'}</table>
</body></html>
"""


def write_html(reports: list[dict], path: Path) -> None:
    path.write_text(render_html(reports), encoding="utf-8")
