"""The whole latent space of a 2-D model as one decision-border plane (makhzani2016, Fig. 2):
the classifier's label of G(z) over a grid of codes, the test digits' codes on top, and the
image of the code you pick.  Live: sliders for (z1, z2) and "jump to a test digit's code".
Kernel-free twin: ``code_plane_figure``, a plotly figure whose hover and click show the
decoded image of any grid code (images computed when the page was built) and whose slider
jumps to the codes of test digits."""

from __future__ import annotations

import base64
import io

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
import plotly.graph_objects as go
import torch
from PIL import Image
from plotly.subplots import make_subplots

from ..metrics.surfaces import DecisionMap, decision_border_map
from .base import ModelWidget
from .render import figure_png, images_png
from .static import categorical_scale

EXTENT = 3.5   # codes in [-3.5, 3.5]^2: 99.95% of a 2-D standard Gaussian's mass per axis


def check_2d(models: dict) -> None:
    wrong = {k: m.generator.latent_dim for k, m in models.items() if m.generator.latent_dim != 2}
    if wrong:
        raise ValueError(f"code plane: expected models with 2-D codes, got {wrong}")


def code_map(model, classifier, extent: float = EXTENT, resolution: int = 49) -> DecisionMap:
    """The classifier's label of G(z) on the grid [-extent, extent]^2 of codes z."""
    e1, e2 = torch.eye(2)
    return decision_border_map(model.decoder, classifier, torch.zeros(2), e1, e2, extent,
                               resolution)


def draw_plane(ax, dmap: DecisionMap, codes: torch.Tensor, labels: torch.Tensor, title: str):
    """Label map (faint) with the test codes coloured by their true digit."""
    extent = [dmap.a[0].item(), dmap.a[-1].item(), dmap.b[0].item(), dmap.b[-1].item()]
    ax.imshow(dmap.labels.numpy(), origin="lower", extent=extent, cmap="tab10", vmin=-0.5,
              vmax=9.5, interpolation="nearest", alpha=0.45)
    shown = ax.scatter(codes[:, 0], codes[:, 1], c=labels, cmap="tab10", vmin=-0.5, vmax=9.5,
                       s=5, edgecolors="none")
    ax.set_xlim(extent[:2]), ax.set_ylim(extent[2:])
    ax.set_xlabel("$z_1$"), ax.set_ylabel("$z_2$"), ax.set_title(title, fontsize=10)
    return shown


class CodePlane(ModelWidget):
    """Choose a 2-D model; move (z1, z2) with the sliders or jump to a test digit's code; see
    the code on the label map, its decoded image and the classifier's reading."""

    def __init__(self, models: dict, classifier, test_images: torch.Tensor, test_labels,
                 n_shown: int = 2000, resolution: int = 49, codes: dict | None = None):
        check_2d(models)
        super().__init__(models, test_images[:n_shown], codes)
        self.labels, self.classifier = test_labels[:n_shown], classifier
        self.resolution = resolution
        self.maps: dict[str, DecisionMap] = {}
        self.model = W.Dropdown(options=list(models), description="model")
        self.z = [W.FloatSlider(value=0.0, min=-EXTENT, max=EXTENT, step=0.05,
                                description=f"z{i}", continuous_update=False) for i in (1, 2)]
        self.digit = W.BoundedIntText(value=0, min=0, max=len(self.images) - 1,
                                      description="test digit")
        self.jump = W.Button(description="jump to its code")
        self.jump.on_click(lambda _: self.jump_to(self.digit.value))
        self.plane, self.image = W.Image(format="png"), W.Image(format="png")
        self.reading = W.HTML()
        self.watch([self.model, *self.z])

    def jump_to(self, index: int) -> None:
        z = self.codes(self.model.value)[index].clamp(-EXTENT, EXTENT)
        with self.z[0].hold_trait_notifications(), self.z[1].hold_trait_notifications():
            self.z[0].value, self.z[1].value = float(z[0]), float(z[1])

    def code(self) -> torch.Tensor:
        return torch.tensor([[self.z[0].value, self.z[1].value]])

    def refresh(self) -> None:
        label = self.model.value
        m = self.models[label]
        if label not in self.maps:
            self.maps[label] = code_map(m, self.classifier, resolution=self.resolution)
        z = self.code()
        fig, ax = plt.subplots(figsize=(4.6, 4.2))
        draw_plane(ax, self.maps[label], self.codes(label), self.labels,
                   f"{label}: test codes over the classifier's labels")
        ax.scatter(z[:, 0], z[:, 1], marker="*", s=260, c="white", edgecolors="black")
        self.plane.value = figure_png(fig)
        image = m.decode(z)
        with torch.no_grad():
            p = self.classifier(image).softmax(1)[0]
        self.image.value = images_png(image, scale=6)
        self.reading.value = (f"z = ({z[0, 0]:.2f}, {z[0, 1]:.2f}): the classifier reads "
                              f"<b>{int(p.argmax())}</b> (p = {float(p.max()):.2f})")

    def widget(self) -> W.Widget:
        controls = W.VBox([self.model, *self.z, W.HBox([self.digit, self.jump]),
                           self.image, self.reading])
        return W.HBox([self.plane, controls])


