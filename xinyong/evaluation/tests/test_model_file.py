"""The model file: the default one loads; every kind of mistake an office can make in it
is refused with the line and the rule, and nothing is written."""

from pathlib import Path

import pytest

from xinyong.core.errors import ValidationFailed
from xinyong.evaluation import services
from xinyong.evaluation.model_file import ModelError, model_parse
from xinyong.evaluation.models import ModelVersion

DEFAULT = (Path(__file__).resolve().parent.parent / "default" / "public_credit.yaml").read_text()


def test_the_default_model_is_loaded_and_in_use(db):
    mv = ModelVersion.objects.get(active=True)
    assert (mv.code, mv.version, mv.definition["scale"]) == ("public_credit", 1, 1000)
    assert mv.source == DEFAULT


@pytest.mark.parametrize(
    ("change", "line", "rule"),
    [
        (("base: 700", "base: 600"), 7, "model.scale"),
        (("code: court,", "code: courts,"), 32, "model.unknown_indicator"),
        (("{grade: C, min: 500", "{grade: C, min: 700"), 51, "model.grade_order"),
        (("{grade: D, min: 0", "{grade: D, min: 10"), 52, "model.grade_floor"),
        (("params: {each: -150}", "params: {}"), 32, "model.params"),
        (("per_year: 5", "per_year: five"), 13, "model.param_type"),
        (("serious_cap: D", "serious_cap: E"), 27, "model.cap"),
        (("scale: 1000", "scale: 1000\ncolour: red"), 7, "model.unknown_key"),
        (("min: -100, max: 0,", "min: 10, max: 0,"), 20, "model.indicator_range"),
        (("version: 1", "version: [1"), 5, "model.yaml"),
    ],
)
def test_a_bad_model_file_is_refused_with_its_line_and_rule(change, line, rule):
    with pytest.raises(ModelError) as err:
        model_parse(DEFAULT.replace(*change))
    assert (err.value.line, err.value.rule) == (line, rule)
    assert f"第 {line} 行" in str(err.value)


def test_a_version_is_never_changed_once_loaded(actors):
    before = ModelVersion.objects.count()
    changed = DEFAULT.replace("max: 60, params: {each: 20}", "max: 60, params: {each: 30}")
    with pytest.raises(ValidationFailed) as err:
        services.model_version_load(actor=actors["operator"], text=changed)
    assert err.value.errors[0].rule == "model.version_exists"
    assert ModelVersion.objects.count() == before
    v2 = services.model_version_load(
        actor=actors["operator"], text=changed.replace("version: 1", "version: 2")
    )
    assert v2.active and ModelVersion.objects.filter(active=True).count() == 1


def test_only_the_operator_loads_a_model(actors):
    from xinyong.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.model_version_load(actor=actors["market_clerk"], text=DEFAULT)
