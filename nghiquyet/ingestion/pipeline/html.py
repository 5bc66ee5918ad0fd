"""HTML pages to plain text through a real HTML parser (lexbor).

Block elements become line breaks, inline ones run on, so a sentence split
by <b> or <a> stays one sentence. Scripts, styles, navigation, footers and
boxes marked as related news, comments, sharing or ads are dropped here,
before the text-level furniture pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final, cast

from selectolax.lexbor import LexborHTMLParser, LexborNode

_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "nav",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "input",
    "textarea",
    "object",
    "embed",
    "canvas",
    "head",
)
_DROP_CLASS: Final = re.compile(
    r"(?:^|[\s_-])(?:menu|nav|navbar|footer|sidebar|breadcrumbs?|share|social|comments?|related|banner|"
    r"advert|ads|popup|modal|cookie|subscribe|tags?|most-?read|toolbar)(?:$|[\s_-])",
    re.IGNORECASE,
)
_BLOCK: Final = frozenset(
    "address article blockquote dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 header hr li main ol p pre "
    "section table tbody thead tfoot tr td th ul br caption center summary details body html".split()
)
_SPACES: Final = re.compile(r"[ \t\r\f\v\u00a0]+")


def extract_html(html: str) -> tuple[str, dict]:
    """Return the visible article text of ``html`` and hints (title, published)."""
    root, hints, h1 = _cleaned(html)
    if root is None:
        return "", hints
    lines = _lines_by_marks(root)
    if lines is None:
        # The page's own text holds the mark: read a fresh tree node by node.
        root = _cleaned(html)[0]
        lines = _lines_by_walk(root) if root is not None else []
    text = "\n".join(lines)
    if "title" in hints and h1 is None and hints["title"] and not text.startswith(hints["title"]):
        text = hints["title"] + "\n" + text
    return text, hints


def published_hint(tree: LexborHTMLParser) -> str | None:
    """The publication time the page's markup gives (article meta tags,
    ``<time datetime>``), as written, or None."""
    for sel, attr in (
        ('meta[property="article:published_time"]', "content"),
        ('meta[itemprop="datePublished"]', "content"),
        ('meta[name="pubdate"]', "content"),
        ("time[datetime]", "datetime"),
    ):
        found = tree.css_first(sel)
        if found is not None and found.attributes.get(attr):
            return found.attributes[attr]
    return None


def _cleaned(html: str) -> tuple[LexborNode | None, dict, LexborNode | None]:
    """Parse ``html``; return the body (or root) with scripts, navigation and
    boxes of furniture removed, the hints, and the first <h1>."""
    tree = LexborHTMLParser(html)
    hints: dict = {}
    # Every <h1> of the document, in order (what ``css("h1")`` finds, by a
    # walk over tag names instead of a selector query).
    h1s = tree.tags("h1")
    node = h1s[0] if h1s else None
    if node is not None:
        hints["title"] = " ".join(node.text().split())
    else:
        title_node = tree.css_first("title")
        if title_node is not None:
            hints["title"] = " ".join(title_node.text().split())
    published = published_hint(tree)
    if published:
        hints["published"] = published
    root = tree.body or tree.root
    if root is None:
        return None, hints, node
    # One C-level pass per tag over the document (only the body is read
    # below), instead of a Python object for every node found.
    tree.strip_tags(list(_DROP_TAGS), recursive=True)
    # The nodes that hold an <h1> (``n.css_first("h1")`` is not None: the
    # <h1>s and their ancestors), found once when first needed instead of a
    # selector query per box. Removing a box that holds no <h1> leaves them
    # as they are; an <h1> stripped above holds only itself (its links are
    # cut), and is no box found below.
    holds_h1: set[int] | None = None
    for n in root.css("[class], [id]"):
        attrs = n.attributes
        if _is_furniture(attrs.get("class") or "", attrs.get("id") or ""):
            if holds_h1 is None:
                holds_h1 = _holding(h1s)
            if n.mem_id not in holds_h1:
                n.decompose()
    return root, hints, node


def _holding(nodes: list[LexborNode]) -> set[int]:
    """``mem_id`` of ``nodes`` and of all their ancestors."""
    out: set[int] = set()
    for h in nodes:
        p: LexborNode | None = h
        while p is not None and p.mem_id not in out:
            out.add(p.mem_id)
            p = p.parent
    return out


# The words of _DROP_CLASS but "most-?read", which spans a separator.
_DROP_WORDS: Final = frozenset(
    "menu nav navbar footer sidebar breadcrumb breadcrumbs share social comment comments related banner "
    "advert ads popup modal cookie subscribe tag tags toolbar".split()
)


def _is_furniture(cls: str, ident: str) -> bool:
    """``_DROP_CLASS.search(f"{cls} {ident}")``: for ASCII names, whether a
    word between separators (blanks, "_", "-") is one of _DROP_WORDS. On
    ASCII, ignoring case is ``lower()`` and the blanks of ``\\s`` are those
    of ``split()``."""
    marker = f"{cls} {ident}"
    if not marker.isascii() or "most" in (low := marker.lower()):
        return _DROP_CLASS.search(marker) is not None
    return not _DROP_WORDS.isdisjoint(low.replace("_", " ").replace("-", " ").split())


def _for_str(method: Callable[[LexborNode, str], None]) -> Callable[[LexborNode, str], None]:
    """The version of a selectolax insertion method for a ``str`` argument.
    The methods are Cython fused functions, which pick their version by the
    argument's type on every call; indexing one by the type picks it once."""
    try:
        return cast(Callable[[LexborNode, str], None], method[str])  # type: ignore[index]
    except (TypeError, KeyError):
        return method


