"""Needs from their parts (frames), scope evidence, and the language data's validation."""
from __future__ import annotations

import json
import shutil

import pytest

from assistant.engine import Assistant
from knowledge import KnowledgeError, load_knowledge
from knowledge.loader import DATA_DIR


@pytest.fixture(scope="module")
def assistant(knowledge):
    return Assistant(knowledge)


FRAMES = [  # message, frame, thing
    ("たこ焼き屋を始めたい", "start", "たこ焼き屋"),
    ("ネイルサロンをオープンする予定です", "start", "ネイルサロン"),
    ("コインランドリーを始めたい", "start", "コインランドリー"),   # a trade of 日本標準産業分類, no suffix
    ("高齢なので豆腐屋をたたもうか迷っている", "succession", "豆腐屋"),
    ("ホールスタッフが足りない", "hiring", "ホールスタッフ"),
    ("介護職員を募集しても来ない", "hiring", "介護職員"),
    ("ホールスタッフが見つからなくて困ってる", "hiring", "ホールスタッフ"),  # 見つかる, normalized 見付かる
    ("業務用冷蔵庫の電気代が高い", "energy", "業務用冷蔵庫"),
    ("店を改装したい", "sales", "店"),
    ("溶接の技術を社員に身につけさせたい", "training", "社員"),
    ("閉店間際のパンを捨てるのがつらい", "waste", "パン"),
    ("漬物をネットで売りたい", "sell", "漬物"),
    ("予約システムを入れたい", "adopt_it", "予約システム"),
    ("パティスリーを開きたいです", "start", "パティスリー"),  # an unknown loanword opened is a new trade
    # Fukushima dialect, rewritten before the analysis
    ("美容室始めっかと思ってんだげんちょ、何がら手ぇつけたらいいべ？", "start", "美容室"),
    ("介護職員がなかなか見っかんねくて、困ってんだ。", "hiring", "介護職員"),
    # an action said as a noun belongs to the trade the message is about
    ("八百屋やってんだげんちょ、なじょしたら客増えっぺ？", "sales", "八百屋"),
    ("レジ係が足りなくて仕事が回らない", "hiring", "レジ係"),        # 〜係 names a role
    ("年配の経験者を受け入れたい", "hiring", "経験者"),                  # 〜者 too, and 受け入れる is hiring
    ("年齢的に、そろそろ酒蔵をたたもうかと思ってて", "succession", "酒蔵"),  # 〜蔵 names a brewery
    # a verbal noun said as a verb takes its subject and object by が and を
    ("プログラマーが確保できなくて困っている", "hiring", "プログラマー"),
    ("ケアマネジャーを募集しても全然応募が来ない", "hiring", "ケアマネジャー"),
    # customers and sales going down, or wanted up, with no shop named: the owner's own business
    ("客が来ない", "demand", "客"),
    ("お客さんが減った", "demand", "お客さん"),
    ("売上が伸びない", "demand", "売上"),
    ("注文が減って困っている", "demand", "注文"),
]


@pytest.mark.parametrize("message", ["来客があるので部屋を片付けたい", "お客さんが来るので掃除したい"])
def test_customers_coming_is_no_sales_need(assistant, message):
    assert "demand" not in [f.frame.id for f in assistant.analyze(message).frames]


@pytest.mark.parametrize("message,frame,thing", FRAMES)
def test_frame_is_a_kind_of_thing_plus_an_action(assistant, message, frame, thing):
    found = [(f.frame.id, f.thing.text) for f in assistant.analyze(message).frames]
    assert (frame, thing) in found


NO_FRAME = [
    "商店街で秋にマルシェを開きたい",               # an event held, not a business opened
    "駅前でイベントを開きたい",
    "パン屋をやっている",                          # a weak action without an intent: they run it already
    "従業員の子どもを預けられる保育園を探している",  # 探す binds to 保育園, not to 従業員
    "後継者がいない",                              # 後継者 is not a worker to hire
]


