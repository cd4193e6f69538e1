"""The diff as data (for JSON and pages) and as plain Japanese text (for the terminal and a file)."""
from __future__ import annotations

import re
from typing import Any

from knowledge.edition.diff import KIND_LABELS, EditionDiff

# The order staff read the report in: what people will be told differently first.
KIND_ORDER = ("document", "added", "ended", "renamed", "moved", "desks", "phones", "desk-phone", "desk-added",
              "desk-ended", "desk-renamed", "description", "page", "pillar-added", "pillar-ended", "pillar-renamed",
              "section-added", "section-ended", "section-renamed", "section-moved", "indicator-added",
              "indicator-ended", "indicator-renamed", "indicator-owner", "actual", "figure")


def diff_dict(diff: EditionDiff) -> dict[str, Any]:
    """Everything a page or a JSON client shows, computed once."""
    order = {k: i for i, k in enumerate(KIND_ORDER)}
    changes = sorted(diff.changes, key=lambda c: (order.get(c.kind, len(order)), _natural(c.target)))
    groups = []
    for c in changes:
        if not groups or groups[-1]["kind"] != c.kind:
            groups.append({"kind": c.kind, "label": c.label, "changes": []})
        groups[-1]["changes"].append(c.as_dict())
    return {
        "old_title": diff.old_title, "new_title": diff.new_title, "empty": diff.empty,
        "counts": [{"kind": g["kind"], "label": g["label"], "count": len(g["changes"])} for g in groups],
        "groups": groups,
        "findings": [{**f.as_erratum(f"new-{i:02d}"), "line": f.line, "text": f.text}
                     for i, f in enumerate(diff.findings, start=1)],
        "known_findings": len(diff.known_findings),
        "errata_dropped": diff.errata_dropped,
        "suggestions": [s.as_dict() for s in diff.suggestions],
    }


def _natural(target: str) -> tuple:
    """1-1-2 before 1-1-10, kpi-2 before kpi-10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", target))


def _clip(text: str, limit: int = 70) -> str:
    text = text.replace("\n", " / ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def report_text(data: dict[str, Any]) -> str:
    """The diff for a terminal or a text file, in Japanese."""
    out = [f"使用中: {data['old_title']}", f"新しい版: {data['new_title']}", ""]
    if data["empty"]:
        out.append("変更はありません。")
    else:
        out.append("変更: " + "、".join(f"{c['label']} {c['count']}件" for c in data["counts"]))
    for g in data["groups"]:
        out += ["", f"■ {g['label']}({len(g['changes'])}件)"]
        for c in g["changes"]:
            head = f"  {c['target']} {c['name']}"
            if c["before"] or c["after"]:
                head += f": {_clip(c['before']) or '(なし)'} → {_clip(c['after']) or '(なし)'}"
            if c["programs"]:
                head += f"(事業 {', '.join(c['programs'])})"
            out.append(head)
    if data["findings"]:
        out += ["", f"■ 誤植の疑い(要確認 {len(data['findings'])}件): 正しい表記を確かめ、errata の形で --errata に渡す"]
        for f in data["findings"]:
            out.append(f"  {f['target']} {f['where']} 「{f['original']}」→「{f['corrected']}」 {f['reason']}")
            out.append(f"      {f['line']}行目: {_clip(f['text'], 90)}")
    if data.get("fidelity"):
        out += ["", f"■ 原本との照合で合わない所({len(data['fidelity'])}件): 誤植の疑いを確かめ、正誤表に載せる"]
        out += [f"  {_clip(problem, 150)}" for problem in data["fidelity"]]
    elif data.get("fidelity") == []:
        out += ["", "原本との照合: 名前・説明・窓口・根拠の語句はすべて原本どおり(または正誤表のとおり)です。"]
    if data["known_findings"]:
        out += ["", f"既知の誤植 {data['known_findings']}件は正誤表(errata)のとおり直します。"]
    if data["errata_dropped"]:
        out += ["", "■ 新しい版で直っていた誤植(正誤表から外す)"]
        out += [f"  {e['id']} {e['target']} 「{e['original']}」" for e in data["errata_dropped"]]
    if data["suggestions"]:
        out += ["", f"■ 提案(要確認 {len(data['suggestions'])}件): /admin/edition で確かめる"]
        labels = {"tags": "分野", "kinds": "支援の種類", "level": "窓口の区分"}
        out += [f"  {s['target']} {labels.get(s['field'], s['field'])}: {'、'.join(s['values'])}  ({s['reason']})"
                for s in data["suggestions"]]
    return "\n".join(out)


__all__ = ["KIND_LABELS", "diff_dict", "report_text"]
