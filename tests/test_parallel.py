"""Chunks computed side by side give what they give one after another, in order."""
import torch

from gae_lib.parallel import map_chunks, workers_for


def test_map_chunks_keeps_order_and_restores_torch_threads():
    before = torch.get_num_threads()
    seen = []

    def square(x):
        seen.append(torch.get_num_threads())
        return x * x

    chunks = [torch.full((3,), float(i)) for i in range(7)]
    out = map_chunks(square, chunks, workers=2)
    assert all(torch.equal(o, c * c) for o, c in zip(out, chunks))
    assert torch.get_num_threads() == before
    assert set(seen) == {1}                                 # one torch thread per worker
    assert map_chunks(square, chunks, workers=1)[3].tolist() == [9.0] * 3


def test_one_worker_per_torch_thread_on_a_cpu_and_never_more_than_chunks():
    assert workers_for(1, torch.device("cpu")) == 1
    assert workers_for(100, torch.device("cpu")) == torch.get_num_threads()
    assert workers_for(100, torch.device("cuda")) == 1
