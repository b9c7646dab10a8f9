"""Cost of reading a small DOCX that unpacks to a lot: python-docx (the old reader) against docxtext.

Builds DOCX files whose word/document.xml is N MB of ordinary paragraphs (a few hundred KB zipped), then
reads each in a fresh process with (a) the old reader (python-docx, then normalise), the baseline, and
(b) sco_decl.ingest.documents.read_docx at the default --max-size (5 MB of text): the 4 MB file is read,
the larger ones are refused. Prints wall time and
peak resident memory of each and the ratio to the baseline. Also times an ordinary 60-paragraph DOCX both
ways, to show the everyday path did not get slower.

Usage: python benchmarks/bench_bounded.py [--mb 4 40 80]
"""
from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PARAGRAPH = ("<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>The Member States of the Meridian Cooperation Organization "
             "will meet again in Valmora to review the transport plan.</w:t></w:r></w:p>")

# The reader before ca9c0f1 (python-docx, every part loaded, the whole tree built), then the same normalise.
BASELINE = """
import sys
sys.path.insert(0, sys.argv[2])
import docx
from docx.table import Table
from docx.text.paragraph import Paragraph
from sco_decl.ingest.normalise import normalise_text
blocks = []
for item in docx.Document(sys.argv[1]).iter_inner_content():
    if isinstance(item, Paragraph):
        blocks.append(item.text)
    elif isinstance(item, Table):
        blocks.extend(cell.text for row in item.rows for cell in row.cells)
print(len(normalise_text("\\n\\n".join(blocks))))
"""
OURS = """
import sys
sys.path.insert(0, sys.argv[2])
from sco_decl.ingest.documents import read_docx
from sco_decl.errors import InputError
try:
    print(len(read_docx(open(sys.argv[1], 'rb').read(), sys.argv[1]).text))
except InputError as exc:
    print('refused:', str(exc)[:90])
"""
MEASURE = "/usr/bin/time"


def make_docx(path: Path, paragraphs: int) -> None:
    body = PARAGRAPH * paragraphs
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxml'
                         'formats.org/package/2006/content-types"><Default Extension="xml" ContentType='
                         '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats'
                         '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
                         'formats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.'
                         'xml"/></Relationships>')
        archive.writestr("word/document.xml", xml)
    path.write_bytes(out.getvalue())


def run(script: str, path: Path) -> tuple[float, float, str]:
    """(seconds, peak MB, last output line) of the script in a fresh interpreter, via /usr/bin/time."""
    proc = subprocess.run([MEASURE, "-f", "%e %M", sys.executable, "-c", script, str(path), str(ROOT)],
                          capture_output=True, text=True)
    seconds, kb = proc.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kb) / 1024, (proc.stdout.strip().splitlines() or ["?"])[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, nargs="+", default=[4, 40, 80], help="unpacked XML sizes to try")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cases = [("ordinary (60 paragraphs)", 60)] + [(f"{mb} MB of XML", mb * 1024 * 1024 // len(PARAGRAPH))
                                                      for mb in args.mb]
        print(f"{'file':<26}{'zipped':>9}  {'python-docx s / MB':>20}  {'docxtext s / MB':>17}  {'time ratio':>10}"
              f"  {'memory ratio':>12}  result")
        for label, paragraphs in cases:
            path = Path(tmp) / "bench.docx"
            make_docx(path, paragraphs)
            base_s, base_mb, _ = run(BASELINE, path)
            ours_s, ours_mb, result = run(OURS, path)
            print(f"{label:<26}{path.stat().st_size / 1024:>7.0f}KB  {base_s:>9.2f} / {base_mb:>7.0f}  "
                  f"{ours_s:>7.2f} / {ours_mb:>6.0f}  {ours_s / max(base_s, 0.01):>10.2f}  "
                  f"{ours_mb / base_mb:>12.2f}  {result}")


if __name__ == "__main__":
    main()
