"""The facts the "Adversarial autoencoders" chapter states, read from its glued values after a
QUICK papermill run.  Margins were measured on QUICK runs with SEED 0 and SEED 1 (values in
each test's comment: seed 0 / seed 1); full mode from the reference JSON where it helps."""

import json

import pytest

from conftest import REPO, assert_claims_table_counts, parameters_of, self_checks_waiting

from gae_lib.book import glued_values

CHAPTER = "book/adversarial-autoencoders"


@pytest.fixture(scope="module")
def glued(executed_chapter):
    return glued_values(executed_chapter(CHAPTER))


def test_the_parameters_cell_has_every_documented_parameter():
    assert parameters_of(CHAPTER) == ["QUICK", "N_CODES", "N_PARZEN", "N_PARZEN_TEST", "N_VALID",
                                      "N_FIT", "BASELINE_STEPS", "N_DRAWS", "SEED", "DEVICE"]


def test_the_aaes_codes_fit_the_prior_and_the_vaes_do_not(glued):
    # MMD²: AAE 0.0120 / 0.0139, VAE 0.0592 / 0.0790, prior against prior 0.0012 / -0.0009
    assert glued["mmd_AAE"] < 0.5 * glued["mmd_VAE"]
    assert abs(glued["mmd_prior-samples"]) < glued["mmd_AAE"]
    # within radius 1 / beyond 2.5 (test codes: no seed): AAE 0.368 / 0.046, VAE 0.528 / 0.108,
    # prior 0.394 / 0.044
    for ring in ("inside", "outside"):
        assert abs(glued[f"rings_AAE_{ring}"] - glued[f"rings_prior_{ring}"]) < 0.05
    assert glued["rings_VAE_inside"] > glued["rings_prior_inside"] + 0.08
    assert glued["rings_VAE_outside"] > 2 * glued["rings_prior_outside"]


def test_the_aaes_codes_fill_the_mixtures_petals_and_the_vaes_do_not(glued):
    # MMD²: AAE 0.0601 / 0.0401, VAE 0.2017 / 0.2059 (30 epochs; 0.2108 / 0.2179 after 25),
    # prior against prior 0.0021 / 0.0007; in a petal: AAE 0.872 / 0.876, VAE 0.601 / 0.607
    # (prior 0.95 by construction); full
    # mode (5,000 codes): AAE 0.049 and 90%
    assert glued["mmd_mixture_AAE"] < 0.5 * glued["mmd_mixture_VAE"]
    assert abs(glued["mmd_mixture_prior-samples"]) < 0.25 * glued["mmd_mixture_AAE"]
    assert glued["in_petals_AAE"] > 0.8 > 0.7 > glued["in_petals_VAE"]
    # petal purity (test codes, no seed): AAE 0.519, VAE 0.499 -- not one digit per petal
    assert 0.3 < glued["petal_purity_AAE"] < 0.8
    # samples of the ten petals (seeded, no QUICK change): confidence 0.936 / 0.933, 8 digits
    assert glued["petal_confidence"] > 0.85 and 6 <= glued["petal_digits_drawn"] <= 10
    assert glued["mixture_weight"] == 0.1
    assert glued["mixture_epochs_AAE"] == glued["mixture_epochs_VAE"] == 30


def test_parzen_puts_the_aae_above_the_dcgan_and_above_real_digits(glued):
    # nats (1,000 samples): AAE 200 / 204 (SE 6), DCGAN 64 / 70 (SE 4-6), VAE 99 / 112,
    # training digits 119 / 125; full mode (10,000): 319, 153, 164, 244
    aae, dcgan = glued["parzen_AAE-(8-D)_mean"], glued["parzen_DCGAN_mean"]
    assert aae - dcgan > 10 * max(glued["parzen_AAE-(8-D)_se"], glued["parzen_DCGAN_se"])
    assert glued["parzen_real_vs_models"].startswith("below the samples of the AAE")


def test_table_2_our_networks_on_the_labels_alone_are_near_the_papers_baseline(glued):
    # labels alone, mean of 2 draws: 100 labels 23.5% / 23.0%, 1000 labels 11.1% / 11.5%
    # (paper 25.80% / 8.73%; full mode, 3 draws: 23.1%, 10.2%)
    assert 0.18 < glued["semi_100_alone_mean"] < 0.32
    assert 0.07 < glued["semi_1000_alone_mean"] < 0.15


