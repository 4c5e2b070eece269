"""Charts of latentspace2020's measurements: numbers against the latent size (Figs. 3, 4,
6-9), code norms against the prior's (Fig. 10), loss surfaces on the paper's plane (Fig. 2,
with an interactive 3-D twin) and weight histograms per layer (Fig. 1).  Each takes numbers
and returns a figure."""
from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np

FAMILY_COLOURS = {"AE": "#1e8449", "WGAN-GP": "#c0392b"}


def _grid(n: int, width: float, height: float, cols: int):
    cols = min(n, cols)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows), squeeze=False,
                             layout="constrained")
    for ax in axes.flat[n:]:
        ax.axis("off")
    return fig, list(axes.flat[:n])


def by_latent_size(panels: dict[str, dict[str, dict[int, float]]], ylabel: str,
                   reference: dict[str, dict[str, float]] | None = None,
                   logy: bool = False, cols: int = 3) -> plt.Figure:
    """One panel per title: label -> {latent size: value}, one line each, the sizes on a log
    axis; a label starting with a family name takes its colour, "... train" lines are
    dashed.  ``reference``: title -> {label: value} drawn as dotted horizontal lines."""
    fig, axes = _grid(len(panels), 3.6, 2.9, cols)
    sizes = sorted({d for series in panels.values() for values in series.values()
                    for d in values})
    for ax, (title, series) in zip(axes, panels.items()):
        for label, values in series.items():
            colour = next((c for f, c in FAMILY_COLOURS.items() if label.startswith(f)), None)
            ax.plot(list(values), list(values.values()), marker="o", ms=3, lw=1.4, label=label,
                    color=colour, ls="--" if label.endswith("train") else "-")
        for label, value in ((reference or {}).get(title) or {}).items():
            ax.axhline(value, color="black", ls=":", lw=1, label=label)
        ax.set_xscale("log", base=2)
        ax.set_xticks(sizes, [str(d) for d in sizes])
        if logy:
            ax.set_yscale("log")
        ax.set_title(title, fontsize=10), ax.set_xlabel("latent size d")
        ax.grid(alpha=0.3), ax.legend(fontsize=7)
    axes[0].set_ylabel(ylabel)
    return fig


def code_norms(panels: dict[str, dict[str, np.ndarray]], bands: dict[str, tuple]) -> plt.Figure:
    """Fig. 10: per panel (a latent size), histograms of code norms (label -> norms) over the
    prior's band (title -> (low, median, high) of ||z||, shaded) and the eq. 5 radius
    (``bands[title][3]``, a line)."""
    fig, axes = _grid(len(panels), 3.6, 2.7, 4)
    for ax, (title, series) in zip(axes, panels.items()):
        low, median, high, radius = bands[title]
        ax.axvspan(low, high, color="#aed6f1", alpha=0.6, label="prior, 3σ band")
        ax.axvline(radius, color="black", lw=1, ls="--", label="eq. 5 radius")
        top = max(high, radius, *(float(np.max(v)) for v in series.values()))
        bins = np.linspace(0, top * 1.05, 40)
        for label, norms in series.items():
            ax.hist(np.asarray(norms), bins=bins, histtype="step", lw=1.6, label=label)
        ax.set_title(title, fontsize=10), ax.set_xlabel("‖z‖")
        ax.legend(fontsize=7)
    axes[0].set_ylabel("codes")
    return fig


def loss_surfaces(surfaces: dict[str, tuple[np.ndarray, np.ndarray]]) -> plt.Figure:
    """Fig. 2: each title's surface f(a, b) (a values, rows over b) as filled contours, the
    prior's mode z0 = 0 at (0, 0) and the code found, z*, at (1, 0)."""
    fig, axes = _grid(len(surfaces), 3.4, 3.0, 4)
    for ax, (title, (a, f)) in zip(axes, surfaces.items()):
        filled = ax.contourf(a, a, f, levels=20, cmap="viridis")
        ax.plot([0], [0], "w^", ms=7, label="z0 = 0")
        ax.plot([1], [0], "r*", ms=10, label="z*")
        ax.set_title(title, fontsize=10), ax.set_xlabel("a (along z* − z0)")
        ax.set_aspect("equal")
        fig.colorbar(filled, ax=ax, shrink=0.8, label="MSE")
    axes[0].set_ylabel("b (orthogonal)"), axes[0].legend(fontsize=7, loc="lower left")
    return fig


def loss_surfaces_3d(surfaces: dict[str, tuple[np.ndarray, np.ndarray]]):
    """Fig. 2 as an interactive plotly 3-D surface, one per title, a menu to switch (plotly.js
    only: it turns and zooms on the website without a kernel)."""
    import plotly.graph_objects as go

    titles = list(surfaces)
    fig = go.Figure()
    for i, (title, (a, f)) in enumerate(surfaces.items()):
        fig.add_trace(go.Surface(x=a, y=a, z=f, colorscale="Viridis", visible=i == 0,
                                 colorbar=dict(title="MSE"), name=title,
                                 hovertemplate="a=%{x:.2f}, b=%{y:.2f}: MSE %{z:.4f}"
                                               "<extra></extra>"))
    buttons = [dict(label=t, method="update",
                    args=[{"visible": [j == i for j in range(len(titles))]},
                          {"title.text": f"Loss surface, {t}"}])
               for i, t in enumerate(titles)]
    fig.update_layout(
        title=dict(text=f"Loss surface, {titles[0]}", font_size=14, x=0.5, xanchor="center"),
        height=520,   # centred: the size menu sits at the top left
        margin=dict(l=10, r=10, t=60, b=10),
        updatemenus=[dict(buttons=buttons, direction="down", x=0.0, y=1.12, xanchor="left")],
        scene=dict(xaxis_title="a (along z* − z0)", yaxis_title="b", zaxis_title="MSE"))
    return fig


def weight_histograms(weights: dict[str, dict[str, np.ndarray]], bins: int = 60) -> plt.Figure:
    """Fig. 1: one panel per layer, the histogram density of its weights in each model
    (``weights``: model -> layer -> values), on the layer's common range."""
    layers = list(next(iter(weights.values())))
    fig, axes = _grid(len(layers), 3.4, 2.6, 4)
    for ax, layer in zip(axes, layers):
        top = max(float(np.abs(w[layer]).max()) for w in weights.values())
        edges = np.linspace(-top, top, bins + 1)
        for label, by_layer in weights.items():
            ax.hist(by_layer[layer], bins=edges, density=True, histtype="step", lw=1.3,
                    label=label)
        ax.set_title(layer, fontsize=10), ax.set_xlabel("weight")
    axes[0].set_ylabel("density"), axes[0].legend(fontsize=7)
    return fig
