"""`drill report --html`: one self-contained HTML page with charts.

`render(data) -> str` takes `drill.commands.report.html_data(...)` and returns the page.
Charts are drawn by matplotlib as inline SVG: no script, no font file, no link to
anything outside the page, so it opens the same offline, from a mail attachment or a
USB stick. Text in the charts is SVG text in the reader's sans-serif font.

Every string that comes from a pack or the database (round names, tags, kinds) is
stripped of control characters and escaped before it reaches the page; matplotlib's
math mode is off, so a `$` in a tag is a dollar sign.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from drill import __version__

TARGET_RECALL = 0.9
MAX_LABEL = 32
INK = "#1f2933"
MUTED = "#7b8794"
GRID = "#e4e7eb"
ACCENT = "#2563eb"
GOOD = "#15803d"
WARN = "#b45309"
BAD = "#b91c1c"
CAL_COLORS = ("#ebedf0", "#c6e48b", "#7bc96f", "#239a3b", "#196127")
STATUS_COLORS = {"ready": GOOD, "close": ACCENT, "not ready": WARN, "not started": MUTED}
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: object, limit: int = MAX_LABEL) -> str:
    """A label from a pack or the database: no control characters, bounded length."""
    s = _CONTROL.sub("", str(text))
    return s if len(s) <= limit else s[: limit - 1] + "…"


def esc(text: object, limit: int = 200) -> str:
    return html.escape(clean(text, limit))


# ---------------------------------------------------------------- charts


def _rc() -> Any:
    return {
        "svg.fonttype": "none",  # text stays text: no glyph paths, no font file
        "text.parse_math": False,  # a '$' in a tag is not TeX
        "font.family": "sans-serif",
        "font.size": 9,
        "axes.edgecolor": MUTED,
        "axes.labelcolor": INK,
        "xtick.color": MUTED,
        "ytick.color": MUTED,
        "text.color": INK,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "drill",
    }


def _svg(draw: Callable[[Any], None], size: tuple[float, float], prefix: str) -> str:
    """Draw on a fresh figure and return it as inline SVG with ids made unique by `prefix`
    (several SVGs share one page, and clip paths are found by id)."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_rc()):
        # Margins are set by each chart (`_fit`): constrained layout would draw every
        # figure twice and double the page's cost.
        fig = Figure(figsize=size)
        FigureCanvasSVG(fig)
        draw(fig)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None, "Format": None,
                                                 "Type": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]  # no XML prolog or DOCTYPE inside HTML
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', text)
    text = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", text)
    text = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', text)
    return text


CHAR_IN = 0.07  # inches per character of a 9-point label, a little generous


def _fit(fig: Any, *, left: float = 0.7, right: float = 0.25, top: float = 0.2, bottom: float = 0.45,
         wspace: float | None = None, hspace: float | None = None) -> None:
    """Margins in inches (labels need the same room whatever the figure's size)."""
    w, h = fig.get_size_inches()
    fig.subplots_adjust(left=min(left / w, 0.45), right=1 - right / w, top=1 - top / h,
                        bottom=min(bottom / h, 0.6), wspace=wspace, hspace=hspace)


def _label_room(labels: list[str]) -> float:
    return 0.3 + CHAR_IN * max((len(x) for x in labels), default=4)


