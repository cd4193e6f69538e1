"""The READMEs: README.md in Japanese for operators, README.en.md in English, kept in step with the code."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from web.cli import build_parser
from web.settings import SETTINGS, settings_table

ROOT = Path(__file__).resolve().parents[1]
JA = (ROOT / "README.md").read_text(encoding="utf-8")
EN = (ROOT / "README.en.md").read_text(encoding="utf-8")
BOTH = pytest.mark.parametrize("readme", [JA, EN], ids=["ja", "en"])

SERVE = "python3 -m venv .venv && . .venv/bin/activate && pip install . && shien-navi serve"
TEST = "bash scripts/test.sh"


def prose(readme: str) -> str:
    """The running text: code, code spans, quoted UI words, links and URLs taken out."""
    for pattern in (r"```.*?```", r"`[^`]*`", r"「[^」]*」", r"\[[^\]]*\]\([^)]*\)", r"https?://\S+"):
        readme = re.sub(pattern, "", readme, flags=re.S)
    return readme


def code_blocks(readme: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```\w*\n(.*?)```", readme, re.S)]


def test_the_japanese_settings_table_is_generated_from_settings():
    assert settings_table() in JA, "paste web.settings.settings_table() into README.md's 設定"


def test_the_english_settings_table_has_every_setting_and_its_default():
    rows = dict(re.findall(r"^\| `(SHIEN_NAVI_\w+)` \| `([^`]*)` \|", EN, re.M))
    assert set(rows) == {s.env for s in SETTINGS}, "README.en.md's settings table and SETTINGS differ"
    for s in SETTINGS:
        default = "(none)" if s.default is None else "(empty)" if s.default in ((), []) else str(s.default)
        assert rows[s.env] == default, s.env


@BOTH
def test_both_start_with_the_two_set_up_commands_and_link_each_other(readme):
    assert code_blocks(readme)[:2] == [SERVE, TEST]
    assert readme.index(SERVE) < readme.index("## ", readme.index(TEST))  # at the top, in the first section
    other = "README.en.md" if readme is JA else "README.md"
    assert f"]({other})" in readme.split("\n## ")[0]


@BOTH
def test_prerequisites_name_python_venv_and_the_debian_packages_the_tests_install(readme):
    python = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    assert python == ">=3.11" and "Python 3.11" in readme and "python3-venv" in readme
    packages = re.findall(r"need_apt\+=\((\S+)\)", (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8"))
    assert packages and all(f"`{p}`" in readme for p in packages)
    assert ". .venv/bin/activate" in readme and ".venv/bin/shien-navi" in readme  # a new shell


@BOTH
def test_every_command_and_the_embed_snippet_are_documented(readme):
    commands = build_parser()._subparsers._group_actions[0].choices  # noqa: SLF001 - argparse keeps them there
    assert [c for c in commands if f"`shien-navi {c}" not in readme] == []
    assert '/embed.js" async' in readme and "--version" in readme


def test_the_japanese_readme_has_no_english_prose():
    runs = re.findall(r"\b[A-Za-z]+(?:[ ,]+[A-Za-z]+){3,}", prose(JA))
    assert runs == [], "translate these in README.md (English goes in README.en.md)"


def test_the_english_readme_has_no_japanese_prose():
    sentences = re.findall(r".{0,30}[。、]", prose(EN))
    assert sentences == [], "translate these in README.en.md (Japanese goes in README.md)"


def test_both_have_the_same_sections():
    def count(readme: str) -> tuple[int, int, int]:
        lines = re.sub(r"```.*?```", "", readme, flags=re.S).splitlines()
        return (sum(1 for x in lines if x.startswith("## ")), sum(1 for x in lines if x.startswith("### ")),
                len(code_blocks(readme)))
    assert count(JA) == count(EN)
