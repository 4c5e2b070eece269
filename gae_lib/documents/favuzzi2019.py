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
from ..verdict import Rule

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
    TrainConfig("favuzzi2019/ae", "ae", epochs=2),
    TrainConfig("favuzzi2019/hybrid", "hybrid", epochs=2, shipped=CODER),
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
        "favuzzi2019/hybrid-stacked", "hybrid", dataset="stacked-mnist", channels=3, epochs=1,
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

# The paper's findings the chapter checks, with the chapter's sentence for each direction
# and the rule that judges it (gae_lib.verdict), fixed here before the runs it judges.
_ba = PAPER["balanced_accuracy"]
F = "favuzzi2019/"
DCGAN, AE, ENN = (F + "dcgan",), (F + "ae",), (F + "dcgan", F + "enn")
# Where the paper gives a number the rule asks for it within a band: 5 points of density of
# encoding (a tenth of what separates the paper's DCGAN from its AE), 10 of Stacked-MNIST's
# 1,000 modes (1%), and a factor of 1.25 either way for "no significant difference".
DOE_BAND, MODES_BAND, SAME_BAND = 0.05, 10, 0.25
# "Happens" (Figs. 13-14) has no number: a path in twenty through another digit, what a
# figure of a dozen paths shows as a rule rather than a fluke.  Fixed with this rule after
# the chapter's one run (8%), so it judges the seeds to come, not that run.
PATHS_SHARE = 0.05
# Not yet equal: retraining the hybrid for the DCGAN's 5 epochs costs ~2.2 CPU-hours on the
# AVX2 build machine of 2026-12-07 (its step measured at ~2x the AE's 1.9 s there), left to
# the training campaign of three seeds a side; the claim stays inconclusive by rule till then.
_AE_BUDGET = ("the AE trained 2 epochs, the DCGAN behind Algorithm 1 5: a budget in the "
              "DCGAN's favour; retraining the AE for 5 (~1.9 CPU-hours on this machine) is "
              "left to the training campaign")
_STACKED_BUDGET = ("the Stacked-MNIST hybrid trained 1 epoch, the DCGAN 2: a retraining for 2 "
                   "was stopped half way (an epoch took 95 min on this session's AVX2 machine, "
                   "beside other runs), so the hybrid's side had half the budget")
_HYBRID_BUDGET = ("the hybrid trained 2 epochs, the DCGAN behind E_NN 5: a budget in E_NN's "
                  "favour, which the claim's direction (hybrid worse) benefits from")
CLAIMS = {
    "dcgan_modes": Stated(
        "Stacked-MNIST modes covered by the DCGAN (of 1000)", str(PAPER["stacked_modes"]),
        rule=Rule("≈", ("DCGAN", "paper"), ((F + "dcgan-stacked",), ()),
                  paper_value=PAPER["stacked_modes"], tolerance=MODES_BAND)),
    "hybrid_modes": Stated(
        "hybrid vs DCGAN, KL to uniform modes",
        "no improvement",
        "no gain from the hybrid objective, as the paper found",
        "a slightly more even coverage with the hybrid objective, where the paper found none",
        # "No gain" holds only where the hybrid is measurably no better: its KL higher.
        rule=Rule(">", ("hybrid", "DCGAN"), ((F + "hybrid-stacked",), (F + "dcgan-stacked",)),
                  unequal_budget=_STACKED_BUDGET),
    ),
    "digits": Stated(
        "digit MSE, AE vs E_GD",
        "AE lower",
        "the AE reconstructs digits more accurately than Algorithm 1, as in the paper",
        "Algorithm 1 reconstructs digits more accurately than the AE, unlike the paper",
        rule=Rule("<", ("AE", "E_GD"), (AE, DCGAN), unequal_budget=_AE_BUDGET),
    ),
    "letters": Stated(
        "E_GD / AE error ratio, letters vs digits",
        "AE's advantage grows on letters",
        "grows on letters, as in the paper",
        "does not grow on letters: Algorithm 1 loses less on letters than the AE, unlike the paper",
        rule=Rule(">", ("letters", "digits"), (AE + DCGAN, AE + DCGAN)),
    ),
    "hybrid_encoder": Stated(
        "hybrid's encoder vs E_NN, digit MSE", "hybrid worse",
        rule=Rule(">", ("hybrid", "E_NN"), ((F + "hybrid",), ENN),
                  unequal_budget=_HYBRID_BUDGET)),
    "enn_egd": Stated(
        "E_NN vs E_GD on the DCGAN, digit MSE (ratio)",
        "no significant difference (sec. 4.2)",
        "E_NN and Algorithm 1 reconstruct digits about equally well ({ours}), as the paper says",
        "E_NN and Algorithm 1 do not reconstruct digits equally well ({ours}), unlike the "
        "paper's 'no significant difference'",
        rule=Rule("≈", ("E_NN / E_GD", "paper"), (ENN, ()), paper_value=1.0,
                  tolerance=SAME_BAND)),
    "doe_dcgan": Stated(
        "DoE of the DCGAN", f"{PAPER['doe_percent']['DCGAN']}%",
        rule=Rule("≈", ("DCGAN", "paper"), (DCGAN, ()), paper_value=0.8676,
                  tolerance=DOE_BAND)),
    "doe_ae": Stated(
        "DoE of the AE", f"{PAPER['doe_percent']['AE']}%",
        rule=Rule("≈", ("AE", "paper"), (AE, ()), paper_value=0.0, tolerance=DOE_BAND)),
    "ba_pixels": Stated("balanced accuracy, pixels", f"{_ba['pixels']:.4f}"),
    "ba_ae": Stated("balanced accuracy, AE codes", f"{_ba['AE']:.4f}"),
    "separability": Stated(
        "balanced accuracy, GAN codes (E_NN) vs AE codes; order pixels > AE > GAN",
        f"{_ba['E_NN']:.4f} vs {_ba['AE']:.4f}",
        "the paper's ordering holds: classes are less separable in the GAN's code space than "
        "in the AE's",
        "the paper's ordering does not hold here: {ours}",
        rule=Rule("<", ("E_NN", "AE"), (ENN, AE), unequal_budget=_AE_BUDGET),
    ),
    # Added by the book after "separability" failed: shown, never counted.
    "egd_separability": Stated(
        "GAN codes by Algorithm 1 less separable than pixels",
        f"yes ({_ba['E_NN']:.4f} vs {_ba['pixels']:.4f})",
        rule=Rule("<", ("E_GD", "pixels"), (DCGAN, ()), fixed_second=True),
        own_finding=True,
    ),
    "paths": Stated(
        "same-digit latent paths through another digit (share, DCGAN)", "happens (Figs. 13-14)",
        rule=Rule(">", ("DCGAN", "one in twenty"), (DCGAN, ()), fixed_second=True)),
    "completion_mse": Stated(
        "image completion, hidden-pixel MSE: Algorithm 1 vs AE", "GAN suited, AE not",
        rule=Rule("<", ("Algorithm 1", "AE"), (DCGAN, AE), unequal_budget=_AE_BUDGET)),
    "completion_recognised": Stated(
        "completions recognised as the original digit: Algorithm 1 vs AE", "GAN suited, AE not",
        rule=Rule(">", ("Algorithm 1", "AE"), (DCGAN, AE), unequal_budget=_AE_BUDGET)),
}
