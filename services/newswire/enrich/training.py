"""`newswire train` and `newswire evaluate --cv`: the status model (events/status_model.py) fitted
from the annotated sets, and scored the honest way.

Every contact candidate the rules propose is labelled from the gold of its text: the status of the
gold meeting with exactly its participants (of a compatible kind), or `none` when every participant
is a gold person of the text and no gold meeting names that group. Candidates with a person the gold
does not name (an unlinked name, a non-leader) say nothing either way and are left out, as are
groups of four or more (the gold does not annotate multilateral gatherings).

Cross-validation leaves one set out at a time: the model is fitted on the other sets and the whole
pipeline is scored on the one left out, so no text is scored by a model that saw it."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from newswire.contracts import EnrichedArticle
from newswire.errors import ConfigError
from newswire.gold import raw_article
from newswire.settings import Settings

from .evaluate import Report, gold_files, read_gold, score
from .events.extractor import MeetingEvents
from .events.status_model import LABELS, NONE, StatusModel
from .knowledge import ascii_fold, load_knowledge
from .linking_eval import LinkingScore, linking_score
from .pipeline import Enricher, build_nlp

__all__ = ["GoldSet", "Sample", "cross_validate", "cv_main", "fit", "load_sets", "samples_of",
           "train_command"]

_MULTILATERAL = 4
_STATUS_OF_KIND = {"in_person_meeting": "occurred", "phone_call": "occurred", "video_call": "occurred",
                   "planned_meeting": "planned", "cancelled_meeting": "cancelled"}
# A gold kind a candidate of this type can be: a MEET that the lead makes a video call is the call.
_FAMILY = {"MEET": {"in_person_meeting", "planned_meeting", "cancelled_meeting", "video_call"},
           "CALL": {"phone_call", "video_call"}}
_C = 2.0  # L2 strength (inverse) and the override threshold: chosen by leave-one-set-out
_OVERRIDE_AT = 0.9  # (docs/extraction.md has the grid)


@dataclass(frozen=True)
class GoldSet:
    name: str
    records: list[dict[str, Any]]


@dataclass(frozen=True)
class Sample:
    set_name: str
    record_id: str
    features: tuple[str, ...]
    label: str


def load_sets(paths: Sequence[Path]) -> list[GoldSet]:
    """Each .jsonl file (or every .jsonl file of a directory) is one set, named by its file."""
    return [GoldSet(f.stem, records) for f in gold_files(paths) if (records := read_gold(f))]


def _name(name: str) -> str:
    return ascii_fold(name).casefold().strip()


def _rule(sample: dict[str, Any]) -> str:
    return next(f.removeprefix("rule=") for f in sample["features"] if f.startswith("rule="))


def _labels(record: dict[str, Any], samples: list[dict[str, Any]], names: dict[str, str]) -> list[str | None]:
    """One label per candidate of a text (None: left out). The gold says what happened in the text,
    not in which sentence: of the candidates of one gold meeting, those the rules read as the gold
    says are its evidence, and the others (often a background mention of the same people) are left
    out; when the rules read none of them right, all are labelled with the gold (what the rules miss)."""
    persons = {_name(p) for p in record["persons"]}
    gold = [(frozenset(_name(p) for p in g["participants"]), g["kind"]) for g in record["meetings"]]
    matched: list[list[tuple[str, str]]] = []  # per candidate: the (kind, status) of gold meetings it may be
    for s in samples:
        people = frozenset(_name(names.get(p, p.removeprefix("name:"))) for p in s["participants"])
        family = _FAMILY[s["type"]]
        matched.append([(k, _STATUS_OF_KIND[k]) for g, k in gold if g == people and k in family]
                       if 2 <= len(people) < _MULTILATERAL else [])
    out: list[str | None] = []
    for s, m in zip(samples, matched, strict=True):
        people = frozenset(_name(names.get(p, p.removeprefix("name:"))) for p in s["participants"])
        if not m:
            known = 2 <= len(people) < _MULTILATERAL and people <= persons
            out.append(NONE if known else None)  # someone the gold does not name: cannot tell
            continue
        statuses = {st for _, st in m}
        rule = _rule(s)
        if rule in statuses:
            out.append(rule)
            continue
        # Does another candidate of the same gold meeting read it right? Then this one is other talk.
        read_right = any(_rule(o) in statuses and set(om) & set(m)
                         for o, om in zip(samples, matched, strict=True) if o is not s)
        out.append(None if read_right else sorted(statuses)[0])
    return out


def _meeting_events(enricher: Enricher) -> MeetingEvents:
    component = enricher.nlp.get_pipe("newswire_meeting_events_v1")
    assert isinstance(component, MeetingEvents)
    return component


def _run(enricher: Enricher, gold: GoldSet) -> tuple[list[EnrichedArticle], list[Doc]]:
    return enricher.enrich_with_docs([raw_article(r) for r in gold.records])


def samples_of(enricher: Enricher, sets: Sequence[GoldSet]) -> tuple[list[Sample], dict[str, Report]]:
    """Every set's labelled candidates, and each set's scores by the rules' own reading."""
    component = _meeting_events(enricher)
    saved = component.status_model, component.record_samples
    component.status_model, component.record_samples = None, True
    samples: list[Sample] = []
    rules: dict[str, Report] = {}
    try:
        for gold in sets:
            enriched, docs = _run(enricher, gold)
            rules[gold.name] = score(gold.records, enriched)
            for record, doc in zip(gold.records, docs, strict=True):
                names = {pid: ref.name for pid, ref in (doc._.leaders or {}).items()}
                found = doc._.status_samples or []
                for s, label in zip(found, _labels(record, found, names), strict=True):
                    if label is not None:
                        samples.append(Sample(gold.name, str(record["id"]), tuple(s["features"]), label))
    finally:
        component.status_model, component.record_samples = saved
    return samples, rules


