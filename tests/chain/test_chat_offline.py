from assistant.chain.chat import ChatService
from assistant.chain.coverage import assess_coverage, content_terms
from tests.chain.corpus import GAS_PLAN, MemorySearcher


def test_covered_question_gets_cited_sentences() -> None:
    answer = ChatService(MemorySearcher()).ask("燃气泄漏报警后应该怎么处置？")
    assert answer.covered
    assert "[1]" in answer.text and "切断气源" in answer.text
    assert GAS_PLAN in {c.title for c in answer.citations}
    assert answer.engine == "offline-drafter"


def test_uncovered_question_says_not_covered_with_nearest_sources_zh_and_en() -> None:
    zh = ChatService(MemorySearcher()).ask("火星基地氧气舱失压时宇航员如何撤离？")
    assert not zh.covered
    assert zh.text.startswith("知识库未覆盖") and "最接近的资料" in zh.text
    assert zh.citations
    en = ChatService(MemorySearcher()).ask("How should astronauts evacuate a depressurised Mars habitat?")
    assert not en.covered
    assert en.text.startswith("Not covered by the knowledge base") and "Nearest sources" in en.text


def test_content_terms_drop_question_words() -> None:
    assert "怎么" not in content_terms("燃气泄漏怎么处置")
    assert "燃气" in content_terms("燃气泄漏怎么处置")
    assert content_terms("What should the gas company do?") == ["gas", "company"]


def test_coverage_needs_most_terms() -> None:
    hits = MemorySearcher().search("燃气 泄漏", 4)
    assert assess_coverage("燃气泄漏疏散", hits).covered
    assert not assess_coverage("火星基地氧气泄漏", hits).covered
