"""`newswire evaluate GOLD.jsonl [--json]`: meeting extraction against a hand-annotated gold file
(format: shared/dev-gold/README.md).

A predicted meeting matches a gold one when the participant sets and the kind agree; kinds map to
type/status/medium as in KINDS. Location and date accuracy are measured on matched meetings; person
recall over every gold person against the canonical names the linker found; a false alert is an
in-person meeting predicted on a text whose gold has none. Following the gold guidelines,
multilateral gatherings (four or more participants) are not annotated, so predictions of that size
are counted and listed separately, not scored; an in-person one still counts as a false alert on a
text without a real meeting, since it would raise one."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newswire.contracts import EnrichedArticle, Event, EventStatus, EventType, Medium
from newswire.errors import ConfigError
from newswire.gold import raw_article
from newswire.progress import in_batches
from newswire.settings import Settings

from .events.identity import normalise_place
from .linking_eval import canonical_name as _name
from .linking_eval import linking_score
from .pipeline import Enricher

__all__ = ["KINDS", "Report", "kind_of", "main", "score"]

KINDS: dict[tuple[EventType, EventStatus, Medium | None], str] = {
    (EventType.MEET, EventStatus.OCCURRED, Medium.IN_PERSON): "in_person_meeting",
    (EventType.CALL, EventStatus.OCCURRED, Medium.PHONE): "phone_call",
    (EventType.CALL, EventStatus.OCCURRED, Medium.VIDEO): "video_call",
}
_MULTILATERAL = 4


def kind_of(event: Event) -> str | None:
    if event.type is EventType.MEET and event.status is EventStatus.PLANNED:
        return "planned_meeting"
    if event.type is EventType.MEET and event.status is EventStatus.CANCELLED:
        return "cancelled_meeting"
    return KINDS.get((event.type, event.status, event.medium))


@dataclass
class _Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def prf(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Report:
    texts: int = 0
    all_kinds: _Counts = field(default_factory=_Counts)
    per_kind: dict[str, _Counts] = field(default_factory=dict)
    location_ok: int = 0
    date_ok: int = 0
    matched: int = 0
    persons_found: int = 0
    persons_gold: int = 0
    false_alerts: int = 0
    multilateral_unscored: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    articles_per_second: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "texts": self.texts,
            "meetings_all_kinds": self.all_kinds.prf(),
            "per_kind": {k: c.prf() for k, c in sorted(self.per_kind.items())},
            "location_accuracy": round(self.location_ok / self.matched, 3) if self.matched else 0.0,
            "date_accuracy": round(self.date_ok / self.matched, 3) if self.matched else 0.0,
            "matched_meetings": self.matched,
            "person_recall": round(self.persons_found / self.persons_gold, 3) if self.persons_gold else 0.0,
            "false_in_person_alerts": self.false_alerts,
            "multilateral_unscored": self.multilateral_unscored,
            "articles_per_second": round(self.articles_per_second, 1),
            "errors": self.errors,
        }


def _same_place(gold: str | None, pred: str | None) -> bool:
    return normalise_place(gold) == normalise_place(pred)


def score(records: list[dict[str, Any]], enriched: list[EnrichedArticle]) -> Report:
    report = Report(texts=len(records))
    for record, result in zip(records, enriched, strict=True):
        gold = [dict(g, _p=frozenset(_name(p) for p in g["participants"])) for g in record["meetings"]]
        preds = []
        no_meeting = not any(g["kind"] == "in_person_meeting" for g in gold)
        for event in result.events:
            kind = kind_of(event)
            if kind is None:
                continue
            people = frozenset(_name(p.name) for p in event.participants)
            if len(event.participants) >= _MULTILATERAL:
                # Not scored (the gold does not annotate them), but listed, and an in-person one on a
                # text without a real meeting still counts as the false alert it would raise.
                report.multilateral_unscored += 1
                report.false_alerts += no_meeting and kind == "in_person_meeting"
                report.errors.append({"id": record["id"], "error": "multilateral_unscored", "kind": kind,
                                      "participants": sorted(people)})
                continue
            preds.append((kind, people, event))
        if no_meeting:
            report.false_alerts += sum(1 for k, _, _ in preds if k == "in_person_meeting")
        unmatched = list(gold)
        for kind, people, event in preds:
            counts = report.per_kind.setdefault(kind, _Counts())
            hit = next((g for g in unmatched if g["kind"] == kind and g["_p"] == people), None)
            if hit is None:
                report.all_kinds.fp += 1
                counts.fp += 1
                report.errors.append({"id": record["id"], "error": "false_positive", "kind": kind,
                                      "participants": sorted(people)})
                continue
            unmatched.remove(hit)
            report.all_kinds.tp += 1
            counts.tp += 1
            report.matched += 1
            place = event.location.name if event.location else None
            report.location_ok += _same_place(hit["location"], place)
            report.date_ok += (event.date.isoformat() if event.date else None) == hit["date"]
            same_day = (event.date and event.date.isoformat()) == hit["date"]
            if not _same_place(hit["location"], place) or not same_day:
                report.errors.append({"id": record["id"], "error": "attribute", "kind": kind,
                                      "location": [hit["location"], place],
                                      "date": [hit["date"], event.date.isoformat() if event.date else None]})
        for g in unmatched:
            report.all_kinds.fn += 1
            report.per_kind.setdefault(g["kind"], _Counts()).fn += 1
            report.errors.append({"id": record["id"], "error": "missed", "kind": g["kind"],
                                  "participants": sorted(g["_p"])})
        found = {_name(e.canonical) for e in result.entities if e.canonical}
        found |= {_name(p.name) for e in result.events for p in e.participants}
        report.persons_gold += len(record["persons"])
        report.persons_found += sum(_name(p) in found for p in record["persons"])
        for p in record["persons"]:
            if _name(p) not in found:
                report.errors.append({"id": record["id"], "error": "person_missed", "person": p})
    return report


def gold_files(paths: Sequence[Path]) -> list[Path]:
    """The gold files named: a file as it is, a folder as its *.jsonl files (sorted)."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            found = sorted(p.glob("*.jsonl"))
            if not found:
                raise ConfigError(f"{p}: a folder with no .jsonl gold files")
            files += found
        elif p.is_file():
            files.append(p)
        else:
            raise ConfigError(f"{p}: no such gold file or folder")
    return files


