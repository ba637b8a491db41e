"""Every registered strategy, built-in or installed, keeps the registry's promises."""

import pytest
from strategy_helpers import check_declares_itself

from armsim.scenario.schema import COMPLIANCE_NAMES, STRATEGY_NAMES
from armsim.strategies import registry

# MODEL.md section 3 names these; the registry lists them in this order
MODEL_NEGOTIATION = ("boulware", "linear", "conceder", "time_dependent", "tit_for_tat", "grit",
                     "hardliner", "rubinstein")
MODEL_COMPLIANCE = ("always_comply", "always_defect", "tit_for_tat", "grim", "tit_for_two_tats",
                    "suspicious_tit_for_tat", "alternate", "random", "generous_tit_for_tat",
                    "conditional")


def test_the_builtins_are_the_models_in_its_order():
    assert registry.names("negotiation")[:8] == MODEL_NEGOTIATION == STRATEGY_NAMES[:8]
    assert registry.names("compliance")[:10] == MODEL_COMPLIANCE == COMPLIANCE_NAMES[:10]


@pytest.mark.parametrize("name", registry.names("negotiation"))
def test_each_negotiation_strategy_declares_itself(name):
    check_declares_itself("negotiation", name)


@pytest.mark.parametrize("name", registry.names("compliance"))
def test_each_compliance_strategy_declares_itself(name):
    check_declares_itself("compliance", name)


def test_an_unknown_name_says_which_exist():
    with pytest.raises(KeyError, match="known: boulware, linear"):
        registry.get("negotiation", "bulware")
