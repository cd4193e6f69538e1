"""Load the knowledge files, validate them once, and turn them into frozen records.

Every problem is reported with the file, the record and the field, so a broken edit
stops the server at start-up instead of sending someone to the wrong desk.
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from types import MappingProxyType
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from knowledge.models import (
    Contact, Document, Erratum, Evidence, Example, Frame, Indicator, Knowledge, Language, Phone, Pillar, Program,
    ProgramContact, Quantity, ScopeCue, Section, Series, Tag, ThingKind, Vocabulary, VocabularyEntry,
)

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
SCHEMA_DIR = PACKAGE_DIR / "schema"
EXAMPLES_FILE = DATA_DIR / "examples.json"
FILES = ("policy", "programs", "contacts", "indicators", "errata", "vocabulary", "frames", "trades", "scope", "cues")


class KnowledgeError(ValueError):
    """The data files are inconsistent; `problems` lists each with its place."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("knowledge data is invalid:\n  " + "\n  ".join(problems))


def schema_registry() -> Registry:
    """Make every schema in schema/ resolvable by its file name, for $ref."""
    registry = Registry()
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(contents)
        registry = registry.with_resource(path.name, resource).with_resource(contents["$id"], resource)
    return registry


def load_schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


def inline_refs(node: Any, root: dict[str, Any], common: dict[str, Any]) -> Any:
    """Replace each `$ref` to a $defs entry by the definition itself.

    The schemas have no recursive definitions, and resolving references while
    validating 2,000 records costs more than half of the start-up check.
    """
    if isinstance(node, list):
        return [inline_refs(v, root, common) for v in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and len(node) == 1:
        for prefix, owner in (("common.schema.json#/$defs/", common), ("#/$defs/", root)):
            if ref.startswith(prefix):
                return inline_refs(owner["$defs"][ref[len(prefix):]], owner, common)
    return {k: inline_refs(v, root, common) for k, v in node.items()}


def validation_schema(name: str) -> dict[str, Any]:
    """The schema of one file with its references inlined, ready for fast validation."""
    schema = load_schema(name)
    return inline_refs(schema, schema, load_schema("common"))


def _place(file: str, doc: Any, path: list[Any]) -> str:
    """Name a place like `programs.json: programs[3] (id 1-1-4) › contacts[0].phones[1]`."""
    if len(path) < 2 or not isinstance(path[1], int):
        return f"{file}: " + (".".join(map(str, path)) or "(top level)")
    record = doc[path[0]][path[1]]
    rid = record.get("id") if isinstance(record, dict) else None
    head = f"{path[0]}[{path[1]}]" + (f" (id {rid})" if rid else "")
    rest = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path[2:]).lstrip(".")
    return f"{file}: {head}" + (f" › {rest}" if rest else "")


def validate_document(name: str, doc: Any, registry: Registry | None = None) -> list[str]:
    """Check one file against its JSON Schema; return the problems."""
    validator = Draft202012Validator(validation_schema(name), registry=registry or schema_registry())
    problems = []
    for err in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        problems.append(f"{_place(name + '.json', doc, list(err.absolute_path))}: {err.message}")
    return problems


def read_documents(data_dir: Path) -> tuple[dict[str, Any], list[str]]:
    docs, problems = {}, []
    for name in FILES:
        path = data_dir / f"{name}.json"
        try:
            docs[name] = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            problems.append(f"{name}.json: file is missing in {data_dir}")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            problems.append(f"{name}.json: not valid JSON: {exc}")
    return docs, problems


def _duplicates(file: str, key: str, records: list[dict[str, Any]], field: str = "id") -> list[str]:
    seen: dict[str, int] = {}
    problems = []
    for i, rec in enumerate(records):
        value = rec[field]
        if value in seen:
            problems.append(f"{file}: {key}[{i}] (id {value}) › {field}: duplicate of {key}[{seen[value]}]")
        seen.setdefault(value, i)
    return problems


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def evidence_problems(where: str, prog: dict[str, Any], texts: dict[str, str]) -> list[str]:
    """Each kind and tag has a quote, each quote a claim, and the quote is in the program's own text.

    `texts` gives the program's name, description, indicator names and desk names; the quote is
    checked against the printed document itself by knowledge/fidelity.py.
    """
    problems = []
    for field in ("kinds", "tags"):
        quotes = prog["evidence"][field]
        problems += [f"{where} › {field}: {c!r} has no evidence" for c in prog[field] if c not in quotes]
        problems += [f"{where} › evidence.{field}: {c!r} is not one of the {field}" for c in quotes if c not in prog[field]]
        problems += [f"{where} › evidence.{field}.{c}: 「{q['phrase']}」 is not in the program's {q['in']}"
                     for c, q in quotes.items() if _squeeze(q["phrase"]) not in _squeeze(texts[q["in"]])]
    return problems


