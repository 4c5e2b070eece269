"""Library pieces behind the favuzzi2019 chapter: encoders, masks, convexity count, self-checks."""

import pytest
import torch

from gae_lib import data, encoders, metrics, zoo
from gae_lib.invert import algorithm1
from gae_lib.lab import self_check
from gae_lib.masks import MASKS, hidden_mse, make_mask


from conftest import FAVUZZI_LINE_UP as LINE_UP


@pytest.fixture(scope="module")
def digits(cache):
    return data.tensors("mnist", "test", n=8)[0]


def test_fast_decoder_matches_the_generator(cache):
    m = encoders.line_up({"AE": LINE_UP["AE"]})["AE"]
    z = torch.rand(70, 100) * 2 - 1
    with torch.no_grad():
        assert torch.allclose(m.decode(z), m.generator(z), atol=1e-5)


def test_gradient_descent_encoder_is_algorithm1(digits):
    m = encoders.line_up({"E_GD": LINE_UP["E_GD"]}, invert=dict(steps=5, n_starts=20, seed=3))[
        "E_GD"
    ]
    direct = algorithm1(m.generator, digits, steps=5, n_starts=20, seed=3).z
    assert torch.allclose(m.encode(digits), direct)


def test_ae_reconstructs_test_digits_better_than_e_nn(digits):
    """A shipped-model fact the chapter builds on (AE test MSE 0.026 vs E_NN 0.083, measured)."""
    ms = encoders.line_up({k: LINE_UP[k] for k in ("AE", "E_NN")})
    errors = {k: (m.reconstruct(digits) - digits).pow(2).mean().item() for k, m in ms.items()}
    assert errors["AE"] < 0.6 * errors["E_NN"]


def test_unknown_label_and_a_generator_without_encoder_are_refused(digits):
    with pytest.raises(ValueError, match="expected \\(encoding, zoo name\\)"):
        encoders.line_up({"GAN": ("magic", "favuzzi2019/dcgan")})
    g = encoders.generator_only("DCGAN", zoo.load("favuzzi2019/dcgan"), "dcgan")
    with pytest.raises(ValueError, match="has no encoder"):
        g.encode(digits)


@pytest.mark.parametrize("kind", MASKS)
def test_masks_hide_what_they_say(kind, digits):
    mask = make_mask(kind, digits, seed=1)
    assert mask.shape == digits.shape and set(mask.unique().tolist()) <= {0.0, 1.0}
    hidden = 1 - mask.mean().item()
    expected = {"centre box hidden": 0.25, "random 50% hidden": 0.5, "random 80% hidden": 0.8}
    assert hidden == pytest.approx(expected.get(kind, 0.5), abs=0.05)
    assert torch.equal(mask, make_mask(kind, digits, seed=1))


def test_hidden_mse_ignores_known_pixels(digits):
    mask = make_mask("top half hidden", digits)
    scribbled = torch.where(mask.bool(), torch.ones_like(digits), digits)
    assert torch.allclose(hidden_mse(digits, scribbled, mask), torch.zeros(len(digits)))
    with pytest.raises(ValueError, match="expected one of"):
        make_mask("stripes", digits)


def test_path_leaves_class_counts_paths_through_other_classes():
    # "decode" returns the code as a 1x1 image; the "classifier" calls values > 0.5 class 1.
    class Threshold(torch.nn.Module):
        def forward(self, x):
            v = x.flatten(1)[:, :1]
            return torch.cat([-v + 0.5, v - 0.5], 1)

    decode = lambda z: z[:, :1].reshape(-1, 1, 1, 1)
    same_side = torch.tensor([[0.0], [0.2], [0.4]])
    assert metrics.path_leaves_class(decode, Threshold(), same_side, [0, 0, 0], pairs=10) == 0
    # Class 0 split in two (0.0 and 1.0): every path crosses class 1.
    split = torch.tensor([[0.0], [1.0]])
    assert metrics.path_leaves_class(decode, Threshold(), split, [0, 0], pairs=10) == 1
    with pytest.raises(ValueError, match="two or more"):
        metrics.path_leaves_class(decode, Threshold(), split, [0, 1])


def test_self_check_reports_without_revealing(capsys):
    assert self_check(None, 1.0) is None
    assert self_check(1.004, 1.0, rel_tol=0.01) is True
    assert self_check(2.0, 1.0) is False
    out = capsys.readouterr().out
    assert "Not attempted" in out and "too high" in out
    with pytest.raises(ValueError, match="expected a number"):
        self_check("x", 1.0)


def test_cross_validated_separability_uses_shared_folds_and_fails_on_shuffled_labels(cache):
    x, y = data.tensors("mnist", "test", n=300)
    scores = metrics.cross_validated_separability({"pixels": x, "same": x.flatten(1)}, y, seed=0)
    assert scores["pixels"] == scores["same"] > 0.6
    shuffled = y[torch.randperm(len(y), generator=torch.Generator().manual_seed(0))]
    assert metrics.cross_validated_separability({"pixels": x}, shuffled)["pixels"] < 0.3
    with pytest.raises(ValueError, match="expected 300 rows"):
        metrics.cross_validated_separability({"codes": torch.zeros(10, 3)}, y)


def test_linear_separability_chooses_C_from_a_grid(cache):
    x, y = data.tensors("mnist", "train", n=600)
    xt, yt = data.tensors("mnist", "test", n=200)
    result = metrics.linear_separability(x, y, xt, yt, C=[0.01, 1.0])
    assert result.C in (0.01, 1.0) and result.balanced_accuracy > 0.7
    assert metrics.linear_separability(x, y, xt, yt, C=0.5).C == 0.5
    with pytest.raises(ValueError, match="expected a positive number"):
        metrics.linear_separability(x, y, xt, yt, C=[])


def test_the_gradient_descent_encoder_picks_the_inverter_of_the_prior(digits):
    """The cube's Algorithm 1 for the DCGAN, projected Adam for the VAE's Gaussian decoder."""
    from gae_lib.invert import projected_adam

    ms = encoders.line_up(
        {
            "cube": ("gradient-descent", "favuzzi2019/dcgan"),
            "gauss": ("gradient-descent", "favuzzi2019/vae"),
        },
        invert=dict(steps=3, n_starts=10),
    )
    assert ms["cube"].prior == "uniform-cube" and ms["gauss"].prior == "standard-gaussian"
    z = ms["gauss"].encode(digits[:2])
    direct = projected_adam(ms["gauss"].generator, digits[:2], steps=3, n_starts=10).z
    assert torch.allclose(z, direct)
    assert z.norm(dim=1).max() <= (100 + 3 * 200**0.5) ** 0.5 + 1e-4  # inside the ball
