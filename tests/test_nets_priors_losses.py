"""Facts about the networks, priors and losses that every chapter relies on."""
import math

import pytest
import torch

from gae_lib import losses
from gae_lib.nets import Classifier, Discriminator, Encoder, Generator
from gae_lib.priors import StandardGaussian, UniformCube, make_prior


def count(module):
    return sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize("channels", [1, 3])
def test_shapes_and_ranges(channels):
    torch.manual_seed(0)
    z = UniformCube(100).sample(5)
    x = Generator(100, channels)(z)
    assert x.shape == (5, channels, 28, 28) and x.abs().max() <= 1
    assert Discriminator(channels)(x).shape == (5,)
    code = Encoder(100, channels, "tanh")(x)
    assert code.shape == (5, 100) and code.abs().max() <= 1
    mean, log_var = Encoder(100, channels, "gaussian")(x)
    assert mean.shape == log_var.shape == (5, 100)
    assert Classifier(channels)(x).shape == (5, 10)
    assert Classifier(channels).features(x).shape == (5, 128)


def test_parameter_counts_pin_the_architectures():
    # A change here invalidates every shipped checkpoint: retrain the zoo.
    assert count(Generator()) == 855_809
    assert count(Discriminator()) == 392_833
    assert count(Encoder()) == 798_436
    assert count(Classifier()) == 421_642


def test_encoder_refuses_unknown_output():
    with pytest.raises(ValueError, match="encoder output must be one of"):
        Encoder(output="softmax")


def test_uniform_cube_prior():
    prior = UniformCube(7)
    z = prior.sample(10_000, generator=torch.Generator().manual_seed(0))
    assert z.min() >= -1 and z.max() <= 1 and abs(z.mean().item()) < 0.02
    assert torch.allclose(prior.log_density(z[:3]), torch.full((3,), -7 * math.log(2)))
    assert prior.log_density(torch.full((1, 7), 1.5)).item() == -math.inf


def test_standard_gaussian_prior_matches_torch_distributions():
    prior = StandardGaussian(4)
    z = prior.sample(6, generator=torch.Generator().manual_seed(0))
    reference = torch.distributions.Normal(0, 1).log_prob(z).sum(-1)
    assert torch.allclose(prior.log_density(z), reference, atol=1e-6)


def test_make_prior_refuses_unknown_kind():
    with pytest.raises(ValueError, match="unknown prior"):
        make_prior("laplace", 3)


def test_gan_losses_at_an_undecided_discriminator():
    zero = torch.zeros(8)
    assert losses.discriminator_loss(zero, zero).item() == pytest.approx(2 * math.log(2))
    assert losses.nonsaturating_generator_loss(zero).item() == pytest.approx(math.log(2))


def test_reconstruction_losses():
    x, y = torch.zeros(2, 1, 2, 2), torch.full((2, 1, 2, 2), 0.5)
    assert losses.reconstruction_mse(x, y).item() == pytest.approx(0.25)
    assert losses.reconstruction_l1(x, y).item() == pytest.approx(0.5)


def test_vae_negative_elbo():
    x = torch.zeros(3, 1, 2, 2)
    mean, log_var = torch.zeros(3, 5), torch.zeros(3, 5)
    assert losses.gaussian_kl(mean, log_var).abs().max() == 0  # posterior equals prior
    # 4 pixels each off by 0.3, sigma 0.3: 4 * 0.09 / (2 * 0.09) = 2 per image
    assert losses.vae_negative_elbo(x, x + 0.3, mean, log_var, 0.3).item() == pytest.approx(2.0)
    kl = losses.gaussian_kl(torch.ones(1, 2), torch.zeros(1, 2))  # 0.5 * sum(mean^2)
    assert kl.item() == pytest.approx(1.0)


