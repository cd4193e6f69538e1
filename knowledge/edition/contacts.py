"""The desks printed under a program: names, numbers, labels, whatever the layout.

Handles ○ and bullet items, two desks on one line, a [name](#) link, a qualifier in 【】,
「問合せ:」 desks, numbers on the next line (alone, with a label, or a name's tail in
parentheses), a list of names followed by their numbers, and tables of name | TEL.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.edition.model import PrintedDesk, PrintedPhone
from knowledge.edition.text import PHONE, phone_text, tidy, unmark

TEL = re.compile(r"(?:TEL|ＴＥＬ|Tel|tel|電話)\s*[:：]?\s*(?=[0０])")
_NUMBER = re.compile(r"0[\d\-]{6,15}\d")
_LABEL = re.compile(r"\s*[(（]([^)）]+)[)）]")
_QUALIFIER = re.compile(r"^【([^】]+)】\s*")
_INQUIRY = re.compile(r"^問合せ\s*[:：]\s*")
_TABLE_RULE = re.compile(r"^[|\s:\-]+$")


@dataclass
class _Item:
    name: str
    line: int
    qualifier: str | None = None
    role: str | None = None
    phones: list[PrintedPhone] = field(default_factory=list)

    def freeze(self) -> PrintedDesk:
        return PrintedDesk(tidy(self.name), tuple(self.phones), self.qualifier, self.role, self.line)


def starts_contacts(raw: str) -> bool:
    """Does this body line begin the desks of a program (rather than its description)?"""
    s = raw.strip()
    if s.startswith("- ") and not s.startswith("- ・"):
        s = s[2:].lstrip()
    return (s.startswith(("○", "[", "|", "問合せ")) or bool(TEL.match(s))
            or bool(TEL.search(s) and PHONE.search(phone_text(s))))


def _phones(text: str) -> list[PrintedPhone]:
    """Every number after a TEL in text, with a label printed in parentheses right after it."""
    found = []
    for part in TEL.split(text)[1:]:
        m = _NUMBER.match(phone_text(part))  # same length: only digits and dashes change width
        if m:
            label = _LABEL.match(part, m.end())
            found.append(PrintedPhone(m.group(0), tidy(label.group(1)) if label else None))
    return found


def _split_name(chunk: str) -> tuple[str, list[PrintedPhone]]:
    """「name TEL n (label) TEL m」 → name and its numbers."""
    m = TEL.search(chunk)
    if not m:
        return chunk.strip(), []
    return chunk[:m.start()].strip(), _phones(chunk[m.start():])


def _new_item(chunk: str, line: int) -> _Item:
    chunk = chunk.strip()
    role = None
    if _INQUIRY.match(chunk):
        role, chunk = "問合せ", _INQUIRY.sub("", chunk)
    qualifier = None
    if m := _QUALIFIER.match(chunk):
        qualifier, chunk = tidy(m.group(1)), chunk[m.end():]
    name, phones = _split_name(chunk)
    return _Item(name, line, qualifier, role, phones)


def _target(items: list[_Item]) -> _Item:
    """Where a number printed on its own line belongs: the first of the trailing desks that have
    none yet (a list of names, then their numbers), else the last desk (a second number)."""
    if items[-1].phones:
        return items[-1]
    k = len(items) - 1
    while k > 0 and not items[k - 1].phones:
        k -= 1
    return items[k]


def _continue(items: list[_Item], chunk: str) -> None:
    """A line that starts no desk: a number, a labelled number, or the tail of a desk's name."""
    head, phones = _split_name(chunk)
    label = None
    if m := _QUALIFIER.match(head):  # 【IP 電話用】TEL …
        label, head = tidy(m.group(1)), head[m.end():].strip()
    target = _target(items) if phones else items[-1]
    if head and re.fullmatch(r"[(（].+[)）]", head) and not target.phones:
        target.name += head  # 「(ポリテクセンター福島) TEL …」 finishes the name above
    elif head:
        label = tidy(head)  # 「母子保健係 TEL …」
    elif not phones:
        return
    for i, p in enumerate(phones):
        target.phones.append(PrintedPhone(p.number, p.label or (label if i == 0 else None)))


def _chunks(raw: str) -> tuple[bool, list[str]]:
    """Split one line into desk chunks; True when the first chunk starts a desk."""
    s = raw.strip()
    bullet = s.startswith("- ")
    s = s[2:].lstrip() if bullet else s
    if s.startswith("|"):
        if _TABLE_RULE.match(s):
            return False, []
        bullet, s = False, " ".join(c.strip() for c in s.strip("|").split("|")).strip()
        if not s:
            return False, []
    link_first = s.startswith("[")
    s = unmark(s)
    parts = re.split(r"\s*○\s*", s)
    first = parts[0].strip()
    starts = bullet or link_first or bool(_INQUIRY.match(first)) or (not first and len(parts) > 1)
    chunks = ([first] if first else []) + [p for p in parts[1:] if p.strip()]
    return starts or s.lstrip().startswith("○"), chunks


def parse_desks(lines: list[tuple[int, str]]) -> list[PrintedDesk]:
    """The desks of one program from its contact lines (1-based line number, raw text)."""
    items: list[_Item] = []
    for line_no, raw in lines:
        starts, chunks = _chunks(raw)
        for k, chunk in enumerate(chunks):
            if k == 0 and not starts and items:
                _continue(items, chunk)
            else:
                items.append(_new_item(chunk, line_no))
    return [i.freeze() for i in items if i.name or i.phones]
