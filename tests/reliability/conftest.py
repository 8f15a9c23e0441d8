"""Reliability fixtures: small file systems to fill, or that refuse every write."""

import subprocess

import pytest


def _tmpfs(folder, options):
    """Mount a tmpfs on ``folder``, or skip the test where mounting is not allowed."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


@pytest.fixture
def small_disk(tmp_path):
    """A folder on a 64 KiB tmpfs (a full disk, made small)."""
    yield from _tmpfs(tmp_path / "small", "size=64k")


@pytest.fixture
def read_only_disk(tmp_path):
    """A folder on a read-only tmpfs (permission denied even to root)."""
    yield from _tmpfs(tmp_path / "ro", "ro,size=64k")
