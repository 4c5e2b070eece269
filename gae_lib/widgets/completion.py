"""Image completion: hide part of an image, fill it in with masked Algorithm 1 (seed 000,
Fig. 4) or with what an encoder/decoder makes of the corrupted input."""
from __future__ import annotations

import ipywidgets as W
import torch

from ..invert import algorithm1
from ..masks import MASKS, hidden_mse, make_mask
from ..plots import with_unknown_grey
from .base import ModelWidget
from .render import images_png


@torch.no_grad()
def complete(method: str, models: dict, x: torch.Tensor, mask: torch.Tensor, steps: int = 100,
             n_starts: int = 1000, seed: int = 0) -> torch.Tensor:
    """Completed images.  ``masked Algorithm 1``: G(z*) with z* fitted to the known pixels of
    x by the DCGAN's G (models["E_GD"].generator); any other method names a model in
    ``models`` whose encoder sees the corrupted image (hidden pixels grey) and decodes it."""
    if method == "masked Algorithm 1":
        with torch.enable_grad():
            return algorithm1(models["E_GD"].generator, x, mask, steps=steps,
                              n_starts=n_starts, seed=seed).images
    if method not in models:
        raise ValueError(f"method: expected 'masked Algorithm 1' or one of {list(models)}, "
                         f"got {method!r}")
    return models[method].reconstruct(with_unknown_grey(x, mask))


class CompletionWidget(ModelWidget):
    """Corrupted / completed / original, and the error on the hidden pixels."""

    def __init__(self, models: dict, sources: dict[str, torch.Tensor],
                 methods=("masked Algorithm 1", "AE", "E_NN")):
        super().__init__(models, next(iter(sources.values())))
        self.sources = sources
        self.source = W.ToggleButtons(options=list(sources), description="images")
        self.index = W.IntSlider(value=0, min=0, max=min(len(s) for s in sources.values()) - 1,
                                 description="image")
        self.mask = W.Dropdown(options=MASKS, description="mask")
        self.method = W.Dropdown(options=methods, description="method")
        self.steps = W.IntSlider(value=100, min=0, max=300, step=10, description="steps",
                                 continuous_update=False)
        self.image = W.Image(format="png", width=3 * 6 * 29, height=6 * 29)
        self.report = W.HTML()
        self.watch([self.source, self.index, self.mask, self.method, self.steps])

    def refresh(self) -> None:
        x = self.sources[self.source.value][self.index.value: self.index.value + 1]
        mask = make_mask(self.mask.value, x, seed=self.index.value)
        completed = complete(self.method.value, self.models, x, mask, steps=self.steps.value)
        self.image.value = images_png(torch.cat([with_unknown_grey(x, mask), completed, x]), scale=6)
        error = hidden_mse(x, completed, mask).item()
        self.report.value = (f"corrupted · completed ({self.method.value}) · original<br>"
                             f"MSE on the hidden pixels: <b>{error:.4f}</b>")

    def widget(self) -> W.Widget:
        return W.HBox([W.VBox([self.source, self.index, self.mask, self.method, self.steps]),
                       W.VBox([self.image, self.report])])
