"""A writer process for the store tests: log turns and print each id once its commit returned.

usage: python store_writer.py URL COUNT   (COUNT 0 = until killed)
"""
from __future__ import annotations

import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from web.store import Store, Turn, utcnow  # noqa: E402


def main(url: str, count: int) -> None:
    store = Store(url, retention_days=0)
    n = 0
    while count == 0 or n < count:
        turn = Turn(uuid.uuid4().hex, utcnow(), f"書き込み {n} 回目 024-525-1234", "search", (("1-1-3", 0.5),), True)
        store.record_turn(turn)
        print(turn.id, flush=True)
        n += 1
    store.dispose()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
