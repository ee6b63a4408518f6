"""The indicators and the scoring, as pure functions of facts: caps, vetoes, cut-offs, what
does not count, hints — no database needed beyond the default model's definition."""

from pathlib import Path

import pytest

from xinyong.evaluation.model_file import model_parse
from xinyong.evaluation.scoring import Compiled

DEFAULT = (Path(__file__).resolve().parent.parent / "default" / "public_credit.yaml").read_text()


@pytest.fixture(scope="module")
def model():
    return Compiled(model_parse(DEFAULT)[0])


def test_a_clean_new_company_starts_at_the_base_and_is_b(model):
    s = model.score({})
    assert (s.score, s.grade, s.points, s.cap) == (700, "B", {}, None)


def test_penalties_are_capped_by_the_model(model):
    s = model.score({"pen_s1": 10, "pen_s1_ids": list(range(10))})
    assert s.points == {"penalties": -400}  # 10 × −150 = −1,500, capped at −400
    assert s.score == 300 and s.grade == "D"


def test_honours_and_licences_stop_at_their_maximum(model):
    s = model.score({"honour": 9, "licence": 40, "age": 10})
    assert s.points == {"honours": 60, "licences": 30, "registration": 50}
    assert s.score == 840 and s.grade == "B"


def test_a_serious_dishonesty_entry_caps_the_grade_whatever_the_score(model):
    facts = {"l_serious_dishonesty": 1, "l_honor": 1, "honour": 3, "licence": 10, "age": 10,
             "sector": ["纳税信用|A"], "declared": 3, "kept": 6}  # fmt: skip
    s = model.score(facts)
    assert s.score == 700 - 400 + 50 + 60 + 30 + 50 + 50 + 30 + 30  # 600: C by the score
    assert (s.grade, s.cap) == ("D", "D")


def test_the_recent_year_weighs_more_and_summary_procedure_little(model):
    recent = model.score({"pen_g1": 1}).points["penalties"]
    older = model.score({"pen_g3": 1}).points["penalties"]
    summary = model.score({"pen_summary": 1}).points["penalties"]
    assert (recent, older, summary) == (-30, -10, -5)


def test_what_is_under_objection_or_repaired_is_explained_and_not_counted(model):
    explained = {i["code"]: i for d in model.explain({"doubt": 1, "repaired": 2})
                 for i in d["indicators"]}  # fmt: skip
    assert explained["penalties"]["points"] == 0
    assert "异议处理中的信息 1 条暂不计" in explained["penalties"]["reason"]
    assert "已信用修复 2 条不计" in explained["penalties"]["reason"]
    assert model.score({"doubt": 1, "repaired": 2}).score == 700


def test_the_latest_sector_grade_per_domain_counts(model):
    s = model.score({"sector": ["纳税信用|D", "建筑市场信用|A"], "sector_ids": [4, 9]})
    assert s.points == {"sector_grades": -100}  # −150 + 50


def test_hints_name_what_alone_would_change_the_grade(model):
    facts = {"pen_s1": 1, "pen_s1_ids": [7]}  # 550: C
    hints = model.hints(facts)
    assert hints[0]["code"] == "penalties" and hints[0]["changes_grade"]
    assert (hints[0]["score"], hints[0]["grade"]) == (700, "B")
    assert "信用修复" in hints[0]["how"]
    assert not any(h["code"] == "objections" for h in hints)  # nothing to gain there


def test_the_explanation_sums_to_the_score_and_names_its_records(model):
    facts = {"pen_s1": 1, "pen_s1_ids": [7], "licence": 2, "licence_ids": [3, 4], "age": 3}
    dims = model.explain(facts)
    assert model.model.base + sum(d["points"] for d in dims) == model.score(facts).score
    rows = {i["code"]: i for d in dims for i in d["indicators"]}
    assert rows["penalties"]["records"] == [7] and rows["licences"]["records"] == [3, 4]
    assert rows["penalties"]["explanation"].startswith("行政处罚：")
