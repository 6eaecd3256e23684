#!/usr/bin/env python3
"""Counts a PDF edition's typesetting faults a proof-reader marks (issue #29).

    python3 bench/layout.py out/executive-group/executive-group.pdf [more.pdf ...]

For each PDF it prints, page by page, then in total:

- **one-word last lines**: a paragraph (or caption, or list item) of two lines or more whose
  last line is one word ("process."). Read from `pdftotext -layout`: a paragraph's lines
  share an indent, its first line may stand further left (its number), and it ends where the
  next line stands further left, a blank line follows, or the page ends. Lines of a table
  (columns apart by three spaces or more) are not paragraphs and are left out.
- **stranded headings**: a heading (a section's, an appendix's, a sub-section's "2.6 …", a
  case's, or a table's caption, which stands above its table) as the last line of a page's
  text, with at most footnotes under it.
- **pages under two-thirds full**: the largest blank band across the page's text area (top
  and bottom margins off, as in report.typ) is more than a third of its height: a page ending
  half-way, or text, a gap and then only footnotes. Measured on the page drawn in grey at
  30 dpi (`pdftoppm`), so charts count as content. The cover, the contents, the last page
  and a page before one that starts a section or appendix (a section must start a page) are
  listed apart as allowed.

Text set diagonally (a draft's DRAFT across the page) is left out (`-nodiag`).

Needs poppler's `pdftotext` and `pdftoppm`. Exit status 0 always: it measures, it does not
judge; the numbers go in the change's notes.
"""

import re
import subprocess
import sys
import tempfile
from pathlib import Path

# report.typ: A4, margins 2.9 cm top and 2.7 cm bottom.
PAGE_CM = 29.7
TOP_CM, BOTTOM_CM = 2.9, 2.7
DPI = 30
# A line a section or appendix heading starts with: such a page starts on a new page.
SECTION_START = re.compile(r"^(Section \d+|Appendix \d+)\b")
PAGE_NUMBER = re.compile(r"^\s*Page \d+ of \d+\s*$")
NUMBER = re.compile(r"^\d+(\.\d+)*\s+")
# Lines that head what follows them: section, appendix, sub-section ("2.6 Contextual"), a
# case's page heading, a table's caption (set above the table).
HEADING = re.compile(r"^(Section \d+:|Appendix \d+ –|\d+\.\d+ \S|Case \S+$|Table \d+:)")
FOOTNOTE = re.compile(r"^\d+ \S")


def pages_text(pdf):
    text = subprocess.run(
        ["pdftotext", "-layout", "-nodiag", str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout
    return text.split("\f")[: -1 or None]


def body_lines(page):
    """The page's lines without the running header (marking, title line) and footer."""
    lines = page.split("\n")
    # Header: the marking and the running title, whatever is above the first blank line.
    start = 0
    while start < len(lines) and lines[start].strip():
        start += 1
    end = len(lines)
    for i, line in enumerate(lines):
        if PAGE_NUMBER.match(line):
            end = i
            break
    return lines[start:end]


def indent(line):
    return len(line) - len(line.lstrip())


def is_table_row(line):
    text = NUMBER.sub("", line.strip(), count=1)
    return re.search(r"\S {3,}\S", text) is not None


def runts(lines):
    """The one-word last lines of paragraphs of two lines or more in `lines`."""
    found = []
    widest = max((len(l.rstrip()) for l in lines), default=0)
    for i, line in enumerate(lines):
        words = line.split()
        if len(words) != 1 or i == 0 or not lines[i - 1].strip():
            continue
        previous = lines[i - 1]
        # A continuation line: the line above is part of the same paragraph (same indent, or
        # further left where it carries the paragraph's number or bullet).
        if indent(previous) > indent(line) or is_table_row(previous):
            continue
        # Appendix 3's form: "Comments:" under the last option is a label, not a paragraph.
        if previous.strip()[:1] in ("○", "☐"):
            continue
        # ... and runs most of the way across (a label under a short line is no runt).
        if len(previous.rstrip()) < 0.6 * widest:
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        ends = not following.strip() or indent(following) < indent(line)
        if ends:
            found.append(words[0])
    return found


def stranded(lines):
    """The heading that ends the page's text (footnotes aside), if one does."""
    text = [l.strip() for l in lines if l.strip()]
    while text and FOOTNOTE.match(text[-1]) and not NUMBER.match(text[-1]).group(0).count("."):
        text.pop()
    # (a line of the contents, its dots leading to a page number, is no heading)
    if text and HEADING.match(text[-1]) and ". . ." not in text[-1]:
        return text[-1]
    return None


def blank_band(pdf, page, work):
    """The largest blank band across the text area of `page` (1-based), as a share of it."""
    stem = Path(work) / f"p{page}"
    subprocess.run(
        ["pdftoppm", "-gray", "-r", str(DPI), "-f", str(page), "-l", str(page),
         "-singlefile", str(pdf), str(stem)],
        check=True, capture_output=True,
    )
    data = (stem.with_suffix(".pgm")).read_bytes()
    # P5 header: magic, width, height, maxval, then one byte a pixel.
    fields = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    width, height = int(fields.group(1)), int(fields.group(2))
    pixels = data[fields.end():]
    top = round(height * TOP_CM / PAGE_CM)
    bottom = round(height * (PAGE_CM - BOTTOM_CM) / PAGE_CM)
    largest = run = 0
    for y in range(top, bottom):
        row = pixels[y * width:(y + 1) * width]
        if min(row) > 235:
            run += 1
            largest = max(largest, run)
        else:
            run = 0
    return largest / (bottom - top)


def check(pdf):
    pages = pages_text(pdf)
    total_runts, short, allowed, gaps, headings = 0, [], [], [], []
    with tempfile.TemporaryDirectory() as work:
        for number, page in enumerate(pages, start=1):
            lines = body_lines(page)
            # The cover's lines are a title and lines of a list, not paragraphs.
            found = runts(lines) if number > 1 else []
            if found:
                print(f"  p{number}: one-word last line: {', '.join(found)}")
            total_runts += len(found)
            heading = stranded(lines) if number > 2 else None
            if heading:
                print(f"  p{number}: stranded heading: {heading[:60]}")
                headings.append(number)
            if number <= 2:
                continue
            band = blank_band(pdf, number, work)
            if band > 0.2:
                gaps.append((number, band))
            if band <= 1 / 3:
                continue
            following = body_lines(pages[number]) if number < len(pages) else []
            first = next((l.strip() for l in following if l.strip()), "")
            full = 1 - band
            if number == len(pages) or SECTION_START.match(first):
                allowed.append((number, full))
            else:
                short.append((number, full))
                print(f"  p{number}: under two-thirds full ({full:.0%})")
    print(
        f"{pdf}: {len(pages)} pages, {total_runts} one-word last lines, "
        f"{len(headings)} stranded headings, "
        f"{len(short)} pages under two-thirds full"
        + (f" ({', '.join(f'p{n} {f:.0%}' for n, f in short)})" if short else "")
        + "; allowed before a section start or at the end: "
        + (", ".join(f"p{n} {f:.0%}" for n, f in allowed) or "none")
        + "; blank bands over a fifth of a page: "
        + (", ".join(f"p{n} {b:.0%}" for n, b in gaps) or "none")
    )
    return total_runts, len(headings), len(short)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for path in sys.argv[1:]:
        check(path)
