"""BM25 with jieba: tokenisation, ranking, filters, unknown words, persistence."""

from __future__ import annotations

from pathlib import Path

from assistant.knowledge.lexical import LexicalIndex, tokenize

ROWS = [
    ("a:0000", "a", tokenize("燃气泄漏后立即关闭阀门，切断气源，疏散居民。")),
    ("a:0001", "a", tokenize("燃气爆炸造成3人以上死亡，启动Ⅱ级应急响应。")),
    ("b:0000", "b", tokenize("暴雨红色预警发布后，市防指启动一级应急响应。")),
    ("c:0000", "c", tokenize("Metro line 5 flooded during the rainstorm; stop trains on a red warning.")),
]


def test_tokenize_drops_punctuation_keeps_english_and_unifies_levels() -> None:
    tokens = tokenize("燃气泄漏！Level I response, H2S 超标。")
    assert "燃气" in tokens and "泄漏" in tokens
    assert "level" in tokens and "h2s" in tokens and "response" in tokens
    assert not any(t in {"！", ",", "。", " "} for t in tokens)
    for spelling in ("Ⅰ级响应", "I级响应", "1级响应", "一级响应"):
        assert "一级" in tokenize(spelling), spelling
    assert "二级" in tokenize("Ⅱ级应急响应") and "四级" in tokenize("IV级")
    assert "一级" not in tokenize("VI级")  # not a level numeral


def test_search_ranks_and_filters(tmp_path: Path) -> None:
    index = LexicalIndex(tmp_path / "lexical")
    index.build(ROWS, generation=1)
    assert index.search("燃气泄漏 关闭阀门", 2)[0][0] == "a:0000"
    assert index.search("Ⅰ级响应 暴雨", 1)[0][0] == "b:0000"
    assert index.search("rainstorm metro", 3)[0][0] == "c:0000"
    only_b = index.search("应急响应", 5, doc_ids={"b"})
    assert [cid for cid, _ in only_b] == ["b:0000"]
    assert index.search("应急响应", 5, doc_ids=set()) == []


def test_unknown_words_and_empty_index_find_nothing(tmp_path: Path) -> None:
    index = LexicalIndex(tmp_path / "lexical")
    assert index.search("燃气", 5) == []  # nothing built yet
    index.build(ROWS, generation=1)
    assert index.search("量子纠缠 zzzqqq", 5) == []
    assert index.search("。！？", 5) == []
    index.build([], generation=2)
    assert index.search("燃气", 5) == []


def test_saved_index_loads_with_its_generation(tmp_path: Path) -> None:
    LexicalIndex(tmp_path / "lexical").build(ROWS, generation=7)
    reopened = LexicalIndex(tmp_path / "lexical")
    assert reopened.load() and reopened.generation == 7 and len(reopened) == 4
    assert reopened.search("燃气泄漏", 1)[0][0] == "a:0000"
    assert not LexicalIndex(tmp_path / "missing").load()
