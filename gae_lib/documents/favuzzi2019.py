"""favuzzi2019, "GANs vs Autoencoders: Comparison of Encodings": a DCGAN with a neural
(E_NN) and a gradient-descent encoder, a conv AE with the same generator, the alternating
AE/GAN hybrid, a VAE (the paper's future work), a second DCGAN as outlier detector, and
a DCGAN and a hybrid on Stacked-MNIST.

The paper trains 100 epochs (50 on Stacked-MNIST); the epochs here are what a 2-core CPU
affords, recorded with their wall time in each checkpoint's JSON.
"""

from __future__ import annotations

from ..book import Stated
from ..config import TrainConfig
from ..families.encoder_for_gan import EncoderForGANSettings
from ..families.vae import VAESettings
from ..nets import NetSpec

# The discriminators are trained but not shipped: no chapter shows one (they were shipped
# until the zoo needed the room; ``zoo.drop_networks`` removed them, each JSON says so).
GENERATOR, CODER = ("generator",), ("encoder", "generator")

CONFIGS = [
    TrainConfig("favuzzi2019/dcgan", "gan", epochs=5, shipped=GENERATOR),
    TrainConfig("favuzzi2019/dcgan-outlier", "gan", epochs=4, seed=1, shipped=GENERATOR),
    TrainConfig(
        "favuzzi2019/enn",
        "encoder-for-gan",
        epochs=2,
        networks={"encoder": NetSpec("dcgan28", output="tanh")},
        objective=EncoderForGANSettings(frozen_generator="favuzzi2019/dcgan"),
    ),
    TrainConfig("favuzzi2019/ae", "ae", epochs=5),
    TrainConfig("favuzzi2019/hybrid", "hybrid", epochs=5, shipped=CODER),
    TrainConfig(
        "favuzzi2019/vae",
        "vae",
        prior="standard-gaussian",
        epochs=4,
        objective=VAESettings(pixel_sigma=0.6),
    ),
    TrainConfig("favuzzi2019/dcgan-stacked", "gan", dataset="stacked-mnist", channels=3, epochs=2,
                shipped=GENERATOR),
    TrainConfig(
        "favuzzi2019/hybrid-stacked", "hybrid", dataset="stacked-mnist", channels=3, epochs=2,
        shipped=CODER),
]

# Shipped in float32 at first; ``zoo.to_float16`` halved them when the zoo needed the room
# for the latentspace2020 sweep (each JSON says so), except the outlier detector: its
# chapter's full run, compared with the reference (`make reproduce`), moved the outlier
# threshold (the 99th percentile of 200 real digits' errors) from 49.9 to 45.8 and with it
# the VAE's density of encoding, 32% -> 20%; the other numbers moved by less than 3%
# (apart from run-to-run ones: wall times, the gap between two implementations of
# Algorithm 1 on 8 digits).
# A retrained model ships as here.
KEEP_FLOAT32 = ("favuzzi2019/dcgan-outlier",)
CONFIGS = [c if c.name in KEEP_FLOAT32 else c.with_(ship_dtype="float16") for c in CONFIGS]

