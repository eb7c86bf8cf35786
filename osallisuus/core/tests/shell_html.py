"""A small HTML reader for the shell's tests: the elements of a page with their attributes
and text, using only the standard library."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parents: list[Element] = field(default_factory=list, repr=False)
    text: str = ""

    def get(self, name: str, default: str = "") -> str:
        return self.attrs.get(name, default)

    def inside(self, tag: str) -> Element | None:
        return next((p for p in reversed(self.parents) if p.tag == tag), None)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.stack: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: (v if v is not None else "") for k, v in attrs}, parents=list(self.stack))
        self.elements.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, {k: (v if v is not None else "") for k, v in attrs}, list(self.stack)))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        for element in self.stack:
            element.text += data


def elements(html: str | bytes) -> list[Element]:
    """The page's elements in document order (the same objects for the same page)."""
    return _parse(html.decode() if isinstance(html, bytes) else html)


@lru_cache(maxsize=16)
def _parse(html: str) -> list[Element]:
    reader = _Reader()
    reader.feed(html)
    return reader.elements


def find(html: str | bytes, tag: str, **attrs: str) -> list[Element]:
    """Elements with this tag whose attributes equal the given ones (``class_`` for ``class``)."""
    wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
    return [e for e in elements(html) if e.tag == tag and all(e.attrs.get(k) == v for k, v in wanted.items())]


def one(html: str | bytes, tag: str, **attrs: str) -> Element:
    found = find(html, tag, **attrs)
    assert len(found) == 1, f"expected one <{tag} {attrs}>, found {len(found)}"
    return found[0]


def text(value: str) -> str:
    return " ".join(value.split())
