"""Kernel-free twins of the widgets: plotly figures whose slider steps were computed when
the page was built.  Each is one heatmap; a slider step swaps its image (``restyle``), so
nothing but plotly.js (served by the website itself) runs in the reader's browser."""

from __future__ import annotations

import base64
import json

import numpy as np
import plotly.graph_objects as go
import torch

from ..masks import hidden_mse, make_mask
from ..metrics.surfaces import decision_border_map
from ..plots import image_grid, with_unknown_grey
from ..invert import complete
from .base import codes_of
from .latent import principal_directions, walk
from .plane import plane_for
from .progress import snapshot_png
from .latent_size import frame_png, latent_size_frames
from .same_code import same_code_frames
from .testbed import testbed_frames  # noqa: F401  (the training widget's twin)

GREY = [[0, "black"], [1, "white"]]
TAB10 = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
]


def categorical_scale(colours=TAB10):
    """A colorscale that paints integer z = 0..9 in one flat colour each."""
    n, scale = len(colours), []
    for i, c in enumerate(colours):
        scale += [[i / n, c], [(i + 1) / n, c]]
    return scale


def slider_figure(
    frames: list[np.ndarray],
    step_labels: list[str],
    slider_title: str,
    title: str,
    colorscale=GREY,
    zmin: float = 0.0,
    zmax: float = 1.0,
    height: int = 420,
    x=None,
    y=None,
    hover: str = "%{z}",
) -> go.Figure:
    """One heatmap with a slider over precomputed ``frames`` (2-D arrays of one shape)."""
    if len(frames) != len(step_labels) or not frames:
        raise ValueError(
            f"expected one label per frame and at least one frame, got "
            f"{len(frames)} frames, {len(step_labels)} labels"
        )
    common = dict(colorscale=colorscale, zmin=zmin, zmax=zmax, x=x, y=y, hovertemplate=hover)
    fig = go.Figure(go.Heatmap(z=frames[0], showscale=False, name="", **common))
    steps = [
        dict(method="restyle", label=label, args=[{"z": [frame]}])
        for frame, label in zip(frames, step_labels)
    ]
    fig.update_layout(
        title=dict(text=title, font_size=14),
        height=height,
        margin=dict(l=10, r=10, t=50, b=10),
        sliders=[
            dict(
                active=0, steps=steps, currentvalue=dict(prefix=f"{slider_title}: "), pad=dict(t=30)
            )
        ],
    )
    if x is None:
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x")
    return fig


def mosaic(rows: list[torch.Tensor]) -> np.ndarray:
    """Rows of equally many images -> one grey 2-D array in [0, 1] (image rows top to bottom)."""
    stacked = torch.cat(rows)
    return image_grid(stacked, nrow=len(rows[0]))[..., 0]


@torch.no_grad()
def latent_walk(
    models: dict,
    test_images: torch.Tensor,
    start: int = 0,
    n_directions: int = 4,
    offsets=np.linspace(-3, 3, 11),
    codes: dict | None = None,
) -> go.Figure:
    """Rows: models; columns: the first principal directions of each model's encoded test
    set; slider: the offset (in standard deviations) from the code of one test digit.
    ``codes``: each model's codes of ``test_images``, if already computed."""
    frames = []
    setup = {}
    for label, z in codes_of(models, test_images, codes).items():
        setup[label] = (z[start], *principal_directions(z, n_directions))
    for t in offsets:
        rows = []
        for label, m in models.items():
            code, directions, scales = setup[label]
            z = torch.stack(
                [
                    walk(code, directions, scales, np.eye(n_directions)[i] * t, m.clip_to_cube)
                    for i in range(n_directions)
                ]
            )
            rows.append(m.decode(z))
        frames.append(mosaic(rows))
    return slider_figure(
        frames,
        [f"{t:+.1f}" for t in offsets],
        "offset (std)",
        f"Rows {', '.join(models)}; columns: principal directions 1-{n_directions}",
        height=120 + 70 * len(models),
    )


def image_slider_figure(pngs: list[bytes], step_labels: list[str], slider_title: str,
                        title: str, height: int = 520,
                        step_titles: list[str] | None = None, top: int = 50) -> go.Figure:
    """One image with a slider over precomputed PNGs (``go.Image`` with data-URI sources: a
    snapshot costs its PNG's size, ~10-50 kB, not a number per pixel).  ``step_titles``
    (one per step) replace the title as the slider moves; the short ``step_labels`` stay
    readable under the slider; ``top``: room for the title (px; more for a title of several
    lines)."""
    titles = step_titles or [title] * len(pngs)
    if not pngs or not len(pngs) == len(step_labels) == len(titles):
        raise ValueError(f"expected one label (and title) per image and at least one image, "
                         f"got {len(pngs)} images, {len(step_labels)} labels, "
                         f"{len(titles)} titles")
    uris = ["data:image/png;base64," + base64.b64encode(p).decode() for p in pngs]
    fig = go.Figure(go.Image(source=uris[0], hoverinfo="skip"))
    steps = [dict(method="update", label=label, args=[{"source": [uri]}, {"title.text": t}])
             for uri, label, t in zip(uris, step_labels, titles)]
    fig.update_layout(
        title=dict(text=titles[0], font_size=14), height=height,
        margin=dict(l=10, r=10, t=top, b=10),
        sliders=[dict(active=0, steps=steps, currentvalue=dict(prefix=f"{slider_title}: "),
                      pad=dict(t=30))])
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    return fig


