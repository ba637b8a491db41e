"""The figure of docs/experiments.md "Verification deters": a sweep of verification from
0.3 to 0.95 on the no-linkage scenario, Russia's compliance rate and P(collapse) with their
95% bands, drawn with armsim's own sweep figure (armsim.plot.sweeps.line).

    python tools/verification_figure.py [--runs 2000] [--out docs/img/verification-deters.png]

Common random numbers: run r of every level meets the same draws (docs/experiments.md).
"""

from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "geneva_2022_no_linkage.yaml"
LEVELS = "0.3..0.95:14"          # 0.30, 0.35, ..., 0.95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img" /
                        "verification-deters.png")
    args = parser.parse_args()

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import armsim
    from armsim.plot.sweeps import line

    data = armsim.sweep(SCENARIO, {"environment.verification": LEVELS}, runs=args.runs)
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    line(data, "environment.verification", "compliance_rate.russia", ax=left)
    line(data, "environment.verification", "collapsed", ax=right)
    fig.suptitle(f"{data.attrs.get('scenario', SCENARIO.stem)}: verification deters "
                 f"({args.runs} runs a level, seed {data.attrs.get('seed', 2022)})")
    fig.tight_layout()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.out, dpi=110)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
