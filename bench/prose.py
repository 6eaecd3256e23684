"""Filling a paragraph that names n figures: time per figure as n doubles (flat when linear).

A copy of the sample gets one more paragraph naming n figures (`{{count "q2" "yes"}}`, and so
on round the sample's measures); `audit-report check` (every stage up to typesetting, the
prose filled for every edition) runs in a cold process, alternating with the copy without
the paragraph (A B A B ...). The extra time per figure is (A − B) / n per pair; its median is
given for each n.

    python3 bench/prose.py --sizes 500,1000,2000,4000,8000 --pairs 5
"""
import tables
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time

# The fastest binary (`cargo build --profile dist`), where Cargo puts it.
BIN = os.path.abspath(os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "dist/audit-report"))
FIGURES = ['{{count "q2" "yes"}}', '{{base "q1.c"}}', '{{pct "q4" "yes"}}', '{{count "q6" "no"}}']


def run(argv):
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True)
    # (`check` exits 3 when it found only warnings: the sample's overdue actions)
    if done.returncode not in (0, 3):
        sys.exit(f"failed: {' '.join(argv)}\n{done.stdout}{done.stderr}")
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500,1000,2000,4000,8000")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--readme")
    args = parser.parse_args()
    if args.pairs < 5:
        sys.exit("at least 5 pairs")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        base = os.path.join(tmp, "base")
        shutil.copytree("data", base)
        for n in map(int, args.sizes.split(",")):
            audit = os.path.join(tmp, f"n{n}")
            shutil.copytree("data", audit)
            words = " and ".join(FIGURES[i % len(FIGURES)] for i in range(n))
            with open(os.path.join(audit, "narrative", "08-many-figures.yaml"), "w") as f:
                f.write(f"title: Many figures\nsubsections:\n  - blocks:\n      - p: >-\n          {words}.\n")
            a_cmd, b_cmd = [BIN, "check", audit], [BIN, "check", base]
            run(a_cmd), run(b_cmd)
            per = []
            for _ in range(args.pairs):
                a, b = run(a_cmd), run(b_cmd)
                per.append((a - b) / n * 1e6)
            rows.append((n, per))
            print(f"measured {n}", file=sys.stderr)
    lines = ["| figures in one paragraph | pairs | extra µs per figure, median (min–max) |", "|---|---|---|"]
    for n, per in rows:
        lines.append(f"| {n:,} | {len(per)} | {statistics.median(per):.1f} ({min(per):.1f}–{max(per):.1f}) |")
    text = "\n".join(lines)
    print(text)
    if args.readme:
        tables.put(args.readme, "prose", text)


if __name__ == "__main__":
    main()