def same_code(models: dict, classifier, test_images: torch.Tensor, digits,
              coordinate: int = 0) -> go.Figure:
    """Twin of ``SameCodeSliders``: a slider over start codes (prior samples, then each
    test digit's code by each model); each step shows every model's decoding of that code,
    moved along one coordinate (``same_code.same_code_frames``)."""
    offsets = np.linspace(-2, 2, 5)
    pngs, labels, titles = same_code_frames(models, classifier, test_images, digits,
                                            coordinate=coordinate, offsets=offsets)
    return image_slider_figure(
        pngs, labels, "start", titles[0], step_titles=titles,
        height=130 + 95 * len(models))


def latent_sizes(originals: dict[str, torch.Tensor], recons: dict[str, dict],
                 per_kind: int = 2) -> go.Figure:
    """Twin of ``LatentSizeSlider``: a slider over latent sizes; each step shows ``per_kind``
    images of each kind and every family's reconstructions of them at that size, the mean
    errors in the title (``latent_size.latent_size_frames``)."""
    frames, labels, titles = latent_size_frames(originals, recons, per_kind)
    rows = 1 + len(recons)
    return image_slider_figure([frame_png(f) for f in frames], labels, "latent size d",
                               titles[0], step_titles=titles, height=150 + 105 * rows,
                               top=40 + 18 * rows)


def training_snapshots(snapshots: dict[int, torch.Tensor], title: str,
                       per_epoch: dict[int, str] | None = None, unit: str = "epoch"
                       ) -> go.Figure:
    """A slider over a checkpoint's training snapshots (epoch -> grid in [0, 1], as
    ``zoo.snapshots`` gives them); a step's label names the epoch and, if given, a number
    of that epoch."""
    epochs = list(snapshots)
    titles = [f"{title}: {unit} {e}" + (f", {per_epoch[e]}" if per_epoch and e in per_epoch
                                        else "") for e in epochs]
    return image_slider_figure([snapshot_png(snapshots[e]) for e in epochs],
                               [str(e) for e in epochs], unit, title, step_titles=titles)

@torch.no_grad()
def completion_masks(
    models: dict,
    images: torch.Tensor,
    masks: list[str],
    methods=("masked Algorithm 1", "AE", "E_NN"),
    steps: int = 100,
    n_starts: int = 1000,
) -> tuple[go.Figure, dict]:
    """Slider over masks; rows: corrupted, each method's completion, original.  Also returns
    the mean MSE on hidden pixels per (mask, method)."""
    # Every (mask, image) pair in one call per method: one inversion instead of one per mask
    # (one pass of G over the starts, fuller batches); each image has its own mask.
    mask_of = {kind: make_mask(kind, images) for kind in masks}
    all_masks = torch.cat(list(mask_of.values()))
    all_images = images.repeat(len(masks), 1, 1, 1)
    done = {method: complete(method, models, all_images, all_masks, steps=steps,
                             n_starts=n_starts).split(len(images))
            for method in methods}
    frames, errors = [], {}
    for i, (kind, mask) in enumerate(mask_of.items()):
        rows = [with_unknown_grey(images, mask)]
        for method in methods:
            errors[kind, method] = hidden_mse(images, done[method][i], mask).mean().item()
            rows.append(done[method][i])
        frames.append(mosaic(rows + [images]))
    title = "Rows: corrupted, " + ", ".join(methods) + ", original"
    return slider_figure(
        frames, list(masks), "mask", title, height=160 + 60 * (len(methods) + 2)
    ), errors


@torch.no_grad()
def label_maps(
    models: dict,
    classifier,
    test_images: torch.Tensor,
    anchors=(0, 1, 2),
    extent: float = 1.5,
    resolution: int = 41,
) -> go.Figure:
    """Slider over models: the classifier's label map on the plane through three encoded
    test digits (which sit at (0,0), (1,0), (0,1))."""
    frames = []
    for label, m in models.items():
        origin, u, v = plane_for(
            m, m.encode(test_images[list(anchors)]), "through three test digits"
        )
        dmap = decision_border_map(
            m.decoder, classifier, origin, u, v, extent, resolution, clip_to_cube=m.clip_to_cube
        )
        frames.append(dmap.labels.numpy())
    axis = np.linspace(-extent, extent, resolution)
    fig = slider_figure(
        frames,
        list(models),
        "model",
        f"Predicted digit of G(z) on the plane through test digits {anchors}",
        colorscale=categorical_scale(),
        zmin=-0.5,
        zmax=9.5,
        height=480,
        x=axis,
        y=axis,
        hover="a=%{x:.2f}, b=%{y:.2f}: digit %{z}",
    )
    fig.data[0].update(showscale=True, colorbar=dict(title="digit", tickvals=list(range(10))))
    fig.add_scatter(
        x=[0, 1, 0],
        y=[0, 0, 1],
        mode="markers",
        name="anchors",
        marker=dict(color="white", size=11, line=dict(color="black", width=2)),
        hovertemplate="anchor digit<extra></extra>",
    )
    fig.update_layout(xaxis_title="a (along u)", yaxis_title="b (along v)", showlegend=False)
    return fig


class PlotlyFigure:
    """Displays a plotly figure without any CDN: HTML that uses the plotly.js the website
    serves, plus plotly's own mimetype for JupyterLab.  ``script``: JavaScript run after the
    figure is drawn on the website ('{plot_id}' names its div), e.g. a hover handler;
    JupyterLab's plotly renderer shows the figure without it."""

    def __init__(self, fig: go.Figure, script: str | None = None):
        self.fig, self.script = fig, script

    def _repr_mimebundle_(self, include=None, exclude=None):
        html = self.fig.to_html(
            include_plotlyjs=False,
            full_html=False,
            config={"displaylogo": False, "responsive": True},
            post_script=self.script,
        )
        return {
            "application/vnd.plotly.v1+json": json.loads(self.fig.to_json()),
            "text/html": html,
            "text/plain": f"<plotly figure: {self.fig.layout.title.text}>",
        }
