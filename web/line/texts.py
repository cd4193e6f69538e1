"""The fixed Japanese lines of the LINE account; every answer about programs comes from the dialogue."""
from __future__ import annotations

WELCOME = ("友だち追加ありがとうございます。ふくしま支援ナビです。福島市の事業者向けの支援制度と、"
           "相談・申し込みの窓口と電話番号をご案内します。お困りごとを普段の言葉で送るか、下から選んでください"
           "(例:「創業したい」「人手不足で困っている」)。")
GROUP_JOIN = ("ふくしま支援ナビです。グループでは、わたしあてにメンション(@ふくしま支援ナビ)を付けて"
              "お困りごとを送ってください。合う支援制度と窓口の電話番号をご案内します。")
TOO_LONG = "長いメッセージにはお答えできません。{limit}文字以内で、お困りごとを短く送ってください。"

# What arrived instead of text, as the polite line names it.
NON_TEXT = {"sticker": "スタンプ", "image": "画像", "video": "動画", "audio": "音声", "location": "位置情報",
            "file": "ファイル"}
POLITE = ("{what}ありがとうございます。ふくしま支援ナビは文字でのご相談にお答えしています。"
          "お困りごとを文字で送るか、下から選んでください。")


def polite(kind: str) -> str:
    """The short polite line for a sticker, photo, location, voice message…"""
    return POLITE.format(what=NON_TEXT.get(kind, "メッセージ"))
