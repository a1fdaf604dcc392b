"""Generated raw records for fuzzing the edges (hypothesis strategies), each tagged with what it is.

Bad records are bad by construction, one family each, with the start of the reason the pipeline
must give (`expect`); good ones are valid RawArticles, some with text meant to upset the NLP
(hostile but valid: they must be enriched and stored, or dead-lettered with a reason, never crash).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

__all__ = ["BAD", "GOOD", "HOSTILE", "Record", "bad_record", "good_article", "hostile_article", "numbered"]


@dataclass(frozen=True)
class Record:
    kind: str  # the family, e.g. "not_utf8"
    value: bytes
    expect: str | None = None  # start of the dead-letter reason; None: must reach the store
    article: dict[str, Any] | None = None  # the article of a good record


BAD = "bad"
GOOD = "good"
HOSTILE = "hostile"

_DATE = "2024-05-16T09:00:00Z"
# Words from a small vocabulary (one draw each): generating 10,000 records stays a matter of seconds.
_VOCAB = (
    "the minister said on Monday that talks with officials in Geneva would resume after a delay "
    "president met leaders Beijing Moscow visit agreement signed called sanctions accused council "
    "harbour ferry terminal opened weather storm markets fell rose shares bank election vote"
).split()
_rng = random.Random(2)
# Sentences drawn whole (one choice each): the fuzzing is in the record's shape, not in its prose.
_SENTENCES = [" ".join(_rng.choices(_VOCAB, k=_rng.randint(3, 9))).capitalize() + "." for _ in range(500)]
_sentence = st.sampled_from(_SENTENCES)
_valid = st.fixed_dictionaries(
    {"title": _sentence, "body": st.lists(_sentence, min_size=1, max_size=3).map(" ".join)}
).map(lambda d: {**d, "published_at": _DATE})
_json_scalar = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
_not_a_string = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.lists(st.integers(), max_size=3)
    | st.dictionaries(st.text(max_size=5), st.integers(), max_size=2)
)


def _dumps(d: Any) -> bytes:
    return json.dumps(d, ensure_ascii=False).encode("utf-8")


def _rec(kind: str, expect: str) -> Any:
    return lambda value: Record(kind, value, expect)


# -- bad: every one of these must reach the dead-letter topic with its reason ----------------------

not_json = (
    st.text(max_size=60)
    .map(lambda t: f"<{t}".encode("utf-8", "surrogatepass"))
    .map(_rec("not_json", "not JSON"))
)
truncated = _valid.map(lambda d: _dumps(d)[:-1]).map(_rec("truncated", "not JSON"))
not_utf8 = (
    st.tuples(_valid, st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"]))
    .map(lambda t: _dumps(t[0]).replace(b'"body": "', b'"body": "' + t[1], 1))
    .map(_rec("not_utf8", "not UTF-8"))
)
not_object = (
    st.one_of(_json_scalar, st.lists(_json_scalar, max_size=5), st.lists(_valid, min_size=1, max_size=2))
    .map(_dumps)
    .map(_rec("not_object", "not a JSON object"))
)
wrong_types = (
    st.one_of(
        st.tuples(_valid, _not_a_string).map(lambda t: {**t[0], "body": t[1]}),
        # null is an undated page, which is valid; any other non-date is not
        st.tuples(_valid, (_not_a_string | st.text(max_size=20)).filter(lambda v: v is not None)).map(
            lambda t: {**t[0], "published_at": t[1]}
        ),
        st.tuples(_valid, _not_a_string.filter(lambda v: v is not None)).map(
            lambda t: {**t[0], "title": t[1]}
        ),
        st.tuples(_valid, st.integers()).map(lambda t: {**t[0], "url": t[1]}),
    )
    .map(_dumps)
    .map(_rec("wrong_types", "invalid RawArticle"))
)
missing = (
    st.one_of(
        _valid.map(lambda d: {k: v for k, v in d.items() if k != "body"}),
        _valid.map(lambda d: {**d, "body": " \n\t "}),
        _valid.map(lambda d: {**d, "published_at": "2024-05-16T09:00:00"}),  # no UTC offset
    )
    .map(_dumps)
    .map(_rec("missing", "invalid RawArticle"))
)
huge = (
    st.tuples(
        _valid,
        st.sampled_from([("title", 2_000), ("url", 4_000), ("source", 200), ("id", 128), ("language", 16)]),
        st.integers(min_value=1, max_value=20_000),
    )
    .map(lambda t: {**t[0], t[1][0]: "x" * (t[1][1] + t[2])})
    .map(_dumps)
    .map(_rec("huge", "invalid RawArticle"))
)
deep = (
    st.tuples(_valid, st.integers(min_value=3_000, max_value=20_000), st.sampled_from("[{"))
    .map(
        lambda t: _dumps(t[0]).replace(
            b'"body": ',
            b'"body": '
            + (b"[" * t[1] + b"]" * t[1] if t[2] == "[" else b'{"a":' * t[1] + b"1" + b"}" * t[1]),
            1,
        )
    )
    .map(_rec("deep", "not JSON we can read: nested too deeply"))
)
control = (
    st.tuples(_valid, st.sampled_from([chr(c) for c in range(32) if c not in (9, 10, 13)] + ["\n", "\t"]))
    .map(lambda t: _dumps(t[0]).replace(b'"body": "', b'"body": "' + t[1].encode(), 1))
    .map(_rec("control", "not JSON"))
)
lone_surrogate = _valid.map(lambda d: _dumps(d).replace(b'"body": "', b'"body": "\\ud800', 1)).map(
    _rec("lone_surrogate", "invalid RawArticle")
)
empty = st.just(b"").map(_rec("empty", "not JSON"))

bad_record = st.one_of(
    not_json,
    truncated,
    not_utf8,
    not_object,
    wrong_types,
    missing,
    huge,
    deep,
    control,
    lone_surrogate,
    empty,
)

# -- good ------------------------------------------------------------------------------------------


def good_article(n: int) -> Any:
    """A plain valid article; `n` makes it unique (its id is a hash of title and body). One in a few
    is undated (no published_at, or null): an undated page is ingested, not refused."""
    undated = st.sampled_from([False, False, False, "absent", "null"])
    return st.tuples(_valid, undated).map(
        lambda t: {
            **{k: v for k, v in t[0].items() if not (t[1] and k == "published_at")},
            **({"published_at": None} if t[1] == "null" else {}),
            "source": "fuzz-good",
            "title": f"{t[0]['title']} #{n}",
        }
    )


_HOSTILE_TEXTS = [
    "x" * 20_000,  # one 20k-character token
    "\n" * 5_000 + "Xi Jinping met Vladimir Putin in Beijing.",
    "Xi Jinping met Vladimir Putin in Beijing on Thursday. " * 300,  # the same meeting 300 times
    "\u202eXi Jinping\u202c met \u200bVladimir\u200b Putin\ufeff in Bei\u0301jing.",  # bidi, zero-width
    "\x00\x01\x02 Xi Jinping \x7f\x1b[31m met Putin \x00",  # NUL and control characters, escaped in JSON
    "<script>alert(1)</script><b>Xi</b> met <i>Putin</i> &amp; &#0; &#x110000;",
    "Robert'); DROP TABLE articles;-- met %s %n {0} {body} ${jndi:ldap://x}",
    "😀" * 2_000 + " met " + "👍🏽" * 500,
    "ＸＩ　ＪＩＮＰＩＮＧ　ｍｅｔ　ＰＵＴＩＮ",  # fullwidth
    "Mr. Mr. Mr. President President the the the Russian Russian president met his his counterpart.",
    " ".join(["Putin"] * 3_000),
    "Xi Jinping met " + ", ".join(f"Leader{i} Name{i}" for i in range(800)) + " in Beijing.",
    "MOSCOW (AP) — " * 400,
    "\u0000" * 100 + "body",
    "a\u0301\u0302\u0303\u0304\u0305" * 2_000,  # stacked combining marks
]


def hostile_article(n: int) -> Any:
    return st.tuples(st.sampled_from(_HOSTILE_TEXTS), _sentence).map(
        lambda t: {
            "title": f"hostile #{n} {t[1]}",
            "body": t[0],
            "published_at": _DATE,
            "source": "fuzz-hostile",
        }
    )


def numbered(rec: Record, serial: int) -> Record:
    """The same record made distinct by a serial number in its title (or after a not-JSON text);
    hypothesis favours small, repeated values, and 10,000 records should be 10,000 different ones."""
    marker = b'"title": "'
    if marker in rec.value:
        value = rec.value.replace(marker, marker + str(serial).encode() + b" ", 1)
    elif rec.kind == "not_json":
        value = rec.value + str(serial).encode()
    else:
        return rec
    return Record(rec.kind, value, rec.expect, rec.article)
