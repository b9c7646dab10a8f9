"""The store keeps every revision readable, verified and unchanged, whatever is added after it."""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sco_decl.errors import (AmbiguousReferenceError, CatalogError, DuplicateError, InputError,
                             InvalidNameError, NoTextError, NotFoundError, StoreError)
from sco_decl.store.model import EditionInfo
from sco_decl.store.corpus import Corpus
from sco_decl.store.files import sha256_text


def make(root: Path) -> Corpus:
    corpus = Corpus.open(root)
    corpus.new_declaration("2011-port-alder", title="Founding Declaration", date="2011-06-14", place="Port Alder")
    corpus.new_declaration("2012-kestrel", title="Kestrel Declaration", date=dt.date(2012, 6, 7), place="Kestrel",
                           editions=[EditionInfo("secretariat"), EditionInfo("wire")])
    return corpus


def test_add_then_same_text_is_unchanged_and_new_text_is_next_revision(tmp_path):
    corpus = make(tmp_path)
    first = corpus.add("2011-port-alder", "secretariat", "One.\r\nTwo.\n", source="a.txt")
    assert (first.status, first.revision.number) == ("new", 1)
    assert corpus.read_text(first.revision) == "One.\nTwo.\n"
    assert first.revision.sha256 == sha256_text("One.\nTwo.\n")
    again = corpus.add("2011-port-alder", "secretariat", "One.\nTwo.\n", source="b.txt")
    assert again.status == "unchanged" and again.revision.number == 1
    second = corpus.add("2011-port-alder", "secretariat", "One.\nThree.\n", source="c.txt", note="fixed")
    assert second.revision.number == 2 and second.revision.note == "fixed"
    assert corpus.read_text(corpus.resolve("2011@secretariat:r1")) == "One.\nTwo.\n"
    back = corpus.add("2011-port-alder", "secretariat", "One.\nTwo.\n", source="d.txt")
    assert back.revision.number == 3 and back.revision.meta["same_text_as"] == "r1"


def test_first_added_edition_becomes_default_unless_catalog_names_one(tmp_path):
    corpus = make(tmp_path)
    corpus.add("2011-port-alder", "wire", "Wire text.", source="w")
    corpus.add("2011-port-alder", "secretariat", "Secretariat text.", source="s")
    assert corpus.declaration("2011-port-alder").default_edition == "wire"
    assert corpus.resolve("2011").edition == "wire"
    corpus.add("2012-kestrel", "wire", "Wire text.", source="w")
    assert corpus.resolve("2012").edition == "wire"  # the catalog's default has no text yet
    corpus.add("2012-kestrel", "secretariat", "Secretariat text.", source="s")
    assert corpus.resolve("2012").edition == "secretariat"


def test_references(tmp_path):
    corpus = make(tmp_path)
    rev = corpus.add("2012-kestrel", "wire", "Text.", source="w").revision
    for ref in ("2012", "2012-kestrel", "2012-kes", "2012@wire", "2012@wire:r1", rev.sha256[:8],
                f"sha256:{rev.sha256[:10]}", rev.sha256):
        assert corpus.resolve(ref) == rev, ref
    with pytest.raises(NoTextError, match="2011-port-alder has no text yet: run `sco-decl fetch 2011-port-alder`"):
        corpus.resolve("2011")
    with pytest.raises(NotFoundError, match="known: 2011-port-alder, 2012-kestrel"):
        corpus.resolve("1999")
    with pytest.raises(NotFoundError, match="has no revision r5; it has r1"):
        corpus.resolve("2012@wire:r5")
    with pytest.raises(NoTextError, match="2012-kestrel@secretariat has no text"):
        corpus.resolve("2012@secretariat")
    corpus.new_declaration("2012-lisk", title="Extraordinary", date="2012-11-02", place="Lisk")
    with pytest.raises(AmbiguousReferenceError, match="2012-kestrel, 2012-lisk"):
        corpus.resolve("2012")


