"""Two commands measured side by side: A B A B … in one run, each in a cold process, and the
median of the pairwise ratios (A ÷ B) with their min and max, for wall time and peak memory.

    python3 bench/pairs.py --pairs 7 --a "target/dist/audit-report build data --out /tmp/a" \\
                                     --b "/tmp/prev-bin build data --out /tmp/b"

Alternating cancels most of what a busy machine does to either side; a ratio per pair, not a
ratio of averages, keeps one slow moment from deciding the result. Prints Markdown.
"""
import argparse, os, shlex, statistics, subprocess, sys, time


def run(command):
    """Wall seconds and peak resident MiB of one cold run of `command`."""
    start = time.perf_counter()
    child = subprocess.Popen(shlex.split(command), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"failed ({status}): {command}")
    return wall, usage.ru_maxrss / 1024


def spread(values):
    return f"{statistics.median(values):.3f} (min {min(values):.3f}, max {max(values):.3f})"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--a", required=True, help="command A")
    parser.add_argument("--b", required=True, help="command B")
    parser.add_argument("--pairs", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured runs of each first")
    parser.add_argument("--label", default="", help="what is compared, for the table")
    args = parser.parse_args()
    if args.pairs < 5:
        sys.exit("at least 5 pairs")
    for _ in range(args.warmup):
        run(args.a)
        run(args.b)
    a_runs, b_runs = [], []
    for _ in range(args.pairs):
        a_runs.append(run(args.a))
        b_runs.append(run(args.b))
    time_ratio = [a[0] / b[0] for a, b in zip(a_runs, b_runs)]
    memory_ratio = [a[1] / b[1] for a, b in zip(a_runs, b_runs)]
    print("| compared | pairs | A s, median | B s, median | A ÷ B time, median (min, max) | A MiB | B MiB | A ÷ B memory, median (min, max) |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {args.label} | {args.pairs} | {statistics.median(a[0] for a in a_runs):.3f} | "
          f"{statistics.median(b[0] for b in b_runs):.3f} | {spread(time_ratio)} | "
          f"{statistics.median(a[1] for a in a_runs):.0f} | {statistics.median(b[1] for b in b_runs):.0f} | "
          f"{spread(memory_ratio)} |")


if __name__ == "__main__":
    main()
