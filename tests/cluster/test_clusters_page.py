"""clusters.html in a real browser: Debian's headless chromium, network off, no CJK system font."""

import re

import numpy as np
import pytest

from browser import glyphs_differ_from_boxes, needs_chromium
from textmine.cluster import InfomapClusterer
from textmine.cluster.report import write_page

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def page(tmp_path_factory, sample_lines):
    """Six blobs of vectors named by the sample's first 240 distinct Chinese characters."""
    names = list(dict.fromkeys(re.findall(r"[\u4e00-\u9fff]", "".join(sample_lines))))[:240]
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(6, 20))[np.arange(len(names)) % 6] + 0.25 * rng.normal(size=(len(names), 20))
    clusterer = InfomapClusterer(k=10, min_sim=0.5, seed=0).fit((names, vectors))
    path = tmp_path_factory.mktemp("page") / "clusters.html"
    write_page(clusterer, path)
    return path, clusterer


def test_every_module_is_a_row_and_the_chinese_shows_in_the_embedded_font(page, browser, tmp_path):
    path, clusterer = page
    shot, changed = glyphs_differ_from_boxes(browser, path, tmp_path)
    browser.open(path.as_uri())
    assert browser.evaluate("document.querySelectorAll('tr').length") == int(clusterer.labels_.max()) + 2
    first = browser.evaluate("document.querySelectorAll('tr')[1].cells[3].textContent").split()[:10]
    assert first == clusterer.modules()[0][:10]                      # module 0, biggest first
    assert shot.std() > 0.02                                          # not blank
    assert changed > 0.01                                             # glyphs, not the fallback's boxes
