"""Image completion, displayed: hide part of an image and show what ``invert.complete``
fills in (masked Algorithm 1, favuzzi2019 Fig. 4, or an encoder/decoder)."""

from __future__ import annotations

import ipywidgets as W
import torch

from ..invert import MASKED_INVERSION, complete
from ..masks import MASKS, hidden_mse, make_mask, with_unknown_grey
from .base import ModelWidget
from .render import images_png


class CompletionWidget(ModelWidget):
    """Corrupted / completed / original, and the error on the hidden pixels.  ``n_starts``:
    prior samples the masked inversion starts from (the best one; fewer answer faster on a
    slow machine)."""

    def __init__(
        self,
        models: dict,
        sources: dict[str, torch.Tensor],
        methods=(MASKED_INVERSION, "AE", "E_NN"),
        n_starts: int = 1000,
    ):
        super().__init__(models, next(iter(sources.values())))
        self.sources, self.n_starts = sources, n_starts
        self.source = W.ToggleButtons(options=list(sources), description="images")
        self.index = W.IntSlider(
            value=0, min=0, max=min(len(s) for s in sources.values()) - 1, description="image"
        )
        self.mask = W.Dropdown(options=MASKS, description="mask")
        self.method = W.Dropdown(options=methods, description="method")
        self.steps = W.IntSlider(
            value=100, min=0, max=300, step=10, description="steps", continuous_update=False
        )
        self.image = W.Image(format="png", width=3 * 6 * 29, height=6 * 29)
        self.report = W.HTML()
        self.watch([self.source, self.index, self.mask, self.method, self.steps])

    def refresh(self) -> None:
        x = self.sources[self.source.value][self.index.value : self.index.value + 1]
        mask = make_mask(self.mask.value, x, seed=self.index.value)
        completed = complete(self.method.value, self.models, x, mask, steps=self.steps.value,
                             n_starts=self.n_starts)
        self.image.value = images_png(
            torch.cat([with_unknown_grey(x, mask), completed, x]), scale=6
        )
        error = hidden_mse(x, completed, mask).item()
        self.report.value = (
            f"corrupted · completed ({self.method.value}) · original<br>"
            f"MSE on the hidden pixels: <b>{error:.4f}</b>"
        )

    def widget(self) -> W.Widget:
        return W.HBox(
            [
                W.VBox([self.source, self.index, self.mask, self.method, self.steps]),
                W.VBox([self.image, self.report]),
            ]
        )
