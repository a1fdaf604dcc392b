"""Pydantic schema of the knowledge files. Validation happens once, at load; the rest of the code
trusts these objects."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from newswire.contracts import EventType

__all__ = [
    "City",
    "Country",
    "Leader",
    "Lexicon",
    "Office",
    "Organisation",
    "Role",
    "RolePhrase",
    "Source",
    "Venue",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Role(StrEnum):
    PRESIDENT = "president"
    VICE_PRESIDENT = "vice_president"
    PRIME_MINISTER = "prime_minister"
    MONARCH = "monarch"  # king, queen, emir, sultan, emperor
    SUPREME_LEADER = "supreme_leader"  # Iran, North Korea
    FOREIGN_MINISTER = "foreign_minister"
    DEFENCE_MINISTER = "defence_minister"
    SECRETARY_GENERAL = "secretary_general"  # also NATO, OSCE
    ORG_HEAD = "org_head"  # president/director of an international organisation
    POPE = "pope"
    PRESIDENCY_MEMBER = "presidency_member"  # collective heads of state (Bosnia and Herzegovina)
    MINISTER = "minister"  # other cabinet ministers worth tracking


class Office(_Strict):
    """One term in one office. Written in YAML as `[role, where, start, end]` to keep the file dense."""

    role: Role
    where: str = Field(description="ISO 3166-1 alpha-2 country, or an organisation key (UN, NATO, ...).")
    start: dt.date
    end: dt.date | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_list(cls, data: Any) -> Any:
        if isinstance(data, list | tuple):
            if not 3 <= len(data) <= 4:
                raise ValueError("an office is [role, where, start, end?]")
            return dict(zip(("role", "where", "start", "end"), data, strict=False))
        return data

    def holds_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class Leader(_Strict):
    id: str = Field(pattern=r"^(Q[1-9][0-9]*|nw:[a-z0-9_\-]+)$", description="Wikidata QID or nw:slug.")
    name: str = Field(min_length=2, description="Canonical name: English Wikipedia title.")
    aliases: list[str] = Field(default_factory=list)
    surnames: list[str] | None = Field(
        default=None, description="Short forms that name this person alone; default: the last word."
    )
    offices: list[Office] = Field(min_length=1)

    @field_validator("aliases")
    @classmethod
    def _no_blank(cls, v: list[str]) -> list[str]:
        if any(not a.strip() for a in v):
            raise ValueError("blank alias")
        return v


class Venue(_Strict):
    """A building or residence that stands for a city: the Kremlin -> Moscow."""

    names: list[str] = Field(min_length=1)
    city: str
    country: str = Field(pattern=r"^[A-Z]{2}$")


class Country(_Strict):
    code: str = Field(pattern=r"^[A-Z]{2}$")
    names: list[str] = Field(min_length=1)
    demonyms: list[str] = Field(default_factory=list)
    capital: str | None = None
    leader_role: Role = Field(default=Role.PRESIDENT, description="Whom 'the Xish leader' means.")


class RolePhrase(_Strict):
    """A title word and the offices it can denote ('premier' -> prime_minister)."""

    phrase: str
    roles: list[Role]
    # The base lists only some holders of these offices (a country's many ministers): the title makes
    # a name next to it a leader, but a bare "the Minister" is never looked up in the base.
    titled_only: bool = False
    # Where the title names these offices at all ("chancellor": Germany's and Austria's head of
    # government; Britain's Chancellor of the Exchequer is another office). None: any country.
    countries: list[str] | None = None


class Source(_Strict):
    """A publisher whose bare titles ('the President') refer to its own country's office holders."""

    match: str = Field(description="Substring of the url or source field.")
    country: str = Field(pattern=r"^[A-Z]{2}$")
    first_person: Role | None = Field(
        default=None, description="Whose 'I' and 'we' the publisher's own statements are: its holder of "
        "this office (a prime minister's site), unless a transcript names its speakers.")


