"""makhzani2016, "Adversarial Autoencoders": an MLP encoder and decoder (two hidden layers
of 1000 ReLU units) and a discriminator on 8-D codes matching a Gaussian prior.  Not
shipped yet: the chapter on this document trains and ships it."""
from __future__ import annotations

from ..config import TrainConfig

CONFIGS = [TrainConfig("makhzani2016/aae", "aae", prior="standard-gaussian", latent_dim=8,
                       batch_size=100, epochs=10)]

NOTES = {}