def _evidence_texts(prog: dict[str, Any], indicators: dict[str, dict[str, Any]], desk_names: dict[str, str]) -> dict[str, str]:
    indicator = indicators.get(prog["indicator_id"] or "", {})
    return {"name": prog["name"], "description": prog["description"],
            "indicator": "\n".join(filter(None, (indicator.get("name"), indicator.get("former_name")))),
            "desk": "\n".join(c.get("printed_name") or desk_names.get(c["contact_id"], "") for c in prog["contacts"])}


def cross_check(docs: dict[str, Any]) -> list[str]:
    """Find what a schema cannot see: duplicates and references that do not resolve."""
    programs, contacts = docs["programs"]["programs"], docs["contacts"]["contacts"]
    indicators, vocab = docs["indicators"]["indicators"], docs["vocabulary"]
    sections = {s["id"] for p in docs["policy"]["pillars"] for s in p["sections"]}
    problems = (_duplicates("programs.json", "programs", programs) + _duplicates("contacts.json", "contacts", contacts)
                + _duplicates("indicators.json", "indicators", indicators)
                + _duplicates("errata.json", "errata", docs["errata"]["errata"])
                + _duplicates("vocabulary.json", "tags", vocab["tags"]))
    desk_phones = {c["id"]: {p["number"] for p in c["phones"]} for c in contacts}
    indicator_by_id = {k["id"]: k for k in indicators}
    indicator_ids = set(indicator_by_id)
    desk_names = {c["id"]: c["name"] for c in contacts}
    tag_ids, kind_ids = {t["id"] for t in vocab["tags"]}, {k["id"] for k in vocab["kinds"]}
    program_ids = {p["id"] for p in programs}
    for i, prog in enumerate(programs):
        where = f"programs.json: programs[{i}] (id {prog['id']})"
        if prog["id"] != f"{prog['pillar']}-{prog['section']}-{prog['number']}":
            problems.append(f"{where} › id: does not match pillar, section and number")
        if f"{prog['pillar']}-{prog['section']}" not in sections:
            problems.append(f"{where} › section: no section {prog['pillar']}-{prog['section']} in policy.json")
        for j, c in enumerate(prog["contacts"]):
            if c["contact_id"] not in desk_phones:
                problems.append(f"{where} › contacts[{j}].contact_id: unknown desk {c['contact_id']}")
                continue
            for n in c["phones"]:
                if n not in desk_phones[c["contact_id"]]:
                    problems.append(f"{where} › contacts[{j}].phones: {n} is not a number of {c['contact_id']} in contacts.json")
        if prog.get("shared_text_with") not in program_ids - {prog["id"]} | {None}:
            problems.append(f"{where} › shared_text_with: unknown program {prog['shared_text_with']}")
        problems += [f"{where} › short_name_notes: {n!r} is not one of the short names"
                     for n in prog.get("short_name_notes", {}) if n not in prog["short_names"]]
        if prog["indicator_id"] is not None and prog["indicator_id"] not in indicator_ids:
            problems.append(f"{where} › indicator_id: unknown indicator {prog['indicator_id']}")
        problems += [f"{where} › tags: unknown tag {t!r}" for t in prog["tags"] if t not in tag_ids]
        problems += [f"{where} › kinds: unknown kind {k!r}" for k in prog["kinds"] if k not in kind_ids]
        problems += evidence_problems(where, prog, _evidence_texts(prog, indicator_by_id, desk_names))
    problems += _check_frames(docs["frames"], tag_ids)
    for i, ind in enumerate(indicators):
        where = f"indicators.json: indicators[{i}] (id {ind['id']})"
        if ind["program_id"] is not None and ind["program_id"] not in program_ids:
            problems.append(f"{where} › program_id: unknown program {ind['program_id']}")
        if ind["section_id"] is not None and ind["section_id"] not in sections:
            problems.append(f"{where} › section_id: unknown section {ind['section_id']}")
    for i, entry in enumerate(vocab["entries"]):
        where = f"vocabulary.json: entries[{i}] ({entry['words'][0]})"
        problems += [f"{where} › tags: unknown tag {t!r}" for t in entry.get("tags", []) if t not in tag_ids]
        problems += [f"{where} › kinds: unknown kind {k!r}" for k in entry.get("kinds", []) if k not in kind_ids]
    return problems


