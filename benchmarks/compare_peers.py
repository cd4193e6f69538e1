"""Compare shien-navi's search with two standard peers on the same programs and the same queries.

  ours    Assistant.search (BM25F fields, needs vocabulary, typo repair, names, and the labelled examples:
          the tuning halves and the written messages, never a held-out half, so the held-out columns stay fair)
  bm25    rank-bm25 BM25Okapi over Sudachi normalized terms of name + short names + description
  tfidf   scikit-learn TF-IDF of character 2–3-grams (NFKC) with cosine similarity, same text

  ours via chat  the same, through the dialogue (first answer, then もっと): what a person is shown

Usage: python3 benchmarks/compare_peers.py [QUERIES.tsv ...]   (needs `pip install .[bench]`)
With no file: the dev set and the held-out halves of the sets written blind (tests/data/blind).
"""
from __future__ import annotations

import sys
import time
import unicodedata
from typing import Callable, Sequence

from harness import DEV_QUERIES, load_queries, machine, percentile, print_table

from assistant.benchmark_sets import GRIDS, RANKED
from assistant.dialogue import respond
from assistant.engine import Assistant
from assistant.evaluation import chat_search, evaluate, load_grid
from assistant.tokenizer import get_tokenizer
from knowledge import load_knowledge
from knowledge.models import Program

Search = Callable[[str, int], Sequence[str]]


def peer_text(program: Program) -> str:
    """The text both peers index: what a plain full-text search would see."""
    return " ".join((program.name, *program.short_names, program.description))


def bm25_search(programs: Sequence[Program]) -> Search:
    """Build BM25Okapi over Sudachi terms; only documents sharing a term (score > 0) are returned."""
    from rank_bm25 import BM25Okapi
    terms = get_tokenizer().terms
    bm25 = BM25Okapi([terms(peer_text(p)) or ["∅"] for p in programs])

    def search(text: str, limit: int) -> list[str]:
        scores = bm25.get_scores(terms(text))
        ranked = sorted((i for i, s in enumerate(scores) if s > 0), key=lambda i: -scores[i])
        return [programs[i].id for i in ranked[:limit]]
    return search


def tfidf_search(programs: Sequence[Program]) -> Search:
    """Build a character 2–3-gram TF-IDF matrix; rank by cosine similarity (> 0)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel
    nfkc = lambda s: unicodedata.normalize("NFKC", s).lower()  # noqa: E731
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), preprocessor=nfkc)
    matrix = vectorizer.fit_transform([peer_text(p) for p in programs])  # rows are L2-normalized

    def search(text: str, limit: int) -> list[str]:
        scores = linear_kernel(vectorizer.transform([text]), matrix).ravel()  # = cosine
        ranked = sorted((i for i, s in enumerate(scores) if s > 0), key=lambda i: -scores[i])
        return [programs[i].id for i in ranked[:limit]]
    return search


BLIND = DEV_QUERIES.parent / "blind"
HELD_OUT = [BLIND / f"{name}.heldout.tsv" for name in RANKED] + [BLIND / f"{name}.heldout.json" for name in GRIDS]


def compare(path, peers: dict[str, Search]) -> bool:
    """Print one table for one labelled set; tell whether ours leads both peers on every metric."""
    queries = load_grid(path) if str(path).endswith(".json") else load_queries(path)
    rows = []
    for name, search in peers.items():
        for q in queries[:10]:  # warm up caches and per-thread tokenizers
            search(q.text, 5)
        report = evaluate(search, queries)
        timings = [o.ms for o in report.outcomes]
        rows.append((name, report.hit1, report.recall5, report.mrr, percentile(timings, 0.5),
                     percentile(timings, 0.95)))
    print(f"\n## {len(queries)} queries from {path}")
    print_table(("search", "hit@1", "recall@5", "MRR", "p50 ms", "p95 ms"), rows)
    ours, _, *others = rows
    better = all(ours[i] > other[i] for other in others for i in (1, 3))
    print(f"ours better than both peers on hit@1 and MRR: {'yes' if better else 'NO'}")
    return better


def main(argv: Sequence[str]) -> int:
    paths = list(argv) or [DEV_QUERIES, *HELD_OUT]
    knowledge = load_knowledge()
    assistant = Assistant(knowledge)
    peers: dict[str, Search] = {
        "ours (shien-navi)": lambda text, limit: [h.program.id for h in assistant.search(text, limit)],
        "ours via chat": chat_search(lambda message, context: respond(assistant, message, context)),
        "BM25Okapi / Sudachi terms": bm25_search(knowledge.programs),
        "TF-IDF char 2-3-gram": tfidf_search(knowledge.programs),
    }
    print(f"# {len(knowledge.programs)} programs; {machine()}")
    results = [compare(path, peers) for path in paths]
    return 0 if all(results) else 1


if __name__ == "__main__":
    start = time.perf_counter()
    status = main(sys.argv[1:])
    print(f"# ran in {time.perf_counter() - start:.1f} s")
    sys.exit(status)
