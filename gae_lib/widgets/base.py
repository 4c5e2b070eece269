"""What the live widgets share: controls that call ``refresh`` when moved, a cache of each
model's codes of the widget's images, and display in a notebook."""
from __future__ import annotations

import torch


def known_codes(models: dict, images: torch.Tensor, codes: dict | None) -> dict:
    """``codes`` (label -> codes of ``images``) checked against the images, or {} to compute:
    a chapter encodes its images once for all its widgets (Algorithm 1 is not cheap)."""
    for label, z in (codes or {}).items():
        if label not in models or len(z) != len(images):
            raise ValueError(f"codes[{label!r}]: expected the codes of the {len(images)} images "
                             f"of a model in {list(models)}, got {tuple(z.shape)}")
    return dict(codes or {})


def codes_of(models: dict, images: torch.Tensor, codes: dict | None = None) -> dict:
    """Every model's codes of ``images``, taken from ``codes`` where given."""
    known = known_codes(models, images, codes)
    return {label: known[label] if label in known else m.encode(images)
            for label, m in models.items()}


class ModelWidget:
    def __init__(self, models: dict, images: torch.Tensor, codes: dict | None = None):
        if not models:
            raise ValueError("models: expected at least one CodeModel")
        self.models, self.images = models, images
        self._codes = known_codes(models, images, codes)

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
