"""One PNG of seed envelopes: a panel per metric, per runtime (or runtime and variant) the seeds'
band min-max with the median line, the published points on top and golden curves dashed. A
metric logged once per run is drawn as a strip of the seeds' values per group against the
published values as horizontal lines. matplotlib's Agg canvas only: no window, any backend."""

from collections import namedtuple

from compat.regress.report import atomic
from compat.regress.stats import envelope, median

# groups: [(label, [{step: value} per seed])]; points: [Point]; curves: [Curve]
Panel = namedtuple("Panel", "column groups points curves")
# alternate: drawn in the second style (e.g. another variant's figure)
Point = namedtuple("Point", "step value label alternate")
Curve = namedtuple("Curve", "steps values label")

COLORS = ("tab:blue", "tab:orange", "tab:green", "tab:purple")
LINE_STYLES = ("-", "--", "-.", ":")
PANEL_HEIGHT, DPI = 3.2, 90


def draw(target, panels, title, alternate_name=None):
    """Write the panels to `target` (PNG, atomically). alternate_name names the points drawn in
    the second style in the legend."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 1.0 + PANEL_HEIGHT * len(panels)))
    FigureCanvasAgg(fig)
    for k, panel in enumerate(panels):
        ax = fig.add_subplot(len(panels), 1, k + 1)
        data = [(label, COLORS[g % len(COLORS)], series) for g, (label, series) in enumerate(panel.groups)]
        values = [v for _, _, series in data for s in series for v in s.values()]
        if values and all(len(s) <= 1 for _, _, series in data for s in series):
            _strip(ax, data, panel.points)
        else:
            _bands(ax, data, panel.points, alternate_name)
            for c in panel.curves:
                ax.plot(c.steps, c.values, "k--", lw=1, label=c.label)
        shown = values + [p.value for p in panel.points]
        if shown and min(shown) > 0 and max(shown) / min(shown) > 50:
            ax.set_yscale("log")
        ax.set_ylabel(panel.column)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7, loc="best")
        ax.grid(alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout()
    target.parent.mkdir(parents=True, exist_ok=True)
    with atomic(target) as tmp:
        fig.savefig(str(tmp), format="png", dpi=DPI)


def _strip(ax, data, points):
    for x, (label, color, series) in enumerate(data):
        ys = [list(s.values())[0] for s in series if s]
        if not ys:
            continue
        xs = [x + 0.2 * (i / max(1, len(ys) - 1) - 0.5) for i in range(len(ys))]
        ax.plot(xs, ys, "o", color=color, alpha=0.7, ms=6)
        ax.plot([x - 0.25, x + 0.25], [median(ys)] * 2, "-", color=color, lw=2,
                label="%s: seeds and median (n=%d, step %s)" % (
                    label, len(ys), "/".join(sorted({str(list(s)[0]) for s in series if s}))))
    ax.set_xticks(range(len(data)))
    ax.set_xticklabels([d[0] for d in data])
    ax.set_xlim(-0.6, len(data) - 0.4)
    for p in points:
        color = "crimson" if p.alternate else "black"
        ax.axhline(p.value, ls=":" if p.alternate else "--", lw=1, color=color)
        ax.annotate("%s (step %s)" % (p.label, p.step), (-0.55, p.value), fontsize=6, va="bottom", color=color)


def _bands(ax, data, points, alternate_name):
    for g, (label, color, series) in enumerate(data):
        if not series:
            continue
        env = envelope(series)
        ax.fill_between(env.steps, env.min, env.max, color=color, alpha=0.25, lw=0)
        # a line style per group too: runtimes that agree draw the same band, one over the other
        ax.plot(env.steps, env.median, LINE_STYLES[g % len(LINE_STYLES)], color=color, lw=1.2,
                label="%s: median, band min-max (n=%d)" % (label, len(series)))
    for p in points:
        if p.step is not None:
            ax.plot([p.step], [p.value], "P" if p.alternate else "*",
                    color="crimson" if p.alternate else "black", ms=11, zorder=5)
    if points:
        alternate = any(p.alternate for p in points) and alternate_name
        ax.plot([], [], "*", color="black", ms=11,
                label="published" + (" (+: %s)" % alternate_name if alternate else ""))
    ax.set_xlabel("step")
