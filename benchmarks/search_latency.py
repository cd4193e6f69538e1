"""In-process latency of search and of a chat turn, next to Sudachi's own tokenizing time (the floor).

Every dev query is run ROUNDS times, round-robin; each call is timed on its own.
Usage: python3 benchmarks/search_latency.py [--rounds 20] [QUERIES.tsv]
"""
from __future__ import annotations

import argparse
import time
from typing import Callable, Sequence

from harness import DEV_QUERIES, load_queries, machine, ms_stats, print_table
from sudachipy import Dictionary, SplitMode

from assistant.dialogue import respond
from assistant.engine import Assistant
from assistant.text import normalize
from knowledge import load_knowledge


def timings(fn: Callable[[str], object], texts: Sequence[str], rounds: int) -> list[float]:
    """Seconds per call of fn over the texts, rounds times, after one warm-up round."""
    for text in texts:
        fn(text)
    out = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            fn(text)
            out.append(time.perf_counter() - start)
    return out


def sudachi_alone() -> Callable[[str], object]:
    """Tokenize in mode C and read each morpheme's normalized form: nothing a search could skip."""
    tokenizer = Dictionary(dict="core").tokenizer(SplitMode.C)
    return lambda text: [m.normalized_form() for m in tokenizer.tokenize(text)]


def chat_turns(assistant: Assistant) -> dict[str, Callable[[str], object]]:
    """A first turn, and a follow-up (もっと) that carries the first turn's context."""
    contexts = {}

    def first(text: str) -> object:
        reply = respond(assistant, text, None)
        contexts[text] = reply.context
        return reply
    return {"chat: first turn": first,
            "chat: follow-up turn (motto)": lambda text: respond(assistant, "もっと", contexts[text])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("queries", nargs="?", default=str(DEV_QUERIES))
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    texts = [q.text for q in load_queries(args.queries)]
    assistant = Assistant(load_knowledge())
    floor = sudachi_alone()
    cases: dict[str, Callable[[str], object]] = {
        "Sudachi alone (mode C, normalized forms)": lambda text: floor(normalize(text)),
        "tokenizer.terms (Sudachi + mode A + filters)": assistant.tokenizer.terms,
        "search: analyze (vocabulary, typos, names)": assistant.analyze,
        "search (analyze + rank, limit 5)": lambda text: assistant.search(text, 5),
    }
    if hasattr(assistant, "chat"):
        cases.update(chat_turns(assistant))
    results = {name: ms_stats(timings(fn, texts, args.rounds)) for name, fn in cases.items()}
    floor_p50 = results["Sudachi alone (mode C, normalized forms)"]["p50"]
    print(f"# {len(texts)} queries × {args.rounds} rounds, {len(assistant.knowledge.programs)} programs; {machine()}")
    print_table(("what", "p50 ms", "p95 ms", "p99 ms", "p50 / Sudachi p50"),
                [(name, r["p50"], r["p95"], r["p99"], f"{r['p50'] / floor_p50:.1f}×") for name, r in results.items()])
    search = results["search (analyze + rank, limit 5)"]
    print(f"target search p95 < 5 ms: {'met' if search['p95'] < 5 else 'MISSED'} ({search['p95']:.2f} ms)")
    ratio = search["p50"] / floor_p50
    print(f"target search p50 ≤ 3× Sudachi p50: {'met' if ratio <= 3 else 'MISSED'} ({ratio:.1f}×)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
