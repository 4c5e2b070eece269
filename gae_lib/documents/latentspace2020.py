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

from ..book import Stated
from ..config import Adam, TrainConfig
from ..nets import NetSpec
from ..verdict import Rule

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

# Fixed before any model of the sweep was looked at: the shift that counts for Fig. 6, the
# plane's "barrier" (Fig. 2: a rise along the straight path from z0 = 0 to z* larger than a
# tenth of the path's total drop) and how alike the generators' weights must be across sizes
# (Fig. 1: each convolution's weight standard deviation within 25 % of its mean over sizes).
SHIFT_THAT_COUNTS = 2
BARRIER_SHARE = 0.1
WEIGHTS_ALIKE = 0.25
# "... and Gaussian" (Fig. 1), fixed with the rule below: every convolution's excess kurtosis
# within 0.5 of a Gaussian's 0 (a uniform's is -1.2) and D'Agostino-Pearson's test not
# rejecting normality at 1%, at the largest size.
GAUSSIAN_KURTOSIS, NORMALITY_P = 0.5, 0.01
# "Most" (Figs. 2, 10): more than half.
MOST = 0.5

WGANS = tuple(f"latentspace2020/wgan-gp-z{d}" for d in LATENT_SIZES)
AES = tuple(f"latentspace2020/ae-z{d}" for d in LATENT_SIZES)
SMALLEST, LARGEST = (f"latentspace2020/{{}}-z{d}" for d in (LATENT_SIZES[0], LATENT_SIZES[-1]))
_AE_VS_GAN = ("the AEs train 1 epoch (938 steps), the WGAN-GPs 2 (375 generator iterations): "
              "an AE's error falls fastest early, so the CPU budget went to the WGAN-GPs; the "
              "smaller budget is the AE's, which favours the WGAN-GP side")


def _by_size(family: str) -> tuple[tuple[str], tuple[str]]:
    """Largest vs smallest latent size of one family: the same budget."""
    return (LARGEST.format(family),), (SMALLEST.format(family),)

