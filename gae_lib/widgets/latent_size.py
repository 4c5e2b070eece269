"""How big should the latent space be (latentspace2020)?  Pick an image -- a test digit, a
shifted digit, a letter, a fashion item, noise -- and move the latent size d: the AE's and
the WGAN-GP's reconstructions side by side with their errors.

Reconstructions are computed by the chapter (the AE's encoder, projected-Adam inversion of
the WGAN-GP's generator: seconds per image) and handed over as data, so moving the slider
costs nothing: ``recons[family][d][kind]`` are the reconstructions of ``originals[kind]``."""
from __future__ import annotations

import ipywidgets as W
import numpy as np
import torch

from .render import images_png


def check_reconstructions(originals: dict, recons: dict) -> list[int]:
    """The latent sizes every family has, each with a reconstruction of every kind of image
    (same shape as the originals); a clear error otherwise."""
    if not originals or not recons:
        raise ValueError("expected at least one kind of image and one family of models")
    sizes = None
    for family, by_size in recons.items():
        if sizes is None:
            sizes = sorted(by_size)
        if sorted(by_size) != sizes:
            raise ValueError(f"{family}: expected the latent sizes {sizes}, got {sorted(by_size)}")
        for d, by_kind in by_size.items():
            for kind, x in originals.items():
                got = by_kind.get(kind)
                if got is None or got.shape != x.shape:
                    raise ValueError(
                        f"{family}, d={d}: expected reconstructions of {kind!r} shaped "
                        f"{tuple(x.shape)}, got {None if got is None else tuple(got.shape)}")
    return sizes


def mse(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (x - y).pow(2).flatten(1).mean(1)


class LatentSizeSlider:
    """Live: a kind of image, which image, and the latent size d; the original and each
    family's reconstruction at d with its MSE."""

    def __init__(self, originals: dict[str, torch.Tensor], recons: dict[str, dict]):
        self.sizes = check_reconstructions(originals, recons)
        self.originals, self.recons = originals, recons
        self.kind = W.Dropdown(options=list(originals), description="image")
        self.index = W.IntSlider(value=0, min=0, max=len(next(iter(originals.values()))) - 1,
                                 description="which")
        self.size = W.SelectionSlider(options=self.sizes, value=self.sizes[0],
                                      description="latent d")
        self.original = W.Image(format="png", width=112, height=112)
        self.images = {f: W.Image(format="png", width=112, height=112) for f in recons}
        self.labels = {f: W.HTML() for f in recons}
        self.kind.observe(lambda _: self.on_kind(), names="value")
        for control in (self.index, self.size):
            control.observe(lambda _: self.refresh(), names="value")
        self.refresh()

    def on_kind(self) -> None:
        self.index.max = len(self.originals[self.kind.value]) - 1
        self.refresh()

    def refresh(self) -> None:
        i, kind, d = self.index.value, self.kind.value, self.size.value
        x = self.originals[kind][i:i + 1]
        self.original.value = images_png(x, scale=4)
        for family, by_size in self.recons.items():
            rec = by_size[d][kind][i:i + 1]
            self.images[family].value = images_png(rec, scale=4)
            self.labels[family].value = f"<b>{family}</b>, d = {d}: MSE {mse(x, rec).item():.4f}"

    def widget(self) -> W.Widget:
        shown = [W.VBox([W.HTML(f"<b>{self.kind.value}</b> (original)"), self.original])] + [
            W.VBox([self.labels[f], self.images[f]]) for f in self.recons]
        return W.VBox([W.HBox([self.kind, self.index, self.size]), W.HBox(shown)])

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget())


def latent_size_frames(originals: dict[str, torch.Tensor], recons: dict[str, dict],
                       per_kind: int = 2):
    """The kernel-free twin's steps, one per latent size: a mosaic whose first row holds
    ``per_kind`` images of each kind and whose next rows are each family's reconstructions
    of them at that size; a step's title gives each family's mean MSE over every image of
    each kind (one line per family).  Returns (mosaic arrays, step labels, titles)."""
    from .static import mosaic

    sizes = check_reconstructions(originals, recons)
    shown = torch.cat([x[:per_kind] for x in originals.values()])
    frames, titles = [], []
    for d in sizes:
        rows = [shown] + [torch.cat([recons[f][d][k][:per_kind] for k in originals])
                          for f in recons]
        frames.append(mosaic(rows))
        errors = "<br>".join(
            f"{f}: " + ", ".join(f"{k} {mse(x, recons[f][d][k]).mean().item():.3f}"
                                 for k, x in originals.items()) for f in recons)
        titles.append(f"d = {d}, mean MSE<br>{errors}")
    return frames, [str(d) for d in sizes], titles


def frame_png(frame: np.ndarray, scale: int = 3) -> bytes:
    """PNG of a grey mosaic in [0, 1], enlarged without smoothing."""
    from .render import png
    grey = (np.clip(frame, 0, 1) * 255).round().astype(np.uint8)
    return png(np.repeat(grey[..., None], 3, axis=2), scale)
