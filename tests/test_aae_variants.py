"""makhzani2016's AAE variants: the labelled subset, the categorical (semi-supervised,
clustering) and the supervised AAE's steps."""
import pytest
import torch

from gae_lib.config import TrainConfig
from gae_lib.data.labelled import balanced_indices
from gae_lib.families import family_of
from gae_lib.families.aae_categorical import CategoricalAAESettings, categories, split_code
from gae_lib.families.aae_supervised import decode


def test_a_label_draw_takes_the_same_number_of_each_class():
    labels = torch.arange(1000) % 10
    idx = balanced_indices(labels, 100, draw=0)
    assert torch.equal(torch.bincount(labels[idx]), torch.full((10,), 10))
    assert torch.equal(idx, balanced_indices(labels, 100, draw=0))
    assert not torch.equal(idx, balanced_indices(labels, 100, draw=1))
    with pytest.raises(ValueError, match="multiple of 10"):
        balanced_indices(labels, 105, draw=0)
    with pytest.raises(ValueError, match="class 3 has 0"):
        balanced_indices(labels.masked_fill(labels == 3, 4), 100, draw=0)


def tiny(family, objective, latent_dim):
    cfg = TrainConfig("makhzani2016/test", family, prior="standard-gaussian",
                      latent_dim=latent_dim, batch_size=32, objective=objective)
    fam = family_of(cfg)
    torch.manual_seed(0)
    nets = fam.build(cfg)
    return cfg, fam, nets, fam.make_optimisers(cfg, nets)


def test_the_semi_supervised_step_learns_its_labelled_examples(cache):
    cfg, fam, nets, opts = tiny("aae-categorical", CategoricalAAESettings(10, 100, 0), 5)
    from gae_lib.data.labelled import labelled_tensors

    xl, yl = labelled_tensors("mnist", 100, 0)
    before = (categories(nets["encoder"], xl, 10) == yl).float().mean()
    for i in range(40):
        nets["encoder"].train()
        losses = fam.step(nets, opts, xl[:32], yl[:32], cfg, i)
    assert set(losses) == {"mse", "d_loss", "e_adv_loss", "xent"}
    after = (categories(nets["encoder"], xl, 10) == yl).float().mean()
    assert before < 0.3 and after > 0.7, (before, after)
    logits, style = split_code(nets["encoder"], xl[:4], 10)
    assert logits.shape == (4, 10) and style.shape == (4, 5)


def test_clustering_has_no_supervised_phase_and_decodes_categorical_and_style():
    cfg, fam, nets, opts = tiny("aae-categorical", CategoricalAAESettings(16, 0), 3)
    x = torch.rand(32, 1, 28, 28) * 2 - 1
    assert set(fam.step(nets, opts, x, torch.zeros(32, dtype=torch.long), cfg, 0)) == {
        "mse", "d_loss", "e_adv_loss"}
    assert nets["generator"](torch.zeros(2, 19)).shape == (2, 1, 28, 28)
    assert categories(nets["encoder"], x, 16).max() < 16


def test_the_balance_term_is_zero_for_even_use_and_log_k_for_one_cluster():
    import math

    from gae_lib.families.aae_categorical import cluster_balance

    even = torch.eye(4).repeat(3, 1) * 30           # 12 images, each category 3 times, sharp
    one = torch.zeros(12, 4)
    one[:, 2] = 30
    assert cluster_balance(even).item() == pytest.approx(0, abs=1e-6)
    assert cluster_balance(one).item() == pytest.approx(math.log(4), abs=1e-6)
    soft = torch.zeros(12, 4, requires_grad=True)   # uniform softmax: balanced, no gradient
    cluster_balance(soft).backward()
    assert soft.grad.abs().max() < 1e-6


def test_the_supervised_decoder_sees_the_label():
    cfg, fam, nets, opts = tiny("aae-supervised", None, 15)
    x, y = torch.rand(32, 1, 28, 28) * 2 - 1, torch.arange(32) % 10
    assert set(fam.step(nets, opts, x, y, cfg, 0)) == {"mse", "d_loss", "e_adv_loss"}
    z = torch.zeros(2, 15)
    with torch.no_grad():
        a = decode(nets["generator"], torch.tensor([3, 3]), z)
        b = decode(nets["generator"], torch.tensor([3, 7]), z)
    assert torch.equal(a[0], b[0]) and not torch.equal(a[1], b[1])
