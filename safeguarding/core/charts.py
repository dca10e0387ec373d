"""Server-side SVG charts (matplotlib). Always shown next to a table of the same figures."""

from __future__ import annotations

import hashlib
import io
import json
import threading

from django.core.cache import cache

_LOCK = threading.Lock()  # pyplot is not thread-safe


def _pyplot():
    """matplotlib on first use only: it costs a second at start-up of every command."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


# GOV.UK colour palette: accessible contrast against white.
PALETTE = ["#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#5694ca", "#505a5f", "#b58840"]


def bar_chart_svg(
    *,
    title: str,
    categories: list[str],
    series: dict[str, list[float]],
    ylabel: str = "Number",
    horizontal: bool = False,
) -> str:
    """A grouped bar chart. Cached by its content, so repeated views cost nothing."""
    key = (
        "chart:"
        + hashlib.sha256(
            json.dumps([title, categories, series, ylabel, horizontal], sort_keys=True).encode()
        ).hexdigest()
    )
    svg = cache.get(key)
    if svg is None:
        svg = _render_bars(title, categories, series, ylabel, horizontal)
        cache.set(key, svg, 3600)
    return svg


def _render_bars(title, categories, series, ylabel, horizontal) -> str:
    with _LOCK:
        plt = _pyplot()
        plt.rcParams.update(
            {
                "svg.fonttype": "none",
                "svg.hashsalt": "safeguarding",
                "font.family": "sans-serif",
                "font.size": 10,
            }
        )
        fig, ax = plt.subplots(figsize=(8, 4 if not horizontal else max(3, 0.4 * len(categories))))
        n = max(1, len(series))
        width = 0.8 / n
        positions = range(len(categories))
        for i, (name, values) in enumerate(series.items()):
            offsets = [p - 0.4 + width * (i + 0.5) for p in positions]
            if horizontal:
                ax.barh(offsets, values, height=width, label=name, color=PALETTE[i % len(PALETTE)])
            else:
                ax.bar(offsets, values, width=width, label=name, color=PALETTE[i % len(PALETTE)])
        whole = all(float(v).is_integer() for values in series.values() for v in values)
        if whole:  # counts: no "1.5 referrals" on the axis
            from matplotlib.ticker import MaxNLocator

            (ax.xaxis if horizontal else ax.yaxis).set_major_locator(MaxNLocator(integer=True))
        if horizontal:
            ax.set_yticks(list(positions), categories)
            ax.set_xlabel(ylabel)
            ax.invert_yaxis()
        else:
            ax.set_xticks(
                list(positions),
                categories,
                rotation=30 if len(categories) > 5 else 0,
                ha="right" if len(categories) > 5 else "center",
            )
            ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.spines[["top", "right"]].set_visible(False)
        if n > 1:
            ax.legend(frameon=False)
        fig.tight_layout()
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None})
        plt.close(fig)
    return out.getvalue()


def line_chart_svg(
    *,
    title: str,
    categories: list[str],
    series: dict[str, list[float | None]],
    ylabel: str = "",
    target: float | None = None,
    small: bool = False,
) -> str:
    """A trend line (or a sparkline when small). Gaps where a value is missing."""
    key = (
        "line:"
        + hashlib.sha256(
            json.dumps(
                [title, categories, series, ylabel, target, small], sort_keys=True, default=str
            ).encode()
        ).hexdigest()
    )
    svg = cache.get(key)
    if svg is None:
        svg = _render_line(title, categories, series, ylabel, target, small)
        cache.set(key, svg, 3600)
    return svg


def _render_line(title, categories, series, ylabel, target, small) -> str:
    with _LOCK:
        plt = _pyplot()
        plt.rcParams.update(
            {
                "svg.fonttype": "none",
                "svg.hashsalt": "safeguarding",
                "font.family": "sans-serif",
                "font.size": 10,
            }
        )
        fig, ax = plt.subplots(figsize=(2.4, 0.6) if small else (8, 3.5))
        x = list(range(len(categories)))
        for i, (name, values) in enumerate(series.items()):
            ys = [float("nan") if v is None else v for v in values]
            ax.plot(
                x,
                ys,
                marker="" if small else "o",
                color=PALETTE[i % len(PALETTE)],
                label=name,
                linewidth=1.5 if small else 2,
            )
        if target is not None:
            ax.axhline(
                target,
                color="#505a5f",
                linestyle="--",
                linewidth=1,
                label=None if small else "Target",
            )
        if small:
            ax.axis("off")
        else:
            ax.set_xticks(
                x,
                categories,
                rotation=30 if len(categories) > 6 else 0,
                ha="right" if len(categories) > 6 else "center",
            )
            ax.set_ylabel(ylabel)
            ax.set_title(title)
            ax.spines[["top", "right"]].set_visible(False)
            if len(series) > 1 or target is not None:
                ax.legend(frameon=False)
        fig.tight_layout(pad=0.1 if small else 1.0)
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None})
        plt.close(fig)
    return out.getvalue()
