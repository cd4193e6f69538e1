"""An independent reading of the source document, for cross-checking the data.

Deliberately simple: it finds program headings in the body by their circled numbers
(in sequence within each section) and the phone numbers printed under each.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "knowledge" / "source" / "shinko_program_r7.txt"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PHONE = re.compile(r"0\d{1,4}-\d{2,6}(?:-\d{3,4})?")


@dataclass
class Block:
    id: str
    heading: str
    phones: list[str] = field(default_factory=list)


def lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").split("\n")


def body_range(text: list[str]) -> tuple[int, int]:
    toc_end = next(i for i, l in enumerate(text) if l.strip().startswith("成果指標一覧"))
    start = next(i for i, l in enumerate(text) if i > toc_end and l.startswith("1 経営の革新"))
    end = max(i for i, l in enumerate(text) if l.strip() == "成果指標一覧")
    return start, end


def program_blocks() -> list[Block]:
    text = lines()
    start, end = body_range(text)
    blocks: list[Block] = []
    pillar = section = 0
    expected = 1
    skip = 0
    for line in text[start:end]:
        s = line.strip()
        if skip:
            skip -= 1
            continue
        m = re.match(r"^([1-8]) \S", s)
        if m and "TEL" not in s and int(m.group(1)) != pillar:
            pillar, section = int(m.group(1)), 0
            continue
        m = re.match(r"^\((\d)\)", s)
        if m:
            section, expected = int(m.group(1)), 1
            continue
        if s.startswith("成果指標"):
            skip = 2  # the table's header row and its values
            continue
        m = re.match(f"^([{CIRCLED}])\\s*(.+)$", s)
        if m and CIRCLED.index(m.group(1)) + 1 == expected:
            blocks.append(Block(f"{pillar}-{section}-{expected}", m.group(2)))
            expected += 1
            continue
        if blocks:
            blocks[-1].phones += PHONE.findall(s)
    return blocks


def indicator_rows() -> list[list[str]]:
    """The rows of the 成果指標一覧 table at the end, split into cells."""
    text = lines()
    _, end = body_range(text)
    return [l.split("\t") for l in text[end:] if l[:1] and l[:1] in CIRCLED]
