"""Stale numba kernels are dropped when the sources they inline change (musclesim._cache)."""

from __future__ import annotations

import shutil
from pathlib import Path

import musclesim
from musclesim._cache import KERNEL_SOURCES, STAMP_NAME, kernel_source_hash, refresh_stale_kernels


def _fake_package(tmp_path: Path) -> tuple[Path, Path]:
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    for name in KERNEL_SOURCES:
        (pkg / name).parent.mkdir(exist_ok=True)
        shutil.copy(Path(musclesim.__file__).parent / name, pkg / name)
    cache = pkg / "__pycache__"
    cache.mkdir()
    return pkg, cache


def test_kernels_are_kept_while_sources_are_unchanged_and_dropped_when_one_changes(tmp_path):
    pkg, cache = _fake_package(tmp_path)
    (cache / STAMP_NAME).write_text(kernel_source_hash(pkg) + "\n")
    (cache / "engine.run_kernel-1.py311.nbi").write_bytes(b"index")
    (cache / "engine.run_kernel-1.py311.1.nbc").write_bytes(b"code")
    assert refresh_stale_kernels(pkg, cache) is False
    assert len(list(cache.glob("*.nb?"))) == 2
    # Editing an inlined layer module (not the engine) must invalidate the engine's kernels.
    (pkg / "reflex.py").write_text((pkg / "reflex.py").read_text() + "\n# edited\n")
    assert refresh_stale_kernels(pkg, cache) is True
    assert list(cache.glob("*.nb?")) == []
    assert (cache / STAMP_NAME).read_text().strip() == kernel_source_hash(pkg)


def test_a_missing_stamp_counts_as_stale_and_a_read_only_tree_is_left_alone(tmp_path):
    pkg, cache = _fake_package(tmp_path)
    (cache / "engine.x.nbi").write_bytes(b"index")
    assert refresh_stale_kernels(pkg, cache) is True
    assert not (cache / "engine.x.nbi").exists()
    missing = tmp_path / "nowhere"
    assert refresh_stale_kernels(missing, missing / "__pycache__") is False


def test_kernels_cached_beside_the_engine_are_dropped_too(tmp_path):
    pkg, cache = _fake_package(tmp_path)
    (cache / STAMP_NAME).write_text(kernel_source_hash(pkg) + "\n")
    engine_cache = pkg / "engine" / "__pycache__"
    engine_cache.mkdir()
    (engine_cache / "fixed.run_kernel-1.py311.nbi").write_bytes(b"index")
    (pkg / "neuron.py").write_text((pkg / "neuron.py").read_text() + "\n# edited\n")
    assert refresh_stale_kernels(pkg, cache) is True
    assert list(engine_cache.glob("*.nb?")) == []
