"""What the live widgets share: controls that call ``refresh`` when moved, a cache of each
model's codes of the widget's images, and display in a notebook."""
from __future__ import annotations

import torch


class ModelWidget:
    def __init__(self, models: dict, images: torch.Tensor):
        if not models:
            raise ValueError("models: expected at least one CodeModel")
        self.models, self.images, self._codes = models, images, {}

    def watch(self, controls) -> None:
        """Refresh whenever any of ``controls`` changes value, and once now."""
        for control in controls:
            control.observe(lambda _: self.refresh(), names="value")
        self.refresh()

    def codes(self, label: str) -> torch.Tensor:
        """The codes of the widget's images under model ``label`` (computed once)."""
        if label not in self._codes:
            self._codes[label] = self.models[label].encode(self.images)
        return self._codes[label]

    def refresh(self) -> None:
        raise NotImplementedError

    def widget(self):
        raise NotImplementedError

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget())
