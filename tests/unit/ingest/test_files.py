from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from newswire.ingest.files import iter_files, read_path

GOOD = '{"title": "T", "body": "B", "published_at": "2024-05-16T09:00:00Z"}'


def test_jsonl_lines_carry_their_line_numbers_and_errors(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_bytes(f"{GOOD}\n\nnot json\n[1, 2]\n".encode() + b'{"body": "\xff"}\n' + GOOD.encode())
    got = list(read_path(f))
    assert [(c.line, c.error is None) for c in got] == [
        (1, True),
        (3, False),
        (4, False),
        (5, False),
        (6, True),
    ]
    assert got[1].error is not None and got[1].error.startswith("not JSON")
    assert got[2].error == "not a JSON object but list"
    assert got[3].error is not None and got[3].error.startswith("not UTF-8")
    assert got[1].where == f"{f}:3"
    assert got[1].raw == b"not json"


def test_text_file_first_line_is_the_title(tmp_path: Path) -> None:
    f = tmp_path / "2024-05-16_story.txt"
    f.write_text("Xi welcomes Putin\nBEIJING (AP) — Xi welcomed Putin.\nMore text.", encoding="utf-8")
    (c,) = read_path(f)
    assert c.fields is not None
    assert c.fields["title"] == "Xi welcomes Putin"
    assert c.fields["body"] == "BEIJING (AP) — Xi welcomed Putin.\nMore text."
    assert c.fields["published_at"] == datetime(2024, 5, 16, tzinfo=UTC)


def test_text_file_opening_with_a_dateline_has_no_title_line(tmp_path: Path) -> None:
    f = tmp_path / "wire.txt"
    f.write_text("BEIJING (Agencies): Xi and Putin met.\nSecond paragraph.", encoding="utf-8")
    os.utime(f, (1715850000, 1715850000))
    (c,) = read_path(f)
    assert c.fields is not None
    assert c.fields["title"] == ""
    assert c.fields["body"].startswith("BEIJING (Agencies):")
    assert c.fields["published_at"] == datetime.fromtimestamp(1715850000, UTC)


def test_text_file_in_a_legacy_encoding_is_read(tmp_path: Path) -> None:
    f = tmp_path / "latin.txt"
    f.write_bytes("Café talks\n\nThe café was closed.".encode("cp1252"))
    (c,) = read_path(f)
    assert c.fields is not None and c.fields["body"] == "The café was closed."


NITF = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nitf [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/" xml:lang="en">
  <head><title>Head title</title>
    <docdata><date.issue norm="20240516T090000+0000"/><doc.copyright holder="Example Wire"/></docdata>
  </head>
  <body>
    <body.head><hedline><hl1>Xi welcomes Putin in Beijing</hl1></hedline>
      <distributor>AP</distributor>
      <dateline><location><city>BEIJING</city></location></dateline></body.head>
    <body.content><p>Xi welcomed Putin.</p><p>They signed a statement. &xxe;</p></body.content>
  </body>
</nitf>"""

G2 = """<?xml version="1.0" encoding="UTF-8"?>
<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/">
 <itemSet>
  <newsItem guid="urn:x:1" xml:lang="en">
   <itemMeta><provider literal="Example Agency"/>
     <firstCreated>2024-05-16T11:00:00+02:00</firstCreated></itemMeta>
   <contentMeta><headline>Leaders meet</headline><located><name>Moscow</name></located></contentMeta>
   <contentSet><inlineXML contenttype="application/xhtml+xml">
     <html xmlns="http://www.w3.org/1999/xhtml"><body><p>First para.</p><p>Second para.</p></body></html>
   </inlineXML></contentSet>
  </newsItem>
  <newsItem guid="urn:x:2">
   <itemMeta><provider qcode="nprov:EX"/><versionCreated>2024-05-17T00:00:00Z</versionCreated></itemMeta>
   <contentMeta><headline>Second item</headline><language tag="fr"/></contentMeta>
   <contentSet><inlineData>Texte brut.</inlineData></contentSet>
  </newsItem>
 </itemSet>
</newsMessage>"""


def test_nitf(tmp_path: Path) -> None:
    f = tmp_path / "story.xml"
    f.write_text(NITF, encoding="utf-8")
    (c,) = read_path(f)
    assert c.error is None and c.fields is not None
    assert c.fields["title"] == "Xi welcomes Putin in Beijing"
    assert c.fields["body"] == "Xi welcomed Putin.\nThey signed a statement."  # the entity was not resolved
    assert c.fields["published_at"] == "20240516T090000+0000"
    assert (c.fields["source"], c.fields["dateline"], c.fields["agency"]) == ("Example Wire", "BEIJING", "AP")
    assert c.fields["language"] == "en"


def test_newsml_g2_message_with_two_items(tmp_path: Path) -> None:
    f = tmp_path / "msg.xml"
    f.write_text(G2, encoding="utf-8")
    a, b = read_path(f)
    assert a.fields == {
        "source": "Example Agency",
        "title": "Leaders meet",
        "body": "First para.\nSecond para.",
        "published_at": "2024-05-16T11:00:00+02:00",
        "language": "en",
        "dateline": "Moscow",
    }
    assert (a.line, b.line) == (1, 2)
    assert b.fields is not None and b.fields["body"] == "Texte brut." and b.fields["language"] == "fr"
    assert b.fields["source"] == "nprov:EX"


def test_bad_xml_becomes_an_error_candidate(tmp_path: Path) -> None:
    (tmp_path / "broken.xml").write_text("<nitf><body>", encoding="utf-8")
    (tmp_path / "other.xml").write_text("<rss/>", encoding="utf-8")
    (broken,) = read_path(tmp_path / "broken.xml")
    (other,) = read_path(tmp_path / "other.xml")
    assert broken.error is not None and broken.error.startswith("malformed XML")
    assert other.error == "unknown XML document <rss> (expected NITF or NewsML-G2)"


def test_iter_files_skips_partial_and_hidden_files(tmp_path: Path) -> None:
    for name in ("b.jsonl", "a.txt", ".hidden.jsonl", "c.jsonl.part", "d.tmp", "e.csv", "f.xml"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in iter_files(tmp_path)] == ["a.txt", "b.jsonl", "f.xml"]
