"""Training as it happened: a slider over the snapshots a checkpoint ships (gae_lib.snapshots),
what the model made of its fixed input after each recorded epoch."""
from __future__ import annotations

import io

import ipywidgets as W
import torch
from PIL import Image


def snapshot_png(grid: torch.Tensor, scale: int = 1) -> bytes:
    """A snapshot grid (C x H x W in [0, 1]) as a compact PNG: grey when it has one channel,
    optimised (unlike the live widgets' PNGs, these are stored in the website's pages)."""
    array = (grid.clamp(0, 1) * 255).round().to(torch.uint8).permute(1, 2, 0).numpy()
    image = Image.fromarray(array[..., 0] if array.shape[2] == 1 else array)
    image = image.resize((image.width * scale, image.height * scale), Image.NEAREST)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


class TrainingSnapshots:
    """Choose a model and an epoch; see its snapshot and, if given, a number per epoch (e.g.
    the classifier's confidence on the snapshot's images)."""

    def __init__(self, snapshots: dict[str, dict[int, torch.Tensor]],
                 per_epoch: dict[str, dict[int, str]] | None = None, scale: int = 2,
                 unit: str = "epoch"):
        """``unit``: what the keys count, "epoch" (``zoo.snapshots``) or "step"
        (``zoo.track_snapshots``)."""
        if not snapshots or not all(snapshots.values()):
            raise ValueError("snapshots: expected {model: {epoch: grid}} with at least one "
                             "snapshot per model (zoo.snapshots)")
        self.snapshots, self.per_epoch, self.scale = snapshots, per_epoch or {}, scale
        self.unit = unit
        self.model = W.Dropdown(options=list(snapshots), description="model")
        self.epoch = W.SelectionSlider(options=list(snapshots[self.model.value]),
                                       description=unit, continuous_update=True)
        self.image = W.Image(format="png")
        self.caption = W.HTML()
        self.model.observe(lambda _: self.change_model(), names="value")
        self.epoch.observe(lambda _: self.refresh(), names="value")
        self.refresh()

    def change_model(self) -> None:
        epochs = list(self.snapshots[self.model.value])
        self.epoch.options = epochs
        self.epoch.value = epochs[-1]
        self.refresh()

    def refresh(self) -> None:
        label, epoch = self.model.value, self.epoch.value
        self.image.value = snapshot_png(self.snapshots[label][epoch], self.scale)
        extra = self.per_epoch.get(label, {}).get(epoch, "")
        suffix = f": {extra}" if extra else ""
        self.caption.value = f"<b>{label}</b>, after {self.unit} {epoch}{suffix}"

    def widget(self) -> W.Widget:
        return W.VBox([W.HBox([self.model, self.epoch]), self.caption, self.image])

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget())
