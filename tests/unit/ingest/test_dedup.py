from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from newswire.contracts import RawArticle
from newswire.ingest.dedup import SeenSet, canonical_url, dedup_keys
from newswire.ingest.state import open_state

WHEN = datetime(2024, 5, 16, tzinfo=UTC)


def art(url: str | None, title: str = "Xi meets Putin", body: str = "They met in Beijing.") -> RawArticle:
    return RawArticle(url=url, title=title, body=body, published_at=WHEN, source="t")


def test_canonical_url_ignores_tracking_fragment_and_case() -> None:
    a = canonical_url("HTTPS://Example.org:443/world/story?id=7&utm_source=rss&fbclid=x#top")
    assert a == "https://example.org/world/story?id=7"
    assert canonical_url("http://example.org") == "http://example.org/"
    assert canonical_url("http://example.org:8080/a") == "http://example.org:8080/a"


def test_same_url_or_same_text_is_a_duplicate() -> None:
    seen = SeenSet(open_state(None))
    first = art("http://a.example/1")
    assert seen.reserve(dedup_keys(first))
    seen.commit([dedup_keys(first)])
    assert not seen.reserve(dedup_keys(art("http://a.example/1?utm_medium=x", title="Other", body="Other.")))
    # same story syndicated under another URL, spacing and case changed: same text key
    assert not seen.reserve(
        dedup_keys(art("http://b.example/9", title="XI  meets putin", body="They met\nin Beijing."))
    )
    assert seen.reserve(dedup_keys(art("http://b.example/9", body="A different story.")))


def test_reserved_keys_catch_copies_in_the_same_batch_and_release_forgets_them() -> None:
    seen = SeenSet(open_state(None))
    keys = dedup_keys(art(None))
    assert seen.reserve(keys)
    assert not seen.reserve(keys)
    seen.release(keys)
    assert seen.reserve(keys)


def test_seen_set_is_durable(tmp_path: Path) -> None:
    path = tmp_path / "ingest.sqlite3"
    db = open_state(path)
    SeenSet(db).commit([dedup_keys(art("http://a.example/1"))])
    db.close()
    assert SeenSet(open_state(path)).seen(dedup_keys(art("http://a.example/1")))


def test_seen_set_is_bounded_oldest_first() -> None:
    seen = SeenSet(open_state(None), capacity=1_000)
    arts = [art(f"http://a.example/{i}", body=f"Body {i}.") for i in range(1_500)]
    for a in arts:
        seen.commit([dedup_keys(a)])
    seen.prune()
    assert len(seen) == 1_000
    assert not seen.seen(dedup_keys(arts[0]))
    assert seen.seen(dedup_keys(arts[-1]))


def test_readonly_seen_set_writes_nothing(tmp_path: Path) -> None:
    db = open_state(tmp_path / "s.sqlite3")
    seen = SeenSet(db, readonly=True)
    keys = dedup_keys(art("http://a.example/1"))
    assert seen.reserve(keys)
    seen.commit([keys])
    assert not seen.reserve(keys)  # still a duplicate within the run
    assert len(seen) == 0