def test_bad_names_and_duplicates(tmp_path):
    corpus = make(tmp_path)
    with pytest.raises(InvalidNameError):
        corpus.new_declaration("../x", title="t", date="2011-01-01", place="p")
    with pytest.raises(InvalidNameError):
        corpus.add("2011-port-alder", "../evil", "text", source="s")
    with pytest.raises(DuplicateError):
        corpus.new_declaration("2011-port-alder", title="t", date="2011-01-01", place="p")
    with pytest.raises(CatalogError, match="YYYY-MM-DD"):
        corpus.new_declaration("2013-x", title="t", date="13/05/2013", place="p")
    with pytest.raises(InputError, match="empty"):
        corpus.add("2011-port-alder", "secretariat", " \n\n", source="s")
    assert not (tmp_path / "2013-x").exists()
    assert not (tmp_path / "2011-port-alder" / "secretariat").exists()


def test_malformed_catalog_names_file_and_line(tmp_path):
    corpus = make(tmp_path)
    path = tmp_path / "2011-port-alder" / "declaration.toml"
    path.write_text('id = "2011-port-alder"\ntitle = "x"\ndate = \n')
    # the others are still listed; the broken one is named with file and line, and check fails on it
    assert [d.id for d in corpus.declarations()] == ["2012-kestrel"]
    assert "declaration.toml:3: malformed TOML" in corpus.skipped[path]
    with pytest.raises(CatalogError, match=r"declaration.toml:3: malformed TOML"):
        corpus.declaration("2011-port-alder")
    assert [(p.kind, p.path) for p in corpus.check()] == [("corrupt", path)]


def test_check_reports_modified_missing_and_orphan_files(tmp_path):
    corpus = make(tmp_path)
    r1 = corpus.add("2011-port-alder", "secretariat", "One.", source="s").revision
    r2 = corpus.add("2012-kestrel", "wire", "Two.", source="s").revision
    assert corpus.check() == []
    r1.path.write_text("One, edited by hand.")
    r2.path.unlink()
    (r2.path.parent / "r7.txt").write_text("interrupted write")
    found = {(p.kind, p.path.name) for p in corpus.check()}
    assert found == {("modified", "r1.txt"), ("missing", "r1.txt"), ("orphan", "r7.txt")}
    with pytest.raises(StoreError, match="changed after it was stored"):
        corpus.read_text(r1)
    # an orphan never gets overwritten: the next revision skips its number
    assert corpus.add("2012-kestrel", "wire", "Three.", source="s").revision.number == 8


def test_texts_present_in_date_order(tmp_path):
    corpus = make(tmp_path)
    corpus.add("2012-kestrel", "wire", "B.", source="s")
    corpus.add("2011-port-alder", "secretariat", "A.", source="s")
    assert [r.declaration for r in corpus.texts_present()] == ["2011-port-alder", "2012-kestrel"]


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                min_size=1, max_size=300).filter(lambda t: t.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(texts, min_size=1, max_size=6))
def test_any_sequence_of_adds_keeps_every_revision_readable_and_verified(sequence):
    with tempfile.TemporaryDirectory() as tmp:
        corpus = make(Path(tmp))
        stored: list[tuple[str, str]] = []
        for text in sequence:
            result = corpus.add("2011-port-alder", "secretariat", text, source="prop")
            expected = text.replace("\r\n", "\n").replace("\r", "\n")
            assert corpus.read_text(result.revision) == expected
            if result.status == "new":
                stored.append((result.revision.ref, expected))
        for ref, expected in stored:
            assert corpus.read_text(corpus.resolve(ref)) == expected
        assert corpus.check() == []


def _add_many(root: str, worker: int) -> list[int]:
    corpus = Corpus.open(root)
    return [corpus.add("2011-port-alder", "secretariat", f"Text {worker}-{i}.\n", source=f"w{worker}").revision.number
            for i in range(5)]


def test_concurrent_writers_never_share_or_lose_a_revision(tmp_path):
    """Four processes adding at once: the lock gives every text its own revision, all verified."""
    from concurrent.futures import ProcessPoolExecutor

    make(tmp_path)
    with ProcessPoolExecutor(max_workers=4) as pool:
        numbers = [n for got in pool.map(_add_many, [str(tmp_path)] * 4, range(4)) for n in got]
    assert sorted(numbers) == list(range(1, 21))
    corpus = Corpus.open(tmp_path)
    texts = {corpus.read_text(r) for r in corpus.revisions("2011-port-alder", "secretariat")}
    assert texts == {f"Text {w}-{i}.\n" for w in range(4) for i in range(5)}
    assert corpus.check() == []
