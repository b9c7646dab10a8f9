"""The comparison page as a person uses it, in headless Chromium: columns, controls, keys, no script runs."""
from __future__ import annotations

import pytest

from sco_decl.compare.comparison import compare
from sco_decl.outputs.formats import render_comparison
from sco_decl.store.corpus import Corpus
from test_compare import PAYLOAD_SCRIPT, xss_corpus

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page_file(mco_root, tmp_path_factory, nlp):
    path = tmp_path_factory.mktemp("compare") / "compare-2014-2015.html"
    path.write_text(render_comparison(compare(Corpus.open(mco_root), "2014", "2015", nlp=nlp), "html"), "utf-8")
    return path


def _visible_rows(page, kind: str) -> int:
    return page.evaluate(f"""Array.from(document.querySelectorAll('tr.row.kind-{kind}'))
                             .filter(r => r.offsetParent !== null).length""")


def test_columns_line_up_and_no_console_errors(page, page_file):
    page.goto(page_file.as_uri())
    tops = page.evaluate("""Array.from(document.querySelectorAll('#comparison tbody tr')).map(r =>
        Array.from(r.querySelectorAll('td.side')).map(td => Math.round(td.getBoundingClientRect().top)))""")
    assert len(tops) > 40
    assert all(len(cells) == 2 and cells[0] == cells[1] for cells in tops)
    lefts = page.evaluate("""Array.from(document.querySelectorAll('#comparison td.right'))
                              .map(td => Math.round(td.getBoundingClientRect().left))""")
    assert len(set(lefts)) == 1, "the right column starts at the same x on every row"
    assert page.errors == []
    assert all(url.startswith("file:") for url in page.requests), "the page loads nothing from outside"


def test_only_changes_hides_same_rows_and_kind_filters(page, page_file):
    page.goto(page_file.as_uri())
    assert _visible_rows(page, "same") > 0
    page.click("text=Only changes")
    assert _visible_rows(page, "same") == 0
    assert _visible_rows(page, "changed") > 0
    page.click("#kind-filters input[data-kind=added]")
    assert _visible_rows(page, "added") == 0
    page.click("text=Only changes")
    assert _visible_rows(page, "same") > 0
    assert page.errors == []


def test_n_and_p_keys_move_between_changes(page, page_file):
    page.set_viewport_size({"width": 1200, "height": 700})
    page.goto(page_file.as_uri())
    order = page.evaluate("""Array.from(document.querySelectorAll('tr.row'))
        .filter(r => r.dataset.kind !== 'same' && !r.dataset.ghost).map(r => r.id)""")
    for expected in order[:4]:
        page.keyboard.press("n")
        current = page.evaluate("document.querySelector('tr.current').id")
        assert current == expected
    in_view = page.evaluate("""(() => { const r = document.querySelector('tr.current').getBoundingClientRect();
                                        return r.top >= 0 && r.top < window.innerHeight; })()""")
    assert in_view and page.evaluate("window.scrollY") > 0
    page.keyboard.press("p")
    assert page.evaluate("document.querySelector('tr.current').id") == order[2]
    page.click("#next-change")
    assert page.evaluate("document.querySelector('tr.current').id") == order[3]
    assert page.errors == []


def test_theme_toggle_and_moved_counterpart_links(page, page_file):
    page.goto(page_file.as_uri())
    underline = "getComputedStyle(document.querySelector('#comparison .theme-term')).borderBottomWidth"
    assert page.evaluate(underline) != "0px"
    page.click("#toggle-themes")
    assert page.evaluate(underline) == "0px"
    assert page.inner_text("#toggle-themes") == "Themes off"
    page.click("#toggle-themes")
    assert page.evaluate(underline) != "0px"
    ghosts = page.evaluate("Array.from(document.querySelectorAll('tr.ghost')).map(r => r.id)")
    assert ghosts
    page.click(f"a[href='#{ghosts[0]}']")
    assert page.evaluate("location.hash") == f"#{ghosts[0]}"
    back = page.evaluate(f"document.querySelector('#{ghosts[0]} a').getAttribute('href')")
    page.click(f"#{ghosts[0]} a")
    assert page.evaluate("location.hash") == back
    assert page.errors == []


def test_markup_in_a_text_is_shown_never_run(page, tmp_path, nlp):
    comparison = compare(xss_corpus(tmp_path / "texts"), "2020", "2021", nlp=nlp)
    path = tmp_path / "xss.html"
    path.write_text(render_comparison(comparison, "html"), "utf-8")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_timeout(200)
    assert dialogs == []
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert PAYLOAD_SCRIPT in page.inner_text("#comparison")
    assert "onerror=alert(2)>" in page.inner_text("#comparison")
    assert page.errors == []
