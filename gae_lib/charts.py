"""Charts of measurements (favuzzi2019 Figs. 6, 8, 10, 12, 13-20).  Each takes numbers and
returns a matplotlib figure; image grids are in ``plots``."""
from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np


def mode_histograms(sorted_counts: dict, n_modes: int = 1000) -> plt.Figure:
    """favuzzi2019 Figs. 6, 8: samples per Stacked-MNIST mode, sorted, against the uniform
    distribution over ``n_modes`` a perfect model would give."""
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    for label, counts in sorted_counts.items():
        counts = np.asarray(counts, dtype=float)
        ax.plot(np.arange(1, len(counts) + 1), counts, label=label, lw=1.4)
    total = float(np.asarray(next(iter(sorted_counts.values()))).sum())
    ax.axhline(total / n_modes, color="black", ls="--", lw=1, label="uniform over 1000 modes")
    ax.set_xlabel("mode, sorted by count"), ax.set_ylabel("samples")
    ax.set_xlim(1, n_modes), ax.legend(fontsize=9), ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def error_bars(means: dict, errors: dict, ylabel: str = "MSE per image") -> plt.Figure:
    """favuzzi2019 Fig. 10: grouped bars ``means[model][dataset]`` with ``errors`` (e.g. 2 SE)."""
    models = list(means)
    datasets = list(next(iter(means.values())))
    width = 0.8 / len(datasets)
    fig, ax = plt.subplots(figsize=(1.2 * len(models) + 2, 3.4))
    for i, ds in enumerate(datasets):
        x = np.arange(len(models)) + (i - (len(datasets) - 1) / 2) * width
        ax.bar(x, [means[m][ds] for m in models], width, yerr=[errors[m][ds] for m in models],
               capsize=3, label=ds)
    ax.set_xticks(range(len(models)), models), ax.set_ylabel(ylabel)
    ax.legend(fontsize=9), ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


def error_histogram(errors, threshold: float, percentile: float = 99) -> plt.Figure:
    """favuzzi2019 Fig. 12: the outlier GAN's reconstruction errors on real test digits, with
    the threshold above which an image counts as an outlier."""
    fig, ax = plt.subplots(figsize=(6.5, 3.0))
    ax.hist(np.asarray(errors), bins=40, color="#4c72b0")
    ax.axvline(threshold, color="red", lw=2, label=f"{percentile:g}th percentile = {threshold:.1f}")
    ax.set_xlabel("L1 error of the outlier GAN after Algorithm 1"), ax.set_ylabel("test digits")
    ax.legend(fontsize=9)
    fig.tight_layout()
    return fig


def _panels(n: int, size: float = 3.0, cols: int | None = None):
    cols = cols or min(n, 3)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(size * cols, size * rows), squeeze=False,
                             layout="constrained")
    for ax in axes.flat[n:]:
        ax.axis("off")
    return fig, list(axes.flat)


def confusion_matrices(matrices: dict) -> plt.Figure:
    """favuzzi2019 Figs. 15-17: row-normalised confusion matrices (true class by row)."""
    fig, axes = _panels(len(matrices), 3.1)
    for ax, (label, cm) in zip(axes, matrices.items()):
        cm = np.asarray(cm, dtype=float)
        ax.imshow(cm / cm.sum(1, keepdims=True).clip(min=1), cmap="Blues", vmin=0, vmax=1)
        ax.set_title(label, fontsize=10), ax.set_xlabel("predicted"), ax.set_ylabel("true")
        ax.set_xticks(range(10)), ax.set_yticks(range(10))
        ax.tick_params(labelsize=7)
    return fig


def pca_scatter(points: dict, labels) -> plt.Figure:
    """favuzzi2019 Figs. 18-20: each space projected on its first two principal components,
    coloured by digit."""
    fig, axes = _panels(len(points), 3.1)
    labels = np.asarray(labels)
    for ax, (label, xy) in zip(axes, points.items()):
        shown = ax.scatter(xy[:, 0], xy[:, 1], c=labels, cmap="tab10", vmin=-0.5, vmax=9.5, s=4)
        ax.set_title(label, fontsize=10), ax.set_xticks([]), ax.set_yticks([])
    fig.colorbar(shown, ax=axes[: len(points)], ticks=range(10), shrink=0.8, label="digit")
    return fig


def codes_over_prior(panels: dict, labels, prior, extent: float = 4.0) -> plt.Figure:
    """makhzani2016 Fig. 2: each model's 2-D codes of test digits, coloured by digit, over
    contours of the prior's density (``prior.log_density``)."""
    import torch

    fig, axes = _panels(len(panels), 4.0)
    side = torch.linspace(-extent, extent, 121)
    z2, z1 = torch.meshgrid(side, side, indexing="ij")
    density = prior.log_density(torch.stack([z1, z2], -1).reshape(-1, 2)).exp().reshape(121, 121)
    labels = np.asarray(labels)
    for ax, (title, codes) in zip(axes, panels.items()):
        ax.contour(side, side, density.numpy(), levels=6, colors="black", linewidths=0.8,
                   zorder=3)
        shown = ax.scatter(codes[:, 0], codes[:, 1], c=labels, cmap="tab10", vmin=-0.5,
                           vmax=9.5, s=2)
        ax.set_xlim(-extent, extent), ax.set_ylim(-extent, extent), ax.set_aspect("equal")
        ax.set_title(title, fontsize=10), ax.set_xlabel("$z_1$"), ax.set_ylabel("$z_2$")
    fig.colorbar(shown, ax=axes[: len(panels)], ticks=range(10), shrink=0.8, label="digit")
    return fig