def read_gold(path: Path) -> list[dict[str, Any]]:
    """One gold file's records; a line that is not a JSON object is a ConfigError naming it."""
    records = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise ConfigError(f"{path}: line {n}: not JSON ({e.msg})") from None
        if not isinstance(record, dict) or "meetings" not in record:
            raise ConfigError(f"{path}: line {n}: not a gold record (no 'meetings')")
        records.append(record)
    return records


def evaluate_file(enricher: Enricher, gold: Path) -> dict[str, Any]:
    records = read_gold(gold)
    articles = [raw_article(r) for r in records]
    started = time.perf_counter()
    enriched = in_batches(enricher.enrich, articles, "evaluate")
    elapsed = time.perf_counter() - started
    report = score(records, enriched)
    report.articles_per_second = len(articles) / elapsed if elapsed else 0.0
    result = report.as_dict()
    result["linking"] = linking_score(records, enriched).as_dict()
    return result


def main(settings: Settings, paths: Sequence[Path], *, as_json: bool) -> None:
    """Each gold file scored on its own (a folder: each of its files). One file prints its report
    (JSON: the report's object); several print one report each under its set's name (JSON: an
    object of reports by set name)."""
    files = gold_files(paths)
    enricher = Enricher.from_settings(settings)
    results: dict[str, dict[str, Any]] = {}
    for f in files:
        results[str(f) if f.stem in results else f.stem] = evaluate_file(enricher, f)
    if as_json:
        only = next(iter(results.values())) if len(results) == 1 else results
        print(json.dumps(only, indent=2, ensure_ascii=False))
        return
    for name, result in results.items():
        if len(results) > 1:
            print(f"== {name}")
        _print_table(result)
        _print_linking(result["linking"])


def _print_table(d: dict[str, Any]) -> None:
    def row(label: str, c: dict[str, Any]) -> str:
        return (f"  {label:<20} P {c['precision']:.3f}  R {c['recall']:.3f}  F1 {c['f1']:.3f}"
                f"   (tp {c['tp']}, fp {c['fp']}, fn {c['fn']})")

    print(f"texts: {d['texts']}   throughput: {d['articles_per_second']} articles/s")
    print("meetings")
    print(row("all kinds", d["meetings_all_kinds"]))
    for kind, c in d["per_kind"].items():
        print(row(kind, c))
    print(f"location accuracy     {d['location_accuracy']:.3f}   (on {d['matched_meetings']} matched)")
    print(f"date accuracy         {d['date_accuracy']:.3f}")
    print(f"person recall         {d['person_recall']:.3f}")
    print(f"false in-person alerts {d['false_in_person_alerts']}   multilateral (not scored): "
          f"{d['multilateral_unscored']}")
    kinds = Counter(e["error"] for e in d["errors"])
    if kinds:
        print("errors: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) + "  (--json lists them)")


def _print_linking(d: dict[str, Any]) -> None:
    print(f"person linking        P {d['precision']:.3f}  R {d['recall']:.3f}   (gold {d['gold_persons']}, "
          f"linked {d['linked']}, correct {d['correct']})")
