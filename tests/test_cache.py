"""The compiled-kernel cache (issue 18 item 3): in the user's cache directory, keyed by
version and source, and a broken entry heals itself with one warning line."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import musclesim as ms
from musclesim import _cache
from musclesim.contraction import sr_leak_rate

PKG = Path(ms.__file__).parent
RUN = "import musclesim as ms; print(ms.simulate(ms.Scenario(duration_s=0.05)).force.size)"


def _run_child(cache_root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, _cache.CACHE_ENV: str(cache_root)}
    env.pop("NUMBA_CACHE_DIR", None)
    env["PYTHONPATH"] = os.pathsep.join([str(PKG.parent), env.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-c", RUN], env=env, capture_output=True, text=True,
                          timeout=600, check=True)  # fmt: skip


def test_kernels_are_cached_outside_the_package_in_a_folder_keyed_by_version_and_source():
    ms.simulate(ms.Scenario(duration_s=0.01))
    kdir = _cache.KERNEL_DIR
    assert kdir is not None
    assert kdir.name.startswith(f"{ms.__version__}-")
    assert kdir.name.endswith(_cache.kernel_source_hash()[:16])
    where = Path(sr_leak_rate._cache._cache_path)
    assert kdir in where.parents
    assert PKG.resolve() not in where.resolve().parents
    assert any(where.glob("contraction.sr_leak_rate-*.nbi"))


def test_editing_any_compiled_module_changes_the_kernel_folder(tmp_path):
    pkg = tmp_path / "musclesim"
    shutil.copytree(PKG, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    before = _cache.kernel_cache_dir(tmp_path, pkg)
    assert before == _cache.kernel_cache_dir(tmp_path, pkg)
    # reflex.py is inlined into the engine's kernels: editing it alone must change the key.
    (pkg / "reflex.py").write_text((pkg / "reflex.py").read_text() + "\n# edited\n")
    assert _cache.kernel_cache_dir(tmp_path, pkg) != before
    assert (pkg / "engine" / "fixed.py") in _cache.kernel_sources(pkg)
    assert (pkg / "plot.py") not in _cache.kernel_sources(pkg)  # no numba: not part of the key


def test_user_cache_root_follows_the_platform_convention(monkeypatch, tmp_path):
    monkeypatch.delenv(_cache.CACHE_ENV, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert _cache.user_cache_root() == tmp_path / "musclesim"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as the spec says
    assert _cache.user_cache_root() == Path.home() / ".cache" / "musclesim"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert _cache.user_cache_root() == Path.home() / "Library" / "Caches" / "musclesim"
    monkeypatch.setenv(_cache.CACHE_ENV, str(tmp_path / "mine"))
    assert _cache.user_cache_root() == tmp_path / "mine"


def test_unreadable_entries_are_removed_and_readable_ones_kept(tmp_path):
    ms.simulate(ms.Scenario(duration_s=0.01))
    kdir = tmp_path / "k"
    shutil.copytree(_cache.KERNEL_DIR, kdir)
    folder = kdir / "musclesim"
    index = next(folder.glob("contraction.sr_leak_rate-*.nbi"))
    index.write_bytes(index.read_bytes()[:20])  # truncated, as after a full disk
    data = next(folder.glob("contraction.max_attached_fraction-*.nbc"))
    data.write_bytes(b"not a pickle")
    n_before = len(list(kdir.rglob("*.nb?")))
    removed = _cache.remove_unreadable_entries(kdir)
    assert sorted(r.split("-")[0] for r in removed) == [
        "contraction.max_attached_fraction", "contraction.sr_leak_rate"]  # fmt: skip
    assert len(list(kdir.rglob("*.nb?"))) == n_before - 4
    assert _cache.remove_unreadable_entries(kdir) == []


def test_a_loading_failure_at_run_time_clears_the_cache_warns_once_and_retries(
    tmp_path, monkeypatch
):
    from numba.core import caching

    kdir = tmp_path / "kernels" / "x"
    kdir.mkdir(parents=True)
    (kdir / "stale.nbi").write_bytes(b"x")
    monkeypatch.setattr(_cache, "KERNEL_DIR", kdir)
    garbage = tmp_path / "garbage.nbi"
    garbage.write_bytes(b"\x80\x05garbage")
    calls = []

    def load():  # fails inside numba's cache code the first time, as a corrupt file does
        calls.append(1)
        if len(calls) == 1:
            fake = type("F", (), {"_index_path": str(garbage), "_version": "0"})()
            caching.IndexDataCacheFile._load_index(fake)
        return "ran"

    with pytest.warns(_cache.KernelCacheWarning, match="could not be read; removed"):
        assert _cache.call_healing(load) == "ran"
    assert len(calls) == 2
    assert list(kdir.iterdir()) == []
    with pytest.raises(ZeroDivisionError):  # any other error is not the cache's business
        _cache.call_healing(lambda: 1 / 0)


@pytest.mark.slow
def test_a_corrupt_cache_heals_itself_with_one_warning_line(tmp_path):
    ms.simulate(ms.Scenario(duration_s=0.01))
    kdir = tmp_path / "kernels" / _cache.KERNEL_DIR.name
    shutil.copytree(_cache.KERNEL_DIR, kdir)
    for f in sorted(kdir.rglob("*.nbi"))[::3]:  # every third index: garbage
        f.write_bytes(pickle.dumps("numba version") + b"\x00garbage")
    first = _run_child(tmp_path)
    assert first.stdout.strip() == "50"
    lines = [ln for ln in first.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, first.stderr
    assert "KernelCacheWarning" in lines[0] and "could not be read; removed" in lines[0]
    assert "Traceback" not in first.stderr
    second = _run_child(tmp_path)  # rebuilt: the next run is silent
    assert second.stdout.strip() == "50"
    assert second.stderr.strip() == ""