def label_map(ax, dmap, title: str, anchors: bool = True):
    """favuzzi2019 Figs. 13-14: the classifier's label for G(z) over a latent plane; the anchor
    codes of a plane through three test digits sit at (0,0), (1,0), (0,1)."""
    extent = [dmap.a[0].item(), dmap.a[-1].item(), dmap.b[0].item(), dmap.b[-1].item()]
    shown = ax.imshow(dmap.labels.numpy(), origin="lower", extent=extent, cmap="tab10",
                      vmin=-0.5, vmax=9.5, interpolation="nearest")
    if anchors:
        ax.scatter([0, 1, 0], [0, 0, 1], c="white", edgecolors="black", s=50)
    ax.set_xlabel("a (along u)"), ax.set_ylabel("b (along v)"), ax.set_title(title, fontsize=10)
    return shown


def label_maps(maps: dict, anchors: bool = True) -> plt.Figure:
    fig, axes = _panels(len(maps), 3.3)
    for ax, (label, dmap) in zip(axes, maps.items()):
        shown = label_map(ax, dmap, label, anchors)
    fig.colorbar(shown, ax=axes[: len(maps)], ticks=range(10), shrink=0.8,
                 label="predicted digit")
    return fig


def training_curves(histories: dict, keys: tuple[str, ...], ylabel: str = "loss per epoch"
                    ) -> plt.Figure:
    """One panel per model: each of ``keys`` of its per-epoch training record (a checkpoint's
    ``history``) against the epoch."""
    fig, axes = _panels(len(histories), 3.4, cols=len(histories))
    for ax, (label, history) in zip(axes, histories.items()):
        epochs = [h["epoch"] for h in history]
        for k in keys:
            if k in history[0]:
                ax.plot(epochs, [h[k] for h in history], label=k, lw=1.4)
        ax.set_title(label, fontsize=10), ax.set_xlabel("epoch"), ax.set_ylabel(ylabel)
        ax.legend(fontsize=8), ax.grid(alpha=0.3)
    return fig


def class_shares(shares: dict) -> plt.Figure:
    """Share of each digit among a model's samples (the classifier's label), grouped bars,
    against the 10% a model covering the digits evenly would give."""
    fig, ax = plt.subplots(figsize=(7.5, 3.0))
    width = 0.8 / len(shares)
    for i, (label, s) in enumerate(shares.items()):
        ax.bar(np.arange(10) + (i - (len(shares) - 1) / 2) * width, s, width, label=label)
    ax.axhline(0.1, color="black", ls="--", lw=1, label="even (10%)")
    ax.set_xticks(range(10)), ax.set_xlabel("digit (classifier's label)")
    ax.set_ylabel("share of samples"), ax.legend(fontsize=8, ncol=3), ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


def by_learning_rate(rates, panels: dict, floor: float | None = None) -> plt.Figure:
    """One panel per measurement (``panels``: name -> one value per rate), learning rate on a
    log axis; ``floor`` (e.g. the real-vs-real Frechet distance) drawn on the first panel."""
    fig, axes = _panels(len(panels), 3.4, cols=len(panels))
    for i, (ax, (name, values)) in enumerate(zip(axes, panels.items())):
        ax.plot(rates, values, "o-", lw=1.4)
        if floor is not None and i == 0:
            ax.axhline(floor, color="black", ls="--", lw=1, label="real vs real")
            ax.legend(fontsize=8)
        ax.set_xscale("log"), ax.set_xlabel("learning rate"), ax.set_title(name, fontsize=10)
        ax.grid(alpha=0.3)
    return fig


def per_epoch(series: dict, ylabel: str, reference: dict | None = None, xlabel: str = "epoch",
              styles: dict | None = None, logy: bool = False) -> plt.Figure:
    """``series``: label -> {epoch (or step): value}, one line each; ``reference``: label ->
    a value drawn as a dashed horizontal line (e.g. the same measurement on real digits);
    ``styles``: label -> matplotlib keyword arguments of its line (colour, line style)."""
    fig, ax = plt.subplots(figsize=(6.5, 3.0))
    for label, values in series.items():
        style = dict(marker="o", ms=3, lw=1.4) | (styles or {}).get(label, {})
        ax.plot(list(values), list(values.values()), label=label, **style)
    if logy:
        ax.set_yscale("log")
    for label, value in (reference or {}).items():
        ax.axhline(value, color="black", ls="--", lw=1, label=label)
    ax.set_xlabel(xlabel), ax.set_ylabel(ylabel), ax.grid(alpha=0.3)
    if len(series) + len(reference or {}) > 4:   # many lines: a legend inside would hide some
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    else:
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def modes_per_run(panels: dict, collapsed_below: float | None = None) -> plt.Figure:
    """Modes covered by every training run, a dot per run: ``panels[title] = (of, {label:
    [modes of each run]})``, one panel per testbed; a dashed line where runs count as
    collapsed (``collapsed_below`` of the modes), if given."""
    fig, axes = _panels(len(panels), size=3.4)
    for ax, (title, (of, runs)) in zip(axes, panels.items()):
        for x, (label, modes) in enumerate(runs.items()):
            jitter = np.linspace(-0.18, 0.18, len(modes)) if len(modes) > 1 else [0.0]
            ax.scatter(x + np.asarray(jitter), modes, s=22, alpha=0.8)
            ax.plot([x - 0.3, x + 0.3], [np.mean(modes)] * 2, color="black", lw=1.5)
        if collapsed_below is not None:
            ax.axhline(collapsed_below * of, color="grey", ls="--", lw=1,
                       label="collapsed below")
            # below the axes: inside, it hides the dots of runs at the top or bottom
            ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False)
        ax.set_xticks(range(len(runs)), list(runs))
        ax.set_ylim(-0.5, of + 0.5), ax.set_ylabel(f"modes covered (of {of})")
        ax.set_title(title, fontsize=10), ax.grid(alpha=0.3, axis="y")
    return fig
