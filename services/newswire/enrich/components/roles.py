"""`newswire_role_resolver_v1`: role phrases.

* A title next to a name ("Prime Minister of Ruritania Jan Novak", "Lula, the President of Brazil")
  makes that person a leader even when the knowledge base does not know them (id "name:<text>").
* A role standing alone ("the Russian president", "Kuwait's leader", "the President" in a White House
  readout) becomes a PERSON linked to whoever held that office on the article date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from ..knowledge import KnowledgeBase, Role, ascii_fold, load_knowledge
from .extensions import LeaderRef, ensure_extensions
from .role_dates import day_of, office_day

__all__ = ["RoleResolver"]

_DETERMINERS = frozenset({"the", "his", "her", "their", "its", "our", "your"})
_INDEFINITE = frozenset({"a", "an", "any", "every", "each", "another", "no"})
_APPOSITION = frozenset({",", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "comrade"})
# "Madam Federal Chancellor, I am glad to see you": a title used to address someone names no one.
_ADDRESS = frozenset({"madam", "madame", "mr", "mr.", "mister", "monsieur", "excellency"})
_MAX_OF_TOKENS = 8
_OFFICE_JOINERS = frozenset({"and", "of", "the", "for"})  # "Minister of Labour and Social Protection"
_ROLE_VALUES = frozenset(r.value for r in Role)
_HEADS = frozenset({Role.PRESIDENT, Role.PRIME_MINISTER, Role.MONARCH, Role.SUPREME_LEADER})


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    roles: tuple[Role, ...]
    country: str | None
    anchored: bool  # "the"/capitalised/demonym: a definite office, not "a president"
    private: bool = False  # of a party, company, club...: no office of state


class RoleResolver:
    def __init__(self, nlp: Language, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.roles: dict[str, tuple[Role, ...]] = {}
        for rp in kb.role_phrases:
            self.matcher.add(rp.phrase, [nlp.make_doc(rp.phrase)])
            self.roles[rp.phrase] = tuple(rp.roles)
        self.titled_only = frozenset(rp.phrase for rp in kb.role_phrases if rp.titled_only)
        self.countries = {rp.phrase: frozenset(rp.countries) for rp in kb.role_phrases if rp.countries}
        self.leader_role_phrase = "leader"
        self.non_state = frozenset(kb.lexicon.non_state_bodies)
        self.modifiers = frozenset(kb.lexicon.role_modifiers)

    def __call__(self, doc: Doc) -> Doc:
        leaders: dict[str, LeaderRef] = dict(doc._.leaders or {})
        person_at = {t: e for e in doc.ents if e.label_ == "PERSON" for t in range(e.start, e.end)}
        new: list[Span] = []
        groups: list[tuple[int, int, tuple[str, ...]]] = []
        matches = filter_spans([Span(doc, s, e, label=m) for m, s, e in self.matcher(doc)])
        # Titles next to names first, so that a role standing alone anywhere in the article (the
        # headline's "Vietnamese President" included) can be the person the article names with it.
        bare: list[tuple[Span, _Mention]] = []
        for match in matches:
            if match.start in person_at:
                continue
            mention = self._expand(doc, match)
            if mention.private or self._vocative(doc, match) or self._other_office(doc, match):
                continue
            # A name the NER missed is looked for only after a title of a state's office: "President
            # of Delovaya Rossiya Alexei Repik" heads a business body.
            guess = mention.country is not None or match.label_ in self.titled_only
            titled = self._titled_person(doc, mention, person_at, guess_name=guess)
            if titled is not None and not titled.kb_id_:
                titled = self._as_holder(titled, mention, day_of(match), undated=bool(doc._.undated))
            if titled is not None:
                if not titled.kb_id_:
                    self._title_unknown(doc, titled, mention, day_of(match), leaders, new)
                elif titled.start not in person_at or not person_at[titled.start].kb_id_:
                    new.append(titled)  # a missed or unlinked name: its title's holder
                    self._register(titled.kb_id_, day_of(match), leaders)
                continue
            if mention.anchored and not self._plural(doc, match):
                bare.append((match, mention))
        for match, mention in bare:
            if match.label_ in self.titled_only:
                continue  # "the Minister": the base knows too few of them to say which
            day = day_of(match)  # the sentence's own date, else the article's
            leader_id = self._resolve(mention, match.label_, day, doc, leaders)
            if leader_id is None and day != office_day(doc):  # "born on 7 October 1952": no office then
                day = office_day(doc)
                leader_id = self._resolve(mention, match.label_, day, doc, leaders)
            if leader_id is not None:
                new.append(Span(doc, mention.start, mention.end, label="PERSON", kb_id=leader_id))
                self._register(leader_id, day, leaders)
        self._counterparts(doc, leaders, person_at, new)
        for tok in doc:  # plural titles ("the presidents of Russia and Azerbaijan"): the matcher
            # knows the singular forms only; a capitalised plural is often tagged NNP/NNPS and keeps
            # its "s" as lemma ("their Foreign Ministers")
            if tok.tag_ not in ("NNS", "NNPS", "NNP") or not tok.lower_.endswith("s"):
                continue
            head = tok.lemma_.lower()
            if head == tok.lower_:
                head = head[:-1]
            for n in (3, 2, 1):
                words = [t.lower_ for t in doc[max(0, tok.i - n + 1) : tok.i]] + [head]
                if len(words) == n and " ".join(words) in self.roles:
                    match = Span(doc, tok.i - n + 1, tok.i + 1, label=" ".join(words))
                    self._group(doc, match, day_of(match), leaders, groups)
                    break
        if new:
            keep = [e for e in doc.ents if not any(e.start < n.end and n.start < e.end for n in new)]
            doc.ents = filter_spans(keep + new)
        doc._.leaders = leaders
        doc._.role_groups = groups
        return doc

    def _group(self, doc: Doc, match: Span, day: dt.date, leaders: dict[str, LeaderRef],
               groups: list[tuple[int, int, tuple[str, ...]]]) -> None:
        """'the presidents of Russia and Azerbaijan', 'the Russian and Chinese leaders': one office
        holder per country named, when there are two or more."""
        start, end = match.start, match.end
        if end < len(doc) and doc[end].lower_ == "of":  # right: "of X, Y and Z"
            countries, edge = self._country_run(doc, end + 1, +1)
            end = max(end, edge + 1)
        else:  # left: "the Russian and Chinese presidents"
            countries, edge = self._country_run(doc, start - 1, -1)
            start = min(start, edge)
        if not countries and start > 0 and doc[start - 1].lower_ == "their":
            countries = self._pair_countries(leaders)  # "The two leaders ... their Defence Ministers"
            start -= 1
        if len(set(countries)) < 2:
            return
        phrase = match.label_
        ids: list[str] = []
        for country in dict.fromkeys(countries):
            roles = self.roles[phrase]
            found = self._holders_in(phrase, roles, country, day, leaders, bool(doc._.undated))
            if len(found) != 1:
                return  # one country we cannot resolve: better no group than half of one
            ids.append(found[0])
        for leader_id in ids:
            self._register(leader_id, day, leaders)
        groups.append((start, end, tuple(ids)))

    @staticmethod
    def _pair_countries(leaders: dict[str, LeaderRef]) -> list[str]:
        """The two countries whose heads of state or government the article names, when it names
        the heads of exactly two (a readout of their talks); else none."""
        heads = {r.value for r in _HEADS}
        found = {ref.country for ref in leaders.values() if ref.role in heads and ref.country}
        return sorted(c for c in found if c is not None) if len(found) == 2 else []

    def _country_run(self, doc: Doc, k: int, step: int) -> tuple[list[str], int]:
        """Country words from token k on, one way, over 'the', ',' and 'and': their codes in text
        order, and the index of the last one (k - step when there is none)."""
        codes: list[str] = []
        edge = k - step
        while 0 <= k < len(doc):
            if doc[k].lower_ not in ("the", ",", "and"):
                code = self.kb.country_of_word(doc[k].text)
                if code is None or len(code) != 2:
                    break
                codes.append(code)
                edge = k
            k += step
        return (codes if step > 0 else codes[::-1]), edge

    def _register(self, leader_id: str, day: dt.date, leaders: dict[str, LeaderRef]) -> None:
        if leader_id not in self.kb.by_id:
            return  # a titled person the KB lacks: registered when the title named them
        role, country = self.kb.office_on(leader_id, day)
        leaders.setdefault(leader_id, LeaderRef(leader_id, self.kb.by_id[leader_id].name, role, country))

    # ---------------------------------------------------------------- shape of the phrase

    def _expand(self, doc: Doc, match: Span) -> _Mention:
        start, end, country = match.start, match.end, None
        # left: "Russian president", "U.S. Secretary of State", "Kuwait's leader"
        i = start - 1
        if i >= 1 and doc[i].text in ("'s", "’s"):
            i -= 1
        j = i
        while j >= 0 and j >= i - 2:
            c = self.kb.country_of_word(doc[j:i + 1].text)
            if c is not None:
                country, start = c, j
            j -= 1
        # right: "President of the Republic of Serbia", "Secretary-General of the United Nations"
        private = False
        if end < len(doc) and doc[end].lower_ == "of":
            k = end + 1
            if k < len(doc) and doc[k].lower_ == "the":
                k += 1
            for stop in range(min(len(doc), k + _MAX_OF_TOKENS), k, -1):
                c = self.kb.country_of_word(doc[k:stop].text)
                if c is not None:
                    country, end = c, stop
                    break
            else:
                window = doc[k : min(len(doc), k + _MAX_OF_TOKENS)]
                # "Prime Minister of the Kingdom of Norway": a state's formal name ends in its name
                forms = [t.i + 1 for t in window[:4] if t.lower_ == "of"]
                for at in forms:
                    for stop in range(min(len(doc), at + 4), at, -1):
                        c = self.kb.country_of_word(doc[at:stop].text)
                        if c is not None:
                            country, end = c, stop
                            break
                    if country is not None:
                        break
                # "president of the ruling Congress party": an office, but not of a state
                private = country is None and any(t.lower_ in self.non_state for t in window)
        before = doc[start - 1].lower_ if start > 0 else ""
        # "the first visit by an American president": any holder, not one person
        anchored = before not in _INDEFINITE and (
            country is not None or before in _DETERMINERS or doc[match.start].is_title)
        return _Mention(start, end, self.roles[match.label_], country, anchored, private)

    def _other_office(self, doc: Doc, match: Span) -> bool:
        """'Deputy Prime Minister', 'Vice-President', 'former President': not the office's holder."""
        k = match.start - 1
        if k >= 1 and doc[k].text in ("-", "–"):
            k -= 1
        return k >= 0 and doc[k].lower_ in self.modifiers

    @staticmethod
    def _vocative(doc: Doc, match: Span) -> bool:
        k = match.start - 1  # over title words in between: "Madam Federal Chancellor,"
        while k > 0 and doc[k].is_title and doc[k].lower_ not in _ADDRESS and match.start - k < 3:
            k -= 1
        before = doc[k].lower_ if k >= 0 else ""
        after = doc[match.end].text if match.end < len(doc) else ""
        return before in _ADDRESS and after in (",", "!", "?")

    @staticmethod
    def _plural(doc: Doc, match: Span) -> bool:
        return doc[match.end - 1].tag_ in ("NNS", "NNPS") or doc[match.end - 1].lower_.endswith("ts")

    def _titled_person(self, doc: Doc, m: _Mention, person_at: dict[int, Span], *,
                       guess_name: bool = False) -> Span | None:
        """The person this phrase is a title of: right after it ("President Xi", "counterpart, Xi",
        "Minister of Energy Nikolai Shulginov"), or just before it in apposition ("Lula, the President
        of Brazil")."""
        k = m.end
        while k < len(doc) and k - m.end < 2 and doc[k].lower_ in _APPOSITION:
            k += 1
        if k in person_at:
            return person_at[k]
        named = self._name_after_title(doc, k) if guess_name else None
        if named is not None:
            return named
        k = m.start - 1
        if k >= 1 and doc[k].lower_ == "the":
            k -= 1
        if k >= 1 and doc[k].text == "," and (k - 1) in person_at:
            return person_at[k - 1]
        return None

    def _name_after_title(self, doc: Doc, k: int) -> Span | None:
        """'Minister of Labour and Social Protection Anton Kotyakov', 'Minister Anton Kotyakov': a
        title's name that the statistical NER missed: the last two capitalised proper nouns of the
        capitalised run after the title (after "of", the office's own words come first), where the
        NER found no entity at all; linked when the base knows the name as written."""
        of = k < len(doc) and doc[k].lower_ == "of"
        i = k + 1 if of else k
        run: list[Token] = []
        while i < len(doc) and len(run) < _MAX_OF_TOKENS and (
                doc[i].is_title or (run and doc[i].lower_ in _OFFICE_JOINERS)):
            run.append(doc[i])
            i += 1
        while run and not run[-1].is_title:
            run.pop()
        if len(run) < (3 if of else 2):
            return None
        name = run[-2:]
        # Only where the NER saw nothing at all: a name it tagged in part is the linker's to mend.
        if any(t.ent_type_ for t in run) or not all(
                t.pos_ == "PROPN" and not t.is_upper and self.kb.country_of_word(t.text) is None
                for t in name):
            return None
        if i < len(doc) and doc[i].text[:1].isupper():
            return None  # the run stopped inside a longer name ("Nguyen Xuan Phuc(retranslated)")
        text = doc[name[0].i : name[1].i + 1].text
        ids = self.kb.by_alias.get(text, [])
        return Span(doc, name[0].i, name[1].i + 1, label="PERSON", kb_id=ids[0] if len(ids) == 1 else "")

    def _as_holder(self, name: Span, m: _Mention, day: dt.date, *, undated: bool = False) -> Span:
        """'Israeli Prime Minister Binyamin Netanyahu', 'Indian Prime Minister Singh': a name whose
        title's holder on the day has its surname (or its name's last word: the title already says
        which Singh) is that holder, whatever the spelling of the given name. In an undated article,
        whose day is a guess, the one holder of that office ever with that surname. A title without a
        country ("Prime Minister May") is looked up among that day's holders in every country."""
        if m.country is None and undated:
            return name
        last = ascii_fold(name[-1].text).lower()
        roles = set(m.roles)
        holders = [h for h in self.kb.by_where.get(m.country or "", [])
                   if any(o.role in roles and o.where == m.country for o in h.offices)] \
            if undated else self.kb.holders(m.roles, m.country, day)
        found = [h.id for h in holders
                 if last in {ascii_fold(x).lower() for x in [*self.kb.surnames_of(h), h.name.split()[-1]]}]
        if len(found) != 1:
            return name
        return Span(name.doc, name.start, name.end, label="PERSON", kb_id=found[0])

    # ---------------------------------------------------------------- counterparts

    def _counterparts(self, doc: Doc, leaders: dict[str, LeaderRef],
                      person_at: dict[int, Span], new: list[Span]) -> None:
        """'Obama met his Chinese counterpart', 'Lavrov and his Turkish counterpart': the holder, in
        that country, of the office of the leader named before it in the sentence; for heads of state
        or government, the country's leader. Unresolved when the text names the person itself."""
        for tok in doc:
            if tok.lemma_.lower() != "counterpart" or tok.tag_ != "NN" or tok.i + 1 in person_at:
                continue
            if tok.i + 2 < len(doc) and doc[tok.i + 1].text == "," and tok.i + 2 in person_at:
                continue  # "his Chinese counterpart, Wang Yi": named
            start, country = tok.i, None
            for width in (1, 2):
                k = tok.i - width
                if k >= 0 and (c := self.kb.country_of_word(doc[k:tok.i].text.removesuffix("'s"))):
                    start, country = k, c
            if country is None or len(country) != 2:
                continue
            owner = next((e.kb_id_ for e in reversed(doc.ents) if e.end <= start and e.sent == tok.sent
                          and e.label_ == "PERSON" and e.kb_id_ in leaders), None)
            owner_role = leaders[owner].role if owner is not None else None
            if owner is None or owner_role not in _ROLE_VALUES or leaders[owner].country == country:
                continue
            role = Role(owner_role)
            day = day_of(doc[start : tok.i + 1])
            found = (self.kb.paramount(country, day) if role in _HEADS
                     else self.kb.holders([role], country, day))
            if len(found) == 1:
                new.append(Span(doc, start, tok.i + 1, label="PERSON", kb_id=found[0].id))
                self._register(found[0].id, day, leaders)

    # ---------------------------------------------------------------- resolution

    def _title_unknown(self, doc: Doc, person: Span, m: _Mention, day: dt.date,
                       leaders: dict[str, LeaderRef], new: list[Span]) -> None:
        """A titled person the KB does not know: still a leader, under a stable name id."""
        if len(person) < 2:
            return  # a bare surname is too weak to mint an id from
        leader_id = f"name:{person.text}"
        new.append(Span(doc, person.start, person.end, label="PERSON", kb_id=leader_id))
        country = m.country if m.country and len(m.country) == 2 else None
        leaders.setdefault(leader_id, LeaderRef(leader_id, person.text, m.roles[0].value, country))

    def _holders_in(self, phrase: str, roles: Sequence[Role], country: str, day: dt.date,
                    leaders: dict[str, LeaderRef], undated: bool) -> list[str]:
        """Who a title of `country` denotes: the one holder the article itself names with it ("President
        of Vietnam Tran Duc Luong ... the Vietnamese President"), which beats the knowledge base's
        holder on a day that may be a guess (an undated article) or a gap in the base; else the
        base's holders on `day` ("leader": a supreme leader where the country has one that day, as
        the Soviet Union's party chief or Deng Xiaoping; else the country's paramount office)."""
        if phrase == self.leader_role_phrase:
            supreme = self.kb.holders([Role.SUPREME_LEADER], country, day)
            return [f.id for f in supreme or self.kb.paramount(country, day)]
        named = self._named_holders(roles, country, leaders, undated)
        return named if len(named) == 1 else [f.id for f in self.kb.holders(roles, country, day)]

    def _named_holders(self, roles: Sequence[Role], country: str, leaders: dict[str, LeaderRef],
                       undated: bool) -> list[str]:
        """People the article names who held one of `roles` in `country`: as titled here (a 'name:'
        id, which the knowledge base lacks), or, in an undated article, whose day is only a guess, by
        the base's terms on any date."""
        wanted = {r.value for r in roles}
        out = []
        for ref in leaders.values():
            leader = self.kb.by_id.get(ref.id)
            if leader is None:
                held = ref.country == country and ref.role in wanted
            else:
                held = undated and any(o.role.value in wanted and o.where == country for o in leader.offices)
            if held:
                out.append(ref.id)
        return out

    def _resolve(self, m: _Mention, phrase: str, day: dt.date, doc: Doc,
                 leaders: dict[str, LeaderRef]) -> str | None:
        if m.country is not None:
            named = self._holders_in(phrase, m.roles, m.country, day, leaders, bool(doc._.undated))
            return named[0] if len(named) == 1 else None
        # A bare title: the publisher's own office holder, else the one such person in this document
        # (in office that day, when the article also names a predecessor).
        home = doc._.home_country
        allowed = self.countries.get(phrase)
        if home and phrase != self.leader_role_phrase and (allowed is None or home in allowed):
            if doc._.undated:  # a guessed day: the holder the article itself names comes first
                named = self._named_holders(m.roles, home, leaders, True)
                if len(named) == 1:
                    return named[0]
            found = self.kb.holders(m.roles, home, day)
            if len(found) == 1:
                return found[0].id
        wanted = {r.value for r in m.roles}
        refs = [ref for ref in leaders.values() if ref.role in wanted
                and (allowed is None or ref.country in allowed)]
        in_doc = [ref.id for ref in refs if ref.id in self.kb.by_id]
        if not in_doc:  # "Prime Minister of Ruritania Jan Novak ... the Prime Minister": one entity
            in_doc = [ref.id for ref in refs]
        if len(in_doc) > 1:
            in_doc = [i for i in in_doc if self.kb.in_office(i, day)] or in_doc
        # "the chancellor ... the Reichstag in Berlin": a German office. Not on a publisher of another
        # country, whose "the Chancellor" is its own (Britain's Chancellor of the Exchequer).
        if not in_doc and allowed and home is None:
            where = self._countries_named(doc) & allowed if len(allowed) > 1 else allowed
            found = self.kb.holders(m.roles, next(iter(where)), day) if len(where) == 1 else []
            return found[0].id if len(found) == 1 else None
        return in_doc[0] if len(in_doc) == 1 else None

    def _countries_named(self, doc: Doc) -> set[str]:
        """Countries the article's places and nationality words are in."""
        out = set()
        for e in doc.ents:
            place = e._.place
            code = place[1] if place else (self.kb.country_of_word(e.text) if e.label_ == "NORP" else None)
            if code:
                out.add(code)
        return out


@Language.factory(
    "newswire_role_resolver_v1",
    default_config={"leaders_file": None},
    requires=["doc.ents", "doc._.leaders"],
    assigns=["doc.ents", "doc._.leaders"],
)
def make_role_resolver(nlp: Language, name: str, leaders_file: str | None) -> RoleResolver:
    ensure_extensions()
    return RoleResolver(nlp, load_knowledge(leaders_file))
