"""latentspace2020's measurements (gae_lib.latent_tasks) on small known cases."""
import numpy as np
import pytest
import torch

from gae_lib import data, latent_tasks as lt
from gae_lib.nets import Generator


def test_a_shifted_digit_keeps_its_pixels_and_fills_the_border_with_background():
    x, _ = data.tensors("mnist", "test", n=4)
    moved = lt.shifted(x, 3)
    assert torch.equal(moved[..., 3:, 3:], x[..., :-3, :-3])
    assert (moved[..., :3, :] == lt.BACKGROUND).all() and (moved[..., :, :3] == lt.BACKGROUND).all()
    assert torch.equal(lt.shifted(x, 0), x)
    for bad in (-1, 28, 1.5, True):
        with pytest.raises(ValueError, match="pixels"):
            lt.shifted(x, bad)


def test_noise_images_are_uniform_in_the_pixel_range_and_seeded():
    a, b = lt.uniform_noise(64, seed=1), lt.uniform_noise(64, seed=1)
    assert torch.equal(a, b) and a.shape == (64, 1, 28, 28)
    assert a.min() >= -1 and a.max() <= 1
    assert abs(a.mean()) < 0.01 and abs(a.std() - 3 ** -0.5) < 0.01
    with pytest.raises(ValueError, match="n"):
        lt.uniform_noise(0)


def test_prior_norm_quantiles_match_sampled_norms():
    for d in (2, 32):
        low, median, high = lt.prior_norm_quantiles(d)
        norms = lt.code_norms(torch.randn(200_000, d, generator=torch.Generator().manual_seed(d)))
        assert torch.quantile(norms, 0.5).item() == pytest.approx(median, rel=0.01)
        assert (norms < low).float().mean() < 0.003 and (norms > high).float().mean() < 0.003


def test_the_paper_plane_is_orthogonal_and_equal_in_norm():
    z = torch.tensor([0.3, -1.2, 2.0, 0.5])
    z0, alpha, beta = lt.paper_plane(z)
    assert torch.equal(z0, torch.zeros(4)) and torch.equal(alpha, z)
    assert abs(torch.dot(alpha, beta)) < 1e-6
    assert beta.norm().item() == pytest.approx(alpha.norm().item())
    assert torch.equal(beta[2:], torch.zeros(2))
    with pytest.raises(ValueError, match="first two"):
        lt.paper_plane(torch.tensor([0.0, 0.0, 1.0]))


def test_the_surface_is_the_loss_at_z_star_and_at_the_origin():
    torch.manual_seed(0)
    g = Generator(latent_dim=8).eval()
    z_star = torch.randn(8)
    with torch.no_grad():
        x = g(z_star[None])[0]
        at_origin = (g(torch.zeros(1, 8))[0] - x).pow(2).mean().item()
    a, f = lt.surface_around(g, x, z_star, extent=2.0, resolution=9)   # a = -2, -1.5, ..., 2
    assert f.shape == (9, 9) and np.allclose(a, np.linspace(-2, 2, 9))
    assert f[4, 6] == pytest.approx(0.0, abs=1e-10)       # b = 0, a = 1: z*
    assert f[4, 4] == pytest.approx(at_origin, rel=1e-5)  # the prior's mode
    assert f.min() == f[4, 6]


def test_layer_weights_are_the_dense_and_convolutional_weights_in_order():
    g = Generator(latent_dim=8)
    weights = lt.layer_weights(g)
    assert list(weights) == ["layer 1", "layer 2", "layer 3", "layer 4"]
    assert weights["layer 1"].size == 8 * 128 * 7 * 7 and weights["layer 4"].size == 64 * 9
    with pytest.raises(ValueError, match="dense or convolutional"):
        lt.layer_weights(torch.nn.ReLU())


