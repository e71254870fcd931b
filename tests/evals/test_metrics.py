from assistant.evaluation.metrics import forbidden_advice, key_point_coverage


def test_key_points_use_synonyms_and_normalisation() -> None:
    score = key_point_coverage("立即 关闭 阀门，疏散群众。", [["切断气源", "关闭阀门"], ["疏散", "撤离"], ["警戒"]])
    assert round(score.value, 2) == 0.67 and "警戒" in score.reason


def test_forbidden_advice_ignores_negated_phrases() -> None:
    assert forbidden_advice("现场严禁使用明火，禁止开关电器。", ["使用明火", "开关电器"]).value == 1.0
    assert forbidden_advice("可使用明火照明查找漏点。", ["使用明火"]).value == 0.0
    assert forbidden_advice("Do not switch on the lights. Evacuate.", ["switch on the lights"]).value == 1.0
    assert forbidden_advice("Switch on the lights to find the leak.", ["switch on the lights"]).value == 0.0