def _check_frames(frames: dict[str, Any], tag_ids: set[str]) -> list[str]:
    """Each frame names known tags and known kinds of thing."""
    thing_ids = {t["id"] for t in frames["things"]}
    problems = _duplicates("frames.json", "things", frames["things"]) + _duplicates("frames.json", "frames", frames["frames"])
    for i, frame in enumerate(frames["frames"]):
        where = f"frames.json: frames[{i}] (id {frame['id']})"
        problems += [f"{where} › tags: unknown tag {t!r}" for t in frame["tags"] if t not in tag_ids]
        problems += [f"{where} › things: unknown kind of thing {t!r}" for t in frame["things"] if t not in thing_ids]
    for i, rewrite in enumerate(frames.get("dialect", ())):
        where = f"frames.json: dialect[{i}] ({rewrite['said']})"
        try:
            changed = re.sub(rewrite["said"], rewrite["standard"], rewrite["example"]) != rewrite["example"]
        except re.error as e:
            problems.append(f"{where} › said: not a regular expression ({e})")
            continue
        if not changed:
            problems.append(f"{where} › example: the rewrite does not change its own example")
    return problems


def build_language(docs: dict[str, Any]) -> Language:
    """The frames, trades, scope cues and dialogue cues as records."""
    frames, cues = docs["frames"], docs["cues"]
    word_tables = {k: tuple(v) for k, v in cues.items() if isinstance(v, list)}
    return Language(
        things=tuple(ThingKind(t["id"], t["label"], tuple(t["suffixes"]), tuple(t["words"]), t["use_trades"],
                               tuple(t["heads"]), t["open"], tuple(t.get("exclude", ())))
                     for t in frames["things"]),
        frames=tuple(Frame(f["id"], tuple(f["tags"]), f["label"], tuple(f["things"]), tuple(f["actions"]),
                           tuple(f["weak_actions"]), tuple(f["negated_actions"]), f["fallback"])
                     for f in frames["frames"]),
        intent_markers=tuple(frames["intent_markers"]), negations=tuple(frames["negations"]),
        trades=frozenset(docs["trades"]["trades"]),
        scope=tuple(ScopeCue(c["side"], c["topic"], float(c["weight"]), tuple(c["words"])) for c in docs["scope"]["cues"]),
        cues=MappingProxyType(word_tables),
        unanswerable=MappingProxyType({k: tuple(v) for k, v in cues["unanswerable"].items()}),
        levels=MappingProxyType({k: tuple(v) for k, v in cues["levels"].items()}),
        audiences=tuple(frames.get("audiences", ())),
        dialect=tuple((d["said"], d["standard"]) for d in frames.get("dialect", ())),
        owners=tuple(docs["scope"].get("owners", ())),
        counterpart_particles=tuple(docs["scope"].get("counterparts", {}).get("particles", ())),
        counterpart_verbs=tuple(docs["scope"].get("counterparts", {}).get("verbs", ())),
        colleagues=tuple(docs["scope"].get("counterparts", {}).get("colleagues", ())))


def summarize(description: str, limit: int = 80) -> str:
    """Take the first sentence of a description as the one-line summary."""
    first = re.split(r"(?<=。)", description.split("\n")[0], maxsplit=1)[0].strip()
    return first if len(first) <= limit else first[: limit - 1] + "…"


def program_summary(raw: dict[str, Any], names: dict[str, str]) -> str:
    """The one-line summary; a description shared with another program says so wherever it is shown."""
    shared = raw.get("shared_text_with")
    return (f"【{names[shared]}と共通の説明】" if shared else "") + summarize(raw["description"])


def _evidence(raw: dict[str, dict[str, dict[str, str]]]) -> tuple[Evidence, ...]:
    return tuple(Evidence(about, claim, q["phrase"], q["in"])
                 for about, field in (("kind", "kinds"), ("tag", "tags")) for claim, q in raw[field].items())


def _quantity(raw: dict[str, Any] | None) -> Quantity | None:
    return None if raw is None else Quantity(raw["text"], raw["value"], raw["unit"], raw.get("year"), raw.get("qualifier"))