def grey_uri(image: torch.Tensor) -> str:
    """A grey image in [-1, 1] (C x H x W or H x W) as a data-URI PNG, one byte per pixel."""
    pixels = ((image.reshape(-1, image.shape[-1]) + 1) * 127.5).round().clamp(0, 255)
    out = io.BytesIO()
    Image.fromarray(pixels.to(torch.uint8).numpy(), "L").save(out, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def sprite(images: torch.Tensor, side: int) -> torch.Tensor:
    """side^2 images (row-major, first row = lowest z2) tiled into one image, first row on
    top as an image is drawn: tile (i, j) at rows i*H.., columns j*W.."""
    n, _, h, w = images.shape
    return images.reshape(side, side, h, w).permute(0, 2, 1, 3).reshape(side * h, side * w)


# Hover or click on the map: show the decoded image of the nearest grid code (one tile of
# the sprite in layout.meta, tile (i, j) for z2 index i, z1 index j) and put the marker there.
HOVER_SCRIPT = """
var gd = document.getElementById('{plot_id}');
function showCode(ev) {
  var m = gd.layout.meta, p = ev.points[0];
  if (!m || !p || p.curveNumber !== 0) return;
  var n = m.side, step = 2 * m.extent / (n - 1), h = m.tile;
  var j = Math.round((p.x + m.extent) / step), i = Math.round((p.y + m.extent) / step);
  var x = -m.extent + j * step, y = -m.extent + i * step;
  Plotly.update(gd, {source: [m.sprite]},
                {'xaxis2.range': [j * h - 0.5, (j + 1) * h - 0.5],
                 'yaxis2.range': [(i + 1) * h - 0.5, i * h - 0.5],
                 'shapes[0].x0': x - 0.12, 'shapes[0].x1': x + 0.12,
                 'shapes[0].y0': y - 0.12, 'shapes[0].y1': y + 0.12,
                 'title.text': 'z = (' + x.toFixed(2) + ', ' + y.toFixed(2) + ')'}, [3]);
}
gd.on('plotly_hover', showCode);
gd.on('plotly_click', showCode);
"""


@torch.no_grad()
def code_plane_figure(model, classifier, test_images: torch.Tensor, test_labels,
                      label: str, n_jumps: int = 20, n_shown: int = 2000,
                      resolution: int = 49, image_side: int = 21,
                      codes: torch.Tensor | None = None) -> tuple[go.Figure, str]:
    """(figure, its hover script): label map with the test codes; hover or click shows the
    decoded image of the nearest of ``image_side``^2 grid codes; the slider jumps to the codes
    of the first ``n_jumps`` test digits.  Display with ``static.PlotlyFigure(fig, script)``."""
    check_2d({label: model})
    codes = model.encode(test_images[:n_shown]) if codes is None else codes[:n_shown]
    labels = np.asarray(test_labels[:n_shown])
    dmap = code_map(model, classifier, resolution=resolution)
    side = np.linspace(-EXTENT, EXTENT, image_side)
    grid = torch.tensor([[x, y] for y in side for x in side], dtype=torch.float32)
    tiles = grey_uri(sprite(model.decode(grid), image_side))
    jumps = codes[:n_jumps].clamp(-EXTENT, EXTENT)
    jump_uris = [grey_uri(im) for im in model.decode(jumps)]
    whole = [-0.5, test_images.shape[-1] - 0.5]
    fig = make_subplots(rows=1, cols=2, column_widths=[0.62, 0.38], horizontal_spacing=0.12)
    fig.add_heatmap(z=dmap.labels.numpy(), x=dmap.a.numpy(), y=dmap.b.numpy(), zmin=-0.5,
                    zmax=9.5, colorscale=categorical_scale(), opacity=0.5,
                    colorbar=dict(title="digit", tickvals=list(range(10)), x=0.6,
                                  thickness=14, len=0.9),
                    hovertemplate="z = (%{x:.2f}, %{y:.2f}): G(z) read as %{z}<extra></extra>",
                    row=1, col=1)
    xy = codes.double().numpy().round(2)   # 2 decimals: a tenth of the JSON
    fig.add_scatter(x=xy[:, 0], y=xy[:, 1],
                    mode="markers", hoverinfo="skip", row=1, col=1,
                    marker=dict(size=3, color=labels, colorscale=categorical_scale(), cmin=-0.5,
                                cmax=9.5))
    fig.add_scatter(x=[], y=[], row=1, col=1, hoverinfo="skip")   # keeps trace numbers fixed
    fig.add_trace(go.Image(source=jump_uris[0], hoverinfo="skip"), row=1, col=2)
    marker = dict(type="circle", xref="x", yref="y", line=dict(color="black", width=2),
                  fillcolor="white")

    def at(z):
        x, y = float(z[0]), float(z[1])
        return {"shapes[0].x0": x - 0.12, "shapes[0].x1": x + 0.12,
                "shapes[0].y0": y - 0.12, "shapes[0].y1": y + 0.12}

    steps = [dict(method="update", label=str(i),
                  args=[{"source": [jump_uris[i]]},
                        {**at(jumps[i]), "xaxis2.range": whole, "yaxis2.range": whole[::-1],
                         "title.text": f"test digit {i} (a {labels[i]}): "
                         f"z = ({jumps[i, 0]:.2f}, {jumps[i, 1]:.2f})"}, [3]])
             for i in range(len(jumps))]
    fig.update_layout(
        shapes=[{**marker, **{k.split(".")[1]: v for k, v in at(jumps[0]).items()}}],
        title=dict(text=steps[0]["args"][1]["title.text"], font_size=14), height=520,
        showlegend=False, margin=dict(l=10, r=10, t=50, b=10),
        meta=dict(side=image_side, extent=EXTENT, tile=test_images.shape[-1], sprite=tiles),
        sliders=[dict(active=0, steps=steps, currentvalue=dict(prefix="jump to test digit "),
                      pad=dict(t=40))])
    fig.update_xaxes(title_text="z₁", range=[-EXTENT, EXTENT], constrain="domain", row=1, col=1)
    fig.update_yaxes(title_text="z₂", range=[-EXTENT, EXTENT], scaleanchor="x", row=1, col=1)
    fig.update_xaxes(visible=False, range=whole, row=1, col=2)
    fig.update_yaxes(visible=False, range=whole[::-1], scaleanchor="x2", row=1, col=2)
    return fig, HOVER_SCRIPT
