"""PNG plots of an eval run, drawn with matplotlib's Agg canvas (no display, no global pyplot state)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from eval.metrics import BackendScore

RELIABILITY_PNG = "reliability.png"
SWEEP_PNG = "threshold_sweep.png"
KINDS_PNG = "per_kind_f1.png"
MARKED_THRESHOLDS = (0.5, 0.8, 0.9, 0.95)


def _save(fig: Figure, path: Path) -> Path:
    FigureCanvasAgg(fig)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", dpi=110, metadata={"Software": None})
    return path


def _fmt(value: float | int | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def reliability_plot(scores: Mapping[str, BackendScore], path: Path) -> Path:
    fig = Figure(figsize=(6.4, 6.4))
    top, bottom = fig.subplots(2, 1, height_ratios=[3, 1], sharex=True)
    top.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label="perfect calibration")
    width = 0.1 / max(len(scores), 1)
    for i, (backend, score) in enumerate(scores.items()):
        bins = score.reliability()
        overall = score.overall()
        xs = [b.mean_confidence for b in bins if b.count and b.mean_confidence is not None]
        ys = [b.accuracy for b in bins if b.count and b.accuracy is not None]
        label = f"{backend} (ECE {_fmt(overall['ece'])}, AUROC {_fmt(overall['auroc'])}, n={overall['calibrated_fields']})"
        top.plot(xs, ys, marker="o", label=label)
        bottom.bar(
            [b.lo + i * width for b in bins],
            [b.count for b in bins],
            width=width,
            align="edge",
            label=backend,
        )
    top.set_xlim(0, 1)
    top.set_ylim(0, 1.02)
    top.set_ylabel("share of fields correct")
    top.set_title("Reliability: confidence vs correctness (10 equal-width bins)")
    top.legend(loc="upper left", fontsize="small")
    top.grid(alpha=0.3)
    bottom.set_xlabel("confidence")
    bottom.set_ylabel("fields")
    bottom.set_yscale("symlog")
    fig.tight_layout()
    return _save(fig, path)


def sweep_plot(scores: Mapping[str, BackendScore], path: Path) -> Path:
    """Left: the trade-off curve (straight-through rate vs precision) traced by the threshold, with the
    run's own operating point starred. Right: both quantities against the threshold."""
    fig = Figure(figsize=(11.0, 4.8))
    trade, by_t = fig.subplots(1, 2)
    lowest = 1.0
    for backend, score in scores.items():
        points = [
            (p.threshold, p.straight_through_rate, p.precision)
            for p in score.sweep()
            if p.straight_through_rate is not None and p.precision is not None
        ]
        if not points:
            continue
        lowest = min([lowest] + [p[2] for p in points])
        line = trade.plot([p[1] for p in points], [p[2] for p in points], marker=".", label=backend)
        color = line[0].get_color()
        labels: dict[tuple[float, float], list[str]] = {}
        for t, rate_t, precision_t in points:
            if any(abs(t - m) < 1e-9 for m in MARKED_THRESHOLDS):
                labels.setdefault((round(rate_t, 2), round(precision_t, 2)), []).append(f"{t:g}")
        for (x, y), ts in labels.items():
            trade.annotate(
                "t=" + ",".join(ts),
                (x, y),
                fontsize=7,
                color=color,
                xytext=(3, 3),
                textcoords="offset points",
            )
        overall = score.overall()
        rate, precision = overall["straight_through_rate"], overall["auto_accepted_precision"]
        if rate is not None and precision is not None:
            lowest = min(lowest, float(precision))
            trade.plot(
                [rate],
                [precision],
                marker="*",
                markersize=14,
                color=color,
                linestyle="none",
                label=f"{backend} as run ({rate:.1%} straight through)",
            )
        by_t.plot(
            [p[0] for p in points], [p[1] for p in points], color=color, label=f"{backend} straight-through"
        )
        by_t.plot(
            [p[0] for p in points],
            [p[2] for p in points],
            color=color,
            linestyle="--",
            label=f"{backend} precision",
        )
    bottom = max(0.0, lowest - 0.02)
    trade.set_xlim(0, 1.02)
    trade.set_ylim(bottom, 1.005)
    trade.set_xlabel("straight-through rate (share auto-accepted at confidence ≥ t)")
    trade.set_ylabel("precision of auto-accepted fields")
    trade.set_title("Review threshold t: automation vs precision")
    trade.grid(alpha=0.3)
    trade.legend(loc="lower left", fontsize="small")
    by_t.set_xlim(0, 1)
    by_t.set_ylim(0, 1.02)
    by_t.set_xlabel("review threshold t")
    by_t.set_ylabel("share")
    by_t.set_title("Straight-through rate and precision by threshold")
    by_t.grid(alpha=0.3)
    by_t.legend(loc="lower left", fontsize="small")
    fig.tight_layout()
    return _save(fig, path)


def kinds_plot(scores: Mapping[str, BackendScore], path: Path) -> Path:
    kinds = sorted({k for s in scores.values() for k in s.kinds()})
    fig = Figure(figsize=(7.2, max(2.4, 0.35 * len(kinds) * max(len(scores), 1) + 1.2)))
    ax = fig.subplots()
    height = 0.8 / max(len(scores), 1)
    for i, (backend, score) in enumerate(scores.items()):
        per_kind = score.per_kind()
        values = [float(per_kind.get(k, {}).get("field_f1") or 0.0) for k in kinds]
        ax.barh([j + i * height for j in range(len(kinds))], values, height=height, label=backend)
    ax.set_yticks([j + 0.4 - height / 2 for j in range(len(kinds))], kinds, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("field F1")
    ax.set_title("Field F1 per record kind")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower right", fontsize="small")
    fig.tight_layout()
    return _save(fig, path)


def write_plots(scores: Mapping[str, BackendScore], directory: Path) -> dict[str, Path]:
    return {
        "reliability": reliability_plot(scores, directory / RELIABILITY_PNG),
        "threshold_sweep": sweep_plot(scores, directory / SWEEP_PNG),
        "per_kind_f1": kinds_plot(scores, directory / KINDS_PNG),
    }
