"""wanare, "Comparative Analysis Between GANs and VAEs": an MLP GAN and a linear VAE on MNIST.

The report gives few settings; where it is silent these follow the common reference
implementations: the vanilla MLP GAN (G 100-256-512-1024-784, LeakyReLU 0.2, tanh;
D 784-1024-512-256-1 with dropout 0.3; Adam 2e-4; batch 100) and pytorch/examples' VAE
(Adam 1e-3, batch 128, Bernoulli likelihood on pixels mapped to [0, 1]).  Not shipped yet.
"""
from __future__ import annotations

from ..config import Adam, TrainConfig
from ..families.vae import VAESettings
from ..nets import NetSpec

MLP_GAN_ADAM = Adam(2e-4, (0.5, 0.999))
VAE_ADAM = Adam(1e-3, (0.9, 0.999))

CONFIGS = [
    TrainConfig("wanare/mlp-gan", "gan", prior="standard-gaussian", batch_size=100, epochs=20,
                networks={"generator": NetSpec("mlp", widths=(256, 512, 1024)),
                          "discriminator": NetSpec("mlp", widths=(1024, 512, 256), dropout=0.3)},
                optimisers={"generator": MLP_GAN_ADAM, "discriminator": MLP_GAN_ADAM}),
    TrainConfig("wanare/linear-vae", "vae", prior="standard-gaussian", latent_dim=20,
                batch_size=128, epochs=10,
                networks={"encoder": NetSpec("mlp", widths=(), output="gaussian"),
                          "generator": NetSpec("mlp", widths=())},
                optimisers={"encoder": VAE_ADAM, "generator": VAE_ADAM},
                objective=VAESettings(likelihood="bernoulli")),
]

NOTES = {}
