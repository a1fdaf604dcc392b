"""Pipeline assembly: pipeline.cfg decides order and components; a wrong model name is a ConfigError
that names the setting; our attribute ruler gives exactly the model's tokens."""

from __future__ import annotations

import datetime as dt

import pytest
import spacy
from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG
from spacy.tokens import Doc
from thinc.api import Config

from newswire.contracts import RawArticle
from newswire.enrich.components.tag_attributes import FastAttributeRuler
from newswire.enrich.knowledge import load_knowledge
from newswire.enrich.pipeline import FAST_PIPELINE_CFG, PIPELINE_CFG, Enricher, build_nlp
from newswire.errors import ConfigError
from newswire.settings import Settings


def test_pipeline_order_is_the_config(enricher: Enricher) -> None:
    assert enricher.nlp.pipe_names == list(Config().from_disk(PIPELINE_CFG)["nlp"]["pipeline"])
    assert not enricher.nlp.disabled


def test_unknown_model_names_the_setting() -> None:
    with pytest.raises(ConfigError, match="NEWSWIRE_SPACY_MODEL") as err:
        build_nlp("en_core_web_nonexistent_xx")
    assert "en_core_web_nonexistent_xx" in str(err.value)


def test_config_listing_a_component_the_model_lacks_is_rejected(tmp_path) -> None:  # type: ignore[no-untyped-def]
    cfg = tmp_path / "bad.cfg"
    cfg.write_text('[nlp]\npipeline = ["tok2vec", "no_such_component"]\n\n[components]\n')
    with pytest.raises(ConfigError, match="no_such_component"):
        build_nlp(Settings().spacy_model, cfg_path=cfg)


def test_fast_attribute_ruler_matches_the_models() -> None:
    nlp = spacy.load(Settings().spacy_model)
    text = ("I ain't gonna wait, y'all. There is a delegation here; but it gets worse: he got it.\n\n"
            "Did you meet them? Let's see which talks they held and whom you told it to.  ")
    with nlp.select_pipes(enable=["tok2vec", "tagger", "parser"]):
        base = nlp(text)
    ours = FastAttributeRuler(nlp.get_pipe("attribute_ruler"))(Doc(nlp.vocab).from_bytes(base.to_bytes()))
    theirs = nlp.get_pipe("attribute_ruler")(Doc(nlp.vocab).from_bytes(base.to_bytes()))
    for attr in (POS, MORPH, LEMMA, TAG, DEP):
        assert (ours.to_array([attr]) == theirs.to_array([attr])).all(), attr


def test_fast_pipeline_finds_dates_without_ner() -> None:
    settings = Settings()
    nlp = build_nlp(settings.spacy_model, cfg_path=FAST_PIPELINE_CFG)
    assert "ner" not in nlp.pipe_names
    fast = Enricher(nlp, load_knowledge(), model=settings.spacy_model)
    article = RawArticle(body="Olaf Scholz met Emmanuel Macron in Paris on Tuesday. They last met in 2019.",
                         published_at=dt.datetime(2023, 3, 2, 12, tzinfo=dt.UTC))
    [meet] = [e for e in fast.enrich([article])[0].events if e.type.value == "MEET"]
    assert meet.date == dt.date(2023, 2, 28)
