"""The fast inference copy of a generator computes the same function as the generator."""
import torch
from torch import nn

from gae_lib import zoo
from gae_lib.inference import FastGenerator, frozen_copy
from gae_lib.nets import Generator


def random_generator(latent_dim: int, channels: int) -> Generator:
    """A generator with non-trivial BatchNorm statistics and affine parameters."""
    torch.manual_seed(latent_dim + channels)
    g = Generator(latent_dim, channels)
    for m in g.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.normal_(0, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.data.normal_(1, 0.2)
            m.bias.data.normal_(0, 0.2)
    return g.eval()


def test_fast_copy_of_the_shipped_dcgan_decodes_what_it_decodes():
    g = zoo.load("favuzzi2019/dcgan").generator
    fast = frozen_copy(g)
    assert isinstance(fast, FastGenerator) and fast.latent_dim == 100
    z = torch.rand(64, 100, generator=torch.Generator().manual_seed(0)) * 2 - 1
    with torch.no_grad():
        # float round-off only: measured 2.6e-6 on images in [-1, 1]
        assert (fast(z) - g(z)).abs().max() < 1e-4


def test_fast_copy_matches_for_other_latent_sizes_and_channels_and_its_gradients_too():
    for latent_dim, channels in ((2, 1), (16, 3)):
        g = random_generator(latent_dim, channels)
        fast = frozen_copy(g)
        assert isinstance(fast, FastGenerator) and fast.channels == channels
        z = torch.randn(9, latent_dim, requires_grad=True)
        a, b = g(z), fast(z)
        assert (a - b).abs().max() < 1e-4
        ga, = torch.autograd.grad(a.pow(2).sum(), [z])
        gb, = torch.autograd.grad(b.pow(2).sum(), [z])
        assert torch.allclose(ga, gb, rtol=1e-3, atol=1e-4)


def test_fast_copy_matches_with_layer_norm_or_none_and_its_gradients_too():
    for norm in ("layer", "none"):
        torch.manual_seed(3)
        g = Generator(16, 1, norm=norm).eval()
        for m in g.modules():   # non-trivial affine parameters of the GroupNorms
            if isinstance(m, nn.GroupNorm):
                m.weight.data.normal_(1, 0.2), m.bias.data.normal_(0, 0.2)
        fast = frozen_copy(g)
        assert isinstance(fast, FastGenerator), norm
        z = torch.randn(9, 16, requires_grad=True)
        a, b = g(z), fast(z)
        assert (a - b).abs().max() < 1e-4, norm
        ga, = torch.autograd.grad(a.pow(2).sum(), [z])
        gb, = torch.autograd.grad(b.pow(2).sum(), [z])
        assert torch.allclose(ga, gb, rtol=1e-3, atol=1e-4), norm


def test_original_is_untouched_and_the_copy_is_frozen():
    g = random_generator(4, 1)
    before = {k: v.clone() for k, v in g.state_dict().items()}
    fast = frozen_copy(g)
    assert not any(p.requires_grad for p in fast.parameters())
    assert all(p.requires_grad for p in g.parameters())
    assert all(torch.equal(before[k], v) for k, v in g.state_dict().items())


def test_the_copy_runs_in_eval_mode_and_another_layout_gets_a_plain_copy():
    g = random_generator(4, 1).train()
    z = torch.randn(5, 4)
    fast = frozen_copy(g)
    assert g.training                                           # the original keeps its mode
    with torch.no_grad():
        assert (fast(z) - g.eval()(z)).abs().max() < 1e-4       # running statistics, as eval
    other = nn.Sequential(nn.Linear(3, 784), nn.Unflatten(1, (1, 28, 28)))
    other.latent_dim = 3
    copy = frozen_copy(other)
    assert not isinstance(copy, FastGenerator) and copy.latent_dim == 3
    z = torch.randn(2, 3)
    assert torch.allclose(copy(z), other(z))
