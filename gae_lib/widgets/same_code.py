"""One code, several decoders: lazarou2022's GAN, AAE and AEGAN share G's architecture and
the prior N(0, I), so the same code can be decoded by each.  Start from a prior sample or
jump to the code one of the models finds for a test digit (its encoder, or inversion of
its generator for a GAN), then move a few coordinates of the code."""
from __future__ import annotations

import ipywidgets as W
import numpy as np
import torch

from ..batching import batched
from ..priors import make_prior
from .render import images_png

PRIOR = "prior sample"


def source_name(label: str) -> str:
    return f"test digit, code by {label}"


def shifted(code: torch.Tensor, first: int, offsets) -> torch.Tensor:
    """``code`` with coordinates first, first + 1, ... (cyclic) moved by ``offsets`` (prior
    standard deviations: 1 for N(0, I))."""
    z = code.clone()
    for i, t in enumerate(offsets):
        z[(first + i) % len(z)] += float(t)
    return z


@torch.no_grad()
def reads(classifier, images: torch.Tensor) -> list[tuple[int, float]]:
    """The classifier's digit and probability for each image."""
    probs = batched(classifier, images).softmax(1)
    top = probs.max(1)
    return list(zip(top.indices.tolist(), top.values.tolist()))


class CodeSource:
    """The start code: a seeded prior sample, or one model's code of a test digit (each
    digit encoded once, when first asked for: inverting a GAN takes a second or two)."""

    def __init__(self, models: dict, test_images: torch.Tensor):
        self.models, self.test_images, self.cache = models, test_images, {}
        m = next(iter(models.values()))
        self.prior = make_prior(m.prior, m.generator.latent_dim)

    def code(self, source: str, index: int) -> torch.Tensor:
        if source == PRIOR:
            return self.prior.sample(1, generator=torch.Generator().manual_seed(index))[0]
        label = next(k for k in self.models if source_name(k) == source)
        if (label, index) not in self.cache:
            self.cache[label, index] = self.models[label].encode(
                self.test_images[index:index + 1])[0]
        return self.cache[label, index]


class SameCodeSliders:
    """Live: the start code (prior sample, or a test digit's code by one model) moved along
    ``n_sliders`` coordinates, decoded by every model side by side with the classifier's
    reading."""

    def __init__(self, models: dict, classifier, test_images: torch.Tensor,
                 n_sliders: int = 4, n_digits: int = 100):
        if not models:
            raise ValueError("models: expected at least one CodeModel")
        dims = {m.generator.latent_dim for m in models.values()}
        priors = {m.prior for m in models.values()}
        if len(dims) != 1 or len(priors) != 1:
            raise ValueError(f"models: expected one latent size and one prior for all, got "
                             f"sizes {sorted(dims)} and priors {sorted(priors)}")
        self.models, self.classifier = models, classifier
        self.test_images = test_images[:n_digits]
        self.source = CodeSource(models, self.test_images)
        self.dim = dims.pop()
        self.start = W.Dropdown(options=[PRIOR, *map(source_name, models)], description="start")
        self.index = W.IntSlider(value=0, min=0, max=len(self.test_images) - 1,
                                 description="digit / seed")
        self.first = W.IntSlider(value=0, min=0, max=self.dim - 1, description="first coord.")
        self.offsets = [W.FloatSlider(value=0.0, min=-3, max=3, step=0.25,
                                      description=f"coord +{i}", continuous_update=False)
                        for i in range(n_sliders)]
        self.digit = W.Image(format="png", width=112, height=112)
        self.images = {k: W.Image(format="png", width=112, height=112) for k in models}
        self.labels = {k: W.HTML() for k in models}
        for control in (self.start, self.index, self.first, *self.offsets):
            control.observe(lambda _: self.refresh(), names="value")
        self.refresh()

    def code(self) -> torch.Tensor:
        start = self.source.code(self.start.value, self.index.value)
        return shifted(start, self.first.value, [s.value for s in self.offsets])

    @torch.no_grad()
    def refresh(self) -> None:
        z = self.code()[None]
        digit = self.test_images[self.index.value:self.index.value + 1]
        self.digit.value = images_png(digit if self.start.value != PRIOR
                                      else torch.full_like(digit, -1), scale=4)
        for label, m in self.models.items():
            image = m.decode(z)
            (d, p), = reads(self.classifier, image)
            self.images[label].value = images_png(image, scale=4)
            self.labels[label].value = f"<b>{label}</b>: reads {d} ({p:.0%})"

    def widget(self) -> W.Widget:
        shown = [W.VBox([W.HTML("<b>test digit</b>"), self.digit])] + [
            W.VBox([self.labels[k], self.images[k]]) for k in self.models]
        return W.VBox([W.HBox([W.VBox([self.start, self.index, self.first]),
                               W.VBox(self.offsets)]), W.HBox(shown)])

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget())


@torch.no_grad()
def same_code_frames(models: dict, classifier, test_images: torch.Tensor, digits,
                     prior_seeds=(0, 1, 2), coordinate: int = 0,
                     offsets=np.linspace(-2, 2, 5)):
    """The kernel-free twin's steps: for each start (prior seeds, then each of ``digits``
    with each model's code of it), a mosaic whose rows are the models' decodings and whose
    columns move ``coordinate`` by ``offsets``; first column the test digit (black for a
    prior sample).  Returns (PNGs, short labels, titles)."""
    source = CodeSource(models, test_images)
    starts = [(PRIOR, s) for s in prior_seeds] + [
        (source_name(k), i) for i in digits for k in models]
    pngs, labels, titles = [], [], []
    for kind, index in starts:
        code = source.code(kind, index)
        z = torch.stack([shifted(code, coordinate, [t]) for t in offsets])
        first = (test_images[index:index + 1] if kind != PRIOR
                 else torch.full_like(test_images[:1], -1))
        rows, readings = [], []
        for label, m in models.items():
            decoded = m.decode(z)
            rows.append(torch.cat([first, decoded]))
            (d, p), = reads(classifier, decoded[len(offsets) // 2:len(offsets) // 2 + 1])
            readings.append(f"{label} {d} ({p:.0%})")
        pngs.append(images_png(torch.cat(rows), nrow=len(offsets) + 1, scale=3))
        by = kind.split(" by ")[-1]
        labels.append(f"seed {index}" if kind == PRIOR else f"#{index} {by}")
        start = (f"prior sample (seed {index})" if kind == PRIOR
                 else f"test digit #{index}, code by {by}")
        titles.append(f"{start}; middle column read as {', '.join(readings)}")
    return pngs, labels, titles
