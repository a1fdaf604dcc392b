"""NITF 3.x and IPTC NewsML-G2 news items -> RawArticle fields.

Namespace-agnostic (matches on local names), so NITF with or without its namespace and G2 items
from different vendors read alike. The parser resolves no entities, loads no DTD and touches no
network: a hostile file can neither read local files nor blow up memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree

from newswire.ingest.pipeline import Candidate

__all__ = ["read_xml"]

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_BLOCKS = frozenset(("p", "h1", "h2", "h3", "h4", "li", "block", "pre"))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )


def _local(el: Any) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _find(el: Any, *path: str) -> Any | None:
    """First descendant reached by the local names in `path` (each step searches all depths)."""
    for name in path:
        el = next((d for d in el.iter() if d is not el and _local(d) == name), None)
        if el is None:
            return None
    return el


def _text(el: Any | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def _paragraphs(el: Any | None) -> str:
    if el is None:
        return ""
    paras = [" ".join("".join(p.itertext()).split()) for p in el.iter() if _local(p) in _BLOCKS]
    paras = [p for p in paras if p]
    return "\n".join(paras) if paras else _text(el)


def read_xml(data: bytes, origin: str) -> Iterator[Candidate]:
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as e:
        yield Candidate(origin, None, raw=data[:65536], error=f"malformed XML: {e}")
        return
    etree.strip_elements(root, etree.Entity, with_tail=False)  # unresolved &refs; are not text
    kind = _local(root)
    if kind == "nitf":
        yield _nitf(root, origin, data)
    elif kind in ("newsMessage", "newsItem"):
        items = [root] if kind == "newsItem" else [el for el in root.iter() if _local(el) == "newsItem"]
        if not items:
            yield Candidate(origin, None, raw=data[:65536], error="NewsML-G2 message without a newsItem")
        for n, item in enumerate(items, start=1):
            yield _g2(item, origin, data, n if len(items) > 1 else None)
    else:
        yield Candidate(
            origin,
            None,
            raw=data[:65536],
            error=f"unknown XML document <{kind}> (expected NITF or NewsML-G2)",
        )


def _drop_empty(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v not in (None, "")}


def _nitf(root: Any, origin: str, data: bytes) -> Candidate:
    head, body = _find(root, "head"), _find(root, "body")
    date = _find(root, "date.issue")
    published = (date.get("norm") if date is not None else None) or _attr(root, "pubdata", "date.publication")
    source = _attr(root, "doc.copyright", "holder") or _attr(root, "pubdata", "name") or "nitf"
    city = _text(_find(body, "dateline", "location", "city")) if body is not None else ""
    fields = {
        "source": source,
        "title": (_text(_find(body, "hedline", "hl1")) if body is not None else "")
        or (_text(_find(head, "title")) if head is not None else ""),
        "body": _paragraphs(_find(body, "body.content")) if body is not None else "",
        "published_at": published,
        "language": root.get(_XML_LANG) or (body.get(_XML_LANG) if body is not None else None),
        "dateline": city or None,
        "agency": _text(_find(body, "distributor")) if body is not None and city else None,
    }
    return Candidate(origin, _drop_empty(fields), raw=data[:65536])


def _g2(item: Any, origin: str, data: bytes, n: int | None) -> Candidate:
    provider = _find(item, "itemMeta", "provider")
    published = (
        _text(_find(item, "firstCreated"))
        or _text(_find(item, "contentCreated"))
        or _text(_find(item, "versionCreated"))
    )
    body = _find(item, "contentSet", "inlineXML")
    if body is None:
        body = _find(item, "contentSet", "inlineData")
    located = _find(item, "contentMeta", "located", "name")
    language = _find(item, "contentMeta", "language")
    fields = {
        "source": (provider.get("literal") or provider.get("qcode") or _text(provider))
        if provider is not None
        else "newsml",
        "title": _text(_find(item, "contentMeta", "headline")),
        "body": _paragraphs(body),
        "published_at": published or None,
        "language": item.get(_XML_LANG) or (language.get("tag") if language is not None else None),
        "dateline": _text(located) or None,
    }
    return Candidate(origin, _drop_empty(fields), raw=data[:65536], line=n)


def _attr(root: Any, name: str, attr: str) -> str | None:
    el = _find(root, name)
    return el.get(attr) if el is not None else None