CLAIMS = {
    "ae_lower_bound": Stated(
        "latent sizes at which the AE's test error is below the WGAN-GP's inversion error",
        "the AE lower-bounds the GAN at every size (Fig. 3)",
        "the AE's error is below the WGAN-GP's at every size ({ours}), as in Fig. 3",
        "the AE's error is not below the WGAN-GP's at every size ({ours}), unlike Fig. 3",
        rule=Rule("<", ("AE", "WGAN-GP"), (AES, WGANS), unequal_budget=_AE_VS_GAN)),
    "ae_falls": Stated(
        "AE test error, largest vs smallest latent size",
        "falls as dim(z) grows (Fig. 3)",
        "the AE's error falls with the latent size ({ours}), as in Fig. 3",
        "the AE's error does not fall with the latent size ({ours}), unlike Fig. 3",
        rule=Rule("<", ("largest d", "smallest d"), _by_size("ae"))),
    "gan_falls": Stated(
        "WGAN-GP inversion error on test digits, largest vs smallest latent size",
        "falls as dim(z) grows (Fig. 3, Fig. 9)",
        "the WGAN-GP's error falls with the latent size too ({ours}), as in Fig. 3",
        "the WGAN-GP's error does not fall with the latent size ({ours}), unlike Fig. 3",
        rule=Rule("<", ("largest d", "smallest d"), _by_size("wgan-gp"))),
    "perception": Stated(
        "Frechet distance of reconstructions at the smallest size, WGAN-GP vs AE",
        "at a small dim(z) the GAN's reconstructions look real, the AE's blurry (Figs. 5, 12)",
        "at the smallest size the WGAN-GP's reconstructions look more like digits than the "
        "AE's ({ours}), as in Fig. 5",
        "at the smallest size the WGAN-GP's reconstructions do not look more like digits than "
        "the AE's ({ours}), unlike Fig. 5",
        rule=Rule("<", ("WGAN-GP", "AE"),
                  ((SMALLEST.format("wgan-gp"),), (SMALLEST.format("ae"),)),
                  unequal_budget=_AE_VS_GAN)),
    "samples_flat": Stated(
        "spread over latent sizes (largest / smallest) of the Frechet distance: WGAN-GP "
        "samples vs AE reconstructions",
        "the GAN's FID barely changes with dim(z), the AE's does (Fig. 4)",
        "the WGAN-GP's sample quality varies less with the latent size than the AE's "
        "reconstructions ({ours}), as in Fig. 4",
        "the WGAN-GP's sample quality varies with the latent size at least as much as the "
        "AE's reconstructions ({ours}), unlike Fig. 4",
        rule=Rule("<", ("WGAN-GP", "AE"), (WGANS, AES), unequal_budget=_AE_VS_GAN)),
    "shift": Stated(
        f"WGAN-GP: extra error of digits shifted by {SHIFT_THAT_COUNTS} pixels, relative to "
        f"the unshifted digits' error, largest vs smallest latent size",
        "a large latent space reconstructs shifted images nearly as well as the originals "
        "(Fig. 6)",
        "the cost of a shift shrinks as the latent size grows ({ours}), as in Fig. 6",
        "the cost of a shift does not shrink as the latent size grows ({ours}), unlike Fig. 6",
        rule=Rule("<", ("largest d", "smallest d"), _by_size("wgan-gp"))),
    "other_images": Stated(
        "WGAN-GP: error on letters and fashion items, largest vs smallest latent size",
        "images of another data set are reconstructed better with a larger dim(z) (Fig. 7)",
        "other images are reconstructed better by a larger latent space ({ours}), as in Fig. 7",
        "other images are not reconstructed better by a larger latent space ({ours}), unlike "
        "Fig. 7",
        rule=Rule("<", ("largest d", "smallest d"), _by_size("wgan-gp"))),
    "noise": Stated(
        "WGAN-GP: error at the largest size as a share of the error at the smallest, noise vs "
        "test digits",
        "noise cannot be reconstructed; a larger latent space helps it little (Fig. 8, sec. 6)",
        "a larger latent space helps noise less than digits ({ours}), as the paper says",
        "a larger latent space helps noise as much as digits ({ours}), unlike the paper",
        rule=Rule(">", ("noise", "digits"), (WGANS, WGANS))),
    "projection": Stated(
        "share of codes found without projection whose norm lies above the prior's "
        "three-sigma band, largest size",
        "without projection the codes leave the prior's norm range (Fig. 10)",
        "without projection most codes leave the prior's norm range ({ours}), as in Fig. 10",
        "without projection most codes stay in the prior's norm range ({ours}), unlike Fig. 10",
        rule=Rule(">", ("largest d", "half"), ((LARGEST.format("wgan-gp"),), ()),
                  fixed_second=True)),
    "no_barrier": Stated(
        f"share of test digits whose loss rises along the straight path from 0 to z* by less "
        f"than {BARRIER_SHARE:.0%} of the path's drop",
        "no barrier between z0 = 0 and z* (Fig. 2)",
        "the path from 0 to z* has no barrier for most digits ({ours}), as in Fig. 2",
        "the path from 0 to z* has a barrier for most digits ({ours}), unlike Fig. 2",
        rule=Rule(">", ("smallest share", "half"), (WGANS, ()), fixed_second=True)),
    "weights_alike": Stated(
        f"convolution weights: largest relative spread over latent sizes of their standard "
        f"deviation (alike: below {WEIGHTS_ALIKE:.0%}); Gaussian: excess kurtosis within "
        f"±{GAUSSIAN_KURTOSIS} and normality not rejected at {NORMALITY_P:.0%}",
        "the trained weights look alike, and Gaussian, whatever the dim(z) (Fig. 1)",
        "the convolutions' weights are alike across latent sizes and Gaussian ({ours}), as in "
        "Fig. 1",
        "the convolutions' weights are not both alike across latent sizes and Gaussian "
        "({ours}), unlike Fig. 1",
        rule=Rule("<", ("worst spread", "alike below"), (WGANS, ()), fixed_second=True)),
    "mnist_usefulness": Stated(
        "test accuracy of a classifier trained on the WGAN-GP's reconstructions of training "
        "digits, largest vs smallest latent size",
        "approaches training on real digits only for a large dim(z) (Fig. 9b)",
        "reconstructions by a larger latent space train a better classifier ({ours}), as in "
        "Fig. 9b",
        "reconstructions by a larger latent space do not train a better classifier ({ours}), "
        "unlike Fig. 9b",
        rule=Rule(">", ("largest d", "smallest d"), _by_size("wgan-gp"))),
    "errors_converge": Stated(
        "WGAN-GP / AE test error ratio, largest vs smallest latent size",
        "the AE's and the WGAN-GP's errors converge for larger latent spaces (Fig. 9a)",
        "the WGAN-GP's error comes closer to the AE's at the largest size ({ours}), as in "
        "Fig. 9a",
        "the WGAN-GP's error does not come closer to the AE's as the latent size grows "
        "({ours}), unlike Fig. 9a",
        rule=Rule("<", ("largest d", "smallest d"), (WGANS + AES, WGANS + AES),
                  unequal_budget=_AE_VS_GAN)),
    "other_data_gan": Stated(
        "error on letters and fashion items as a share of the error on test digits, largest "
        "size: WGAN-GP vs AE",
        "the GAN reconstructs the other data set relatively better than the AE (Fig. 11: "
        "CIFAR-10 against CelebA)",
        "the WGAN-GP loses less on images of other data sets than the AE does ({ours}), as in "
        "Fig. 11",
        "the WGAN-GP does not lose less on images of other data sets than the AE ({ours}), "
        "unlike Fig. 11",
        rule=Rule("<", ("WGAN-GP", "AE"), ((LARGEST.format("wgan-gp"),), (LARGEST.format("ae"),)),
                  unequal_budget=_AE_VS_GAN)),
}