def test_a_classifier_learns_from_real_digits_not_from_shuffled_labels():
    """Fig. 9b's yardstick, on 1,000 training digits and 40 steps: measured 0.84 with the
    true labels, 0.12 with shuffled ones (test digits: the last 1,000 of the test set)."""
    x, y = data.tensors("mnist", "train", n=1000)
    tx, ty = data.tensors("mnist", "test")
    tx, ty = tx[-1000:], ty[-1000:]
    good = lt.accuracy_when_trained_on(x, y, tx, ty, steps=40)
    mixed = y[torch.randperm(1000, generator=torch.Generator().manual_seed(0))]
    shuffled = lt.accuracy_when_trained_on(x, mixed, tx, ty, steps=40)
    assert good > 0.7 and shuffled < 0.3
    with pytest.raises(ValueError, match="labels"):
        lt.accuracy_when_trained_on(x, y[:10], tx, ty)


def test_the_initial_generator_is_the_one_training_started_from(tmp_path):
    """Trained with a learning rate too small to move it, the shipped generator is the one
    ``initial_generator`` rebuilds (up to float16 storage, relative 5e-4); with the real rate
    two Adam steps move every weight by ~2e-3."""
    from gae_lib import zoo
    from gae_lib.config import Adam
    from gae_lib.documents import config
    from gae_lib.train import train

    cfg = config("latentspace2020/ae-z2").with_(epochs=1)
    still = cfg.with_(optimisers={"encoder": Adam(1e-30), "generator": Adam(1e-30)})
    for run, label in ((still, "still"), (cfg, "moved")):
        train(run, tmp_path / label, limit=128, evaluate=False)
    initial = lt.layer_weights(lt.initial_generator(cfg))
    for label, close in (("still", True), ("moved", False)):
        trained = zoo.load(cfg.name, root=tmp_path / label).generator
        same = [np.allclose(w, initial[k], rtol=1e-3, atol=1e-5)
                for k, w in lt.layer_weights(trained).items()]
        assert all(same) if close else not any(same), label


def test_excess_kurtosis_of_known_distributions():
    g = np.random.default_rng(0)
    assert abs(lt.excess_kurtosis(g.normal(size=200_000))) < 0.05
    assert lt.excess_kurtosis(g.uniform(-1, 1, size=200_000)) == pytest.approx(-1.2, abs=0.02)
    with pytest.raises(ValueError, match="two distinct"):
        lt.excess_kurtosis([1.0, 1.0])


def test_the_charts_draw_one_panel_per_entry_and_the_3d_twin_switches_sizes():
    import matplotlib.pyplot as plt

    from gae_lib import latent_charts as lc

    sizes = {2: 0.3, 8: 0.2, 32: 0.1}
    fig = lc.by_latent_size({"a": {"AE test": sizes, "WGAN-GP train": sizes}, "b": {"x": sizes}},
                            "MSE", reference={"a": {"floor": 0.05}}, logy=True)
    axes = [ax for ax in fig.axes if ax.has_data()]
    assert len(axes) == 2 and [t.get_text() for t in axes[0].get_xticklabels()] == ["2", "8", "32"]
    assert axes[0].lines[1].get_linestyle() == "--"          # "... train" is dashed
    plt.close(fig)
    a = np.linspace(-2, 2, 5)
    surfaces = {"d = 2": (a, np.ones((5, 5))), "d = 8": (a, np.zeros((5, 5)))}
    plt.close(lc.loss_surfaces(surfaces))
    fig3d = lc.loss_surfaces_3d(surfaces)
    buttons = fig3d.layout.updatemenus[0].buttons
    assert [b.label for b in buttons] == ["d = 2", "d = 8"]
    assert buttons[1].args[0]["visible"] == [False, True]
    assert [t.visible for t in fig3d.data] == [True, False]
    weights = {"d = 2": {"layer 1": np.arange(5.0)}, "d = 8": {"layer 1": -np.arange(5.0)}}
    plt.close(lc.weight_histograms(weights))
    norms = {"d = 2": {"projected": np.ones(4), "not projected": 3 * np.ones(4)}}
    plt.close(lc.code_norms(norms, {"d = 2": (0.1, 1.2, 3.4, 2.8)}))