def _empty(ax: Any, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", color=MUTED, transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def chart_calendar(data: dict[str, Any]) -> Callable[[Any], None]:
    import numpy as np

    today = date.fromisoformat(data["today"])
    weeks = data.get("calendar_weeks", 26)
    first = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    cal = data["calendar"]

    def draw(fig: Any) -> None:
        from matplotlib.colors import BoundaryNorm, ListedColormap

        ax = fig.subplots()
        grid = np.full((7, weeks), np.nan)
        for w in range(weeks):
            for wd in range(7):
                d = first + timedelta(days=7 * w + wd)
                if d <= today:
                    grid[wd, w] = cal.get(d.isoformat(), 0)
        cmap = ListedColormap(list(CAL_COLORS))
        norm = BoundaryNorm([0, 1, 2, 4, 7, 10**9], cmap.N)
        ax.pcolormesh(np.ma.masked_invalid(grid), cmap=cmap, norm=norm, edgecolors="white", linewidth=1.5)
        ax.set_aspect("equal")
        ax.invert_yaxis()
        ax.set_yticks([0.5, 2.5, 4.5], ["Mon", "Wed", "Fri"])
        ticks, labels = [], []
        for w in range(weeks):
            d = first + timedelta(days=7 * w)
            if d.day <= 7:
                ticks.append(w + 0.5)
                labels.append(d.strftime("%b"))
        ax.set_xticks(ticks, labels)
        ax.tick_params(length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        total = sum(cal.values())
        ax.set_title(f"{total} attempts in the last {weeks} weeks (darker: more that day)",
                     loc="left", fontsize=9, color=MUTED)
        _fit(fig, left=0.6, top=0.35, bottom=0.3)

    return draw


def chart_weekly(data: dict[str, Any]) -> Callable[[Any], None]:
    weekly = data["weekly"]
    rounds = [r for r in _round_order(data) if r in weekly["rounds"]]
    labels = [date.fromisoformat(d).strftime("%d %b") for d in weekly["week_starts"]]

    def draw(fig: Any) -> None:
        if not rounds:
            _empty(fig.subplots(), "No attempts in the last 12 weeks")
            _fit(fig)
            return
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[1.2, 1])
        xs = list(range(len(labels)))
        base = [0] * len(xs)
        colors = _colors(len(rounds))
        for r, c in zip(rounds, colors, strict=True):
            n = weekly["rounds"][r]["attempts"]
            top.bar(xs, n, bottom=base, color=c, label=clean(r), width=0.75)
            base = [b + k for b, k in zip(base, n, strict=True)]
            means = weekly["rounds"][r]["mean"]
            pts = [(x, m) for x, m in zip(xs, means, strict=True) if m is not None]
            if pts:
                bottom.plot([p[0] for p in pts], [p[1] for p in pts], "-o", color=c, markersize=3,
                            linewidth=1.2)
        top.set_ylabel("attempts")
        top.grid(axis="y", color=GRID)
        top.set_axisbelow(True)
        from matplotlib.ticker import MaxNLocator

        top.yaxis.set_major_locator(MaxNLocator(integer=True))
        top.legend(fontsize=7, ncols=min(len(rounds), 7), loc="lower left", bbox_to_anchor=(0, 1.0),
                   frameon=False)
        bottom.set_ylim(0, 1.02)
        bottom.set_ylabel("mean score")
        bottom.grid(axis="y", color=GRID)
        bottom.set_xticks(xs, labels, rotation=45, ha="right")
        bottom.set_xlabel("week starting")
        _fit(fig, left=0.75, top=0.4, bottom=1.0, hspace=0.08)

    return draw


def chart_recall(data: dict[str, Any]) -> Callable[[Any], None]:
    curve = data["recall_curve"]
    times = [datetime.fromisoformat(t) for t in curve["times"]]
    days = [(t - times[0]).total_seconds() / 86400 for t in times]

    def draw(fig: Any) -> None:
        ax = fig.subplots()
        if not curve["cards"]:
            _empty(ax, "No reviews yet: recall is predicted for questions you have answered")
            _fit(fig)
            return
        rounds = [r for r in _round_order(data) if any(v is not None for v in curve["rounds"].get(r, []))]
        for r, c in zip(rounds, _colors(len(rounds)), strict=True):
            ys = curve["rounds"][r]
            ax.plot(days, [float("nan") if y is None else y for y in ys], color=c, linewidth=0.9,
                    alpha=0.65, label=clean(r))
        ax.plot(days, curve["overall"], color=INK, linewidth=2.4, label="all questions")
        ax.axhline(TARGET_RECALL, color=MUTED, linestyle="--", linewidth=0.8)
        ax.text(days[-1], TARGET_RECALL + 0.01, "target 0.9", ha="right", va="bottom", color=MUTED, fontsize=7)
        if curve["until_interview"]:
            ax.axvline(days[-1], color=BAD, linewidth=1.2)
            ax.text(days[-1], 0.03, "interview ", ha="right", color=BAD, fontsize=8)
        ax.set_ylim(0, 1.02)
        from matplotlib.ticker import MaxNLocator

        ax.set_xlim(0, max(days[-1], 1))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("days from today (if nothing more is reviewed)")
        ax.set_ylabel("predicted recall")
        ax.grid(color=GRID)
        ax.set_axisbelow(True)
        ax.legend(fontsize=7, ncols=3, loc="lower left", frameon=False)
        _fit(fig, left=0.75, bottom=0.6)

    return draw


def chart_readiness(data: dict[str, Any]) -> Callable[[Any], None]:
    rows = data["readiness"]["rounds"]
    ready = data["readiness"]["thresholds"]["ready"]

    def draw(fig: Any) -> None:
        axes = fig.subplots(1, 3, sharey=True)
        if not rows:
            for ax in axes:
                _empty(ax, "")
            _fit(fig)
            return
        ys = list(range(len(rows)))[::-1]
        names = [clean(r["round"]) for r in rows]
        colors = [STATUS_COLORS.get(r["status"], MUTED) for r in rows]
        cov = [r["coverage"] for r in rows]
        axes[0].barh(ys, [1] * len(rows), color=GRID, height=0.6)
        axes[0].barh(ys, cov, color=colors, height=0.6)
        axes[0].set_title("coverage (seen / all)", fontsize=9)
        rec = [r["recall"] for r in rows]
        for y, v, c in zip(ys, rec, colors, strict=True):
            if v is not None:
                axes[1].plot([0, v], [y, y], color=GRID, linewidth=3, solid_capstyle="butt")
                axes[1].plot([v], [y], "D", color=c, markersize=6)
        on_the_day = data["recall_curve"]["until_interview"]
        axes[1].set_title("predicted recall on the day" if on_the_day else "predicted recall now", fontsize=9)
        for y, r, c in zip(ys, rows, colors, strict=True):
            sc = r["score"]
            if sc is not None:
                axes[2].errorbar([sc["mean"]], [y], xerr=[[sc["mean"] - sc["low"]], [sc["high"] - sc["mean"]]],
                                 fmt="o", color=c, ecolor=c, elinewidth=2, capsize=3, markersize=5)
        axes[2].set_title("recent score (mean, ±2 sd)", fontsize=9)
        for ax, key in zip(axes, ("coverage", "recall", "score"), strict=True):
            ax.set_xlim(0, 1)
            ax.axvline(ready[key], color=MUTED, linestyle="--", linewidth=0.8)
            ax.grid(axis="x", color=GRID)
            ax.set_axisbelow(True)
        axes[0].set_yticks(ys, names)
        axes[0].set_ylim(-0.7, len(rows) - 0.3)
        _fit(fig, left=_label_room(names), top=0.35, bottom=0.35, wspace=0.12)

    return draw


def chart_tags(data: dict[str, Any]) -> Callable[[Any], None]:
    tags = data["weak_tags"]

    def draw(fig: Any) -> None:
        ax = fig.subplots()
        if not tags:
            _empty(ax, "No tagged attempts yet")
            _fit(fig)
            return
        ys = list(range(len(tags)))[::-1]
        for y, t in zip(ys, tags, strict=True):
            lo, hi = max(0.0, t["score"] - 2 * t["sd"]), min(1.0, t["score"] + 2 * t["sd"])
            ax.plot([lo, hi], [y, y], color=ACCENT, alpha=0.35, linewidth=6, solid_capstyle="round")
            ax.plot([t["score"]], [y], "o", color=ACCENT, markersize=6)
            ax.text(1.01, y, f"{t['attempts']} att.", va="center", fontsize=7, color=MUTED,
                    transform=ax.get_yaxis_transform())
        names = [clean(t["tag"]) for t in tags]
        ax.set_yticks(ys, names)
        ax.set_xlim(0, 1)
        ax.set_xlabel("strength (recency-weighted mean score, ±2 sd)")
        ax.grid(axis="x", color=GRID)
        ax.set_axisbelow(True)
        _fit(fig, left=_label_room(names), right=0.75, bottom=0.55)

    return draw


def chart_time(data: dict[str, Any]) -> Callable[[Any], None]:
    kinds = data["kinds"]

    def draw(fig: Any) -> None:
        ax = fig.subplots()
        if not kinds:
            _empty(ax, "No timed attempts yet")
            _fit(fig)
            return
        ys = list(range(len(kinds)))[::-1]
        ratio = [k["seconds"] / k["budget_seconds"] if k["budget_seconds"] else 0.0 for k in kinds]
        ax.barh(ys, ratio, height=0.55, color=[BAD if r > 1 else GOOD for r in ratio])
        ax.axvline(1.0, color=INK, linewidth=1)
        top = max(1.25, max(ratio) * 1.1)
        for y, k, r in zip(ys, kinds, ratio, strict=True):
            per = k["seconds"] / 60 / k["attempts"]
            budget = k["budget_seconds"] / 60 / k["attempts"]
            share = k["over_budget"] / k["attempts"]
            ax.text(top + 0.02, y, f"{r:.0%} · {per:.0f} of {budget:.0f} min on average · "
                    f"{share:.0%} of {k['attempts']} over", va="center", fontsize=7, color=MUTED)
        names = [clean(k["kind"]) for k in kinds]
        ax.set_yticks(ys, names)
        ax.set_xlim(0, top + 1.0)
        ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:.0%}")
        ax.set_xlabel("time used / time budget (the line: on budget)")
        ax.grid(axis="x", color=GRID)
        ax.set_axisbelow(True)
        _fit(fig, left=_label_room(names), bottom=0.55)

    return draw


