"""Indicator tables: the cells of a row as figures (30,926 t (R1) → 30926, t, 令和元年度).

Used for both the list at the end (成果指標一覧) and the tables printed under programs.
"""
from __future__ import annotations

import re

from knowledge.edition.model import IndicatorRow
from knowledge.models import Quantity, Series
from knowledge.edition.text import CIRCLED_CLASS, circled_value, tidy

NUMBER = r"\d[\d,]*(?:\.\d+)?"
_SINGLE = re.compile(rf"^(?P<num>{NUMBER})\s*(?P<unit>[^\s(（\d][^\s(（]*)?\s*"
                     r"(?P<note>[(（][^)）]*[)）])?\s*(?P<qual>以下|以上)?$")
_LABELLED = re.compile(rf"(?P<label>[\u3040-\u30ff\u3400-\u9fff]+)\s*(?P<num>{NUMBER})\s*(?P<unit>[^\s\d]+)")
_DASH = re.compile(r"^[—―\-－ー‐]$")
YEAR_HEADER = re.compile(r"(\d+)\s*年度")
BASELINE_YEAR = re.compile(r"基準値\s*((?:令和|平成)\s*(?:\d+|元)\s*年度)")
LIST_ROW = re.compile(rf"^({CIRCLED_CLASS})\s+(.+)$")
FORMER = re.compile(r"^(.*\S)\s+[(（]([^()（）]+)[)）]$")


def _value(num: str) -> int | float:
    plain = num.replace(",", "")
    return float(plain) if "." in plain else int(plain)


def note_year(note: str) -> str | None:
    """(R1) → 令和元年度, (R3.8 月現在) → 令和3年8月現在: the year a baseline was measured in."""
    m = re.match(r"[(（]\s*R\s*(\d+)(?:\.(\d+)\s*月\s*(現在)?)?\s*[)）]", note)
    if not m:
        return None
    year = "元" if m.group(1) == "1" else m.group(1)
    return f"令和{year}年{m.group(2)}月{m.group(3) or ''}" if m.group(2) else f"令和{year}年度"


def parse_figure(cell: str, default_year: str | None = None) -> Quantity | None:
    """One figure; None for an empty cell, a text-only figure for a dash or anything unreadable."""
    cell = cell.strip()
    if not cell:
        return None
    if _DASH.match(cell):
        return Quantity(cell, None, None, default_year)
    m = _SINGLE.match(cell)
    if not m:
        return Quantity(tidy(cell), None, None, default_year)
    note = re.sub(r"\s+", "", m.group("note") or "")
    text = m.group("num") + (m.group("unit") or "") + note + (f" {m.group('qual')}" if m.group("qual") else "")
    year = note_year(m.group("note") or "") or default_year
    return Quantity(text, _value(m.group("num")), m.group("unit"), year, m.group("qual"))


def _labelled(cell: str) -> list[tuple[str, str, str]]:
    """The parts of a cell like 「複数 1 世帯/年 単身 1 世帯/年」; empty unless the cell is only such parts."""
    parts = _LABELLED.findall(cell)
    return parts if len(parts) > 1 and re.sub(r"\s+", "", _LABELLED.sub("", cell)) == "" else []


def parse_series(cells: list[str], baseline_year: str | None, years: list[str]) -> tuple[Series, ...]:
    """Cells [baseline, target, actual…] as one series, or one per label (複数 … 単身 …)."""
    cells = cells + [""] * (2 + len(years) - len(cells))
    labelled = [_labelled(c) for c in cells]
    width = max(len(parts) for parts in labelled)
    if width < 2:
        figures = [parse_figure(c, baseline_year if i == 0 else None) for i, c in enumerate(cells)]
        return (Series(None, figures[0] or Quantity(None, None, None, baseline_year),
                             figures[1] or Quantity(None, None, None),
                             tuple(zip(years, figures[2:2 + len(years)]))),)
    series = []
    for k in range(width):
        parts = [p[k] if k < len(p) else None for p in labelled]
        label = parts[0][0] + parts[0][2].split("/")[0] if parts[0] else None
        figures = [parse_figure(f"{p[1]} {p[2]}", baseline_year if i == 0 else None) if p else None
                   for i, p in enumerate(parts)]
        series.append(Series(label, figures[0] or Quantity(None, None, None), figures[1] or Quantity(None, None, None),
                                   tuple(zip(years, figures[2:2 + len(years)]))))
    return tuple(series)


def table_header(first: str, second: str) -> tuple[str | None, list[str]]:
    """The baseline year from the first header row and the actuals' years from the second."""
    m = BASELINE_YEAR.search(first)
    baseline = re.sub(r"\s+", "", m.group(1)) if m else None
    if baseline and baseline.startswith("令和1年"):
        baseline = baseline.replace("令和1年", "令和元年")
    return baseline, [f"{n}年度" for n in YEAR_HEADER.findall(second)]


def cells_of(row: str) -> list[str]:
    return [c.strip() for c in row.strip().split("\t")]


def split_former(name: str) -> tuple[str, str | None]:
    """「名 (旧名)」 → (名, 旧名); a parenthesis without a space before it is part of the name."""
    m = FORMER.match(name.strip())
    return (tidy(m.group(1)), tidy(m.group(2))) if m else (tidy(name), None)


def body_row(number: int, row: str, baseline_year: str | None, years: list[str], line: int) -> IndicatorRow:
    cells = cells_of(row)
    return IndicatorRow(number, tidy(cells[0]), None, parse_series(cells[1:], baseline_year, years), line)


def list_rows(lines: list[str], start: int) -> list[IndicatorRow]:
    """The rows of the 成果指標一覧 table that starts at lines[start] (its heading)."""
    header = [i for i in range(start + 1, min(start + 8, len(lines))) if "基準値" in lines[i]]
    if not header:
        return []
    h = header[0]
    second = next((k for k in range(h + 1, min(h + 4, len(lines))) if lines[k].strip()), h)
    baseline_year, years = table_header(lines[h], lines[second] if second != h else "")
    rows = []
    for i in range(second + 1, len(lines)):
        m = LIST_ROW.match(lines[i].strip())
        if not m:
            continue
        cells = cells_of(m.group(2))
        name, former = split_former(cells[0])
        rows.append(IndicatorRow(circled_value(m.group(1)), name, former,
                                 parse_series(cells[1:], baseline_year, years), i + 1))
    return rows