def fit(samples: Sequence[Sample], *, c: float = _C, override_at: float = _OVERRIDE_AT) -> StatusModel:
    """Multinomial logistic regression (scikit-learn, lbfgs: deterministic for the same samples)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sparse=True)
    x = vec.fit_transform([dict.fromkeys(s.features, 1) for s in samples])
    y = [s.label for s in samples]
    clf = LogisticRegression(C=c, max_iter=5000)
    clf.fit(x, y)
    labels = tuple(str(k) for k in clf.classes_)
    coef = clf.coef_
    bias: tuple[float, ...]
    if len(labels) == 2:  # scikit-learn keeps one row for two classes: the second's log-odds
        coef = [[-v / 2 for v in coef[0]], [v / 2 for v in coef[0]]]
        bias = (-clf.intercept_[0] / 2, clf.intercept_[0] / 2)
    else:
        coef = coef.tolist()
        bias = tuple(float(b) for b in clf.intercept_)
    names = vec.get_feature_names_out()
    weights = {str(f): tuple(float(coef[k][j]) for k in range(len(labels))) for j, f in enumerate(names)}
    order = sorted(range(len(labels)), key=lambda k: LABELS.index(labels[k]))
    return StatusModel(
        labels=tuple(labels[k] for k in order),
        weights={f: tuple(w[k] for k in order) for f, w in weights.items() if any(abs(v) > 1e-6 for v in w)},
        bias=tuple(float(bias[k]) for k in order),
        override_at=override_at,
        meta={"samples": len(samples), "sets": sorted({s.set_name for s in samples}), "C": c,
              "labels": {k: y.count(k) for k in sorted(set(y))}},
    )


def _pool(reports: Sequence[Report]) -> Report:
    """One report over several sets: counts added up (micro average)."""
    out = Report()
    for r in reports:
        out.texts += r.texts
        for side in ("tp", "fp", "fn"):
            setattr(out.all_kinds, side, getattr(out.all_kinds, side) + getattr(r.all_kinds, side))
        for kind, c in r.per_kind.items():
            mine = out.per_kind.setdefault(kind, type(c)())
            for side in ("tp", "fp", "fn"):
                setattr(mine, side, getattr(mine, side) + getattr(c, side))
        for name in ("location_ok", "date_ok", "matched", "persons_found", "persons_gold", "false_alerts",
                     "multilateral_unscored"):
            setattr(out, name, getattr(out, name) + getattr(r, name))
    return out


def _summary(r: Report) -> dict[str, Any]:
    d = r.as_dict()
    kinds = d["per_kind"]
    return {
        "texts": d["texts"],
        "in_person_f1": kinds.get("in_person_meeting", {}).get("f1", 0.0),
        "in_person": kinds.get("in_person_meeting"),
        "planned_f1": kinds.get("planned_meeting", {}).get("f1", 0.0),
        "all_kinds_f1": d["meetings_all_kinds"]["f1"],
        "all_kinds": d["meetings_all_kinds"],
        "location_accuracy": d["location_accuracy"],
        "date_accuracy": d["date_accuracy"],
        "false_in_person_per_100_texts": round(100 * r.false_alerts / r.texts, 2) if r.texts else 0.0,
    }


def cross_validate(enricher: Enricher, sets: Sequence[GoldSet], *, c: float = _C,
                   override_at: float = _OVERRIDE_AT) -> dict[str, Any]:
    """Leave-one-set-out scores of the trained decision, beside the rules' own on the same texts."""
    started = time.perf_counter()
    samples, rules = samples_of(enricher, sets)
    component = _meeting_events(enricher)
    saved = component.status_model
    held: dict[str, Report] = {}
    links: dict[str, LinkingScore] = {}
    try:
        for gold in sets:
            train = [s for s in samples if s.set_name != gold.name]
            component.status_model = fit(train, c=c, override_at=override_at)
            enriched = _run(enricher, gold)[0]
            held[gold.name] = score(gold.records, enriched)
            links[gold.name] = linking_score(gold.records, enriched)
    finally:
        component.status_model = saved
    pooled_links = LinkingScore(gold=sum(x.gold for x in links.values()),
                                linked=sum(x.linked for x in links.values()),
                                correct=sum(x.correct for x in links.values()))
    return {
        "method": "leave-one-set-out: fit on all sets but one, score the whole pipeline on that one",
        "samples": len(samples),
        "per_set": {g.name: {"trained": _summary(held[g.name]), "rules": _summary(rules[g.name]),
                             "linking": _link_summary(links[g.name])} for g in sets},
        "pooled": {"trained": _summary(_pool(list(held.values()))),
                   "rules": _summary(_pool(list(rules.values()))), "linking": _link_summary(pooled_links)},
        "seconds": round(time.perf_counter() - started, 1),
    }


