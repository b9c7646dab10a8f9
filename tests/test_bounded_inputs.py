"""Bounded inputs (issue 11.5): the size limit applies to what a document unpacks to, not to the file.

Every hostile file is built here, small on disk and large (or nasty) when unpacked; each must end in one
line naming the file, exit 1, nothing stored. The bombs are bounded (tens of MB at most when inflated) so a
regression fails instead of exhausting the machine.
"""
from __future__ import annotations

import io
import json
import re
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from pdfmaker import make_pdf
from sco_decl.cli import main
from sco_decl.ingest.documents import DocumentError, TooLargeError, read_docx, read_pdf

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                 b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
PARAGRAPH = "The Member States of the Meridian Cooperation Organization will meet again in Valmora."


def document_xml(body: str, prolog: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document xmlns:w="{W}"><w:body>{body}'
            "</w:body></w:document>").encode("utf-8")


def para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def make_docx(document: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def declare_size(data: bytes, member: str, size: int) -> bytes:
    """The zip with ``member``'s uncompressed size rewritten in its local header and the central directory
    (what a crafted file does: it can claim anything)."""
    out = bytearray(data)
    name = member.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := out.find(signature, start)) != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if out[name_at:name_at + len(name)] == name:
                out[start + offset:start + offset + 4] = struct.pack("<I", size)
            start += 4
    return bytes(out)


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    texts = tmp_path / "texts"
    result = CliRunner().invoke(main, ["--texts", str(texts), "new", "2017-ombrin", "--title", "Ombrin Statement",
                                       "--date", "2017-06-12", "--place", "Ombrin"])
    assert result.exit_code == 0, result.output
    return texts


def add(texts: Path, path: Path, *extra: str):
    return CliRunner().invoke(main, ["--texts", str(texts), "add", str(path), "--to", "2017-ombrin",
                                     "--edition", "copy", *extra])


def assert_refused(result, path: Path, pattern: str) -> None:
    """Exit 1, exactly one line, naming the file, no traceback, and nothing stored."""
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {path}: "), result.output
    assert "Traceback" not in result.output
    assert re.search(pattern, lines[0]), lines[0]
    assert not list(path.parent.glob("texts/2017-ombrin/copy/r*.txt"))


# ---------------------------------------------------------------- DOCX
def test_docx_made_by_python_docx_still_reads_with_tabs_breaks_and_tables(tmp_path):
    document = docx.Document()
    document.add_paragraph("Joint Statement of the MCO Ministers")
    run = document.add_paragraph().add_run("First line")
    run.add_break()
    run.add_text("second\tcolumn")
    document.add_table(rows=1, cols=2).cell(0, 1).text = "For the Kingdom of Brenmark"
    document.core_properties.title = "MCO statement"
    path = tmp_path / "ok.docx"
    document.save(path)
    result = read_docx(path.read_bytes(), "ok.docx")
    assert result.text == ("Joint Statement of the MCO Ministers\n\nFirst line\nsecond column\n\n"
                           "For the Kingdom of Brenmark\n")
    assert result.meta == {"format": "docx", "docx_title": "MCO statement"}


def test_docx_hiding_gigabytes_of_media_imports_its_text_only(tmp_path, corpus_dir):
    """The media entry claims 3 GB unpacked: it is never opened, the text is stored."""
    data = make_docx(document_xml(para(PARAGRAPH)), {"word/media/image1.png": b"\x89PNG" + b"\0" * 4096})
    path = tmp_path / "media.docx"
    path.write_bytes(declare_size(data, "word/media/image1.png", 3_000_000_000))
    assert zipfile.ZipFile(path).getinfo("word/media/image1.png").file_size == 3_000_000_000
    result = add(corpus_dir, path)
    assert result.exit_code == 0, result.output
    stored = (corpus_dir / "2017-ombrin" / "copy" / "r1.txt").read_text("utf-8")
    assert stored == PARAGRAPH + "\n"


def test_docx_whose_xml_declares_a_huge_size_is_refused_before_reading(tmp_path, corpus_dir):
    data = make_docx(document_xml(para(PARAGRAPH)))
    path = tmp_path / "declared.docx"
    path.write_bytes(declare_size(data, "word/document.xml", 2_000_000_000))
    assert_refused(add(corpus_dir, path), path, r"declares 2,000,000,000 bytes unpacked.*--max-size")


