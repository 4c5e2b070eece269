"""makhzani2016, "Adversarial Autoencoders": MLP encoders and decoders of two hidden layers of
1000 ReLU units and code discriminators of the same size (the sizes of the original paper and
its common re-implementations; the survey the book follows gives none), Adam, batches of 100.

For the chapter on this document (not written yet).  Shipped: ``aae-gaussian-2d`` (25 epochs,
~44 min on one core: its 5,000 test codes have mean ~0 and std ~1 per axis, digits in
sectors, as in Fig. 2a).  Configured, not shipped: ``aae-mixture-2d`` — a first 25-epoch run
with these settings did not match the mixture (its codes filled the disc between the petals
and its samples drew no 2 or 4), so it needs other settings before it ships; ``aae`` (8-D,
the likelihood table) and ``vae-2d`` are not trained yet.  Each AAE ships its encoder and
decoder in float16; the code discriminators are not shown.
"""
from __future__ import annotations

from ..config import Adam, TrainConfig
from ..families.aae_categorical import CategoricalAAESettings
from ..families.vae import VAESettings
from ..nets import NetSpec

WIDTHS = (1000, 1000)
EPOCHS = 25   # ~1 min per epoch on one core of the 2-core build machine


def aae(name: str, prior: str, latent_dim: int, epochs: int = EPOCHS) -> TrainConfig:
    return TrainConfig(
        f"makhzani2016/{name}", "aae", prior=prior, latent_dim=latent_dim, batch_size=100,
        epochs=epochs,
        networks={"encoder": NetSpec("mlp", widths=WIDTHS, activation="relu", output="linear"),
                  "generator": NetSpec("mlp", widths=WIDTHS, activation="relu"),
                  "latent_discriminator": NetSpec("latent-mlp", widths=WIDTHS,
                                                  activation="relu")},
        shipped=("encoder", "generator"), ship_dtype="float16")


def vae(name: str, latent_dim: int, epochs: int = EPOCHS) -> TrainConfig:
    adam = Adam(1e-3, (0.9, 0.999))
    return TrainConfig(
        f"makhzani2016/{name}", "vae", prior="standard-gaussian", latent_dim=latent_dim,
        batch_size=100, epochs=epochs,
        networks={"encoder": NetSpec("mlp", widths=WIDTHS, activation="relu", output="gaussian"),
                  "generator": NetSpec("mlp", widths=WIDTHS, activation="relu")},
        optimisers={"encoder": adam, "generator": adam},
        objective=VAESettings(likelihood="bernoulli"))


def categorical(name: str, classes: int, labels: int = 0, draw: int = 0, epochs: int = 10,
                shipped=("encoder",)) -> TrainConfig:
    """Semi-supervised (``labels`` > 0) or clustering AAE, a 10-D style code beside the
    categorical one (sec. 5's split of content and style)."""
    return TrainConfig(
        f"makhzani2016/{name}", "aae-categorical", prior="standard-gaussian", latent_dim=10,
        batch_size=100, epochs=epochs, objective=CategoricalAAESettings(classes, labels, draw),
        shipped=shipped, ship_dtype="float16")


def supervised(name: str, latent_dim: int = 15, epochs: int = 10) -> TrainConfig:
    """The label is fed to the decoder; the 15-D code keeps the style (sec. 4)."""
    return TrainConfig(
        f"makhzani2016/{name}", "aae-supervised", prior="standard-gaussian",
        latent_dim=latent_dim, batch_size=100, epochs=epochs,
        shipped=("encoder", "generator"), ship_dtype="float16")


LABEL_COUNTS = (100, 1000)
LABEL_DRAWS = (0, 1, 2)

CONFIGS = [
    aae("aae", "standard-gaussian", 8),
    aae("aae-gaussian-2d", "standard-gaussian", 2),
    aae("aae-mixture-2d", "gaussian-mixture", 2),
    vae("vae-2d", 2),
    *[categorical(f"semi-{n}-draw{d}", 10, n, d) for n in LABEL_COUNTS for d in LABEL_DRAWS],
    categorical("cluster-16", 16, epochs=15, shipped=("encoder", "generator")),
    categorical("cluster-30", 30, epochs=15, shipped=("encoder", "generator")),
    supervised("supervised"),
]

NOTES = {
    "aae-gaussian-2d": "Fig. 2a: test codes against a 2-D standard Gaussian prior.",
    "aae-mixture-2d": "Fig. 2b: test codes against the mixture of ten 2-D Gaussians.",
    "vae-2d": ("Fig. 2c: the VAE with the AAE's encoder and decoder sizes, Gaussian prior, "
               "Bernoulli likelihood (pytorch/examples' settings: Adam 1e-3)."),
    **{f"semi-{n}-draw{d}": (f"Table 2: semi-supervised AAE with {n} labels (label draw {d}); "
                              "only the encoder, which classifies, is shipped.")
       for n in LABEL_COUNTS for d in LABEL_DRAWS},
    "cluster-16": "Fig. 9: unsupervised clustering AAE, 16 clusters.",
    "cluster-30": "Sec. 6: unsupervised clustering AAE, 30 clusters (the paper's 4.10% error).",
    "supervised": "Fig. 7: style and content, the label fed to the decoder, 15-D style code.",
    "aae": "Table 1: the AAE of the Parzen-window likelihood, 8-D Gaussian prior.",
}
