"""The facts the "How big should the latent space be?" chapter states, read from its glued
values after a QUICK papermill run.  Margins were measured on QUICK runs (200 starts per
inversion) with SEED 0 and SEED 1 (values in each test's comment: seed 0 / seed 1; "no seed"
where the numbers do not depend on it)."""

import json

import pytest

from conftest import REPO, assert_claims_table_counts, parameters_of, self_checks_waiting

from gae_lib.book import glued_values
from gae_lib.documents.latentspace2020 import (AE_EPOCHS, BARRIER_SHARE, CLAIMS,
                                                LATENT_SIZES, WGAN_EPOCHS, WEIGHTS_ALIKE)

CHAPTER = "book/latent-space-size"
LARGE = LATENT_SIZES[-1]


@pytest.fixture(scope="module")
def glued(executed_chapter):
    return glued_values(executed_chapter(CHAPTER))


def test_the_parameters_cell_has_every_documented_parameter():
    assert parameters_of(CHAPTER) == ["QUICK", "N_DIGITS", "N_OTHER", "N_SAMPLES", "INVERT_STEPS",
                                      "N_STARTS", "CLASSIFIER_STEPS", "SEED", "DEVICE"]


def test_the_models_were_trained_as_the_documents_module_says(glued):
    assert glued["wgan_steps"] == WGAN_EPOCHS * 938 // 5 and glued["ae_steps"] == AE_EPOCHS * 938
    for d in LATENT_SIZES:   # eq. 5's radius
        assert glued[f"radius_{d}"] ** 2 == pytest.approx(d + 3 * (2 * d) ** 0.5)


def test_the_ae_bounds_the_wgan_gp_and_both_errors_fall_with_the_size(glued):
    # test MSE (pixels in [-1, 1]), d = 2 -> 128: AE 0.149 -> 0.0099 / 0.184 -> 0.0109,
    # WGAN-GP 0.255 -> 0.064 / 0.296 -> 0.065; the AE below at all four sizes in both
    for d in LATENT_SIZES:
        assert glued[f"test_error_AE_{d}"] < glued[f"test_error_WGAN-GP_{d}"], d
    assert glued["test_error_AE_128"] < 0.2 * glued["test_error_AE_2"]
    assert glued["test_error_WGAN-GP_128"] < 0.35 * glued["test_error_WGAN-GP_2"]
    # training / test error (30 digits each): 0.90-1.46 over the models and both seeds
    for label in ("AE", "WGAN-GP"):
        for d in LATENT_SIZES:
            assert 0.7 < glued[f"memorised_{label}-{d}"] < 1.7, (label, d)


def test_samples_stay_flat_while_the_ae_sharpens_and_noise_stays_hard(glued):
    # Frechet spread over sizes (largest / smallest): WGAN-GP samples 1.93 / 2.01,
    # AE reconstructions 19.7 / 20.5
    assert glued["spread_WGAN-GP-samples"] < 3 and glued["spread_AE-reconstructions"] > 10
    # letters and fashion, WGAN-GP: 0.418 -> 0.154 / 0.419 -> 0.169
    assert glued["other_error_128"] < 0.5 * glued["other_error_2"]
    # error kept from d = 2 to 128: noise 0.74 / 0.74, test digits 0.25 / 0.22
    assert glued["kept_noise"] > 0.5 and glued["kept_test-digits"] < 0.35


def test_the_path_weights_and_classifier_facts(glued):
    # share without a barrier, smallest over the sizes: 0.73 / 0.80
    assert min(glued[f"no_barrier_{d}"] for d in LATENT_SIZES) > 0.55
    # weights (no seed): convolutions' std spread 5%, kurtosis -1.07 to -0.88 (uniform-like),
    # moved 28% to 78% of their initial norm
    assert glued["worst_spread"] < 0.15
    assert glued["conv_kurtosis_high"] < -0.5 and glued["conv_moved_low"] > 0.2
    # classifier on WGAN-GP reconstructions (20 steps): d = 2 0.155 / 0.243, d = 128 0.324 / 0.439
    assert glued["accuracy_WGAN-GP-128"] > glued["accuracy_WGAN-GP-2"] + 0.1


def test_the_paper_vs_book_table_checks_every_claim(glued):
    assert_claims_table_counts(glued, CLAIMS)


def test_each_claim_outcome_follows_from_its_numbers(glued):
    claims = glued["claims"]
    assert claims["ae_lower_bound"]["agrees"] == (
        glued["n_below"] == glued["n_below_longest"] == len(LATENT_SIZES))
    for claim_id, relation in (("ae_falls", "<"), ("gan_falls", "<"), ("perception", "<"),
                               ("samples_flat", "<"), ("shift", "<"), ("other_images", "<"),
                               ("noise", ">"), ("mnist_usefulness", ">"), ("projection", ">"),
                               ("no_barrier", ">"), ("errors_converge", "<"),
                               ("other_data_gan", "<")):
        c = claims[claim_id]
        assert c["agrees"] == (c["value"] < c["versus"] if relation == "<"
                               else c["value"] > c["versus"]), c
    assert claims["projection"]["value"] == glued[f"outside_{LARGE}"]
    assert claims["no_barrier"]["value"] == min(glued[f"no_barrier_{d}"] for d in LATENT_SIZES)
    # the shift's cost relative to the unshifted error (Fig. 6)
    assert claims["shift"]["value"] == glued[f"shift_cost_{LARGE}"]
    assert claims["errors_converge"]["value"] == glued[f"ratio_{LARGE}"]
    # alike *and* Gaussian
    assert claims["weights_alike"]["agrees"] == (glued["worst_spread"] < WEIGHTS_ALIKE
                                                 and glued["gaussian"] == "yes")
    assert glued["barrier_share"] == BARRIER_SHARE and glued["alike"] == WEIGHTS_ALIKE


def test_exercise_self_checks_wait_for_an_answer(executed_chapter):
    assert self_checks_waiting(executed_chapter(CHAPTER)) == 3


def test_reference_json_holds_the_full_mode_numbers():
    ref = json.loads((REPO / "book" / "reference" / "latent-space-size.json").read_text())
    values = ref["values"]
    assert values["n_samples"] == 3000 and values["n_digits"] == 200
    assert values["invert_steps"] == 40 and values["free_steps"] == 160