def read_examples(path: Path = EXAMPLES_FILE) -> dict[str, Any]:
    """The labelled example messages; they belong to the assistant, not to an edition, so every edition uses them."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    problems = validate_document("examples", doc)
    if problems:
        raise KnowledgeError(problems)
    return doc


@functools.cache
def _packaged_examples() -> dict[str, Any]:
    """The package's examples, read and validated once per process (0.14 s): every edition built, checked or
    switched to uses the same file."""
    return read_examples()


def current_examples(doc: dict[str, Any], programs: tuple[Program, ...]) -> tuple[Example, ...]:
    """The examples with the labels that still mean the program they meant: an id an edition gave to another
    program (its name changed) or dropped is left out, and an example with no label left is too."""
    names = {p.id: p.name for p in programs}
    meant = doc["program_names"]
    examples = []
    for e in doc["examples"]:
        ids = tuple(i for i in e["programs"] if i in names and meant.get(i) == names[i])
        if ids:
            examples.append(Example(e["text"], ids))
    return tuple(examples)


def build(docs: dict[str, Any]) -> Knowledge:
    """Turn validated documents into records, with the package's labelled examples that still fit them."""
    contacts = tuple(Contact(c["id"], c["name"], c["level"], tuple(Phone(p["number"], p["label"]) for p in c["phones"]))
                     for c in docs["contacts"]["contacts"])
    contact_by_id = {c.id: c for c in contacts}
    names = {p["id"]: p["name"] for p in docs["programs"]["programs"]}
    programs = tuple(
        Program(
            id=p["id"], pillar=p["pillar"], section=p["section"], number=p["number"], name=p["name"],
            short_names=tuple(p["short_names"]), description=p["description"], summary=program_summary(p, names),
            page=p["page"], page_inferred=p["page_inferred"],
            contacts=tuple(ProgramContact(contact_by_id[c["contact_id"]], tuple(c["phones"]), c.get("printed_name"),
                                          c.get("qualifier"), c.get("role")) for c in p["contacts"]),
            indicator_id=p["indicator_id"], tags=tuple(p["tags"]), kinds=tuple(p["kinds"]),
            shared_text_with=p.get("shared_text_with"), description_note=p.get("description_note"),
            short_name_notes=tuple(p.get("short_name_notes", {}).items()), evidence=_evidence(p["evidence"]))
        for p in docs["programs"]["programs"])
    indicators = tuple(
        Indicator(k["id"], k["number"], k["name"], k["former_name"],
                  tuple(Series(s["label"], _quantity(s["baseline"]), _quantity(s["target"]),
                               tuple((year, _quantity(q)) for year, q in s["actuals"].items())) for s in k["series"]),
                  k["program_id"], k["section_id"], k["page"])
        for k in docs["indicators"]["indicators"])
    pillars = tuple(
        Pillar(p["number"], p["title"], p["page"],
               tuple(Section(s["id"], p["number"], s["number"], s["title"], s["page"], s["indicator_id"]) for s in p["sections"]))
        for p in docs["policy"]["pillars"])
    vocab = docs["vocabulary"]
    vocabulary = Vocabulary(
        tags=tuple(Tag(t["id"], t["label"], t["chip"], t.get("also_personal", False)) for t in vocab["tags"]),
        kinds=tuple(k["id"] for k in vocab["kinds"]),
        entries=tuple(VocabularyEntry(tuple(e["words"]), tuple(e.get("tags", ())), tuple(e.get("kinds", ())),
                                      tuple(e.get("terms", ()))) for e in vocab["entries"]))
    return Knowledge(
        document=Document(**docs["policy"]["document"]), pillars=pillars, programs=programs, contacts=contacts,
        indicators=indicators, errata=tuple(Erratum(**e) for e in docs["errata"]["errata"]), vocabulary=vocabulary,
        language=build_language(docs), program_by_id=MappingProxyType({p.id: p for p in programs}), contact_by_id=MappingProxyType(contact_by_id),
        indicator_by_id=MappingProxyType({k.id: k for k in indicators}),
        section_by_id=MappingProxyType({s.id: s for p in pillars for s in p.sections}),
        examples=current_examples(_packaged_examples(), programs))


def check_documents(docs: dict[str, Any]) -> list[str]:
    """Schema problems first; cross-references only when every file is well-formed."""
    registry = schema_registry()
    problems = [msg for name in FILES if name in docs for msg in validate_document(name, docs[name], registry)]
    if problems or len(docs) < len(FILES):
        return problems
    return cross_check(docs)


def load_knowledge(data_dir: Path | str | None = None) -> Knowledge:
    """Read, validate and build the knowledge base; raise KnowledgeError naming every problem."""
    docs, problems = read_documents(Path(data_dir) if data_dir else DATA_DIR)
    problems += check_documents(docs)
    if problems:
        raise KnowledgeError(problems)
    return build(docs)