_INSERT_BEFORE: Final = _for_str(LexborNode.insert_before)
_INSERT_AFTER: Final = _for_str(LexborNode.insert_after)

# Marks a line break in the text of the tree: the parser never leaves a NUL
# in a text node, and any there would be seen (one mark too many).
_MARK: Final = "\x00"


def _lines_by_marks(root: LexborNode) -> list[str] | None:
    """What ``_lines_by_walk(root)`` returns, with the text gathered by
    lexbor: a mark before and after each block element and an image's alt
    text in its place, then one ``text()`` of the whole tree, cut at the
    marks. Returns None (and leaves the tree marked) when the page's text
    holds a mark itself."""
    marks = 0
    # The elements (and comments) in document order, the root first.
    elements = list(root.traverse())
    insert_before, insert_after = _INSERT_BEFORE, _INSERT_AFTER
    for i in range(1, len(elements)):
        n = elements[i]
        tag = n.tag
        if tag in _BLOCK:
            insert_before(n, _MARK)
            insert_after(n, _MARK)
            marks += 2
        elif tag == "img":
            alt = (n.attributes.get("alt") or "").strip()
            if alt:
                insert_before(n, " " + alt + " ")
    text = root.text()
    if text.count(_MARK) != marks:
        return None
    if "  " in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text or "\xa0" in text:
        text = _SPACES.sub(" ", text)
    return [line for line in map(str.strip, text.split(_MARK)) if line]


def _lines_by_walk(root: LexborNode) -> list[str]:
    """The lines of text under ``root``: a walk over every node, a block
    element ending the line before it and the one inside it."""
    lines: list[str] = []
    current: list[str] = []
    # Iterative walk: deep documents must not hit the recursion limit.
    stack = [(root, False)]
    while stack:
        n, closing = stack.pop()
        tag = n.tag or ""
        if closing:
            if tag in _BLOCK:
                _flush(current, lines)
            continue
        if tag == "-text":
            current.append(n.text_content or "")
            continue
        if tag == "img":
            alt = (n.attributes.get("alt") or "").strip()
            if alt:
                current.append(" " + alt + " ")
            continue
        if tag in _BLOCK:
            _flush(current, lines)
        stack.append((n, True))
        children = []
        c = n.child
        while c is not None:
            children.append(c)
            c = c.next
        for c in reversed(children):
            stack.append((c, False))
    _flush(current, lines)
    return lines


def _flush(current: list[str], lines: list[str]) -> None:
    if current:
        line = "".join(current)
        if "  " in line or "\t" in line or "\r" in line or "\f" in line or "\v" in line or "\xa0" in line:
            line = _SPACES.sub(" ", line)
        line = line.strip()
        if line:
            lines.append(line)
        current.clear()
