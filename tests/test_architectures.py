"""Every architecture fills its role with the shapes the rest of the library expects, and
every inverter, metric and widget works on an MLP generator as on the DCGAN-28 one."""

import pytest
import torch

from gae_lib import encoders, losses, metrics, quality, zoo
from gae_lib.inference import frozen_copy
from gae_lib.invert import algorithm1, best_starts, complete, projected_adam
from gae_lib.masks import make_mask
from gae_lib.nets import ARCHITECTURES, NetSpec, build_network
from gae_lib.widgets import DecisionPlane, LatentSliders


@pytest.mark.parametrize("role,arch", sorted(ARCHITECTURES))
@pytest.mark.parametrize("norm", ["batch", "layer", "none"])
def test_every_architecture_has_the_shapes_of_its_role(role, arch, norm):
    torch.manual_seed(0)
    net = build_network(role, NetSpec(arch, norm=norm), latent_dim=16, channels=3).eval()
    x = torch.rand(4, 3, 28, 28) * 2 - 1
    with torch.no_grad():
        if role == "generator":
            out = net(torch.randn(4, 16))
            assert out.shape == (4, 3, 28, 28) and out.abs().max() <= 1 and net.latent_dim == 16
        elif role == "encoder":
            assert net.encode(x).shape == (4, 16)
        elif role in ("latent_discriminator", "label_discriminator"):   # a code -> a logit
            assert net(torch.randn(4, 16)).shape == (4,)
        elif role == "discriminator":
            assert net(x).shape == (4,)
        else:
            assert net(x).shape == (4, 10)


def test_norm_option_and_what_a_wgan_gp_critic_must_not_have():
    g = build_network("generator", NetSpec("dcgan28", norm="none"), 100, 1)
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in g.modules())
    # the same state-dict keys whatever the norm (Identity keeps the layer indices)
    d = {
        k
        for k in build_network(
            "discriminator", NetSpec("dcgan28", norm="none"), 100, 1
        ).state_dict()
    }
    assert {
        k
        for k in build_network("discriminator", NetSpec("dcgan28"), 100, 1).state_dict()
        if "running" not in k and "num_batches" not in k and ".weight" not in k and ".bias" not in k
    } <= d
    critic = build_network("discriminator", NetSpec("wgan-gp-critic"), 100, 1)
    assert not any(
        isinstance(m, (torch.nn.BatchNorm2d, torch.nn.Dropout)) for m in critic.modules()
    )
    with pytest.raises(ValueError, match="cannot be a generator"):
        build_network("generator", NetSpec("wgan-gp-critic"), 100, 1)
    with pytest.raises(ValueError, match="norm: expected one of"):
        NetSpec("dcgan28", norm="instance")


def test_gradient_penalty_is_zero_for_a_unit_slope_critic():
    """D(x) = sum(x * w)/||w|| has gradient norm 1 everywhere: no penalty (gulrajani2017 eq. 3)."""
    w = torch.randn(1, 1, 28, 28)
    critic = lambda x: (x * w).flatten(1).sum(1) / w.norm()
    real, fake = torch.rand(8, 1, 28, 28), torch.rand(8, 1, 28, 28)
    assert losses.gradient_penalty(critic, real, fake).item() < 1e-10
    steep = lambda x: 3 * critic(x)
    assert abs(losses.gradient_penalty(steep, real, fake).item() - 4.0) < 1e-4


@pytest.fixture(scope="module")
def mlp_generator():
    torch.manual_seed(0)
    return build_network(
        "generator", NetSpec("mlp", widths=(64, 128)), latent_dim=8, channels=1
    ).eval()


@pytest.fixture(scope="module")
def classifier():
    return zoo.load("book/classifier")["classifier"]


def test_inverters_accept_an_mlp_generator(mlp_generator):
    with torch.no_grad():
        x = mlp_generator(torch.rand(6, 8) * 2 - 1)
    for invert in (algorithm1, projected_adam):
        result = invert(mlp_generator, x, steps=20, n_starts=50)
        assert result.z.shape == (6, 8) and result.images.shape == x.shape
        assert (result.loss <= result.start_loss).all()
    mask = make_mask("top half hidden", x)
    assert algorithm1(mlp_generator, x, mask, steps=5, n_starts=20).images.shape == x.shape
    starts, _ = best_starts(frozen_copy(mlp_generator), x, None, torch.rand(30, 8) * 2 - 1, k=2)
    assert starts.shape == (6, 2, 8)


def test_metrics_and_widgets_accept_an_mlp_generator(mlp_generator, classifier):
    samples = quality.prior_samples(mlp_generator, "standard-gaussian", 40)
    assert samples.shape == (40, 1, 28, 28)
    assert 0 < metrics.digit_statistics(samples, classifier)["mean_max_probability"] <= 1
    threshold, _ = metrics.outlier_threshold(mlp_generator, samples[:8], 99, steps=3, n_starts=10)
    doe = metrics.density_of_encoding(samples[8:16], mlp_generator, threshold, steps=3, n_starts=10)
    assert 0 <= doe.doe <= 1
    u, v = metrics.random_plane(8)
    origin = torch.zeros(8)
    label_map = metrics.decision_border_map(mlp_generator, classifier, origin, u, v, resolution=5)
    assert label_map.labels.shape == (5, 5)
    assert metrics.loss_surface(mlp_generator, samples[0], origin, u, v, resolution=5).shape == (
        5,
        5,
    )
    model = encoders.gradient_descent(
        "MLP E_GD", mlp_generator, "test/mlp", "standard-gaussian", steps=3, n_starts=10
    )
    codes = model.encode(samples[:6])
    assert (
        metrics.path_leaves_class(model.decode, classifier, codes, torch.arange(6) % 2, pairs=3)
        >= 0
    )
    assert complete(
        "masked Algorithm 1",
        {"E_GD": model},
        samples[:2],
        make_mask("left half hidden", samples[:2]),
        steps=3,
        n_starts=10,
    ).shape == (2, 1, 28, 28)
    LatentSliders({"MLP": model}, classifier, samples[:10], n_directions=2)
    DecisionPlane({"MLP": model}, classifier, samples[:10], resolution=5)


def test_parameter_counts_and_layer_sizes_of_the_report_networks():
    from gae_lib.nets import NetSpec, build_network, layer_sizes, parameter_count

    g = build_network("generator", NetSpec("mlp", widths=(256, 512, 1024)), 100, 1)
    assert layer_sizes(g) == "100 → 256 → 512 → 1024 → 784"
    assert parameter_count(g) == sum(a * b + b for a, b in
                                     [(100, 256), (256, 512), (512, 1024), (1024, 784)])
    e = build_network("encoder", NetSpec("mlp", widths=(256,), output="gaussian"), 64, 1)
    assert layer_sizes(e) == "784 → 256 → 128"   # mean and log-variance of 64 each
    with pytest.raises(ValueError, match="fully connected"):
        layer_sizes(build_network("generator", NetSpec("dcgan28"), 100, 1))