def test_docx_decompression_bomb_stops_at_the_xml_budget(tmp_path, corpus_dir):
    """20 MB of markup (50 KB zipped) against --max-size 100000: over the 4 MB XML budget."""
    filler = "<w:bookmarkStart/>" * (20 * 1024 * 1024 // 18)
    path = tmp_path / "bomb.docx"
    path.write_bytes(make_docx(document_xml(para(PARAGRAPH) + filler)))
    assert path.stat().st_size < 200_000
    assert_refused(add(corpus_dir, path, "--max-size", "100000"), path, r"declares 2[0-9,]+ bytes unpacked, over the limit of 4,194,304")


def test_docx_lying_about_its_size_is_stopped_while_streaming(tmp_path):
    """The entry says 100 bytes but inflates to megabytes: reading stops at the declared size and the
    checksum refuses it (a clean error, no hang, nothing inflated past the claim)."""
    data = make_docx(document_xml(para(PARAGRAPH) * 200_000))
    lying = declare_size(data, "word/document.xml", 100)
    with pytest.raises(DocumentError, match=r"^liar\.docx: cannot read this DOCX \(Bad CRC-32"):
        read_docx(lying, "liar.docx")


def test_docx_text_over_max_size_is_refused(tmp_path, corpus_dir):
    path = tmp_path / "long.docx"
    path.write_bytes(make_docx(document_xml(para(PARAGRAPH) * 2000)))
    assert path.stat().st_size < 20_000
    assert_refused(add(corpus_dir, path, "--max-size", "50000"), path,
                   r"its text is over the limit of 50,000 bytes; raise --max-size")


def test_docx_entity_bomb_is_refused(tmp_path, corpus_dir):
    laughs = '<!DOCTYPE w:document [<!ENTITY a "lol">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)) + "]>"
    path = tmp_path / "laughs.docx"
    path.write_bytes(make_docx(document_xml(para("&j;"), prolog=laughs)))
    assert_refused(add(corpus_dir, path), path, r"declares a DTD")


@pytest.mark.parametrize("body", [
    "<w:p><w:r><w:t>unclosed</w:r></w:p>",          # mismatched tags
    "<w:p><w:r><w:t>" + "<x>" * 50_000 + "deep",     # nesting far past libxml2's depth limit
])
def test_malformed_or_deeply_nested_docx_xml_is_one_line(tmp_path, corpus_dir, body):
    path = tmp_path / "broken.docx"
    path.write_bytes(make_docx(document_xml(body)))
    assert_refused(add(corpus_dir, path), path, r"malformed|not well-formed|[Dd]epth")


@pytest.mark.parametrize("data", [b"PK\x03\x04" + b"\0" * 40, make_docx(document_xml(para("x")))[:-30],
                                  make_docx(b"")])
def test_truncated_or_empty_docx_is_one_line(tmp_path, corpus_dir, data):
    path = tmp_path / "cut.docx"
    path.write_bytes(data)
    assert_refused(add(corpus_dir, path), path, r"DOCX|XML|malformed")


def test_docx_without_a_document_part_says_so(tmp_path, corpus_dir):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a word file")
    path = tmp_path / "notword.docx"
    path.write_bytes(out.getvalue())
    assert_refused(add(corpus_dir, path), path, r"not a Word document \(no word/document\.xml inside\)")


# ---------------------------------------------------------------- PDF
def pdf_with_stream(stream: bytes, dictionary: str) -> bytes:
    """A one-page PDF whose content stream is ``stream`` under the given stream dictionary entries."""
    template = make_pdf([["placeholder"]])
    start = template.index(b"4 0 obj")
    head = template[:start]
    objects = (b"4 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
               b"/Resources << /Font << /F1 3 0 R >> >> >>\nendobj\n"
               + b"5 0 obj\n<< /Length %d %s >>\nstream\n" % (len(stream), dictionary.encode())
               + stream + b"\nendstream\nendobj\n")
    body = head + objects
    offsets = [body.index(b"%d 0 obj" % n) for n in range(1, 6)]
    xref = len(body)
    body += b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return body + b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref


def test_pdf_whose_text_inflates_past_max_size_is_refused(tmp_path, corpus_dir):
    ops = b"BT /F1 10 Tf 12 TL 50 800 Td " + b"(The ministers met in Lisk and agreed.) Tj T* " * 20_000 + b"ET"
    path = tmp_path / "inflating.pdf"
    path.write_bytes(pdf_with_stream(zlib.compress(ops, 9), "/Filter /FlateDecode"))
    assert path.stat().st_size < 50_000
    assert_refused(add(corpus_dir, path, "--max-size", "100000"), path,
                   r"its text is over the limit of 100,000 bytes \(at page 1\)")


@pytest.mark.parametrize("stream,dictionary", [
    (b"\x00\x01garbage", "/Filter /NoSuchDecode"),                      # unknown filter
    (b"BT /F1 10 Tf " + b"[" * 20_000 + b"(x)" + b"]" * 20_000 + b" TJ ET", ""),  # deep nesting
    (b"x\x9c\xff\xff\xff\xff", "/Filter /FlateDecode"),                 # broken deflate data
])
def test_hostile_pdf_streams_are_one_line(tmp_path, corpus_dir, stream, dictionary):
    path = tmp_path / "hostile.pdf"
    path.write_bytes(pdf_with_stream(stream, dictionary))
    assert_refused(add(corpus_dir, path), path, r"PDF")


def test_pdf_object_nesting_is_one_line(tmp_path, corpus_dir):
    data = make_pdf([["The ministers met in Lisk."]])
    data = data.replace(b"/Type /Catalog", b"/Type /Catalog /Deep " + b"[" * 100_000 + b"]" * 100_000, 1)
    path = tmp_path / "nested.pdf"
    path.write_bytes(data)
    assert_refused(add(corpus_dir, path), path, r"cannot read this PDF")


def test_read_pdf_cap_is_keyword(tmp_path):
    ops = b"BT /F1 10 Tf 12 TL 50 800 Td " + b"(Valmora) Tj T* " * 500 + b"ET"
    data = pdf_with_stream(ops, "")
    assert read_pdf(data, "ok.pdf").text.count("Valmora") == 500
    with pytest.raises(TooLargeError, match=r"^small\.pdf: its text is over the limit of 1,000 bytes"):
        read_pdf(data, "small.pdf", max_bytes=1000)


# ---------------------------------------------------------------- raw pages kept by fetch
@pytest.mark.parametrize("content", ["{not json", "[]", json.dumps({"pages": "nope"}), "\udcff"])
def test_corrupt_raw_record_is_one_line(corpus_dir, content):
    raw = corpus_dir / "2017-ombrin" / "web" / "raw"
    raw.mkdir(parents=True)
    record = raw / "20250101T000000Z.json"
    record.write_bytes(content.encode("utf-8", "surrogateescape"))
    result = CliRunner().invoke(main, ["--texts", str(corpus_dir), "reextract", "2017-ombrin@web"])
    assert result.exit_code == 1, result.output
    assert result.output.count("\n") == 1 and str(record) in result.output and "Traceback" not in result.output


def test_gzip_bomb_in_raw_folder_is_one_line(corpus_dir):
    raw = corpus_dir / "2017-ombrin" / "web" / "raw"
    raw.mkdir(parents=True)
    body = raw / "page.html.gz"
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    with body.open("wb") as out:
        chunk = b" " * (1024 * 1024)
        for _ in range(70):
            out.write(compressor.compress(chunk))
        out.write(compressor.flush())
    assert body.stat().st_size < 1_000_000
    (raw / "20250101T000000Z.json").write_text(json.dumps({"pages": [{
        "url": "http://127.0.0.1/x", "final_url": "http://127.0.0.1/x", "status": 200, "headers": {},
        "retrieved": "2025-01-01T00:00:00Z", "body": body.name}]}), "utf-8")
    result = CliRunner().invoke(main, ["--texts", str(corpus_dir), "reextract", "2017-ombrin@web"])
    assert result.exit_code == 1, result.output
    assert "unpacks to more than 67,108,864 bytes" in result.output and result.output.count("\n") == 1


# ---------------------------------------------------------------- damaged bytes anywhere
from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from sco_decl.errors import InputError  # noqa: E402

_GOOD_DOCX = make_docx(document_xml(para(PARAGRAPH) * 3), {"docProps/core.xml": b"<x/>"})
_GOOD_PDF = make_pdf([["The ministers met in Lisk.", "They agreed to meet again in Valmora."]])


def _damage(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for position, value in edits:
        out[position % len(out)] = value
    return bytes(out)


_EDITS = st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), min_size=1, max_size=8)


@pytest.mark.parametrize("kind", ["docx", "pdf"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=_EDITS, cut=st.integers(0, 64))
def test_a_damaged_document_reads_or_fails_with_a_message_never_a_traceback(kind, edits, cut):
    good, read = {"docx": (_GOOD_DOCX, read_docx), "pdf": (_GOOD_PDF, read_pdf)}[kind]
    name = f"damaged.{kind}"
    try:
        read(_damage(good, edits)[: len(good) - cut], name)
    except InputError as exc:
        assert str(exc).startswith(f"{name}: ")
