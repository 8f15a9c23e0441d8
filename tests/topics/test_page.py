"""topics.html in a real browser: Debian's headless chromium, network off, no CJK system font."""

import re
import shutil
import subprocess

import numpy as np
import pytest

from textmine.topics import Topics
from textmine.topics.page import write_page

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (apt-get install -y chromium)")
OFFLINE = ["--headless", "--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND"]


def _chromium(*args, cwd):
    return subprocess.run([CHROMIUM, *OFFLINE, *args], cwd=cwd, capture_output=True, text=True, timeout=120).stdout


def _screenshot(page, tmp_path, name):
    from matplotlib.image import imread

    _chromium(f"--screenshot={tmp_path / name}", "--window-size=1000,700", page.as_uri(), cwd=tmp_path)
    return imread(tmp_path / name)[..., :3]


@pytest.fixture(scope="module")
def page(tmp_path_factory, sample_lines):
    documents = [line for line in sample_lines if line.strip()]
    model = Topics(k=6, seed=0).fit(documents)
    path = tmp_path_factory.mktemp("page") / "topics.html"
    write_page(model, path, documents)
    return path, model


def test_script_renders_every_topic_and_a_click_shows_its_documents(page, tmp_path):
    path, model = page
    dom = _chromium("--dump-dom", path.as_uri() + "#topic-2", cwd=tmp_path)
    assert re.search(r'data-rendered="(\d+)"', dom).group(1) == str(model.n_topics_)
    assert len(re.findall(r'<li class="doc"', dom)) == min(model.topics_[2]["size"], 30)
    assert model.topics_[2]["label"] in dom


def test_the_chinese_shows_in_the_embedded_font_not_as_boxes(page, tmp_path):
    path, model = page
    shot = _screenshot(path, tmp_path, "page.png")
    assert shot.std() > 0.02                                          # not blank
    text = path.read_text(encoding="utf-8")
    without_font = tmp_path / "no_font.html"
    without_font.write_text(re.sub(r"@font-face\{[^}]*\}", "", text), encoding="utf-8")
    fallback = _screenshot(without_font, tmp_path, "fallback.png")
    # the same page drawn with the fallback (boxes for every Chinese character) differs in its text
    assert np.mean(np.any(shot != fallback, axis=2)) > 0.01
