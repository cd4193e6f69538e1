"""The staff's gap figures, computed once from the log and served as HTML, JSON, text and CSV.

Most frequent needs, questions the assistant could not answer (or answered weakly) grouped by
their Sudachi normalized words, and 👎 answers with their comments.
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from knowledge.models import Knowledge
from web.store import Feedback, Store, Turn

EXAMPLES_PER_GAP = 3
TOP_N = 20


@dataclass
class Gap:
    """Unanswered or weak questions sharing the same normalized words."""
    words: tuple[str, ...]
    count: int = 0
    examples: list[str] = field(default_factory=list)
    last: datetime | None = None
    best_score: float | None = None

    @property
    def key(self) -> str:
        return " ".join(self.words)


@dataclass
class GapReport:
    since: datetime | None
    turns: int = 0
    answered: int = 0
    weak: int = 0
    helpful: int = 0
    unhelpful: int = 0
    needs: list[tuple[str, str, int]] = field(default_factory=list)      # (tag, label, turns)
    programs: list[tuple[str, str, int]] = field(default_factory=list)   # (id, name, turns at the top)
    gaps: list[Gap] = field(default_factory=list)
    complaints: list[Feedback] = field(default_factory=list)


def is_weak(turn: Turn, low_score: float) -> bool:
    """Unanswered, or answered with a best score under the staff's threshold."""
    return not turn.answered or (turn.top_score is not None and turn.top_score < low_score)


def build_report(store: Store, knowledge: Knowledge, terms: Callable[[str], list[str]],
                 since: datetime | None = None, low_score: float = 0.0) -> GapReport:
    """Read the turns and feedback since a time and compute every figure."""
    report = GapReport(since)
    tags, programs, gaps = Counter(), Counter(), {}
    for turn in store.turns_since(since):
        report.turns += 1
        report.answered += turn.answered
        top = knowledge.program_by_id.get(turn.results[0][0]) if turn.results else None
        if turn.answered and top is not None:
            programs[top.id] += 1
            tags.update(top.tags)
        if is_weak(turn, low_score):
            report.weak += 1
            _add_gap(gaps, turn, terms)
    labels = {t.id: t.label for t in knowledge.vocabulary.tags}
    report.needs = [(tag, labels.get(tag, tag), n) for tag, n in tags.most_common(TOP_N)]
    report.programs = [(pid, knowledge.program_by_id[pid].name, n) for pid, n in programs.most_common(TOP_N)]
    report.gaps = sorted(gaps.values(), key=lambda g: (-g.count, g.key))
    feedback = store.feedback_since(since)
    report.helpful = sum(f.helpful for f in feedback)
    report.unhelpful = len(feedback) - report.helpful
    report.complaints = [f for f in feedback if not f.helpful]
    return report


def _add_gap(gaps: dict[tuple[str, ...], Gap], turn: Turn, terms: Callable[[str], list[str]]) -> None:
    words = tuple(sorted(set(terms(turn.message)))) or (turn.message.strip().lower(),)
    gap = gaps.setdefault(words, Gap(words))
    gap.count += 1
    if turn.message not in gap.examples and len(gap.examples) < EXAMPLES_PER_GAP:
        gap.examples.append(turn.message)
    gap.last = max(filter(None, (gap.last, turn.created_at)))
    if turn.top_score is not None:
        gap.best_score = max(turn.top_score, gap.best_score or 0.0)


def report_dict(report: GapReport) -> dict[str, Any]:
    """The report as JSON-ready data (the /admin page renders this same dict)."""
    return {
        "since": report.since.isoformat() if report.since else None,
        "totals": {"turns": report.turns, "answered": report.answered, "weak": report.weak,
                   "helpful": report.helpful, "unhelpful": report.unhelpful},
        "needs": [{"tag": t, "label": label, "turns": n} for t, label, n in report.needs],
        "programs": [{"id": pid, "name": name, "turns": n} for pid, name, n in report.programs],
        "gaps": [{"words": list(g.words), "key": g.key, "count": g.count, "examples": g.examples,
                  "last": g.last.isoformat(timespec="seconds") if g.last else None, "best_score": g.best_score}
                 for g in report.gaps],
        "complaints": [{"turn_id": f.turn.id, "time": f.created_at.isoformat(timespec="seconds"),
                        "message": f.turn.message, "intent": f.turn.intent, "comment": f.comment,
                        "results": [pid for pid, _ in f.turn.results]} for f in report.complaints],
    }


def report_rows(data: dict[str, Any]) -> list[list[Any]]:
    """Flatten the report into one table: section, key, count, detail."""
    rows: list[list[Any]] = [["section", "key", "count", "detail"]]
    rows += [["total", name, n, ""] for name, n in data["totals"].items()]
    rows += [["need", n["tag"], n["turns"], n["label"]] for n in data["needs"]]
    rows += [["program", p["id"], p["turns"], p["name"]] for p in data["programs"]]
    rows += [["gap", g["key"], g["count"], " / ".join(g["examples"])] for g in data["gaps"]]
    rows += [["unhelpful", c["turn_id"], 1, f'{c["message"]} — {c["comment"] or ""}'] for c in data["complaints"]]
    return rows


# A cell starting with one of these is a formula to spreadsheets (OWASP "CSV injection"),
# full-width forms included: Japanese spreadsheet input converts them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def csv_cell(value: Any) -> Any:
    """Defuse a text cell that a spreadsheet would run as a formula: prefix it with a quote (OWASP)."""
    if isinstance(value, str) and value.lstrip(" \u3000").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def report_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL).writerows(
        [[csv_cell(cell) for cell in row] for row in report_rows(data)])
    return out.getvalue()


def report_text(data: dict[str, Any]) -> str:
    """The figures for a terminal, section by section."""
    t = data["totals"]
    lines = [f"期間: {data['since'] or '全期間'} 以降",
             f"会話 {t['turns']} 件 / 回答できた {t['answered']} / 答えられない・弱い {t['weak']} / "
             f"👍 {t['helpful']} / 👎 {t['unhelpful']}", "", "よくある困りごと:"]
    lines += [f"  {n['turns']:>5}  {n['label']}" for n in data["needs"]] or ["  (なし)"]
    lines += ["", "よく案内した事業:"]
    lines += [f"  {p['turns']:>5}  {p['id']} {p['name']}" for p in data["programs"]] or ["  (なし)"]
    lines += ["", "答えられなかった・弱かった質問(語でまとめたもの):"]
    lines += [f"  {g['count']:>5}  [{g['key']}]  例: {' / '.join(g['examples'])}" for g in data["gaps"]] or ["  (なし)"]
    lines += ["", "役に立たなかった回答:"]
    lines += [f"  {c['time']}  {c['message']}  — {c['comment'] or '(コメントなし)'}" for c in data["complaints"]] or ["  (なし)"]
    return "\n".join(lines)
