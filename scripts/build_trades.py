"""Build knowledge/data/trades.json, the trade lexicon, from 日本標準産業分類 (JSIC).

Everyday names of trades come from the classification's detail categories and their
included examples (花屋, 中華そば店, コインランドリー業 …): extraction spaces and
parenthesised notes are dropped, and a trailing 業/業者 is cut so that コインランドリー業
matches コインランドリー. Usage: build_trades.py ../shared/reference/jsic-full.json
"""
from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "knowledge" / "data" / "trades.json"
_NOTE = re.compile(r"[（(][^）)]*[）)]")
_TAIL = re.compile(r"(事業者|事業|業者|業)$")
_SPLIT = re.compile(r"[、，,/／]| ")  # 「A、B」 lists; a space left after cleaning separates two names (A・B is one name)
_PLAIN = re.compile(r"^[一-龥々〆ヶぁ-ゖァ-ヺーA-Za-z0-9]+$")
SKIP_MAJOR = {"S"}  # 公務: government bodies are not trades an owner starts


def clean(name: str) -> list[str]:
    """Everyday names in one JSIC example, without notes, stray spaces or the 業 ending."""
    text = unicodedata.normalize("NFKC", _NOTE.sub("", name)).strip()
    text = re.sub(r"(?<=[^\sA-Za-z]) (?=[^\sA-Za-z])", "", text)  # extraction spaces inside words
    names = []
    for part in _SPLIT.split(text):
        part = _TAIL.sub("", part.strip())
        if 2 <= len(part) <= 12 and _PLAIN.match(part):
            names.append(part)
    return names


def trades(jsic: dict) -> list[str]:
    found: dict[str, None] = {}
    for major in jsic["major_categories"]:
        if major["code"] in SKIP_MAJOR:
            continue
        for middle in major["middle_categories"]:
            for minor in middle["minor_categories"]:
                for detail in minor["detail_categories"]:
                    for name in [detail["name"], *detail.get("included_examples", [])]:
                        for word in clean(name):
                            found.setdefault(word, None)
    return sorted(found)


def main(path: str) -> None:
    jsic = json.loads(Path(path).read_text(encoding="utf-8"))
    words = trades(jsic)
    OUT.write_text(json.dumps({
        "source": "日本標準産業分類(第14回改定、総務省)の細分類名と内容例示から作成",
        "trades": words}, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(words)} trades → {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
