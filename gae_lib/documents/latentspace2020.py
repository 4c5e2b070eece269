"""latentspace2020, "Impact of the latent space on the ability of GANs to fit the
distribution": WGAN-GP and an AE with the same generator, one pair per latent size.

The sweep is generated: one WGAN-GP and one AE per size in ``LATENT_SIZES`` (the paper
sweeps dim(z) over 10^1-10^3 on CIFAR-10 / CelebA; MNIST needs far fewer).  Not shipped
yet: the chapter on this document trains and ships them.
"""
from __future__ import annotations

from ..config import TrainConfig

LATENT_SIZES = (2, 4, 8, 16, 32, 64, 128)

CONFIGS = [
    TrainConfig(f"latentspace2020/{kind}-z{d}", family, latent_dim=d, prior="standard-gaussian",
                batch_size=64, epochs=5)
    for d in LATENT_SIZES for kind, family in (("wgan-gp", "wgan-gp"), ("ae", "ae"))
]

NOTES = {f"wgan-gp-z{d}": ("WGAN-GP with gulrajani2017's settings (Adam 1e-4, betas 0.5/0.9, "
                           "5 critic steps per generator step, penalty 10); latent size "
                           f"{d} of the sweep.") for d in LATENT_SIZES}
