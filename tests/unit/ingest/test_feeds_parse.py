from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newswire.errors import ConfigError
from newswire.ingest.feeds import FeedSpec, load_feeds, parse_feed

NOW = datetime(2024, 5, 16, 12, 0, tzinfo=UTC)
SPEC = FeedSpec(url="http://127.0.0.1/feed.xml", name="wire")

RSS2 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>W</title>
<language>en-us</language>
<item><title>Xi meets Putin</title><link>http://example.org/1</link>
 <description>&lt;p&gt;Short summary.&lt;/p&gt;</description>
 <content:encoded><![CDATA[<p>BEIJING (AP) &#8212; Full text.</p><p>More.</p>]]></content:encoded>
 <pubDate>Thu, 16 May 2024 11:00:00 +0200</pubDate></item>
<item><title>No link, no date</title><description>Body only.</description></item>
<item><title>Headline only</title><link>http://example.org/3</link>
 <pubDate>Thu, 16 May 2024 08:00:00 GMT</pubDate></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id><updated>2024-05-16T09:00:00Z</updated>
<entry><title type="html">Leaders &lt;b&gt;meet&lt;/b&gt;</title><id>urn:a:1</id>
 <link rel="alternate" href="http://example.org/a1"/><updated>2024-05-16T09:00:00Z</updated>
 <summary>Atom summary text.</summary></entry>
</feed>"""

RSS091 = b"""<?xml version="1.0"?><rss version="0.91"><channel><title>Old</title><link>http://x/</link>
<description>d</description><item><title>Old style</title><link>http://example.org/old</link>
<description>Old body.</description></item></channel></rss>"""


def test_rss2_entries() -> None:
    parsed = parse_feed(RSS2, spec=SPEC, now=NOW)
    assert parsed.fatal is None
    first, second, third = parsed.entries
    assert first.link == "http://example.org/1" and not first.summary_only
    assert first.candidate.fields is not None
    assert (
        first.candidate.fields["body"] == "<p>BEIJING (AP) &#8212; Full text.</p><p>More.</p>"
    )  # content wins (CDATA, decoded later)
    assert first.candidate.fields["published_at"][:6] == (2024, 5, 16, 9, 0, 0)
    assert first.candidate.fields["source"] == "wire"
    assert first.candidate.language == "en-us"
    assert second.link is None and second.candidate.fields is not None
    assert second.candidate.fields["published_at"] == NOW
    assert third.candidate.fields is not None and third.candidate.fields["body"] == "Headline only"
    assert parsed.problems == []  # the feed itself is fine
    assert [e.problems for e in parsed.entries] == [(), ("no_link", "no_date"), ("no_body",)]


def test_atom_and_rss091() -> None:
    (atom,) = parse_feed(ATOM, spec=SPEC, now=NOW).entries
    assert atom.link == "http://example.org/a1" and atom.summary_only
    assert atom.candidate.fields is not None and atom.candidate.fields["body"] == "Atom summary text."
    (old,) = parse_feed(RSS091, spec=SPEC, now=NOW).entries
    assert old.link == "http://example.org/old"
    assert old.candidate.fields is not None and old.candidate.fields["published_at"] == NOW


def test_garbage_is_fatal_not_an_exception() -> None:
    parsed = parse_feed(b"\x00\x01 this is not xml <<<", spec=SPEC, now=NOW)
    assert parsed.entries == [] and parsed.fatal
    assert parsed.problems[0][0] == "malformed"


def test_configured_language_is_an_explicit_field() -> None:
    spec = FeedSpec(url="http://127.0.0.1/f", language="de")
    (entry, *_) = parse_feed(RSS2, spec=spec, now=NOW).entries
    assert entry.candidate.fields is not None and entry.candidate.fields["language"] == "de"
    assert spec.name == "127.0.0.1"


def test_load_feeds(tmp_path: Path) -> None:
    f = tmp_path / "feeds.yaml"
    f.write_text(
        "feeds:\n  - url: http://127.0.0.1:1/a.xml\n    name: a\n    interval: 5\n    full_text: true\n"
    )
    (spec,) = load_feeds(f)
    assert (spec.name, spec.interval, spec.full_text) == ("a", 5.0, True)
    f.write_text("- url: ftp://x/a.xml\n")
    with pytest.raises(
        ConfigError, match=r"feeds\.yaml: feeds\[0\]: url: Value error, must be an http\(s\) URL"
    ):
        load_feeds(f)
    f.write_text("- url: http://a/1\n  name: x\n- url: http://a/2\n  name: x\n")
    with pytest.raises(ConfigError, match="unique"):
        load_feeds(f)
    f.write_text("- url: http://a/1\n  intervall: 5\n")
    with pytest.raises(ConfigError, match="intervall"):
        load_feeds(f)