# Why a shipped model was trained as it was; written into its JSON record.
NOTES = {
    "dcgan": (
        "D:G = 1:1, as in the paper's original code. Brief comparison, one epoch each from "
        "seed 0 (classifier on 10,000 samples): 1:1 gave mean max class probability 0.775 "
        "and digit shares 1.4%-27.6%; 4:1 (the paper's text) gave 0.767 and 1.7%-33.0%, "
        "more mode imbalance for fewer G steps. 1:1 shipped."
    ),
    "dcgan-outlier": (
        "Independently trained second DCGAN (seed 1): the outlier detector for density of encoding."
    ),
    "vae": (
        "pixel_sigma 0.6 (decoder std in [-1, 1] units), 4 epochs. With 0.3 and 2 epochs the "
        "reconstruction term outweighed the KL (KL ~102 nats): test MSE 0.0266 but prior samples "
        "were not digits (mean max class probability 0.57). 0.6 halves the KL (~39 nats), so the "
        "posterior fills the prior: samples read as digits (0.76) at a higher test MSE (0.033). "
        "Wall time includes sharing the 2-core CPU with other jobs."
    ),
    "hybrid": (
        "5 epochs, the DCGAN's: the claim 'hybrid_encoder' compares its encoder with E_NN of "
        "the 5-epoch DCGAN, so the two generators had equal budgets (it was 2 epochs before)."
    ),
    "hybrid-stacked": (
        "2 epochs, dcgan-stacked's: the claim 'hybrid_modes' compares their mode coverage at "
        "equal budgets (it was 1 epoch before)."
    ),
    "ae": (
        "5 epochs, the DCGAN's: the claims 'digits', 'letters' and the completion claims compare "
        "the AE with Algorithm 1 on the 5-epoch DCGAN at equal budgets (it was 2 epochs before)."
    ),
    "enn": (
        "E_NN: encoder trained after the shipped favuzzi2019/dcgan, whose generator stays "
        "frozen (eval mode)."
    ),
}

# The paper's numbers, in one place (the chapter's tables and claims read them).
PAPER = {
    "epochs": 100,
    "stacked_modes": 1000,
    "doe_percent": {"DCGAN": "86.76", "AE": "< 0.0005"},  # Table 2
    "doe_samples": 200_000,
    "balanced_accuracy": {"pixels": 0.9215, "AE": 0.8732, "E_NN": 0.7908},  # Table 1 (GAN)
}

# The paper's findings the chapter checks, with the chapter's sentence for each outcome.
_ba = PAPER["balanced_accuracy"]
CLAIMS = {
    "dcgan_modes": Stated(
        "Stacked-MNIST modes covered by the DCGAN (of 1000)", str(PAPER["stacked_modes"])
    ),
    "hybrid_modes": Stated(
        "hybrid vs DCGAN, KL to uniform modes",
        "no improvement",
        "no gain from the hybrid objective, as the paper found",
        "a slightly more even coverage with the hybrid objective, where the paper found none",
    ),
    "digits": Stated(
        "digit MSE, AE vs E_GD",
        "AE lower",
        "the AE reconstructs digits more accurately than Algorithm 1, as in the paper",
        "Algorithm 1 reconstructs digits more accurately than the AE, unlike the paper",
    ),
    "letters": Stated(
        "E_GD / AE error ratio, letters vs digits",
        "AE's advantage grows on letters",
        "grows on letters, as in the paper",
        "does not grow on letters: Algorithm 1 loses less on letters than the AE, unlike the paper",
    ),
    "hybrid_encoder": Stated("hybrid's encoder vs E_NN, digit MSE", "hybrid worse"),
    "doe_dcgan": Stated("DoE of the DCGAN", f"{PAPER['doe_percent']['DCGAN']}%"),
    "doe_ae": Stated("DoE of the AE", f"{PAPER['doe_percent']['AE']}%"),
    "ba_pixels": Stated("balanced accuracy, pixels", f"{_ba['pixels']:.4f}"),
    "ba_ae": Stated("balanced accuracy, AE codes", f"{_ba['AE']:.4f}"),
    "separability": Stated(
        "balanced accuracy, GAN codes (E_NN); order pixels > AE > GAN",
        f"{_ba['E_NN']:.4f}",
        "the paper's ordering holds: classes are least separable in the GAN's code space and "
        "most in pixel space",
        "the paper's ordering does not hold here: {ours}",
    ),
    "egd_separability": Stated(
        "GAN codes by Algorithm 1 less separable than pixels",
        f"yes ({_ba['E_NN']:.4f} vs {_ba['pixels']:.4f})",
    ),
    "paths": Stated("same-digit latent paths through another digit", "happens (Figs. 13-14)"),
    "completion_mse": Stated(
        "image completion, hidden-pixel MSE: Algorithm 1 vs AE", "GAN suited, AE not"
    ),
    "completion_recognised": Stated(
        "completions recognised as the original digit: Algorithm 1 vs AE", "GAN suited, AE not"
    ),
}