def _link_summary(s: LinkingScore) -> dict[str, Any]:
    d = s.as_dict()
    return {k: d[k] for k in ("precision", "recall", "gold_persons")}


def _enricher(settings: Settings) -> Enricher:
    """An Enricher whose status decision starts from the rules (training must not need a model)."""
    leaders = str(settings.leaders_file) if settings.leaders_file else None
    nlp = build_nlp(settings.spacy_model, leaders, status_model="rules")
    return Enricher(nlp, load_knowledge(leaders), model=settings.spacy_model,
                    batch_size=settings.enrich_batch_size)


def train_command(settings: Settings, paths: Sequence[Path], out: Path, *, c: float = _C) -> StatusModel:
    sets = load_sets(paths)
    if not sets:
        raise ConfigError(f"no annotated sets (dev-gold format) in {', '.join(map(str, paths))}")
    samples, _ = samples_of(_enricher(settings), sets)
    model = fit(samples, c=c)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(model.to_json(), encoding="utf-8")
    return model


def cv_main(settings: Settings, paths: Sequence[Path], *, as_json: bool) -> None:
    sets = load_sets(paths)
    if len(sets) < 2:
        raise ConfigError("--cv needs at least two annotated sets (one file each)")
    result = cross_validate(_enricher(settings), sets)
    if as_json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['method']}; {result['samples']} labelled candidates; {result['seconds']} s")
    print(f"{'set':<14}{'texts':>6}  {'in-person F1':>16}  {'planned F1':>14}  {'all kinds F1':>14}  "
          f"{'location':>14}  {'false/100':>12}  {'linking':>12}")
    print(f"{'':<20}  {'trained  rules':>16}  {'trained rules':>14}  {'trained rules':>14}  "
          f"{'trained rules':>14}  {'trained rules':>12}  {'P     R':>12}")
    rows = [*result["per_set"].items(), ("POOLED", result["pooled"])]
    for name, r in rows:
        t, u, k = r["trained"], r["rules"], r["linking"]
        print(f"{name:<14}{t['texts']:>6}  {t['in_person_f1']:>8.3f} {u['in_person_f1']:>6.3f}  "
              f"{t['planned_f1']:>7.3f} {u['planned_f1']:>6.3f}  "
              f"{t['all_kinds_f1']:>7.3f} {u['all_kinds_f1']:>6.3f}  "
              f"{t['location_accuracy']:>7.3f} {u['location_accuracy']:>6.3f}  "
              f"{t['false_in_person_per_100_texts']:>6.1f} {u['false_in_person_per_100_texts']:>5.1f}  "
              f"{k['precision']:>5.3f} {k['recall']:>5.3f}")
