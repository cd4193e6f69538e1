"""Render a Reply's parts as plain text: the terminal, the API's `reply` and LINE's lead use it."""
from __future__ import annotations

from assistant.models import Hit, Reply
from assistant.replies import first_desks, source_line


def hit_block(number: int, hit: Hit, source: str) -> str:
    """One numbered program: name, summary, why it fits, the desk to call, the source."""
    p = hit.program
    lines = [f"{number}. {p.name}", f"  {p.summary}"]
    if hit.reasons:
        lines.append(f"  合う理由: {'、'.join(hit.reasons[:2])}")
    lines += [f"  窓口: {line}" for line in first_desks(p)]
    lines.append(f"  {source_line(source, p)}")
    return "\n".join(lines)


def render_text(reply: Reply) -> str:
    blocks = [reply.lead, *reply.body]
    if reply.intent in ("need", "more", "refine", "filter"):
        blocks += [hit_block(reply.first + i, h, reply.source) for i, h in enumerate(reply.hits)]
    if reply.follow_up:
        blocks.append(reply.follow_up)
    return "\n\n".join(b for b in blocks if b)
