"""Suggested tags and kinds for new programs come from the assistant's vocabulary and ranking."""
from __future__ import annotations

import pytest

from assistant.edition_suggest import assistant_suggester
from assistant.engine import Assistant


@pytest.fixture(scope="module")
def suggest(knowledge):
    return assistant_suggester(Assistant(knowledge))


CASES = [
    ("中小企業デジタル化相談事業", "市内中小企業のデジタル化について、専門家が無料で相談に応じ、業務に合ったツールの導入を支援します。",
     "IT・デジタル", "相談"),
    ("地域ブランド商品開発支援事業", "本市産の農産物を使った新しい商品の開発と販路開拓を支援し、地域ブランドの確立を図ります。",
     "食・農", None),
    ("事業承継マッチング支援事業", "後継者のいない事業者と、事業を引き継ぎたい方とのマッチングを支援します。", "事業承継", "マッチング"),
]


@pytest.mark.parametrize("name,description,tag,kind", CASES, ids=[c[0] for c in CASES])
def test_suggestions_follow_the_text(suggest, knowledge, name, description, tag, kind):
    tags, kinds = suggest(name, description)
    assert tag in tags and 1 <= len(tags) <= 3
    assert set(tags) <= {t.id for t in knowledge.vocabulary.tags} and set(kinds) <= set(knowledge.vocabulary.kinds)
    assert kinds and (kind is None or kind in kinds)


def test_a_kind_is_claimed_only_with_evidence_or_from_the_nearest_programs(suggest):
    _, kinds = suggest("中小企業デジタル化相談事業", "専門家が無料で相談に応じます。")
    assert kinds == ["相談"]
