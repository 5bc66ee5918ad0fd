"""HTML pages to plain text through a real HTML parser (lexbor).

Block elements become line breaks, inline ones run on, so a sentence split
by <b> or <a> stays one sentence. Scripts, styles, navigation, footers and
boxes marked as related news, comments, sharing or ads are dropped here,
before the text-level furniture pass.
"""

from __future__ import annotations

import re
from typing import Final

from selectolax.lexbor import LexborHTMLParser

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
    tree = LexborHTMLParser(html)
    hints: dict = {}
    node = tree.css_first("h1")
    title_node = tree.css_first("title")
    if node is not None:
        hints["title"] = " ".join(node.text().split())
    elif title_node is not None:
        hints["title"] = " ".join(title_node.text().split())
    for sel, attr in (
        ('meta[property="article:published_time"]', "content"),
        ('meta[itemprop="datePublished"]', "content"),
        ('meta[name="pubdate"]', "content"),
        ("time[datetime]", "datetime"),
    ):
        found = tree.css_first(sel)
        if found is not None and found.attributes.get(attr):
            hints["published"] = found.attributes[attr]
            break
    root = tree.body or tree.root
    if root is None:
        return "", hints
    # One C-level pass per tag over the document (only the body is read
    # below), instead of a Python object for every node found.
    tree.strip_tags(list(_DROP_TAGS), recursive=True)
    for n in root.css("[class], [id]"):
        marker = f"{n.attributes.get('class') or ''} {n.attributes.get('id') or ''}"
        if _DROP_CLASS.search(marker) and n.css_first("h1") is None:
            n.decompose()
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
    text = "\n".join(lines)
    if "title" in hints and node is None and hints["title"] and not text.startswith(hints["title"]):
        text = hints["title"] + "\n" + text
    return text, hints


def _flush(current: list[str], lines: list[str]) -> None:
    if current:
        line = "".join(current)
        if "  " in line or "\t" in line or "\r" in line or "\f" in line or "\v" in line or "\xa0" in line:
            line = _SPACES.sub(" ", line)
        line = line.strip()
        if line:
            lines.append(line)
        current.clear()
