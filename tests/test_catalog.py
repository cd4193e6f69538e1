"""web/catalog.py: the desk view's filters, with a keyword ranked by the chat's search."""
from __future__ import annotations

from web.catalog import Filters, filter_programs, literal_match, program_level


def ids(programs) -> list[str]:
    return [p.id for p in programs]


def test_without_a_keyword_the_selects_keep_document_order(knowledge):
    kept = filter_programs(knowledge, Filters(tag="省エネ・脱炭素"))
    assert ids(kept) == [p.id for p in knowledge.programs if "省エネ・脱炭素" in p.tags]


def test_a_keyword_lists_the_search_ranking_first_then_literal_matches(knowledge):
    ranked = ["2-2-8", "2-2-7"]  # as the search ranked them, best first
    kept = ids(filter_programs(knowledge, Filters(q="照明"), ranked))
    assert kept[:2] == ranked
    literal = [p.id for p in knowledge.programs if literal_match(p, "照明")]
    assert set(kept[2:]) == set(literal) - set(ranked) and kept[2:] == [i for i in literal if i not in ranked]


def test_the_selects_narrow_the_ranking_too(knowledge):
    kept = ids(filter_programs(knowledge, Filters(level="県", q="省エネ"), ["2-2-7", "2-2-8"]))
    assert "2-2-7" not in kept and kept[0] == "2-2-8"


def test_literal_matches_take_ids_desks_and_phone_numbers(knowledge):
    yorozu = knowledge.program_by_id["1-1-3"]
    for word in ("1-1-3", "024-525-4064", "よろず", "よろず 支援"):
        assert literal_match(yorozu, word), word
    assert not literal_match(yorozu, "電気自動車")


def test_a_cards_level_is_its_first_desks(knowledge):
    assert program_level(knowledge.program_by_id["2-2-7"]) == "市"
    assert program_level(knowledge.program_by_id["2-2-8"]) == "県"
    assert program_level(knowledge.program_by_id["2-2-9"]) == "国"
