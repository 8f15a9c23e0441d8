from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sanguo_sample.txt"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_lines() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").splitlines()
