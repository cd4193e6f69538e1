"""Search quality on a labelled query set, in-process: hit@1, recall@5 (of at most five relevant ids), MRR over the first five.

Pure functions over any `search(text, limit) -> list of program ids`, so the CLI, the peer
comparison in benchmarks/ and the regression test all measure the same thing the same way.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from statistics import mean
from typing import Callable, Iterable, Sequence

K = 5  # the metrics look at the first five results

SearchFn = Callable[[str, int], Sequence[str]]


@dataclass(frozen=True)
class LabelledQuery:
    text: str
    relevant: tuple[str, ...]  # best first


@dataclass(frozen=True)
class Outcome:
    """One query's results and its share of each metric."""
    query: LabelledQuery
    got: tuple[str, ...]
    hit: bool
    recall: float
    reciprocal_rank: float
    ms: float


@dataclass(frozen=True)
class Report:
    outcomes: tuple[Outcome, ...]

    @property
    def hit1(self) -> float:
        return mean(o.hit for o in self.outcomes) if self.outcomes else 0.0

    @property
    def recall5(self) -> float:
        return mean(o.recall for o in self.outcomes) if self.outcomes else 0.0

    @property
    def mrr(self) -> float:
        return mean(o.reciprocal_rank for o in self.outcomes) if self.outcomes else 0.0

    @property
    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.hit]

    def latency(self, q: float) -> float:
        return percentile([o.ms for o in self.outcomes], q)

    def summary(self) -> str:
        return (f"queries {len(self.outcomes)}  hit@1 {self.hit1:.3f}  recall@5 {self.recall5:.3f}  "
                f"mrr {self.mrr:.3f}  p50 {self.latency(0.5):.2f} ms  p95 {self.latency(0.95):.2f} ms")


class QueriesFileError(ValueError):
    """A queries file that cannot be read as labelled queries; the message names the line."""


def parse_queries(lines: Iterable[str], name: str = "queries") -> list[LabelledQuery]:
    """Read "<query>\\t<relevant ids, best first>" lines; blank lines and '#' comments are skipped."""
    queries = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        text, tab, ids = line.rstrip("\r\n").partition("\t")
        relevant = tuple(ids.split("\t")[0].split())
        if not tab or not text.strip() or not relevant:
            raise QueriesFileError(f"{name}, line {number}: expected <query> TAB <relevant program ids>, "
                                   f"got {line.strip()[:60]!r}")
        queries.append(LabelledQuery(text, relevant))
    return queries


def load_queries(path: Path | str) -> list[LabelledQuery]:
    """Read a queries TSV file (UTF-8); a line that is not valid raises QueriesFileError naming it."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise QueriesFileError(f"{path}, line {line}: not UTF-8 text") from None
    return parse_queries(text.splitlines(keepends=True), str(path))


def hit_at_1(relevant: Sequence[str], got: Sequence[str]) -> bool:
    """Tell whether the first result is relevant."""
    return bool(got) and got[0] in relevant


def recall_at_k(relevant: Sequence[str], got: Sequence[str], k: int = K) -> float:
    """Share of the (at most k) best relevant ids found in the first k results."""
    want = set(relevant[:k])
    return len(want & set(got[:k])) / len(want) if want else 0.0


def reciprocal_rank(relevant: Sequence[str], got: Sequence[str], k: int = K) -> float:
    """1/rank of the first relevant result in the first k, 0 when there is none."""
    return next((1 / (i + 1) for i, g in enumerate(got[:k]) if g in relevant), 0.0)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def evaluate(search: SearchFn, queries: Sequence[LabelledQuery], k: int = K) -> Report:
    """Run every query through `search` once and score the first k ids."""
    outcomes = []
    for query in queries:
        start = time.perf_counter()
        got = tuple(str(i) for i in search(query.text, k))[:k]
        ms = (time.perf_counter() - start) * 1000
        outcomes.append(Outcome(query, got, hit_at_1(query.relevant, got), recall_at_k(query.relevant, got, k),
                                reciprocal_rank(query.relevant, got, k), ms))
    return Report(tuple(outcomes))


def format_misses(report: Report) -> list[str]:
    """Describe each query whose first result is not relevant."""
    return [f"MISS {o.query.text}\n     want {' '.join(o.query.relevant)}\n     got  {' '.join(o.got)}"
            for o in report.misses]


# ---- through the chat: what a person sees, not only the ranking ----

ChatFn = Callable[[str, object], object]  # (message, context) -> Reply


def chat_search(respond: ChatFn) -> SearchFn:
    """The programs a person is shown for a message: the first answer, then もっと while offered."""
    def search(text: str, limit: int) -> list[str]:
        reply = respond(text, None)
        ids = [h.program.id for h in reply.hits]
        while len(ids) < limit and "もっと" in reply.suggestions:
            reply = respond("もっと", reply.context)
            if not reply.hits:
                break
            ids += [h.program.id for h in reply.hits]
        return ids[:limit]
    return search


@dataclass(frozen=True)
class ShareReport:
    """How many messages got the expected kind of reply (no program shown, a question back)."""
    total: int
    good: int
    failures: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.good / self.total if self.total else 0.0

    def summary(self) -> str:
        return f"messages {self.total}  share {self.share:.3f}"


def share_of(respond: ChatFn, messages: Sequence[str], good: Callable[[object], bool]) -> ShareReport:
    """Send each message as a first turn and count the replies `good` accepts."""
    failures = [m for m in messages if not good(respond(m, None))]
    return ShareReport(len(messages), len(messages) - len(failures), tuple(failures))


def shows_no_program(reply) -> bool:
    """What a resident's message should get: no program at all."""
    return not reply.hits


def asks_what_the_need_is(reply) -> bool:
    """What a vague message should get: no program, and a question back. A greeting's reply asks
    too (「事業のお困りごとを普段の言葉で書いてください」 with the need chips), and so does the
    help reply (「お困りごとをそのまま書いてください」 with examples) to 「ここって何を聞けばいいの？」."""
    return not reply.hits and reply.intent in ("clarify", "greeting", "help")


def load_messages(path: Path | str) -> list[str]:
    """The messages of a TSV whose label is not program ids (OUT, VAGUE)."""
    return [q.text for q in load_queries(path)]


def load_grid(path: Path | str) -> list[LabelledQuery]:
    """Expand a grid (needs × things × templates) into labelled queries."""
    import json
    grid = json.loads(Path(path).read_text(encoding="utf-8"))
    return [LabelledQuery(template.replace("{X}", thing), tuple(need["accepted"]))
            for need in grid["needs"] for thing in need["things"] for template in need["templates"]]
