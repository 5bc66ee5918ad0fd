"""python-docx helpers for Party documents laid out per Hướng dẫn 36-HD/VPTW.

Times New Roman throughout, set on all four font slots of every run (ASCII,
high ANSI, East Asian, complex script): Word picks the East Asian or
complex slot for some Vietnamese characters and would otherwise substitute
the theme font there. A4, margins 20 mm top and bottom, 30 mm left, 15 mm
right; landscape appendix pages bound on the top edge.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .letterhead import Letterhead

FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 14
TABLE_PT = 12
NOTE_PT = 12

CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def set_run_font(run, size: float | None = None, *, bold=None, italic=None, underline=None) -> None:
    """Times New Roman in every font slot, and the given size and style."""
    run.font.name = FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    if size is not None:
        run.font.size = Pt(size)
        # The complex-script size too, or Word shows some runs at 10 pt.
        szcs = rpr.find(qn("w:szCs"))
        if szcs is None:
            szcs = OxmlElement("w:szCs")
            rpr.append(szcs)
        szcs.set(qn("w:val"), str(int(size * 2)))
    if bold is not None:
        run.font.bold = bold
    if italic is not None:
        run.font.italic = italic
    if underline is not None:
        run.font.underline = underline


def _set_style_font(style, size: float) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    # Vietnamese spell-checking, not English squiggles under every word.
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")


def new_document():
    """An empty A4 portrait document in Times New Roman 14 pt."""
    doc = new_docx()
    _set_style_font(doc.styles["Normal"], BODY_PT)
    pf = doc.styles["Normal"].paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    section = doc.sections[0]
    set_page(section, landscape=False)
    return doc


def set_page(section, *, landscape: bool) -> None:
    """A4, in the orientation asked, with the guidance's margins."""
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        # A landscape page is bound on its top edge: the wide margin moves there.
        section.top_margin, section.bottom_margin = Mm(25), Mm(15)
        section.left_margin, section.right_margin = Mm(20), Mm(20)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)


def add_landscape_section(doc):
    """Start a new page in landscape (the appendix)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    set_page(section, landscape=True)
    return section


def usable_width(section):
    return section.page_width - section.left_margin - section.right_margin


def paragraph(
    container,
    text: str = "",
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align=JUSTIFY,
    first_line_mm: float | None = None,
    space_before: float = 0,
    space_after: float = 6,
    keep_with_next: bool = False,
):
    """A paragraph with one run of text, or empty."""
    p = container.add_paragraph()
    p.alignment = align
    pf = p.paragraph_format
    pf.space_before = Pt(space_before)
    pf.space_after = Pt(space_after)
    if first_line_mm:
        pf.first_line_indent = Mm(first_line_mm)
    if keep_with_next:
        pf.keep_with_next = True
    if text:
        run = p.add_run(text)
        set_run_font(run, size, bold=bold, italic=italic, underline=underline)
    return p


def add_run(p, text: str, size: float = BODY_PT, **style):
    run = p.add_run(text)
    set_run_font(run, size, **style)
    return run


def body(container, text: str, **kw):
    """A body paragraph: justified, first line indented 10 mm, 6 pt after."""
    kw.setdefault("first_line_mm", 10)
    return paragraph(container, text, **kw)


def heading(container, text: str, **kw):
    """A section heading in the body: bold, indented like body text."""
    kw.setdefault("bold", True)
    kw.setdefault("first_line_mm", 10)
    kw.setdefault("space_before", 6)
    kw.setdefault("keep_with_next", True)
    return paragraph(container, text, **kw)


# -- tables ---------------------------------------------------------------------


def set_col_widths(table, widths) -> None:
    """Fixed column widths, written both to the grid (LibreOffice reads
    that) and to every cell (Word reads that)."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = tbl_pr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tbl_pr.append(layout)
    layout.set(qn("w:type"), "fixed")
    for i, w in enumerate(widths):
        table.columns[i].width = w
        for cell in table.columns[i].cells:
            cell.width = w


def repeat_header(row) -> None:
    """Mark a row to repeat at the top of each page the table runs onto."""
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def no_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def keep_row_with_next(row) -> None:
    """Keep a table row on the page of what follows it (a group's heading
    row with its first line, the last line with the summary under the
    table): Word and LibreOffice both read keep-with-next on every
    paragraph of the row."""
    for cell in row.cells:
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = True