def _round_order(data: dict[str, Any]) -> list[str]:
    names = [r["round"] for r in data.get("rounds", [])]
    for r in data.get("readiness", {}).get("rounds", []):
        if r["round"] not in names:
            names.append(r["round"])
    for r in data.get("weekly", {}).get("rounds", {}):
        if r not in names:
            names.append(r)
    return names


def _colors(n: int) -> list[Any]:
    from matplotlib import colormaps

    cmap = colormaps["tab10" if n <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(n)]


# ---------------------------------------------------------------- the page

CSS = """
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: #1f2933; background: #fff; margin: 0; }
main { max-width: 980px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 6px; border-top: 1px solid #e4e7eb; padding-top: 18px; }
p.sub, .muted { color: #616e7c; }
.verdict { background: #f5f7fa; border-left: 4px solid #2563eb; padding: 10px 14px; margin: 14px 0; }
.figures { display: flex; gap: 12px; flex-wrap: wrap; margin: 12px 0; }
.figure-box { background: #f5f7fa; border-radius: 6px; padding: 8px 14px; min-width: 120px; }
.figure-box b { display: block; font-size: 20px; }
figure.chart { margin: 8px 0 0; }
figure.chart svg { width: 100%; height: auto; display: block; }
table { border-collapse: collapse; font-size: 14px; margin: 8px 0; }
th, td { text-align: left; padding: 3px 12px 3px 0; }
th { color: #616e7c; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f5f7fa;
       padding: 1px 5px; border-radius: 3px; }
.status-ready { color: #15803d; } .status-close { color: #2563eb; }
.status-not-ready { color: #b45309; } .status-not-started { color: #7b8794; }
footer { margin-top: 36px; color: #9aa5b1; font-size: 12px; }
"""

