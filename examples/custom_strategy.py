"""A custom compliance strategy on the Mesa engine: "verify, then trust".

Reagan's "trust, but verify" (doveryai, no proveryai), taken the other way round: a
state that complies only while verification has earned its trust. It answers a
detected defection with a defection (as tit_for_tat does) and otherwise complies only
if its trust in every counterpart it is bound with has reached ``threshold``.

Run it (from the repository root)::

    python examples/custom_strategy.py            # 60 runs of the no-linkage scenario
    python examples/custom_strategy.py --runs 500 --actor united_states

It prints the batch outcome with the scenario's own strategies (NumPy engine), then with
the chosen actor playing verify_then_trust (Mesa engine), on the same seed and runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import armsim
from armsim.abm import COMPLY, DEFECT, StateAgent, register_compliance

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "geneva_2022_no_linkage.yaml"


@register_compliance("verify_then_trust")
class VerifyThenTrust(StateAgent):
    """Defect after a detected defection; comply only if trust in every counterpart is at
    least ``threshold``. Everything else (noise, detection, trust updates, collapse,
    forces) is the core's."""

    threshold = 0.3

    def comply_or_defect(self) -> str:
        if self.saw_defection:
            return DEFECT
        if any(self.trust[other] < self.threshold for other in self.counterparts):
            return DEFECT
        return COMPLY


def table(rows: dict[str, armsim.Results], actor: str) -> str:
    """Rates with 95% intervals and means, one column per variant."""
    rates = ("agreement", "collapsed", "crisis")
    means = ("mean_tension", f"compliance_rate.{actor}", f"compliance_payoff.{actor}")
    left = max(map(len, means)) + 2
    width = max(max(map(len, rows)), 18) + 3
    lines = [" " * left + "".join(name.rjust(width) for name in rows)]
    for rate in rates:
        cells = [r.summary()["rates"][rate] for r in rows.values()]
        lines.append(f"{rate} rate".ljust(left) + "".join(
            f"{c['rate']:.2f} [{c['low']:.2f}, {c['high']:.2f}]".rjust(width) for c in cells))
    for mean in means:
        cells = [r.summary()["means"][mean]["mean"] for r in rows.values()]
        lines.append(mean.ljust(left) + "".join(f"{c:.3f}".rjust(width) for c in cells))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--actor", default="russia")
    parser.add_argument("--scenario", default=str(SCENARIO))
    args = parser.parse_args()

    common = {"runs": args.runs, "seed": args.seed}
    builtin = armsim.run(args.scenario, **common)
    # the Mesa engine with the scenario's own strategies gives the same numbers exactly
    check = armsim.run(args.scenario, engine="mesa", **{**common, "runs": min(args.runs, 5)})
    assert all(np.array_equal(check.outputs[k], builtin.outputs[k][:len(check)], equal_nan=True)
               for k in check.outputs)
    custom = armsim.run(args.scenario, engine="mesa",
                        agent_classes={args.actor: "verify_then_trust"}, **common)
    strategy = armsim.load_scenario(args.scenario).actors[args.actor].compliance.type
    print(f"{builtin.scenario_name}: {len(builtin)} runs, seed {builtin.seed}\n")
    print(table({f"{args.actor}: {strategy}": builtin,
                 f"{args.actor}: verify_then_trust": custom}, args.actor))


if __name__ == "__main__":
    main()
