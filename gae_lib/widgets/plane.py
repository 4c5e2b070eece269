"""Decision-border plane (favuzzi2019, Figs. 13-14): the classifier's label for G(z) over a 2-D
plane of latent space, with the anchor digits marked and decoded images along one line."""

from __future__ import annotations

import ipywidgets as W
import matplotlib.pyplot as plt
import torch

from ..charts import label_map
from ..metrics.surfaces import decision_border_map, plane_through, random_plane
from .base import ModelWidget
from .render import figure_png, images_png

PLANES = ("through three test digits", "random directions")


def plane_for(model, codes: torch.Tensor, kind: str, anchors=(0, 1, 2), seed: int = 0):
    """(origin, u, v) of a plane: through the codes of three test digits, which then sit at
    (0, 0), (1, 0), (0, 1); or through the first anchor along two random orthonormal
    directions scaled to the typical length of a prior sample."""
    if kind == PLANES[0]:
        return plane_through(*(codes[i] for i in anchors))
    if kind != PLANES[1]:
        raise ValueError(f"plane: expected one of {PLANES}, got {kind!r}")
    d = model.generator.latent_dim
    radius = (d / 3) ** 0.5 if model.clip_to_cube else d**0.5  # E||z|| for U[-1,1]^d / N(0,I)
    u, v = random_plane(d, seed)
    return codes[anchors[0]], u * radius, v * radius


def label_map_figure(dmap, title: str, anchors: bool = True):
    fig, ax = plt.subplots(figsize=(4.4, 3.8))
    fig.colorbar(
        label_map(ax, dmap, title, anchors), ax=ax, ticks=range(10), label="predicted digit"
    )
    return fig


class DecisionPlane(ModelWidget):
    """Choose a model, a plane and its extent; see the label map and G along b = 0."""

    def __init__(self, models: dict, classifier, test_images: torch.Tensor, resolution: int = 41):
        super().__init__(models, test_images)
        self.classifier, self.resolution = classifier, resolution
        self.model = W.Dropdown(options=list(models), description="model")
        self.plane = W.ToggleButtons(options=PLANES, description="plane")
        n = len(test_images) - 1
        self.anchors = [
            W.BoundedIntText(value=i, min=0, max=n, description=f"digit {k}")
            for k, i in enumerate((0, 1, 2), 1)
        ]
        self.seed = W.IntSlider(value=0, min=0, max=20, description="random seed")
        self.extent = W.FloatSlider(
            value=1.5, min=0.5, max=3.0, step=0.25, description="extent", continuous_update=False
        )
        self.map = W.Image(format="png")
        self.line = W.Image(format="png")
        self.watch([self.model, self.plane, *self.anchors, self.seed, self.extent])

    def refresh(self) -> None:
        m = self.models[self.model.value]
        anchors = [a.value for a in self.anchors]
        origin, u, v = plane_for(
            m, self.codes(self.model.value), self.plane.value, anchors, self.seed.value
        )
        dmap = decision_border_map(
            m.decoder,
            self.classifier,
            origin,
            u,
            v,
            self.extent.value,
            self.resolution,
            clip_to_cube=m.clip_to_cube,
        )
        digits = ", ".join(str(i) for i in anchors) if self.plane.value == PLANES[0] else anchors[0]
        self.map.value = figure_png(
            label_map_figure(
                dmap,
                f"{self.model.value}: plane through test image(s) {digits}",
                anchors=self.plane.value == PLANES[0],
            )
        )
        middle = self.resolution // 2
        along = dmap.images.reshape(self.resolution, self.resolution, *dmap.images.shape[1:])[
            middle
        ]
        self.line.value = images_png(along[:: max(self.resolution // 9, 1)], scale=3)

    def widget(self) -> W.Widget:
        controls = W.VBox([self.model, self.plane, *self.anchors, self.seed, self.extent])
        return W.VBox(
            [W.HBox([controls, self.map]), W.HTML("G(z) along the line b = 0:"), self.line]
        )