CHARTS: tuple[tuple[str, str, str, Callable[[dict[str, Any]], Callable[[Any], None]], tuple[float, float]], ...] = (
    ("activity", "Activity", "Attempts per day.", chart_calendar, (9.0, 1.9)),
    ("weekly", "Attempts and mean score per week", "By round, the last 12 weeks.", chart_weekly, (9.0, 4.6)),
    ("recall", "Predicted recall until the interview",
     "Mean FSRS retrievability of the questions you have answered, if none is reviewed again.",
     chart_recall, (9.0, 3.4)),
    ("readiness", "Readiness per round",
     "Coloured by status; dashed lines mark the bar for ready.", chart_readiness, (9.0, 0.9)),
    ("tags", "Weakest tags", "Strength with its interval (mean ± 2 sd of the Beta posterior).",
     chart_tags, (9.0, 0.9)),
    ("time", "Time used against budget", "Per kind of question, timed attempts that were not skipped.",
     chart_time, (9.0, 0.9)),
)


def _height(name: str, data: dict[str, Any], base: float) -> float:
    rows = {"readiness": len(data["readiness"]["rounds"]), "tags": len(data["weak_tags"]),
            "time": len(data["kinds"])}.get(name)
    return base if rows is None else 1.1 + 0.32 * max(rows, 2)


