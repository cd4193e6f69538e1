"""Frozen records of the knowledge base; the rest of the code never sees raw JSON."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True)
class Phone:
    number: str
    label: str | None


@dataclass(frozen=True)
class Contact:
    """A desk, once, with every number the document prints for it."""
    id: str
    name: str
    level: str
    phones: tuple[Phone, ...]

    def label_of(self, number: str) -> str | None:
        return next((p.label for p in self.phones if p.number == number), None)


@dataclass(frozen=True)
class ProgramContact:
    """A desk as one program's page lists it: the numbers printed there."""
    contact: Contact
    phones: tuple[str, ...]
    printed_name: str | None = None
    qualifier: str | None = None
    role: str | None = None

    @property
    def name(self) -> str:
        return self.printed_name or self.contact.name


@dataclass(frozen=True)
class Quantity:
    text: str | None
    value: float | int | None
    unit: str | None
    year: str | None = None
    qualifier: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The figure as the data files and the API write it (year and qualifier only when printed)."""
        data: dict[str, Any] = {"text": self.text, "value": self.value, "unit": self.unit}
        if self.year:
            data["year"] = self.year
        if self.qualifier:
            data["qualifier"] = self.qualifier
        return data


@dataclass(frozen=True)
class Series:
    label: str | None
    baseline: Quantity
    target: Quantity
    actuals: tuple[tuple[str, Quantity | None], ...]


@dataclass(frozen=True)
class Indicator:
    id: str
    number: int
    name: str
    former_name: str | None
    series: tuple[Series, ...]
    program_id: str | None
    section_id: str | None
    page: int


@dataclass(frozen=True)
class Section:
    id: str
    pillar: int
    number: int
    title: str
    page: int
    indicator_id: str | None


@dataclass(frozen=True)
class Pillar:
    number: int
    title: str
    page: int
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Evidence:
    """A phrase the document prints for a program, quoted for one of its kinds of support or needs tags."""
    about: str   # "kind" or "tag"
    claim: str   # the kind or the tag it supports
    phrase: str
    part: str    # where the document prints it: name, description, indicator or desk


@dataclass(frozen=True)
class Program:
    id: str
    pillar: int
    section: int
    number: int
    name: str
    short_names: tuple[str, ...]
    description: str
    summary: str
    page: int
    page_inferred: bool
    contacts: tuple[ProgramContact, ...]
    indicator_id: str | None
    tags: tuple[str, ...]
    kinds: tuple[str, ...]
    shared_text_with: str | None = None
    description_note: str | None = None     # why the description is not the program's own printed text
    short_name_notes: tuple[tuple[str, str], ...] = ()  # a short name the document does not print, and why it is kept
    evidence: tuple[Evidence, ...] = ()

    @property
    def section_id(self) -> str:
        return f"{self.pillar}-{self.section}"

    @property
    def phones(self) -> tuple[str, ...]:
        return tuple(n for c in self.contacts for n in c.phones)

    def evidence_for(self, about: str, claim: str) -> Evidence | None:
        return next((e for e in self.evidence if e.about == about and e.claim == claim), None)

    def short_name_note(self, name: str) -> str | None:
        return next((note for n, note in self.short_name_notes if n == name), None)

    @property
    def page_label(self) -> str:
        """The source page as cited to users; a page not in the table of contents is marked 推定."""
        return f"p.{self.page}" + ("(推定)" if self.page_inferred else "")


@dataclass(frozen=True)
class Erratum:
    id: str
    kind: str
    target: str
    field: str
    where: str
    original: str
    corrected: str
    reason: str


@dataclass(frozen=True)
class Tag:
    id: str
    label: str
    chip: str
    also_personal: bool = False  # residents have this need in their own lives too (子育て, ごみ)


@dataclass(frozen=True)
class VocabularyEntry:
    """Everyday words owners use, and what they mean in the program data."""
    words: tuple[str, ...]
    tags: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    tags: tuple[Tag, ...]
    kinds: tuple[str, ...]
    entries: tuple[VocabularyEntry, ...]


@dataclass(frozen=True)
class ThingKind:
    """A kind of thing a need hangs on (a trade, people, equipment, a shop), recognised by its form."""
    id: str
    label: str
    suffixes: tuple[str, ...]
    words: tuple[str, ...]
    use_trades: bool
    heads: tuple[str, ...] = ()
    open: bool = False
    exclude: tuple[str, ...] = ()  # words that end like the kind but are not of it (無職, 相手)


@dataclass(frozen=True)
class Frame:
    """A need built from parts: a thing of some kind plus an action (パン屋 + 開く → 創業)."""
    id: str
    tags: tuple[str, ...]
    label: str
    things: tuple[str, ...]
    actions: tuple[str, ...]
    weak_actions: tuple[str, ...]
    negated_actions: tuple[str, ...]
    fallback: bool = False


@dataclass(frozen=True)
class ScopeCue:
    """Evidence that a message is a business's need or someone's personal matter."""
    side: str
    topic: str
    weight: float
    words: tuple[str, ...]


@dataclass(frozen=True)
class Language:
    """How needs and dialogue moves are said: frames, trades, scope cues and dialogue cues."""
    things: tuple[ThingKind, ...]
    frames: tuple[Frame, ...]
    intent_markers: tuple[str, ...]
    negations: tuple[str, ...]
    trades: frozenset[str]
    scope: tuple[ScopeCue, ...]
    cues: Mapping[str, tuple[str, ...]]
    unanswerable: Mapping[str, tuple[str, ...]]
    levels: Mapping[str, tuple[str, ...]]
    audiences: tuple[str, ...] = ()
    dialect: tuple[tuple[str, str], ...] = ()  # (said, as a regular expression; standard), applied in order
    owners: tuple[str, ...] = ()  # a person or a home owning a thing (家の冷蔵庫): no sign of a business
    counterpart_particles: tuple[str, ...] = ()  # 会社を辞めた, 店で買った: the business is the speaker's
    counterpart_verbs: tuple[str, ...] = ()      # counterpart, not the speaker's own (scope.json "counterparts")
    colleagues: tuple[str, ...] = ()             # 会社の上司: the business is the speaker's employer


@dataclass(frozen=True)
class Example:
    """A labelled message: what an owner wrote, and the programs a desk officer names for it, best first."""
    text: str
    programs: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    title: str
    issued: str
    publisher: str
    source_file: str

    @property
    def edition(self) -> str:
        """The fiscal year the document is for, as its title prints it (令和7年度)."""
        m = re.search(r"(?:令和|平成)(?:\d+|元)年度", self.title)
        return m.group(0) if m else self.issued


@dataclass(frozen=True)
class Knowledge:
    """Everything the assistant may say, validated and cross-referenced."""
    document: Document
    pillars: tuple[Pillar, ...]
    programs: tuple[Program, ...]
    contacts: tuple[Contact, ...]
    indicators: tuple[Indicator, ...]
    errata: tuple[Erratum, ...]
    vocabulary: Vocabulary
    language: Language
    program_by_id: Mapping[str, Program] = field(repr=False)
    contact_by_id: Mapping[str, Contact] = field(repr=False)
    indicator_by_id: Mapping[str, Indicator] = field(repr=False)
    section_by_id: Mapping[str, Section] = field(repr=False)
    version: str | None = None  # the stored version in use; None for the data the server started with
    examples: tuple[Example, ...] = field(default=(), repr=False)  # labelled messages (examples.json)

    @property
    def edition(self) -> str:
        """Which edition answers come from, for citing: 第2期福島市中小企業振興プログラム(令和7年度)."""
        return self.document.title

    def programs_of_contact(self, contact_id: str) -> tuple[Program, ...]:
        return tuple(p for p in self.programs if any(c.contact.id == contact_id for c in p.contacts))

    def programs_by_phone(self, contact: Contact) -> tuple[tuple[Phone, tuple[Program, ...]], ...]:
        """Each number of a desk with the programs whose entry prints it: one desk may print one number per program."""
        programs = self.programs_of_contact(contact.id)
        return tuple((phone, tuple(p for p in programs
                                   if any(c.contact.id == contact.id and phone.number in c.phones for c in p.contacts)))
                     for phone in contact.phones)

    def phone_depends_on_program(self, contact: Contact) -> bool:
        """True when the desk's numbers are printed for different programs, so a number needs its programs named."""
        return len({programs for _, programs in self.programs_by_phone(contact)}) > 1

    def all_phone_numbers(self) -> frozenset[str]:
        return frozenset(ph.number for c in self.contacts for ph in c.phones)
