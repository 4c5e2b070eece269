"""gae_lib.aae_tasks: the measurements of the adversarial-autoencoder chapter."""
import pytest
import torch
from scipy.stats import norm

from gae_lib import aae_tasks
from gae_lib.nets import MLPGenerator


def test_percentile_codes_put_equal_prior_mass_in_each_cell():
    z = aae_tasks.gaussian_percentile_codes(4)
    assert z.shape == (16, 2)
    quantiles = norm.cdf(z.numpy())
    assert quantiles[:4, 0].tolist() == pytest.approx([0.125, 0.375, 0.625, 0.875], abs=1e-6)
    assert quantiles[0, 1] == pytest.approx(0.875, abs=1e-6)   # first row: the highest z2
    assert (z[:4, 1] == z[0, 1]).all() and (z[::4, 0] == z[0, 0]).all()


def test_nearest_neighbours_read_separated_classes_and_refuse_bad_k():
    g = torch.Generator().manual_seed(0)
    fit = torch.cat([torch.randn(50, 2, generator=g) * 0.1 + c for c in (0.0, 5.0)])
    fit_y = torch.arange(2).repeat_interleave(50)
    test = torch.tensor([[0.1, 0.0], [5.0, 4.9], [4.8, 5.2]])
    assert aae_tasks.nearest_neighbour_error(fit, fit_y, test, torch.tensor([0, 1, 1])) == 0
    assert aae_tasks.nearest_neighbour_error(fit, fit_y, test, torch.tensor([1, 1, 1])) == \
        pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="at most 100"):
        aae_tasks.nearest_neighbour_error(fit, fit_y, test, torch.tensor([0, 1, 1]), k=101)


def test_cluster_heads_and_members():
    torch.manual_seed(0)
    g = MLPGenerator(latent_dim=5 + 3, widths=(16,))
    heads = aae_tasks.cluster_heads(g, 5)
    assert heads.shape == (5, 1, 28, 28)

    class Encoder(torch.nn.Module):   # cluster = the image's first pixel, rounded
        def forward(self, x):
            k = x[:, 0, 0, 0].round().long()
            return torch.cat([torch.nn.functional.one_hot(k, 3).float() * 5, torch.zeros(
                len(x), 2)], 1)

    x = torch.zeros(7, 1, 28, 28)
    x[:, 0, 0, 0] = torch.tensor([0, 0, 1, 2, 2, 2, 0]).float()
    members = aae_tasks.cluster_members(Encoder(), x, 3, n=3)
    assert sorted(members[0].tolist()) == [0, 1, 6]
    assert members[1].tolist() == [2, -1, -1]      # fewer members than asked: padded


def test_style_rows_decode_each_style_with_every_label(cache):
    from gae_lib import data, zoo

    model = zoo.load("makhzani2016/supervised")
    x = data.tensors("mnist", "test", n=2)[0]
    rows = aae_tasks.style_rows(model["encoder"], model["generator"], x)
    assert rows.shape == (20, 1, 28, 28)
    assert not torch.equal(rows[0], rows[1]) and not torch.equal(rows[0], rows[10])


def test_the_supervised_only_network_learns_its_labelled_examples(cache):
    from gae_lib.data.labelled import labelled_tensors

    x, y = labelled_tensors("mnist", 100, 0)
    net = aae_tasks.supervised_only(100, 0, steps=60)
    assert aae_tasks.classification_error(net, x, y) < 0.05
    with pytest.raises(ValueError, match="steps"):
        aae_tasks.supervised_only(100, 0, steps=0)