def cell_text(
    cell,
    text: str,
    *,
    size: float = TABLE_PT,
    bold: bool = False,
    italic: bool = False,
    align=LEFT,
    valign=WD_CELL_VERTICAL_ALIGNMENT.CENTER,
) -> None:
    """Replace a cell's content by one paragraph of text."""
    cell.vertical_alignment = valign
    p = cell.paragraphs[0]
    for r in list(p.runs):
        r._element.getparent().remove(r._element)
    p.alignment = align
    p.paragraph_format.space_before = Pt(2)
    p.paragraph_format.space_after = Pt(2)
    for i, line in enumerate(text.split("\n")):
        run = p.add_run(line)
        set_run_font(run, size, bold=bold, italic=italic)
        if i < len(text.split("\n")) - 1:
            run.add_break()


def shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def grid_table(container, rows: int, cols: int):
    """A table with single borders on every cell (the appendix)."""
    table = container.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    return table


def plain_table(container, rows: int, cols: int):
    """A table with no borders (the header blocks, the signature block)."""
    table = container.add_table(rows=rows, cols=cols)
    # No style: python-docx's default "Normal Table" has no borders.
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    return table


def _cell_lines(cell, lines, first=True) -> None:
    """Fill a cell with centred lines: (text, size, bold, italic, underline)."""
    for i, (text, size, bold, italic, underline) in enumerate(lines):
        p = cell.paragraphs[0] if i == 0 and first else cell.add_paragraph()
        p.alignment = CENTER
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.space_before = Pt(0)
        if text:
            add_run(p, text, size, bold=bold, italic=italic, underline=underline)


# -- the header of a Party document ---------------------------------------------


@dataclass
class HeaderText:
    """What the header says, for the tests and the PDF text check."""

    left: list[str]
    right: list[str]


def party_header(doc, head: Letterhead, kind_abbr: str, place_date: str) -> HeaderText:
    """The two-column borderless header of Hướng dẫn 36: the superior body,
    the issuing body (bold) and a star, then the sign on the left; "ĐẢNG
    CỘNG SẢN VIỆT NAM" (bold, underlined) then place and date (italic) on
    the right."""
    section = doc.sections[-1]
    width = usable_width(section)
    table = plain_table(doc, 1, 2)
    set_col_widths(table, [int(width * 0.45), width - int(width * 0.45)])
    left, right = table.rows[0].cells
    left_lines = []
    if head.superior:
        left_lines.append((head.superior, HEADER_PT, False, False, False))
    left_lines += [
        (head.issuer, HEADER_PT, True, False, False),
        ("*", HEADER_PT, False, False, False),
        (head.sign(kind_abbr), HEADER_PT, False, False, False),
    ]
    _cell_lines(left, left_lines)
    # The date sits on the line of the sign, as the guidance lays it out.
    right_lines = (
        [("ĐẢNG CỘNG SẢN VIỆT NAM", HEADER_PT + 1, True, False, True)]
        + [("", HEADER_PT, False, False, False)] * (len(left_lines) - 2)
        + [(place_date, HEADER_PT, False, True, False)]
    )
    _cell_lines(right, right_lines)
    return HeaderText(left=[t for t, *_ in left_lines], right=[t for t, *_ in right_lines if t])


def page_numbers(section) -> None:
    """Page numbers top centre from the second page (first page: none)."""
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.alignment = CENTER
    run = p.add_run()
    set_run_font(run, BODY_PT)
    for tag, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if tag:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), tag)
            run._element.append(fld)
        else:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)


def signature_block(
    doc, head: Letterhead, recipients: list[str], *, title: str = "BÍ THƯ", authority: str | None = None
) -> None:
    """The recipients ("Nơi nhận:") on the left, the signing authority on the
    right ("T/M BAN THƯỜNG VỤ" over "BÍ THƯ" unless told), as a borderless table."""
    section = doc.sections[-1]
    width = usable_width(section)
    table = plain_table(doc, 1, 2)
    set_col_widths(table, [int(width * 0.5), width - int(width * 0.5)])
    left, right = table.rows[0].cells
    p = left.paragraphs[0]
    p.paragraph_format.space_before = Pt(12)
    add_run(p, "Nơi nhận:", BODY_PT, bold=False, underline=True)
    for item in recipients:
        q = left.add_paragraph()
        q.paragraph_format.space_after = Pt(0)
        add_run(q, f"- {item}", NOTE_PT)
    lines = []
    if authority is None and head.signing_body:
        authority = f"T/M {head.signing_body}"
    if authority:
        lines.append((authority, BODY_PT, True, False, False))
    lines += [
        (title, BODY_PT, True, False, False),
        ("", BODY_PT, False, False, False),
        ("", BODY_PT, False, False, False),
        ("", BODY_PT, False, False, False),
        ("", BODY_PT, False, False, False),
        ("……………………………", BODY_PT, True, False, False),
    ]
    _cell_lines(right, lines)
    right.paragraphs[0].paragraph_format.space_before = Pt(12)


def to_bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
