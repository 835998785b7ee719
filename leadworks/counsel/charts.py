"""Small charts drawn on the server as inline SVG: no JavaScript, no chart library, no CDN.

Colours come from CSS classes (see the counsel section of app.css), so the charts follow
the light and dark themes; every bar carries a <title> for a hover and screen-reader text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from leadworks.counsel.overview import Overview

BINS = 10


def _svg(width: int, height: int, label: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def histogram(values: Sequence[float], *, label: str) -> Markup:
    """Learners per 10-point score band (0-9, ..., 90-100)."""
    counts = [0] * BINS
    for value in values:
        counts[min(BINS - 1, max(0, int(value // 10)))] += 1
    width, height, top, bottom = 220, 96, 8, 18
    bar = width / BINS
    tallest = max(counts) or 1
    body = []
    for i, count in enumerate(counts):
        h = (height - top - bottom) * count / tallest
        band = f"{i * 10}-{i * 10 + 9 if i < BINS - 1 else 100}%"
        body.append(
            f'<rect class="chart-bar{" chart-low" if i < 5 else ""}" x="{i * bar + 1:.1f}" '
            f'y="{height - bottom - h:.1f}" width="{bar - 2:.1f}" height="{h:.1f}">'
            f"<title>{band}: {count} learner{'' if count == 1 else 's'}</title></rect>"
        )
    body.append(
        f'<line class="chart-axis" x1="0" x2="{width}" y1="{height - bottom}" '
        f'y2="{height - bottom}"/>'
        f'<text x="0" y="{height - 4}" class="chart-label">0</text>'
        f'<text x="{width / 2}" y="{height - 4}" class="chart-label" text-anchor="middle">50</text>'
        f'<text x="{width}" y="{height - 4}" class="chart-label" text-anchor="end">100%</text>'
    )
    return _svg(width, height, f"{label}: {len(values)} scores", body)


@dataclass(frozen=True)
class ModuleBar:
    title: str
    none: int
    started: int
    done: int


def module_bars(overview: Overview) -> list[ModuleBar]:
    """Per module: learners who have not started it, started it, finished all its lessons."""
    bars = []
    for module in overview.modules:
        cells = [row.modules[module.key] for row in overview.rows]
        done = sum(1 for c in cells if c.total and c.done >= c.total)
        started = sum(1 for c in cells if 0 < c.done < c.total)
        bars.append(ModuleBar(module.title, len(cells) - done - started, started, done))
    return bars


def module_progress(bars: Sequence[ModuleBar]) -> Markup:
    """One stacked bar per module: finished, in progress, not started."""
    label_w, bar_w, row_h = 190, 260, 20
    height = row_h * len(bars) + 4
    body = []
    for i, bar in enumerate(bars):
        y = i * row_h + 2
        total = bar.none + bar.started + bar.done or 1
        body.append(
            f'<text class="chart-label" x="{label_w - 6}" y="{y + 13}" text-anchor="end">'
            f"{escape(bar.title[:30])}</text>"
        )
        x = float(label_w)
        for part, count, css in (
            ("finished", bar.done, "chart-done"),
            ("in progress", bar.started, "chart-started"),
            ("not started", bar.none, "chart-none"),
        ):
            w = bar_w * count / total
            if w:
                body.append(
                    f'<rect class="{css}" x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h - 6}">'
                    f"<title>{escape(bar.title)}: {count} {part}</title></rect>"
                )
            x += w
    return _svg(label_w + bar_w + 4, height, "Progress through the modules", body)


def cohort_charts(overview: Overview) -> dict[str, object]:
    """The overview page's charts: best-score histograms per exercise, module progress."""
    histograms = []
    for exercise in overview.exercises:
        scores = [r.exercises[exercise.key].best for r in overview.rows]
        values = [s for s in scores if s is not None]
        histograms.append((exercise, histogram(values, label=exercise.title)))
    return {"histograms": histograms, "module_chart": module_progress(module_bars(overview))}
