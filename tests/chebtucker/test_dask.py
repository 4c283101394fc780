"""ChebTucker evaluation and the direct sum on dask arrays of points (chunk-wise, lazy)."""

import numpy as np
import pytest

from specnum.chebtucker import ChebTucker, direct_potential

da = pytest.importorskip("dask.array")


@pytest.fixture(scope="module")
def gaussian():
    return ChebTucker.from_function(lambda x, y, z: np.exp(-(x * x + 2 * y * y + z * z)), ((-2, 2),) * 3, 24)


def test_values_and_gradient_chunkwise(gaussian):
    pts = np.random.default_rng(0).uniform(-2, 2, (3000, 3))
    lazy = da.from_array(pts, chunks=(700, 2))
    values = gaussian(lazy)
    grads = gaussian.gradient(lazy)
    assert isinstance(values, da.Array) and values.shape == (3000,)
    assert grads.shape == (3000, 3)
    np.testing.assert_array_equal(values.compute(), gaussian(pts))
    np.testing.assert_array_equal(grads.compute(), gaussian.gradient(pts))


def test_direct_potential_chunkwise():
    rng = np.random.default_rng(1)
    pos, q = rng.uniform(-1, 1, (40, 3)), rng.normal(size=40)
    targets = rng.uniform(-2, 2, (2, 500, 3))
    lazy = direct_potential(pos, q, da.from_array(targets, chunks=(1, 128, 3)))
    assert isinstance(lazy, da.Array) and lazy.shape == (2, 500)
    np.testing.assert_array_equal(lazy.compute(), direct_potential(pos, q, targets))


# ------------------------------------------------ particles as tasks: LocalCluster and "dask"
@pytest.fixture(scope="module")
def cluster_client():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def particles():
    rng = np.random.default_rng(7)
    pos = rng.uniform(-3, 3, (1200, 3))
    return pos, rng.choice([-1.0, 1.0], 1200)


def test_energy_forces_on_a_local_cluster_equal_serial(cluster_client, particles):
    """Chunks on 2 worker processes, tree-reduced source grids, broadcast ChebTucker: serial to 1e-12."""
    from specnum.chebtucker import coulomb_energy_forces, distributed

    pos, q = particles
    serial = coulomb_energy_forces(pos, q, r0=0.8, rtol=1e-8)
    old = distributed.CHUNK_PARTICLES
    distributed.CHUNK_PARTICLES = 300  # 4 chunks: a real tree and real halos
    try:
        dist = coulomb_energy_forces(pos, q, r0=0.8, rtol=1e-8, executor=cluster_client)
    finally:
        distributed.CHUNK_PARTICLES = old
    assert dist.long_range.ranks == serial.long_range.ranks
    assert abs(dist.energy - serial.energy) <= 1e-12 * abs(serial.energy)
    np.testing.assert_allclose(dist.potential, serial.potential, rtol=0, atol=1e-12 * np.max(np.abs(serial.potential)))
    np.testing.assert_allclose(dist.forces, serial.forces, rtol=0, atol=1e-12 * np.max(np.abs(serial.forces)))
    assert {"spread", "reduce", "compress", "long range", "short range"} <= set(dist.timings)


def test_total_potential_and_long_range_with_dask_executors(cluster_client, particles):
    from specnum.chebtucker import long_range_potential, total_potential

    pos, q = particles
    box = ((-3.2, 3.2),) * 3
    tgt = np.random.default_rng(8).uniform(-3.2, 3.2, (300, 3))
    serial = total_potential(pos, q, tgt, box, r0=0.8, rtol=1e-8)
    for executor in (cluster_client, "dask"):
        got = total_potential(pos, q, tgt, box, r0=0.8, rtol=1e-8, executor=executor)
        np.testing.assert_allclose(got, serial, rtol=0, atol=1e-12 * np.max(np.abs(serial)))
    lr = long_range_potential(pos, q, box, r0=0.8, rtol=1e-8)
    lr_d = long_range_potential(pos, q, box, r0=0.8, rtol=1e-8, executor="dask")
    np.testing.assert_allclose(lr_d(tgt), lr(tgt), rtol=0, atol=1e-12 * np.max(np.abs(lr(tgt))))
    with pytest.raises(TypeError, match="executor"):
        long_range_potential(pos, q, box, executor="spark")


def test_pair_chunks_with_one_sided_halos_count_every_pair_once():
    """Slabs of x-sorted particles, halos on the right: the chunk sums add up to the all-pairs sums.

    Reference: the brute-force cutoff sum over all pairs (broadcast numpy, self pair left
    out). Slabs about as wide as the cutoff, so each chunk's halo reaches into the next
    chunks and its halo contributions are a large part of the result; particles with equal
    x on both sides of a chunk boundary and coincident distinct particles are included.
    """
    pytest.importorskip("dask")
    from ref_chebtucker import short_range_naive

    from specnum.chebtucker import distributed
    from specnum.chebtucker.neighbours import short_pairs

    rng = np.random.default_rng(11)
    pos = rng.uniform(0.0, 1.0, (500, 3)) * [6.0, 2.0, 2.0]
    pos[100:110] = pos[:10]  # coincident distinct particles (no pair term for 1/r)
    pos[200:220, 0] = 3.0  # a sheet of equal x, split by a chunk boundary below
    q = rng.choice([-1.0, 1.0], 500)
    order, ps, qs = distributed._sorted(pos, q)
    r0, rc = 0.5, 1.3
    first = int(np.searchsorted(ps[:, 0], 3.0))  # the sheet is ps[first:first + 20]
    assert 100 < first < 360
    chunks = [(0, 90), (90, first + 10), (first + 10, 380), (380, 440), (440, 500)]
    vs, fs = distributed._pair_sums(distributed.runner("dask"), ps, qs, chunks, "newton", r0, 1.0, rc, 0.0)
    ref, mag = short_range_naive(ps, qs, ps, "newton", r0, 1.0, rc)
    assert np.all(np.abs(vs - ref) <= 64 * np.finfo(float).eps * mag)
    serial_v, serial_f = short_pairs(ps, qs, "newton", r0, 1.0, rc, 0.0)
    np.testing.assert_allclose(fs, serial_f, rtol=0, atol=1e-12 * np.max(np.abs(serial_f)))
    # the halo's share: what the first chunk adds to particles it does not own
    a, b = chunks[0]
    hi = distributed._right_halos(ps, chunks, rc)[0]
    v_halo = short_pairs(ps[a:hi], qs[a:hi], "newton", r0, 1.0, rc, 0.0, owned=b - a)[0][b - a:]
    assert hi > b + 20 and np.max(np.abs(v_halo)) > np.median(np.abs(ref))  # as large as a typical potential
