"""The source text as HTML with each suggestion's span in a <mark>.

Spans may overlap (a meeting's sentence holds its chairs' names; two facts
may share words). HTML elements must nest, so a span that crosses another
is split: at every boundary the open marks are compared with the marks that
should be open, the ones that differ are closed innermost first and the
missing ones opened again. Outer (earlier, longer) spans are opened first,
so a span that contains another is never split. Each piece carries the
offsets it covers (``data-start``/``data-end``), so that the text of every
<mark> equals the source text between them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Span:
    """One stretch of text to highlight: ``key`` names the suggestion,
    ``primary`` is False for a later mention of the same fact."""

    start: int
    end: int
    key: int
    kind: str
    status: str = "pending"
    primary: bool = True
    label: str = ""


def spans_of(suggestions: Iterable) -> list[Span]:
    """Spans for suggestions: the stored span, and the other mentions a
    fact lists (a person named again later)."""
    out: list[Span] = []
    for s in suggestions:
        label = f"{s.get_kind_display()}: {s.label}"
        out.append(Span(s.span_start, s.span_end, s.pk, s.kind, s.status, True, label))
        for extra in (s.data or {}).get("spans") or []:
            try:
                start, end = int(extra[0]), int(extra[1])
            except (TypeError, ValueError, IndexError):
                continue
            if (start, end) != (s.span_start, s.span_end):
                out.append(Span(start, end, s.pk, s.kind, s.status, False, label))
    return out


def _open_tag(span: Span, start: int, end: int, first: bool) -> str:
    classes = f"fact fact-{span.kind} fact-{span.status}" + ("" if span.primary else " fact-again")
    ident = f' id="dk-{span.key}" tabindex="0"' if first and span.primary else ""
    return (
        f'<mark{ident} class="{classes}" data-suggestion="{span.key}" data-kind="{escape(span.kind)}"'
        f' data-start="{start}" data-end="{end}" title="{escape(span.label)}">'
    )


def highlight(text: str, spans: Iterable[Span]) -> SafeString:
    """``text`` escaped, with every span inside <mark> elements that nest.

    Spans outside the text or empty are dropped (the ingestion never stores
    them, but a hand-edited row must not break the page)."""
    n = len(text)
    items = sorted(
        (s for s in spans if 0 <= s.start < s.end <= n),
        key=lambda s: (s.start, -s.end, not s.primary, s.key),
    )
    if not items:
        return mark_safe(escape(text))
    order = {id(s): i for i, s in enumerate(items)}
    bounds = sorted({0, n, *(s.start for s in items), *(s.end for s in items)})
    out: list[str] = []
    stack: list[Span] = []  # marks open now, outermost first
    piece_start: dict[int, int] = {}  # id(span) -> where its open piece began
    started: set[int] = set()
    # Pieces are written as placeholders and filled when they close, since
    # the end offset of a piece is known only then.
    pending: dict[int, int] = {}  # id(span) -> index in ``out`` of its open tag
    active: list[Span] = []  # spans covering the current segment, a sweep over ``items``
    nxt = 0
    for a, b in zip(bounds, bounds[1:], strict=False):
        active = [s for s in active if s.end > a]
        while nxt < len(items) and items[nxt].start <= a:
            active.append(items[nxt])
            nxt += 1
        want = sorted(active, key=lambda s: order[id(s)])
        common = 0
        while common < len(stack) and common < len(want) and stack[common] is want[common]:
            common += 1
        for s in reversed(stack[common:]):
            out.append("</mark>")
            first = id(s) not in started
            started.add(id(s))
            out[pending.pop(id(s))] = _open_tag(s, piece_start.pop(id(s)), a, first)
        del stack[common:]
        for s in want[common:]:
            piece_start[id(s)] = a
            pending[id(s)] = len(out)
            out.append("")
            stack.append(s)
        out.append(escape(text[a:b]))
    for s in reversed(stack):
        out.append("</mark>")
        first = id(s) not in started
        started.add(id(s))
        out[pending.pop(id(s))] = _open_tag(s, piece_start.pop(id(s)), n, first)
    return mark_safe("".join(out))
