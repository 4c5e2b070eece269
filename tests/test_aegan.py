"""lazarou2022's AEGAN and its two baselines on the same networks: which losses each trains,
that every trained network moves, and that the settings refuse nonsense."""
import pytest
import torch

from gae_lib.config import TrainConfig
from gae_lib.families import family_of
from gae_lib.families.aegan import AEGANSettings

EXPECTED = {  # family -> (networks, losses its step reports)
    "aegan": ({"generator", "encoder", "discriminator", "latent_discriminator"},
              {"d_x_loss", "d_z_loss", "adv_loss", "l1_x", "mse_z"}),
    "aegan-gan": ({"generator", "discriminator"}, {"d_x_loss", "adv_loss"}),
    "aegan-aae": ({"generator", "encoder", "latent_discriminator"},
                  {"d_z_loss", "adv_loss", "l1_x"}),
}


def tiny(family):
    cfg = TrainConfig("lazarou2022/test", family, prior="standard-gaussian", latent_dim=16,
                      batch_size=8, objective=AEGANSettings())
    fam = family_of(cfg)
    cfg = TrainConfig.from_dict(cfg.to_dict())   # the family's default networks and Adam
    torch.manual_seed(0)
    nets = fam.build(cfg)
    return cfg, fam, nets, fam.make_optimisers(cfg, nets)


@pytest.mark.parametrize("family", list(EXPECTED))
def test_each_variant_trains_its_own_networks_on_its_own_losses(family):
    cfg, fam, nets, opts = tiny(family)
    networks, reported = EXPECTED[family]
    assert set(nets) == networks == set(fam.trained)
    before = {k: [p.detach().clone() for p in net.parameters()] for k, net in nets.items()}
    x = torch.rand(8, 1, 28, 28) * 2 - 1
    out = fam.step(nets, opts, x, torch.zeros(8, dtype=torch.long), cfg, 0)
    assert set(out) == reported and all(torch.isfinite(torch.tensor(v)) for v in out.values())
    for k, net in nets.items():   # every trained network took a step
        assert any(not torch.equal(a, b) for a, b in zip(before[k], net.parameters())), k


def test_the_same_networks_and_adam_settings_in_all_three():
    cfgs = {f: tiny(f)[0] for f in EXPECTED}
    for f, cfg in cfgs.items():
        for role, spec in cfg.networks.items():
            assert spec == cfgs["aegan"].networks[role], (f, role)
            assert cfg.optimisers[role] == cfgs["aegan"].optimisers[role], (f, role)
    assert cfgs["aegan"].networks["generator"].norm == "layer"   # no BatchNorm (the paper's)
    assert cfgs["aegan"].optimisers["discriminator"].lr == 5e-4
    assert cfgs["aegan"].optimisers["generator"].lr == 2e-4


def test_gradient_norms_are_clipped_per_network():
    cfg, fam, nets, opts = tiny("aegan")
    from gae_lib.families.base import optimise

    loss = 1e6 * sum(p.sum() for p in nets["generator"].parameters())
    optimise(opts, ["generator"], loss, clip=1.0)
    norm = torch.nn.utils.get_total_norm([p.grad for p in nets["generator"].parameters()])
    assert norm == pytest.approx(1.0, rel=1e-3)


@pytest.mark.parametrize("bad, match", [
    (dict(real_target=0.05, fake_target=0.95), "fake_target < real_target"),
    (dict(image_reconstruction_weight=-1.0), ">= 0"),
])
def test_settings_refuse_nonsense(bad, match):
    with pytest.raises(ValueError, match=match):
        AEGANSettings(**bad)
