"""The trained status decision: its file format, how candidates are labelled from a text's gold, that
training is deterministic and the shipped model is the one `newswire train corpus/` writes, and that
cross-validation scores each set with a model that never saw it."""

from __future__ import annotations

from pathlib import Path

import pytest

from newswire.enrich.events.status_model import BUILTIN, NONE, StatusModel
from newswire.enrich.pipeline import Enricher
from newswire.enrich.training import GoldSet, Sample, _labels, cross_validate, fit, load_sets, train_command
from newswire.settings import Settings

CORPUS = Path(__file__).resolve().parents[3] / "corpus"


def _model(threshold: float = 0.9) -> StatusModel:
    return StatusModel(labels=("occurred", "planned", NONE), bias=(0.0, 0.0, 0.0),
                       weights={"aux=will": (0.0, 3.0, 0.0), "why=historical_cue": (0.0, 0.0, 2.0)},
                       override_at=threshold)


def test_model_round_trips_through_its_json_file() -> None:
    model = _model(0.8)
    again = StatusModel.from_json(model.to_json())
    assert again == model
    assert again.decide(["aux=will"])[0] == "planned"
    label, p = again.decide(["why=historical_cue", "unknown feature"])
    assert label == NONE and 0.7 < p < 0.8


def _sample(rule: str, people: list[str], kind: str = "MEET") -> dict[str, object]:
    return {"features": [f"rule={rule}"], "participants": people, "type": kind, "medium": None}


def test_candidates_are_labelled_by_the_gold_meeting_of_their_people() -> None:
    record = {"persons": ["Ann Able", "Bob Baker", "Cy Cole"],
              "meetings": [{"participants": ["Ann Able", "Bob Baker"], "kind": "in_person_meeting"}]}
    names = {"a": "Ann Able", "b": "Bob Baker", "c": "Cy Cole"}
    samples = [
        _sample("occurred", ["a", "b"]),  # the rules read the gold meeting right: its evidence
        _sample("historical", ["a", "b"]),  # the same people in another sentence: left out
        _sample("occurred", ["a", "c"]),  # gold people, no such meeting: none
        _sample("occurred", ["a", "name:Dee Dunn"]),  # someone the gold does not name: left out
        _sample("occurred", ["a", "b"], kind="CALL"),  # a call of people whose gold is a meeting: none
    ]
    assert _labels(record, samples, names) == ["occurred", None, NONE, None, NONE]


def test_a_gold_meeting_the_rules_read_wrong_everywhere_teaches_its_status() -> None:
    record = {"persons": ["Ann Able", "Bob Baker"],
              "meetings": [{"participants": ["Ann Able", "Bob Baker"], "kind": "planned_meeting"}]}
    samples = [_sample("occurred", ["a", "b"]), _sample("historical", ["a", "b"])]
    assert _labels(record, samples, {"a": "Ann Able", "b": "Bob Baker"}) == ["planned", "planned"]


def test_fitting_is_deterministic() -> None:
    rows = [("occurred", "did", "occurred"), ("planned", "will", "planned"), ("historical", "had", NONE),
            ("occurred", "has", "occurred"), ("planned", "to", "planned"), ("historical", "did", NONE)] * 3
    samples = [Sample("s", str(i), (f"rule={r}", f"aux={a}"), label) for i, (r, a, label) in enumerate(rows)]
    first, second = fit(samples), fit(list(samples))
    assert first.to_json() == second.to_json()
    assert first.decide(["rule=planned", "aux=will"])[0] == "planned"


@pytest.fixture(scope="module")
def corpus_sets() -> list[GoldSet]:
    sets = load_sets([CORPUS])
    assert len(sets) >= 8, [s.name for s in sets]
    return sets


def test_the_shipped_model_is_what_train_writes_from_the_corpus(tmp_path: Path) -> None:
    out = tmp_path / "model.json"
    train_command(Settings(), [CORPUS], out)
    assert out.read_text(encoding="utf-8") == BUILTIN.read_text(encoding="utf-8"), (
        "the shipped status model is stale: run `newswire train corpus/`")


def test_cross_validation_scores_each_set_with_a_model_that_never_saw_it(
        enricher: Enricher, corpus_sets: list[GoldSet]) -> None:
    small = [GoldSet(s.name, s.records[:6]) for s in corpus_sets[:3]]
    result = cross_validate(enricher, small)
    assert set(result["per_set"]) == {s.name for s in small}
    for scores in result["per_set"].values():
        assert set(scores) == {"trained", "rules", "linking"} and scores["trained"]["texts"] == 6
        assert scores["linking"]["gold_persons"] > 0 and 0 < scores["linking"]["recall"] <= 1
    assert result["pooled"]["trained"]["texts"] == 18
    gold = sum(s["linking"]["gold_persons"] for s in result["per_set"].values())
    assert result["pooled"]["linking"]["gold_persons"] == gold