@pytest.mark.parametrize("message", NO_FRAME)
def test_no_frame_where_the_parts_do_not_belong_together(assistant, message):
    frames = [f.frame.id for f in assistant.analyze(message).frames]
    assert "hiring" not in frames and "start" not in frames


@pytest.mark.parametrize("message", ["今無職です。職業訓練を受けたい", "退職した社員の代わりを探している"])
def test_a_word_ending_like_a_role_is_not_always_one(assistant, message):
    """無職 (excluded in the data) and 退職 (an act: サ変) end in 職 but are no role to train or hire."""
    assert not any(t.text.endswith(("無職", "退職")) and t.kind == "people" for t in assistant.analyze(message).things)


@pytest.mark.parametrize("message", ["インスタを始めたい", "キャンペーンを始めたい"])
def test_an_unknown_word_with_a_weak_action_is_no_new_trade(assistant, message):
    """始める is too weak to make an unknown loanword a trade (開く, 開業 are not)."""
    assert not any(f.frame.id == "start" for f in assistant.analyze(message).frames)


def test_a_te_clause_leading_to_another_action_is_not_the_need(assistant):
    frames = [f.frame.id for f in assistant.analyze("会社を辞めて花屋を立ち上げたい").frames]
    assert frames == ["start"]


@pytest.mark.parametrize("said,standard", [
    ("始めっかと思ってんだげんちょ", "始めるかと思ってんだけど"),
    ("なじょしたら客増えっぺ?", "どうしたら客増えるだろう?"),
    ("見っかんねくて", "見つからなくて"),
    ("しっかり引っかかる", "しっかり引っかかる"),   # っか inside standard words is left alone
])
def test_dialect_is_rewritten_to_standard_japanese(assistant, said, standard):
    assert assistant.dialect(said) == standard


@pytest.mark.parametrize("message,head", [
    ("電気ボイラーの電気代が高い", "ボイラー"),        # a modifier is not what the thing is
    ("燃料電池自動車を入れたい", "自動車"),
    ("既存照明設備を入れ替えたい", "照明"),            # the kind's own word (設備) is no head
    ("営業担当が足りない", "営業"),
])
def test_a_thing_is_known_by_its_head(assistant, message, head):
    assert head in {t.head for t in assistant.analyze(message).things}


@pytest.mark.parametrize("message,other", [
    ("冷凍ショーケースの電気代が高くて困る", "2-2-9"),   # an EV subsidy is about another machine
    ("電気ボイラーの電気代が高い", "2-2-9"),
    ("業務用冷凍庫を省エネタイプに替えたい", "2-2-7"),  # LED lighting is about another machine
    # the frame's action (エネルギー) is its need, not a word that favours 再エネ関連産業
    ("業務用冷凍庫のエネルギーコストが高くて困っている", "2-2-6"),
])
def test_a_program_about_another_machine_is_not_first(assistant, message, other):
    hits = assistant.search(message)
    assert hits and hits[0].program.id != other


def test_a_program_about_the_same_machine_is_first(assistant):
    assert assistant.search("社用車を電気自動車に買い替えたい")[0].program.id == "2-2-9"


