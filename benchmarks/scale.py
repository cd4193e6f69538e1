"""Scale: synthetic knowledge bases of 1,000 / 10,000 / 100,000 programs, built and searched in-process.

Programs are recombined from the real ones (a municipality prefix and a term suffix on a real name,
sentences of two or three real descriptions, a real program's tags plus another's), each with a
unique id and its own desk. The records are built in memory with knowledge.models (no JSON Schema),
then `Assistant(knowledge)` builds the index, vocabulary, typo and name matchers as the server does.
Each size runs in its own process, so RSS is that size's alone; a size whose build exceeds
--budget seconds is reported as such instead of hanging.

Usage: python3 benchmarks/scale.py [--sizes 1000 10000 100000] [--budget 300]
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import random
import subprocess
import sys
import time
from types import MappingProxyType

from harness import DEV_QUERIES, load_queries, machine, ms_stats, print_table, rss_mb

from knowledge import Knowledge, load_knowledge
from knowledge.models import Contact, Phone, ProgramContact

AREAS = ("福島", "郡山", "いわき", "会津若松", "白河", "須賀川", "喜多方", "相馬", "二本松", "田村", "南相馬",
         "伊達", "本宮", "桑折", "国見", "川俣", "大玉", "鏡石", "天栄", "下郷", "檜枝岐", "只見", "南会津",
         "北塩原", "西会津", "磐梯", "猪苗代", "会津坂下", "湯川", "柳津", "三島", "金山", "昭和", "会津美里",
         "西郷", "泉崎", "中島", "矢吹", "棚倉", "矢祭", "塙", "鮫川", "石川", "玉川", "平田", "浅川", "古殿",
         "三春", "小野", "広野", "楢葉", "富岡", "川内", "大熊", "双葉", "浪江", "葛尾", "新地", "飯舘")
QUERY_SECONDS = 15.0  # stop querying a size after this long (at least 30 queries are always run)


def synthesize(real: Knowledge, size: int, seed: int = 7) -> Knowledge:
    """Recombine the real programs into `size` programs with unique ids, names and desks."""
    rng = random.Random(seed)
    base = real.programs
    sentences = [s + "。" for p in base for s in p.description.split("。") if s.strip()]
    programs, contacts = [], []
    for i in range(size):
        p = base[i % len(base)]
        other = base[rng.randrange(len(base))]
        area = AREAS[(i // len(base)) % len(AREAS)]
        round_ = i // (len(base) * len(AREAS))
        name = f"{area}{p.name}" + (f"（第{round_ + 1}期）" if round_ else "")
        real_desk = p.contacts[0].contact if p.contacts else real.contacts[0]
        desk = Contact(f"desk-s{i}", f"{area}{real_desk.name}第{i + 1}窓口", real_desk.level,
                       (Phone(f"0{240 + i // 1_000_000}-{5 + (i // 10_000) % 5}{i // 100 % 100:02d}-{i % 10_000:04d}", None),))
        contacts.append(desk)
        description = "".join(rng.sample(sentences, rng.randint(2, 3)))
        programs.append(dataclasses.replace(
            p, id=f"{p.pillar}-{p.section}-{1000 + i}", number=1000 + i, name=name,
            short_names=tuple(f"{area}{s}" for s in p.short_names[:1]), description=description,
            summary=description.split("。")[0] + "。", indicator_id=None,
            contacts=(ProgramContact(desk, (desk.phones[0].number,)),) + p.contacts[1:2],
            tags=tuple(dict.fromkeys(p.tags + other.tags[:1])), kinds=p.kinds))
    all_contacts = real.contacts + tuple(contacts)
    return dataclasses.replace(
        real, programs=tuple(programs), contacts=all_contacts, indicators=(),
        program_by_id=MappingProxyType({p.id: p for p in programs}),
        contact_by_id=MappingProxyType({c.id: c for c in all_contacts}))


def sentence_cached_tokenizer():
    """A Tokenizer whose terms() analyses each sentence once: the synthetic texts reuse real sentences.

    Used only where a full analysis would not fit the time budget; it skips repeated Sudachi work,
    so the build time it gives is the index's own cost, without tokenizing.
    """
    from functools import lru_cache

    from assistant.tokenizer import Tokenizer

    class SentenceCachedTokenizer(Tokenizer):
        @lru_cache(maxsize=None)
        def _sentence_terms(self, sentence: str) -> tuple[str, ...]:
            return tuple(Tokenizer.terms(self, sentence))

        def terms(self, text: str) -> list[str]:
            return [t for s in text.split("。") for t in self._sentence_terms(s)]
    return SentenceCachedTokenizer()


def measure(size: int, cached: bool = False) -> dict:
    """Build one size and query it; runs in a child process."""
    from assistant.engine import Assistant
    from assistant.tokenizer import get_tokenizer
    tokenizer = sentence_cached_tokenizer() if cached else get_tokenizer()
    tokenizer.terms("起動")  # dictionary load is start-up, not index build
    knowledge = synthesize(load_knowledge(), size)
    rss_data = rss_mb()
    start = time.perf_counter()
    assistant = Assistant(knowledge, tokenizer)
    build_s = time.perf_counter() - start
    rss_built = rss_mb()
    texts = [q.text for q in load_queries(DEV_QUERIES)]
    stages = {"search": lambda t: assistant.search(t, 5), "names": lambda t: assistant.names.find(a(t).query),
              "rank": lambda t: assistant.rank(a(t), 5)}
    analyses = {t: assistant.analyze(t) for t in texts}
    a = analyses.__getitem__  # rank and names are timed without the analysis
    timings: dict[str, list[float]] = {k: [] for k in stages}
    deadline = time.perf_counter() + QUERY_SECONDS
    for n, text in enumerate(texts * 1000):
        if n >= 30 and time.perf_counter() > deadline:  # at least 30 queries, then as many as fit
            break
        for stage, fn in stages.items():
            t0 = time.perf_counter()
            fn(text)
            timings[stage].append(time.perf_counter() - t0)
    return {"size": size, "cached": cached, "build_s": build_s, "rss_data": rss_data, "rss": rss_built,
            "terms": len(assistant.index.postings), "name_keys": len(assistant.names.entries),
            "readings": len(assistant.readings), "queries": len(timings["search"]),
            **{stage: ms_stats(t) for stage, t in timings.items()}}


def run_size(size: int, budget: float, cached: bool) -> dict | None:
    """Measure one size in a fresh interpreter; None when it does not finish within the budget."""
    try:
        out = subprocess.run([sys.executable, __file__, "--one", str(size)] + (["--cached"] if cached else []), capture_output=True, text=True,
                             timeout=budget + 120, check=True)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--budget", type=float, default=300.0, help="seconds a size may take to build")
    parser.add_argument("--cache-from", type=int, default=100_000,
                        help="from this size on, analyse each repeated sentence once (build time then excludes tokenizing)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--cached", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.cached)))
        return 0
    rows, baseline = [], measure(len(load_knowledge().programs))
    for size in [None, *args.sizes]:
        r = baseline if size is None else run_size(size, args.budget, size >= args.cache_from)
        if r is None:
            rows.append((f"{size:,}", f"> {args.budget:.0f} s (stopped)", *["-"] * 9))
            continue
        rows.append((f"{r['size']:,}" + (" *" if r["cached"] else ""), r["build_s"], f"{r['rss']:.0f}", f"{r['terms']:,}", f"{r['name_keys']:,}",
                     r["search"]["p50"], r["search"]["p95"], r["names"]["p50"], r["rank"]["p50"], r["rank"]["p95"],
                     f"{r['queries']:,}"))
    print(f"# synthetic programs recombined from the real {baseline['size']}; dev queries; {machine()}")
    print("# first row: the real data in this process (RSS includes the parent's imports)")
    if any(str(row[0]).endswith("*") for row in rows):
        print("# * sentences analysed once and reused (texts are recombined): build s excludes Sudachi's repeated work")
    print_table(("programs", "build s", "RSS MB", "index terms", "names", "search p50 ms", "search p95 ms",
                 "names.find p50 ms", "rank p50 ms", "rank p95 ms", "queries timed"), rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
