"""Latent sliders: move a code along a few directions and watch G(z) and the classifier."""

from __future__ import annotations

import ipywidgets as W
import torch

from ..priors import make_prior
from ..batching import batched
from .base import ModelWidget
from .render import images_png

START_KINDS = ("encoded test digit", "prior sample")
BASES = ("principal directions", "coordinates")


@torch.no_grad()
def principal_directions(codes: torch.Tensor, k: int):
    """The ``k`` leading principal directions of ``codes`` (rows, unit length) and the
    standard deviation of the codes along each."""
    centred = codes - codes.mean(0)
    _, s, vh = torch.linalg.svd(centred, full_matrices=False)
    return vh[:k], s[:k] / (len(codes) - 1) ** 0.5


@torch.no_grad()
def walk(
    code: torch.Tensor, directions: torch.Tensor, scales: torch.Tensor, offsets, clip_to_cube: bool
) -> torch.Tensor:
    """z = code + sum_i offsets_i * scales_i * directions_i (offsets in standard deviations)."""
    shift = (torch.as_tensor(offsets, dtype=code.dtype) * scales) @ directions
    z = code + shift
    return z.clamp(-1, 1) if clip_to_cube else z


class LatentSliders(ModelWidget):
    """Choose a model and a starting code; each slider moves it along one direction, in
    standard deviations of the encoded test set along that direction."""

    def __init__(
        self,
        models: dict,
        classifier,
        test_images: torch.Tensor,
        n_directions: int = 4,
        n_codes: int = 1000,
        codes: dict | None = None,
    ):
        """``codes``: each model's codes of ``test_images[:n_codes]``, if already computed."""
        super().__init__(models, test_images[:n_codes], codes)
        self.classifier, self.n_directions = classifier, n_directions
        self.model = W.Dropdown(options=list(models), description="model")
        self.start = W.ToggleButtons(options=START_KINDS, description="start")
        self.index = W.IntSlider(
            value=0, min=0, max=len(self.images) - 1, description="digit / seed"
        )
        self.basis = W.ToggleButtons(options=BASES, description="move along")
        self.first = W.IntSlider(value=0, min=0, max=99, description="first coord.")
        self.offsets = [
            W.FloatSlider(
                value=0.0,
                min=-3,
                max=3,
                step=0.25,
                description=f"direction {i + 1}",
                continuous_update=False,
            )
            for i in range(n_directions)
        ]
        self.image = W.Image(format="png", width=168, height=168)
        self.bars = [
            W.FloatProgress(
                value=0, min=0, max=1, description=str(d), layout=W.Layout(width="260px")
            )
            for d in range(10)
        ]
        self.watch([self.model, self.start, self.index, self.basis, self.first, *self.offsets])

    def current_code(self) -> torch.Tensor:
        m = self.models[self.model.value]
        if self.start.value == "prior sample":
            rng = torch.Generator().manual_seed(self.index.value)
            return make_prior(m.prior, m.generator.latent_dim).sample(1, generator=rng)[0]
        return self.codes(self.model.value)[self.index.value]

    def directions(self):
        codes = self.codes(self.model.value)
        if self.basis.value == "principal directions":
            return principal_directions(codes, self.n_directions)
        dim = codes.shape[1]
        idx = [(self.first.value + i) % dim for i in range(self.n_directions)]
        return torch.eye(dim)[idx], codes.std(0)[idx]

    @torch.no_grad()
    def refresh(self) -> None:
        m = self.models[self.model.value]
        self.first.max = m.generator.latent_dim - 1
        directions, scales = self.directions()
        z = walk(
            self.current_code(), directions, scales, [s.value for s in self.offsets], m.clip_to_cube
        )
        image = m.decode(z[None])
        self.image.value = images_png(image, scale=6)
        probs = batched(self.classifier, image).softmax(1)[0]
        for bar, p in zip(self.bars, probs.tolist()):
            bar.value, bar.bar_style = p, ("success" if p == probs.max().item() else "")

    def widget(self) -> W.Widget:
        controls = W.VBox(
            [self.model, self.start, self.index, self.basis, self.first, *self.offsets]
        )
        return W.HBox(
            [
                controls,
                W.VBox([W.HTML("<b>G(z)</b>"), self.image]),
                W.VBox([W.HTML("<b>classifier</b>"), *self.bars]),
            ]
        )