SCOPE = [  # message, outside side or None
    ("住民票を取りたい", "personal"),
    ("燃えないゴミって何曜日？", "personal"),
    ("母の介護保険の申請をしたい", "personal"),
    ("観光スポットを教えて", "visitor"),
    ("失業保険の手続きを知りたい", "job_seeker"),
    ("従業員が親の介護で休みがち", None),
    ("事業系ごみを減らしたい", None),
    ("雪かきの人手が足りない", None),
    ("母がやっている美容室を私が引き継ぐことになりました", None),
    ("スプレー缶って何ごみですか？", "personal"),
    ("夫から暴力を受けています。どこに相談すれば", "personal"),
    ("国民健康保健に入りたいです", "personal"),           # a homophone typo is matched by its reading
    ("うちの工芸品を海外で売りたい", None),                # but only on whole words: no うちの子 in it
    ("去年の大雨で店が浸水しかけた。災害の備えをしたい", None),
    ("漬物を道の駅で売りたい", None),
    ("家の冷蔵庫を省エネのに買い替えたら補助出る？", "personal"),  # a machine a person owns: no business
    ("店の冷蔵庫を省エネのに買い替えたい", None),
    ("母の店を継ぎたい", None),                                     # a family member's shop is the family's business
    # a business the speaker left, works for or bought from is no sign of the speaker's own
    ("会社辞めたので国民健康保険に切り替えたい", "personal"),
    ("会社やめたので国民健康保健に入りたいです", "personal"),
    ("店で買った商品が不良品なのに返品してくれない。消費生活センターに相談したい", "personal"),
    ("会社を辞めてパン屋を開きたい", None),
    ("うちの会社で買った機械の電気代が高い", None),
    ("ネット通販でお金振り込んだのに商品届かない", "personal"),   # goods a customer is owed: no sales need
    ("会社の上司のパワハラがひどくて毎日つらい。どこに相談したらいいですか", "job_seeker"),  # the speaker's employer
    # a donor to ふるさと納税 is a resident, even though the program is named; a supplier of gifts is a business
    ("ふるさと納税のワンストップ特例の申請書、どこに送ればいいですか", "personal"),
    ("ふるさと納税の返礼品にうちの桃を出したい", None),
    # job seekers said in their own words
    ("高3です。就職の面接練習とか支援してくれるところないですか", "job_seeker"),
    ("親の介護しながら働いてるスタッフがいる。休ませてあげたい", None),  # staff act themselves: no counterpart
]


def test_a_company_that_does_not_pay_its_worker_gets_no_program(assistant):
    from assistant.dialogue import respond
    reply = respond(assistant, "給料が2か月払われてません。会社に言っても払ってくれない")
    assert not reply.hits
    assert "会社" in assistant.analyze("給料が払われてません。会社に言っても払ってくれない").scope.counterparts


@pytest.mark.parametrize("message,side", SCOPE)
def test_scope_weighs_business_against_personal_evidence(assistant, message, side):
    assert assistant.analyze(message).scope.outside == side


def _broken_copy(tmp_path, name, change):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    doc = json.loads((data / f"{name}.json").read_text(encoding="utf-8"))
    change(doc)
    (data / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return data


@pytest.mark.parametrize("name,change,says", [
    ("frames", lambda d: d["frames"][0]["tags"].append("存在しない分野"), "unknown tag"),
    ("frames", lambda d: d["frames"][0]["things"].append("ghost"), "unknown kind of thing"),
    ("scope", lambda d: d["cues"][0].update(side="neighbour"), "scope.json"),
    ("cues", lambda d: d.pop("contact"), "cues.json"),
    ("trades", lambda d: d.update(trades=[]), "trades.json"),
    ("frames", lambda d: d["dialect"][0].update(said="(げんちょ"), "not a regular expression"),
    ("frames", lambda d: d["dialect"][0].update(example="普通の文です"), "does not change its own example"),
])
def test_language_data_is_validated_with_its_place(tmp_path, name, change, says):
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(_broken_copy(tmp_path, name, change))
    assert says in str(err.value)


def test_bringing_in_an_it_tool_is_first_the_it_subsidy(assistant):
    """IT and 設備投資 together (the adopt_it frame): the IT導入補助金, not the digital award."""
    assert assistant.search("予約システムを入れたい")[0].program.id == "1-1-11"


@pytest.mark.parametrize("message", ["果物店の店内を改装したいんだけど、補助とかある？",
                                     "洋菓子店の店内を改装したいんだけど、補助とかある？"])
def test_the_owners_trade_beside_the_need_does_not_pull_programs_of_its_own(assistant, message):
    """果物 names who the owner is; the need is the shop's renovation, not the food programs."""
    tags = assistant.search(message)[0].program.tags
    assert "食・農" not in tags and "販路開拓" in tags
