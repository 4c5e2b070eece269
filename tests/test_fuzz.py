"""Fuzzing the public inverter and metrics: any input either works or raises a ValueError
that says what was expected -- never an IndexError, a RuntimeError or a silent NaN."""

import math

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gae_lib import metrics
from gae_lib.invert import algorithm1, projected_adam
from gae_lib.nets import Classifier, Generator

# Arbitrary pixels in [-1, 1]: a batch with no negative one is a fuzz case, not a student's
# [0, 1] images, so the warning for those is not shown here (test_nothing_lost tests it).
pytestmark = pytest.mark.filterwarnings("ignore::gae_lib.checks.UnitRangeWarning")
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
values = st.one_of(st.floats(-1, 1, width=32), st.sampled_from([np.nan, np.inf, -3.0, 2.0]))


def image_like(max_side=30, dtypes=(np.float32,)):
    shape = st.lists(st.sampled_from([0, 1, 2, 3, 28, max_side]), min_size=1, max_size=5)
    return st.tuples(shape, st.sampled_from(dtypes)).flatmap(
        lambda s: arrays(
            s[1], tuple(s[0]) if np.prod(s[0]) <= 20_000 else (2, 1, 28, 28), elements=values
        )
    )


# Kernel widths and learning rates as a careless caller passes them.
widths = st.one_of(st.floats(-1, 3), st.sampled_from([np.nan, np.inf, -np.inf, 0.0]))


def outcome(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except ValueError as err:
        assert "expected" in str(err), str(err)
        return None


torch.manual_seed(0)
GENERATOR = Generator(latent_dim=3).eval()
CLASSIFIER = Classifier(channels=3).eval()


@FUZZ
@given(image_like(dtypes=(np.float32, np.float64)), st.booleans(), st.booleans(), widths)
def test_inverters(x, projected, as_numpy, lr):
    # float64 and numpy images are taken as float32; a non-finite or non-positive lr is refused
    invert = projected_adam if projected else algorithm1
    found = outcome(invert, GENERATOR, x if as_numpy else torch.from_numpy(x), steps=1,
                    n_starts=2, lr=lr)
    if found is not None:
        assert torch.isfinite(found.z).all() and torch.isfinite(found.loss).all()
        assert found.loss.dtype == torch.float32 and 0 < lr < np.inf


@FUZZ
@given(arrays(np.float32, (2, 1, 28, 28), elements=st.floats(-1, 1, width=32)), image_like())
def test_inverter_masks(x, mask):
    found = outcome(
        algorithm1, GENERATOR, torch.from_numpy(x), torch.from_numpy(mask), steps=1, n_starts=2
    )
    if found is not None:
        assert torch.isfinite(found.loss).all()


@FUZZ
@given(image_like(), image_like(), st.sampled_from(["mse", "l1"]))
def test_reconstruction_error(x, y, kind):
    result = outcome(metrics.reconstruction_error, torch.from_numpy(x), torch.from_numpy(y), kind)
    if result is not None:
        assert torch.isfinite(result).all() and len(result) == len(x)


@FUZZ
@given(image_like())
def test_mode_coverage(x):
    result = outcome(metrics.mode_coverage, torch.from_numpy(x), CLASSIFIER)
    if result is not None:
        assert 1 <= result["modes_covered"] <= 1000


@FUZZ
@given(
    arrays(np.float64, st.tuples(st.integers(0, 6), st.integers(0, 4)), elements=values),
    arrays(np.float64, st.tuples(st.integers(0, 6), st.integers(0, 4)), elements=values),
)
def test_frechet_distance(a, b):
    result = outcome(metrics.frechet_distance, torch.from_numpy(a), torch.from_numpy(b))
    if result is not None:
        assert math.isfinite(result) and result >= 0


@FUZZ
@given(st.lists(st.integers(-2, 5), max_size=12), st.lists(st.integers(-2, 5), max_size=12))
def test_clustering_accuracy(clusters, labels):
    one_to_one = outcome(metrics.clustering_accuracy, clusters, labels)
    many_to_one = outcome(metrics.majority_accuracy, clusters, labels)
    if one_to_one is not None:
        assert 0 <= one_to_one <= many_to_one <= 1


@FUZZ
@given(st.integers(-3, 30), st.integers(-3, 30), st.floats(-1, 2))
def test_binomial_interval(k, n, confidence):
    result = outcome(metrics.binomial_interval, k, n, confidence)
    if result is not None:
        assert 0 <= result[0] <= k / n <= result[1] <= 1


@FUZZ
@given(arrays(np.float64, st.tuples(st.integers(0, 8), st.integers(0, 3)), elements=values))
def test_pca_2d(codes):
    result = outcome(metrics.pca_2d, torch.from_numpy(codes))
    if result is not None:
        assert result.shape == (len(codes), 2)


@FUZZ
@given(image_like(), st.lists(widths, min_size=0, max_size=3))
def test_parzen(x, sigmas):
    t = torch.from_numpy(x)
    result = outcome(metrics.parzen_log_likelihood, t, t, t, sigmas=sigmas or None)
    if result is not None:
        assert 0 < result.sigma < math.inf and not math.isnan(result.mean)


@FUZZ
@given(
    arrays(np.float64, st.tuples(st.integers(0, 12), st.integers(0, 3)), elements=values),
    st.lists(st.integers(0, 2), min_size=0, max_size=12),
)
def test_linear_separability(x, y):
    t = torch.from_numpy(x)
    result = outcome(metrics.linear_separability, t, y, t, y, max_iter=50)
    if result is not None:
        assert 0 <= result.balanced_accuracy <= 1


@FUZZ
@given(arrays(np.float64, st.tuples(st.integers(0, 6), st.integers(0, 3)), elements=values),
       arrays(np.float64, st.tuples(st.integers(0, 6), st.integers(0, 3)), elements=values),
       st.one_of(widths, st.lists(widths, max_size=3)))
def test_mmd_squared(a, b, bandwidths):
    result = outcome(metrics.mmd_squared, torch.from_numpy(a), torch.from_numpy(b), bandwidths)
    if result is not None:
        assert math.isfinite(result)


@FUZZ
@given(st.lists(st.integers(-2, 5), max_size=12), st.lists(st.integers(-2, 5), max_size=12))
def test_many_to_one_error(clusters, labels):
    result = outcome(metrics.many_to_one_error, clusters, labels, clusters, labels)
    if result is not None:
        assert 0 <= result <= 1 - outcome(metrics.clustering_accuracy, clusters, labels) + 1e-6
