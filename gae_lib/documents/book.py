"""The book's own instruments, used by every chapter: the MNIST classifier that judges
samples (confidence, class shares, Stacked-MNIST modes, Frechet distances)."""
from __future__ import annotations

from ..config import TrainConfig

CONFIGS = [TrainConfig("book/classifier", "classifier", epochs=8)]

NOTES = {"classifier": "A small CNN (lecun1998-style) trained for 8 epochs with Adam(1e-3); "
                       "it measures every model's samples, so it is trained first."}
