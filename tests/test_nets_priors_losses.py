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