def test_monte_carlo_kl_averages_to_the_closed_form():
    # For the standard Gaussian prior the one-sample estimate's mean over many draws is the
    # closed form (SE of the mean over 200,000 draws ~ 0.005 here).
    mean, log_var = torch.tensor([[1.0, -0.5]]), torch.tensor([[-1.0, 0.5]])
    g = torch.Generator().manual_seed(0)
    z = mean + torch.randn(200_000, 2, generator=g) * (0.5 * log_var).exp()
    estimate = losses.monte_carlo_kl(z, mean, log_var, make_prior("standard-gaussian", 2))
    assert estimate.mean().item() == pytest.approx(losses.gaussian_kl(mean, log_var).item(),
                                                   abs=0.03)
    # A narrow posterior on a mixture component's mean has a large KL; between petals, larger.
    mixture = make_prior("gaussian-mixture", 2)
    on_petal = losses.monte_carlo_kl(torch.tensor([[4.0, 0.0]]), torch.tensor([[4.0, 0.0]]),
                                     torch.full((1, 2), -4.0), mixture)
    between = losses.monte_carlo_kl(torch.tensor([[0.0, 0.0]]), torch.tensor([[0.0, 0.0]]),
                                    torch.full((1, 2), -4.0), mixture)
    assert between.item() > on_petal.item()


def test_gaussian_prior_with_a_scale_matches_torch_distributions():
    prior = make_prior("gaussian", 2, scale=5.0)
    z = prior.sample(20_000, generator=torch.Generator().manual_seed(0))
    assert abs(z.std().item() - 5.0) < 0.1
    reference = torch.distributions.Normal(0.0, 5.0).log_prob(z[:5]).sum(-1)
    assert torch.allclose(prior.log_density(z[:5]), reference, atol=1e-5)
    with pytest.raises(ValueError, match="scale > 0"):
        make_prior("gaussian", 2, scale=0.0)


def test_gaussian_mixture_density_matches_torch_and_integrates_to_one():
    prior = make_prior("gaussian-mixture", 2)
    angles = torch.arange(10, dtype=torch.float64) * (2 * math.pi / 10)
    direction = torch.stack([angles.cos(), angles.sin()], -1)
    normal = torch.stack([-angles.sin(), angles.cos()], -1)
    covariance = (prior.radial ** 2 * direction[:, :, None] * direction[:, None, :]
                  + prior.tangential ** 2 * normal[:, :, None] * normal[:, None, :])
    reference = torch.distributions.MixtureSameFamily(
        torch.distributions.Categorical(torch.full((10,), 0.1, dtype=torch.float64)),
        torch.distributions.MultivariateNormal(prior.radius * direction, covariance))
    z = prior.sample(500, generator=torch.Generator().manual_seed(1)).double()
    assert torch.allclose(prior.log_density(z), reference.log_prob(z), atol=1e-9)
    step = 0.05
    axis = torch.arange(-9, 9, step, dtype=torch.float64)
    grid = torch.stack(torch.meshgrid(axis, axis, indexing="ij"), -1)
    assert abs(prior.log_density(grid).exp().sum().item() * step ** 2 - 1) < 1e-3


def test_gaussian_mixture_samples_each_component_where_it_sits():
    prior = make_prior("gaussian-mixture", 2)
    rng = torch.Generator().manual_seed(2)
    for k in (0, 3, 7):
        z = prior.sample_component(k, 4000, generator=rng).double()
        angle = 2 * math.pi * k / 10
        radial = torch.tensor([math.cos(angle), math.sin(angle)], dtype=torch.float64)
        tangent = torch.tensor([-math.sin(angle), math.cos(angle)], dtype=torch.float64)
        assert torch.allclose(z.mean(0), prior.radius * radial, atol=0.06)
        assert abs((z @ radial).std().item() - prior.radial) < 0.05
        assert abs((z @ tangent).std().item() - prior.tangential) < 0.02
        assert prior.component_log_density(z).argmax(-1).eq(k).float().mean() > 0.99
    shares = prior.component_log_density(prior.sample(20_000, generator=rng)).argmax(-1)
    assert shares.bincount(minlength=10).min() > 1800        # each ~2000 of 20,000
    with pytest.raises(ValueError, match="0..9"):
        prior.sample_component(10, 3)
    with pytest.raises(ValueError, match="2-D prior"):
        make_prior("gaussian-mixture", 3)


def test_categorical_prior_gives_uniform_one_hot_codes():
    prior = make_prior("categorical", 16)
    z = prior.sample(16_000, generator=torch.Generator().manual_seed(3))
    assert set(z.unique().tolist()) == {0.0, 1.0} and z.sum(-1).eq(1).all()
    assert z.sum(0).min() > 850 and z.sum(0).max() < 1150   # each ~1000
    assert torch.allclose(prior.log_density(z[:4]), torch.full((4,), -math.log(16)))
    assert prior.log_density(torch.full((1, 16), 1 / 16)).item() == -math.inf
