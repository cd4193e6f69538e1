"""One desk, several numbers: each number is shown with the programs whose entry prints it."""
from __future__ import annotations

import re

import pytest

import source_document
from assistant import replies

# The desks the document prints with a different number for different programs.
ONE_DESK_TWO_NUMBERS = [
    ("desk-001", "福島商工会議所経営支援課", {"024-536-3900": {"1-1-1", "1-1-4", "1-1-5", "1-2-6", "4-1-3", "4-2-4"},
                                            "024-536-5511": {"2-1-1", "2-1-2"}}),
    ("desk-040", "福島市政策調整課", {"024-525-3788": {"3-2-1"}, "024-525-3708": {"6-2-2"}}),
    ("desk-069", "福島市こども政策課", {"024-572-3416": {"5-2-1"}, "024-525-3767": {"5-2-4", "5-2-5"}}),
    ("desk-048", "福島県雇用労政課", {"024-521-7289": {"4-1-9"}, "024-521-7290": {"4-1-10"}}),
    ("desk-029", "福島県産業振興センター", {"024-525-4035": {"2-1-1", "2-1-2"}, "024-954-4163": {"2-1-10"}}),
]


@pytest.mark.parametrize("desk_id,name,numbers", ONE_DESK_TWO_NUMBERS, ids=[d[1] for d in ONE_DESK_TWO_NUMBERS])
def test_each_number_belongs_to_the_programs_that_print_it(knowledge, desk_id, name, numbers):
    desk = knowledge.contact_by_id[desk_id]
    assert desk.name == name and knowledge.phone_depends_on_program(desk)
    assert {ph.number: {p.id for p in programs} for ph, programs in knowledge.programs_by_phone(desk)} == numbers


def test_the_pairs_agree_with_an_independent_reading_of_the_document(knowledge):
    printed = {b.id: set(b.phones) for b in source_document.program_blocks()}
    printed["2-1-6"] = printed["2-1-7"]  # ⑥ prints its heading only; ⑦'s desks are shared
    for desk in knowledge.contacts:
        for phone, programs in knowledge.programs_by_phone(desk):
            assert programs, f"{desk.id} {phone.number} belongs to no program"
            for program in programs:
                assert phone.number in printed[program.id], f"{desk.id} {phone.number} {program.id}"


def test_numbers_printed_together_need_no_split(knowledge):
    for desk_id in ("desk-070", "desk-020", "desk-005"):  # both numbers on one program; a single number
        assert not knowledge.phone_depends_on_program(knowledge.contact_by_id[desk_id])


@pytest.mark.parametrize("desk_id,name,numbers", ONE_DESK_TWO_NUMBERS, ids=[d[1] for d in ONE_DESK_TWO_NUMBERS])
def test_the_desk_reply_labels_each_number_with_its_programs(knowledge, desk_id, name, numbers):
    text = replies.desk_text(knowledge, knowledge.contact_by_id[desk_id])
    lines = text.splitlines()
    assert lines[0] == name
    for number, program_ids in numbers.items():
        line = next(l for l in lines if f"TEL {number}" in l)
        shown = [p.name for p in knowledge.programs if p.id in program_ids][:3]  # the first three, in document order
        assert all(n in line for n in shown), line
        others = {pid for other, ids in numbers.items() if other != number for pid in ids} - program_ids
        assert not any(knowledge.program_by_id[pid].name in line for pid in others), line


def test_a_desk_with_numbers_for_one_program_keeps_the_labels(knowledge):
    text = replies.desk_text(knowledge, knowledge.contact_by_id["desk-070"])
    assert "024-525-7671(母子保健係)、024-525-3780(家庭支援係)" in text


def test_the_chat_answers_a_desk_with_its_numbers_labelled(client):
    body = client.post("/api/chat", json={"message": "福島市政策調整課の電話番号"}).get_json()
    assert re.search(r"TEL 024-525-3788: ふくしま公民連携窓口「公民こねくと」", body["reply"])
    assert re.search(r"TEL 024-525-3708: ふるさと納税促進事業", body["reply"])
    details = {d["number"]: d["program_ids"] for d in body["desks"][0]["phone_details"]}
    assert details == {"024-525-3788": ["3-2-1"], "024-525-3708": ["6-2-2"]}


@pytest.mark.parametrize("desk_id,name,numbers", ONE_DESK_TWO_NUMBERS, ids=[d[1] for d in ONE_DESK_TWO_NUMBERS])
def test_the_contacts_page_labels_each_number_with_its_programs(client, desk_id, name, numbers):
    html = client.get("/contacts").get_data(as_text=True)
    card = re.search(f'<li class="desk-card" id="{desk_id}">(.*?)<details>', html, re.S).group(1)
    for number, program_ids in numbers.items():
        item = re.search(f'<li><a class="tel" href="tel:{number}">.*?</li>', card, re.S).group(0)
        assert set(re.findall(r'href="/programs/([0-9-]+)"', item)) == program_ids
