"""topics.html in a real browser: Debian's headless chromium, network off, no CJK system font."""

import pytest

from browser import glyphs_differ_from_boxes, needs_chromium
from textmine.topics import Topics
from textmine.topics.page import SHOWN_DOCS, write_page

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def page(tmp_path_factory, sample_lines):
    documents = [line for line in sample_lines if line.strip()]
    model = Topics(k=6, seed=0).fit(documents)
    path = tmp_path_factory.mktemp("page") / "topics.html"
    write_page(model, path, documents)
    return path, model


def test_script_renders_every_topic_and_a_click_shows_its_documents(page, browser):
    path, model = page
    browser.open(path.as_uri() + "#topic-2")                          # an address can open a topic
    assert model.topics_[2]["label"] in browser.evaluate("document.querySelector('#detail h2').textContent")
    browser.open(path.as_uri())
    assert browser.evaluate("document.body.dataset.rendered") == str(model.n_topics_)
    assert browser.evaluate("document.querySelectorAll('li.doc').length") == 0   # nothing chosen yet
    browser.click(".topic:nth-child(3)")
    topic = model.topics_[int(browser.evaluate("document.querySelector('.topic.on').dataset.topic"))]
    assert browser.evaluate("document.querySelectorAll('#detail li.doc').length") == min(topic["size"], SHOWN_DOCS)
    assert topic["label"] in browser.evaluate("document.querySelector('#detail h2').textContent")


def test_the_chinese_shows_in_the_embedded_font_not_as_boxes(page, browser, tmp_path):
    path, _ = page
    shot, changed = glyphs_differ_from_boxes(browser, path, tmp_path)
    assert shot.std() > 0.02                                          # not blank
    # the same page drawn with the fallback (boxes for every Chinese character) differs in its text
    assert changed > 0.01
