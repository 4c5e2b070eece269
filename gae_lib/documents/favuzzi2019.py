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
    TrainConfig("favuzzi2019/ae", "ae", epochs=5),
    TrainConfig("favuzzi2019/hybrid", "hybrid", epochs=5, shipped=CODER, precision="auto"),
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
        "5 epochs, the DCGAN's: the claim that the hybrid's encoder is no better than E_NN "
        "compares them at equal budgets (trained 2 epochs until 2026-12-07). Trained in "
        "bfloat16 mixed precision (the build CPU's native AVX512-BF16; float32 weights and "
        "losses): 5 float32 epochs would have cost ~95 min on that machine beside two other "
        "runs, more than the sitting had; the DCGAN it is compared with trained in float32. "
        "bfloat16 was checked on this document's DCGAN (the hybrid's generator and "
        "discriminator), three seeds a side: Frechet distance and class shares within the "
        "seed spread (bench/precision-quality.json). "
        "Configured 'auto': a retraining on a CPU without native bfloat16 runs float32."
    ),
    "hybrid-stacked": (
        "2 epochs, the Stacked-MNIST DCGAN's: the claim that the hybrid covers no more modes "
        "compares them at equal budgets (trained 1 epoch until 2026-12-07)."
    ),
    "ae": (
        "5 epochs, the DCGAN's: the claims setting the AE against Algorithm 1 and E_NN "
        "compare them at equal budgets (trained 2 epochs until 2026-12-07)."
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
# Equal budgets inside each comparison (tests/test_verdict.py): the AE, the hybrid and the
# Stacked-MNIST hybrid were retrained on 2026-12-07 to their DCGAN's epochs (their JSONs say
# so; until then 2, 2 and 1 epochs against 5, 5 and 2).
CLAIMS = {
    "dcgan_modes": Stated(
        "Stacked-MNIST modes covered by the DCGAN (of 1000)", str(PAPER["stacked_modes"]),
        rule=Rule("≈", ("DCGAN", "paper"), ((F + "dcgan-stacked",), ()),
                  paper_value=PAPER["stacked_modes"], tolerance=MODES_BAND)),
    "hybrid_modes": Stated(
        "hybrid vs DCGAN, KL to uniform modes",
        "no improvement",
        "no gain from the hybrid objective, as the paper found",
        "a more even coverage with the hybrid objective, where the paper found none",
        # "No gain" holds only where the hybrid is measurably no better: its KL higher.
        rule=Rule(">", ("hybrid", "DCGAN"), ((F + "hybrid-stacked",), (F + "dcgan-stacked",))),
    ),
    "digits": Stated(
        "digit MSE, AE vs E_GD",
        "AE lower",
        "the AE reconstructs digits more accurately than Algorithm 1, as in the paper",
        "Algorithm 1 reconstructs digits more accurately than the AE, unlike the paper",
        rule=Rule("<", ("AE", "E_GD"), (AE, DCGAN)),
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
        "the hybrid's own encoder reconstructs digits worse than the DCGAN's E_NN ({ours}), "
        "as the paper found",
        "the hybrid's own encoder reconstructs digits better than the DCGAN's E_NN ({ours}), "
        "unlike the paper ('the AEGAN worsens the reconstruction if the encoding is done by "
        "E_NN')",
        rule=Rule(">", ("hybrid", "E_NN"), ((F + "hybrid",), ENN))),
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
        rule=Rule("<", ("E_NN", "AE"), (ENN, AE)),
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
        rule=Rule("<", ("Algorithm 1", "AE"), (DCGAN, AE))),
    "completion_recognised": Stated(
        "completions recognised as the original digit: Algorithm 1 vs AE", "GAN suited, AE not",
        rule=Rule(">", ("Algorithm 1", "AE"), (DCGAN, AE))),
}
