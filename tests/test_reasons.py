"""web/reasons.py: why a program fits, in the words a business owner reads on the card."""
from __future__ import annotations

import pytest

from web.reasons import Need, plain_reasons


@pytest.fixture(scope="module")
def labels(knowledge):
    return {t.id: t.label for t in knowledge.vocabulary.tags}


# (program, need tags, asked-for kinds, matched words, the plain reasons)
CASES = [
    ("1-2-6", ("販路開拓",), (), ("販路", "開拓"), ["販路開拓のご相談に合います"]),
    ("1-1-5", ("資金繰り・融資",), ("融資",), ("融資",), ["資金繰り・融資のご相談に合います", "お探しの融資の制度です"]),
    ("2-2-7", ("省エネ・脱炭素", "設備投資・生産性"), (), ("照明",),
     ["省エネ・脱炭素、設備投資・生産性向上のご相談に合います"]),
    ("2-2-7", ("創業",), (), ("照明",), ["説明に「照明」が出てきます"]),       # a need it does not serve
    ("1-1-3", (), (), ("万", "よろず支援拠点"), ["事業名に「よろず支援拠点」が入っています"]),
    ("1-1-3", (), (), (), []),                                                      # asked about by name: nothing to say
    ("1-1-3", (), (), ("led",), []),                                                # a word not in its text
]


@pytest.mark.parametrize(("program_id", "tags", "kinds", "matched", "expected"), CASES)
def test_plain_reasons(knowledge, labels, program_id, tags, kinds, matched, expected):
    program = knowledge.program_by_id[program_id]
    assert plain_reasons(program, Need(tags, kinds), matched, labels) == expected


def test_no_reason_reads_like_the_rankings_own(knowledge, labels):
    for program in knowledge.programs:
        for reason in plain_reasons(program, Need(program.tags, program.kinds), ("支援",), labels):
            assert "→" not in reason and "支援の種類:" not in reason and "キーワード" not in reason