def test_table_2_our_five_epoch_aaes_are_not_the_papers(glued):
    # AAE (shipped encoders: no seed): 100 labels 23.5%, 1000 labels 10.0%; its ten groups
    # are 76.5% and 90.0% pure
    assert glued["semi_100_AAE_mean"] > 0.1 and glued["semi_1000_AAE_mean"] > 0.05
    assert 1 - glued["semi_purity_100"] <= glued["semi_100_AAE_mean"] + 1e-9   # a bound


def test_the_supervised_aaes_style_code_carries_the_digit(glued):
    # read as the label: test styles 0.347 (no seed), prior styles 0.353 / 0.330; 5-NN error
    # on the 15-D style codes 0.265 / 0.268 (full mode 0.134)
    assert glued["read_as_label"] < 0.6 and glued["prior_read_as_label"] < 0.6
    assert glued["style_knn_error"] < 0.4
    assert glued["style_carries"] == "carries much of the digit"


def test_our_clustering_aaes_use_every_cluster_but_lose_to_k_means(glued):
    # many-to-one error: AAE 16 clusters 0.486 / 0.474, 30 clusters 0.495 / 0.497; k-means
    # 0.334 / 0.364 and 0.242 / 0.275; labelled on the test digits themselves 0.469
    assert glued["clusters_used_16"] == 16 and glued["clusters_used_30"] == 30
    for k in (16, 30):
        assert glued[f"cluster_error_{k}"] > glued[f"kmeans_error_{k}"] + 0.08
    assert glued["self_labelled"] <= glued["cluster_error_16"] + 0.03


def test_the_2d_aae_separates_the_digits_far_better_than_pca(glued):
    # 5-NN error: AAE 0.164 / 0.159, PCA 0.576 / 0.580
    assert glued["map_error_AAE,-2-D-code"] < 0.5 * glued["map_error_PCA-of-pixels"]


def test_paper_vs_book_table_checks_every_claim(glued):
    from gae_lib.documents.makhzani2016 import CLAIMS

    assert_claims_table_counts(glued, CLAIMS)


def test_each_claim_outcome_follows_from_its_numbers(glued):
    claims = glued["claims"]
    for claim_id in ("prior_gaussian", "prior_mixture", "clustering", "dimensionality"):
        c = claims[claim_id]
        assert c["agrees"] == (c["value"] < c["versus"]), c
    for n in (100, 1000):   # the means over label draws: one training run a side
        c = claims[f"semi_{n}"]
        assert c["agrees"] == (c["value"] < c["versus"]) and c["verdict"] == "inconclusive", c
        assert len(c["first"]) == len(c["second"]) == 1
    assert claims["parzen"]["agrees"] == (claims["parzen"]["value"] > claims["parzen"]["versus"])
    style = claims["style_content"]
    assert style["agrees"] == (style["value"] > 0.9) and style["value"] == glued["read_as_label"]
    assert claims["semi_100"]["value"] == pytest.approx(100 * glued["semi_100_AAE_mean"])


def test_exercise_answers_in_the_solutions_are_what_the_chapter_computes(glued):
    # exercise 1: sigma 0.036; sampled codes' MMD² 0.0584 / 0.0787 vs means 0.0592 / 0.0790
    assert glued["vae_sigma"] < 0.1
    assert glued["sampled_mmd"] == pytest.approx(glued["mmd_VAE"], rel=0.2)
    # exercise 3: 1-NN error on the 8-D AAE's codes 0.573, on pixels 0.304 (no seed)
    assert glued["code_1nn"] > glued["pixel_1nn"] + 0.1


def test_exercise_self_checks_wait_for_an_answer(executed_chapter):
    assert self_checks_waiting(executed_chapter(CHAPTER)) == 3


def test_reference_json_holds_the_full_mode_numbers():
    ref = json.loads((REPO / "book" / "reference" / "adversarial-autoencoders.json").read_text())
    values = ref["values"]
    assert values["n_parzen"] == 10000 and values["n_parzen_test"] == 10000
    assert values["n_codes"] == 5000 and values["n_draws"] == 3 and values["n_fit"] == 10000