def render(data: dict[str, Any]) -> str:
    parts = [_head(data)]
    for name, title, note, make, (w, h) in CHARTS:
        if name == "recall" and not data["recall_curve"]["until_interview"]:
            title, note = "Predicted recall over the next 30 days", note + " Set a date with drill plan."
        svg = _svg(make(data), (w, _height(name, data, h)), f"c-{name}")
        parts.append(f'<section id="{name}"><h2>{html.escape(title)}</h2><p class="muted">{html.escape(note)}</p>'
                     f'<figure class="chart" data-chart="{name}">{svg}</figure>')
        if name == "readiness":
            parts.append(_readiness_table(data["readiness"]))
        parts.append("</section>")
    parts.append(f"<footer>drill {html.escape(__version__)} · generated {esc(data['now'])} · "
                 "self-contained: no scripts, no network.</footer></main></body></html>")
    return "\n".join(parts)


def _head(data: dict[str, Any]) -> str:
    iv = data.get("interview")
    scope = f" · round {esc(data['round'])}" if data.get("round") else ""
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>drill report · {esc(data['today'])}</title>",
           f"<style>{CSS}</style></head><body><main>",
           f"<h1>drill report{scope}</h1>",
           f'<p class="sub">{esc(data["today"])}'
           + (f" · interview on {esc(iv['date'])} ({_left(iv)})" if iv else " · no interview date set")
           + "</p>"]
    figures = [("attempts", str(data["attempts"])),
               ("questions seen", f"{data['questions_seen']}/{data['questions_total']}"),
               ("practised", _duration(data["time_seconds"])),
               ("streak", f"{data['streak_days']} d"),
               ("due today", str(data["due_today"]))]
    out.append('<div class="figures">' + "".join(
        f'<div class="figure-box"><b>{esc(v)}</b><span class="muted">{esc(k)}</span></div>'
        for k, v in figures) + "</div>")
    out.append(f'<div class="verdict">{esc(data["readiness"]["verdict"], 600)}</div>')
    today = data.get("today_plan")
    if today and today["tasks"]:
        rows = "".join(f"<tr><td><code>{esc(t['command'], 120)}</code></td><td>{esc(t['kind'])}</td>"
                       f'<td class="num">{t["count"]}</td><td class="num">{round(t["minutes"])} min</td></tr>'
                       for t in today["tasks"])
        out.append(f"<h2>Today's plan</h2><table><tr><th>command</th><th>what</th><th>n</th><th>time</th></tr>"
                   f"{rows}</table>")
    elif not iv:
        out.append('<p class="muted">Set the interview date with <code>drill plan --interview YYYY-MM-DD</code> '
                   "for a plan to the day and readiness on the day.</p>")
    return "\n".join(out)


def _left(iv: dict[str, Any]) -> str:
    n = iv["days_left"]
    if n > 0:
        return f"{n} day{'s' if n != 1 else ''} left"
    return "today" if n == 0 else "passed"


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    return f"{minutes // 60}h {minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m"


def _readiness_table(r: dict[str, Any]) -> str:
    head = ("<table><tr><th>round</th><th>seen</th><th>recall</th><th>score</th>"
            "<th>interval</th><th>status</th></tr>")
    rows = []
    for row in r["rounds"]:
        sc = row["score"]
        status = row["status"]
        why = f" ({esc(row['reason'])})" if row["reason"] and status != "not started" else ""
        recall = "-" if row["recall"] is None else f"{row['recall']:.2f}"
        mean = "-" if sc is None else f"{sc['mean']:.2f}"
        interval = "" if sc is None else f"{sc['low']:.2f}-{sc['high']:.2f}"
        rows.append(
            f'<tr><td>{esc(row["round"])}</td><td class="num">{row["seen"]}/{row["questions"]}</td>'
            f'<td class="num">{recall}</td><td class="num">{mean}</td><td>{interval}</td>'
            f'<td class="status-{status.replace(" ", "-")}">{esc(status)}{why}</td></tr>')
    return head + "".join(rows) + "</table>"