class Lexicon(_Strict):
    """Words that decide event type, medium and status. One list per decision, so a rule change is a
    data diff. Entries are lower-case lemmas or phrases."""

    meet_verbs: list[str]
    meet_nouns: list[str]
    meet_phrases: list[str]
    call_words: list[str]
    # "The Prime Minister spoke to X today" under "PM call with X": a call, when the headline says so.
    speak_verbs: list[str] = []
    # "Deputy Prime Minister X", "former President Y": a title that names another office than the role.
    role_modifiers: list[str] = []
    video_words: list[str]
    visit_words: list[str]
    # "will travel to Addis Ababa": a verb of going that is a visit only with a destination ("to").
    travel_verbs: list[str] = []
    agree_words: list[str]
    accuse_words: list[str]
    criticize_words: list[str]
    sanction_words: list[str]
    type_precedence: list[EventType]
    folds_into: dict[EventType, EventType]
    planned_cues: list[str]
    planned_verbs: list[str]
    infinitive_future_heads: list[str]
    # "The leaders looked forward to meeting at the G20": a verb and its particle that look ahead to the
    # act below them, whatever their own tense (a readout reports the looking ahead in the past).
    anticipation_phrasals: list[str] = []
    # "I would like to welcome you": verbs whose saying, to "you", is the act itself.
    performative_verbs: list[str] = []
    future_title_words: list[str]
    reporting_verbs: list[str]
    milestone_words: list[str]
    # "the president of the ruling Congress party": a title of these bodies is no state office.
    non_state_bodies: list[str] = []
    # A gathering named for one of these ("the G8 summit", "a summit of EU leaders") is multilateral:
    # not a bilateral contact of two people who attend it (guideline: summits are not meetings).
    multilateral_markers: list[str] = []
    gathering_nouns: list[str] = []
    bilateral_cues: list[str] = []
    # "briefed the Prime Minister on his summit with Kim": a meeting that is the topic of a briefing
    # is someone else's, not one between the briefer and the briefed.
    briefing_verbs: list[str] = []
    # "The leaders discussed the talks taking place in Geneva": a meeting word under the object of one
    # of these verbs is what the people talked about or thanked someone for, not their own meeting.
    topic_verbs: list[str] = []
    # "welcomed the delegation" welcomes people; "welcomed the decision" does not.
    guest_nouns: list[str] = []
    # Words that may stand before a bare surname ("General Sisi", "Premier Li"). Any other capitalised
    # word there is a given name the NER left out ("Akylbek Japarov"): not the leader "Sadyr Japarov".
    name_titles: list[str] = []
    # "at Vostochny Cosmodrome": the head nouns of named sites that can stand for a meeting's place.
    venue_heads: list[str] = []
    # "discussed the situation in Ukraine": a place that only qualifies a topic is not where they met.
    topic_nouns: list[str] = []
    cancelled_cues: list[str]
    historical_cues: list[str]
    perfect_cues: list[str] = []
    experience_words: list[str] = []
    negation_cues: list[str]
    intention_verbs: list[str]
    hypothetical_modals: list[str]
    vague_cues: list[str]
    cancel_verbs: list[str]
    non_leader_groups: list[str]
    group_nouns: list[str]
    group_pronouns: list[str]
    distributive_modifiers: list[str]
    distributive_plurals: list[str] = []
    in_person_cues: list[str]
    present_time_cues: list[str]

    @field_validator("type_precedence")
    @classmethod
    def _every_type_once(cls, v: list[EventType]) -> list[EventType]:
        if sorted(v) != sorted(EventType):
            raise ValueError(f"type_precedence must list every event type once: {sorted(EventType)}")
        return v


class Organisation(_Strict):
    key: str = Field(pattern=r"^[A-Z][A-Z0-9_]+$")
    names: list[str] = Field(min_length=1)


class City(_Strict):
    """A city spelled the way our output spells it, with the spellings wires use."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    country: str = Field(pattern=r"^[A-Z]{2}$")
