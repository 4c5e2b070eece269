"""latentspace2020, "Impact of the latent space on the ability of GANs to fit the
distribution" (seed 002): a WGAN-GP and an AE with the same generator, one pair per latent
size.

The sweep is generated: one WGAN-GP and one AE per size in ``LATENT_SIZES`` (the paper sweeps
dim(z) over 10-5000 on CIFAR-10 / CelebA; MNIST needs far fewer).  Every model shares the
DCGAN-28 generator (BatchNorm, as the library's GANs) with d inputs; the WGAN-GP's critic is
gulrajani2017's MNIST critic (no BatchNorm) and the AE's encoder is the same body with a linear
d-wide code layer (eq. 3: "the encoder and the discriminator NNs use the same architecture").

Budget: a batch of 64 costs ~0.8 s on one core for either family (the generator's two
upsampling convolutions dominate), so an MNIST epoch is ~13-20 min a model.  The paper trains
80,000 generator iterations (400,000 critic steps); the book trains the WGAN-GPs for two
epochs (1,876 critic steps, 375 generator iterations: ~0.5 % of the paper's) and the AEs for
one epoch (938 steps, ~1 % of the paper's 80,000): the ~45 CPU minutes per model the book's
budget allows, spent where training is slowest.  Shipped in float16: the generators (every
section) and the AEs' encoders (reconstructions); the critics are never shown, so not shipped.
"""
from __future__ import annotations

from ..config import Adam, TrainConfig
from ..nets import NetSpec

LATENT_SIZES = (2, 8, 32, 128)
WGAN_EPOCHS = 2
AE_EPOCHS = 1
# The paper: "ADAM optimizer with default hyperparameters" for the AE.
AE_ADAM = Adam(1e-3, (0.9, 0.999))


def wgan_gp(d: int) -> TrainConfig:
    return TrainConfig(f"latentspace2020/wgan-gp-z{d}", "wgan-gp", latent_dim=d,
                       prior="standard-gaussian", batch_size=64, epochs=WGAN_EPOCHS,
                       shipped=("generator",), ship_dtype="float16")


def ae(d: int) -> TrainConfig:
    return TrainConfig(f"latentspace2020/ae-z{d}", "ae", latent_dim=d,
                       prior="standard-gaussian", batch_size=64, epochs=AE_EPOCHS,
                       networks={"encoder": NetSpec("wgan-gp-critic", output="linear")},
                       optimisers={"encoder": AE_ADAM, "generator": AE_ADAM},
                       shipped=("encoder", "generator"), ship_dtype="float16")


CONFIGS = [make(d) for d in LATENT_SIZES for make in (wgan_gp, ae)]

_BUDGET = ("the ~45 CPU minutes per model of the book's budget (a batch of 64 costs ~0.8 s on "
           "one core)")
NOTES = {
    **{f"wgan-gp-z{d}": (f"Figs. 3-8: the WGAN-GP of latent size {d} (gulrajani2017's MNIST "
                         f"settings: Adam 1e-4, betas 0.5/0.9, 5 critic steps per generator "
                         f"step, penalty 10; DCGAN-28 generator), {WGAN_EPOCHS} epochs "
                         f"({WGAN_EPOCHS * 938 // 5} generator iterations; the paper trains "
                         f"80,000): {_BUDGET}.") for d in LATENT_SIZES},
    **{f"ae-z{d}": (f"Figs. 3-8: the AE of latent size {d} (encoder: the critic's body with a "
                    f"linear code layer; decoder: the same DCGAN-28 generator; Adam defaults, "
                    f"MSE), {AE_EPOCHS} epoch (938 steps; the paper trains 80,000): an AE's "
                    f"error falls fastest early, so the budget goes to the WGAN-GPs.")
       for d in LATENT_SIZES},
}
