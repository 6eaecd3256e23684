"""audit-report against Typst alone, measured side by side; writes the table bench/README.md shows.

For each audit (the sample, all its editions and one; synthetic audits of N cases from
`audit-report generate --cases N --seed 1`) the script writes the Typst sources of the same
editions (`build --emit-typst`), then alternates two commands, each run a cold process:

  A  audit-report build AUDIT --format pdf [--edition E]      (the whole build)
  B  python3 alone.py SOURCES...                               (Typst alone)

B compiles and exports each edition with the PyPI binding of Typst 0.15 (same fonts, charts,
data and PDF standards), several editions on a thread each, as the build typesets them.
Python's own start-up (`python3 -c "import typst"`) is run after each pair's B, in the same
alternation, and taken off that B's time; the bare interpreter's memory (`python3 -c pass`)
is taken off B's peak. Ratios are per pair (A B A B ...), then their median, min and max.

"Outside typesetting" is the build's time not spent in its "typeset and render" stage (which
has the printed-text checks and the records running beside Typst), as a share of the build.
"Reading the inputs alone" is `find AUDIT -type f | xargs -P<cores> cat` (every file of the
audit folder opened and read, nothing done with it), run after each pair's start-up run, as a
share of that pair's Typst alone: what the build cannot do without, before it typesets.

    python3 bench/bench.py --sizes sample,150,2000,10000 --pairs 5 --readme bench/README.md
"""
import tables
import argparse, datetime, json, os, platform, re, shlex, statistics, subprocess, sys, tempfile, time

# The fastest binary (`cargo build --profile dist`), where Cargo puts it.
BIN = os.path.abspath(os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "dist/audit-report"))

ALONE = r"""
import sys, typst, concurrent.futures as cf
def one(d):
    typst.compile(f"{d}/report.typ", output=f"{d}/report.pdf", root=d, font_paths=[f"{d}/fonts"],
                  ignore_system_fonts=True, pdf_standards=["ua-1", "a-2b"], timestamp=0)
with cf.ThreadPoolExecutor(len(sys.argv) - 1) as pool:
    list(pool.map(one, sys.argv[1:]))
"""

STAGES = ["load and validate", "collate", "charts", "templates", "typeset and render", "write"]


def run(argv):
    """Wall seconds, peak resident MiB and stdout of one cold run."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"failed ({status}): {shlex.join(argv)}")
    return wall, usage.ru_maxrss / 1024, out


def spread(values, digits=2):
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def startup(pairs):
    """Python with the Typst binding imported, and the bare interpreter: medians."""
    imported = [run([sys.executable, "-c", "import typst"]) for _ in range(pairs)]
    bare = [run([sys.executable, "-c", "pass"]) for _ in range(pairs)]
    return (statistics.median(r[0] for r in imported), statistics.median(r[1] for r in imported),
            statistics.median(r[1] for r in bare))


def measure(label, audit, edition, work, pairs, start):
    out, charts, emitted = (os.path.join(work, n) for n in ("out", "charts", "typst"))
    only = ["--edition", edition] if edition else []
    build = [BIN, "build", audit, "--out", out, "--charts", charts, "--format", "pdf", *only]
    run([*build, "--emit-typst", emitted])
    editions = sorted(os.path.join(emitted, e) for e in os.listdir(emitted))
    alone = [sys.executable, "-c", ALONE, *editions]
    _, _, bare_peak = start
    imported = [sys.executable, "-c", "import typst"]
    # What no build can do without: opening and reading every input file, on every core.
    reading = ["sh", "-c", f"find {shlex.quote(audit)} -type f -print0 | "
               f"xargs -0 -P{os.cpu_count()} -n 5000 cat > /dev/null"]
    run(build), run(alone), run(imported), run(reading)  # warm-up: page cache, first-run costs
    rows = []
    for _ in range(pairs):
        a_wall, a_peak, a_out = run(build)
        b_wall, b_peak, _ = run(alone)
        # Python's start-up in the same alternation, taken off this pair's B: measured apart
        # from the pairs it moved with the machine's load (32 ms one run, 57 ms the next).
        s_wall = run(imported)[0]
        r_wall = run(reading)[0]
        stages = {m.group(1).strip(): float(m.group(2)) / 1000
                  for m in re.finditer(r"^ {4}(\S.*?)\s+([\d.]+) ms$", a_out, re.M)}
        pages = sum(int(p) for p in re.findall(r"(\d+) pages", a_out))
        typst_wall = b_wall - s_wall
        rows.append(dict(a_wall=a_wall, a_peak=a_peak, b_wall=b_wall, typst_wall=typst_wall,
                         start_wall=s_wall, reading_wall=r_wall,
                         b_peak=b_peak - bare_peak, stages=stages, pages=pages,
                         outside=(a_wall - stages.get("typeset and render", 0)) / a_wall))
    return dict(label=label, editions=len(editions), pairs=rows)


def table(results, start, machine):
    starts = [x["start_wall"] for r in results for x in r["pairs"]]
    lines = [
        f"Measured on {machine}. Typst alone's start-up (Python importing the binding, run "
        f"after each pair's B and taken off that B): median {statistics.median(starts) * 1000:.0f} ms "
        f"({min(starts) * 1000:.0f}–{max(starts) * 1000:.0f}); {start[1]:.0f} MiB, the bare "
        "interpreter's taken off its peak. Each cell: median of the pairs (min–max).",
        "",
        "| audit | editions | pages | pairs | build s | Typst alone s | build ÷ Typst alone | "
        "build MiB | Typst alone MiB | memory ÷ Typst alone | outside typesetting | "
        "reading the inputs alone ÷ Typst alone |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        p = r["pairs"]
        lines.append(
            f"| {r['label']} | {r['editions']} | {p[0]['pages']} | {len(p)} | "
            f"{statistics.median(x['a_wall'] for x in p):.3f} | "
            f"{statistics.median(x['typst_wall'] for x in p):.3f} | "
            f"{spread([x['a_wall'] / x['typst_wall'] for x in p])} | "
            f"{statistics.median(x['a_peak'] for x in p):.0f} | "
            f"{statistics.median(x['b_peak'] for x in p):.0f} | "
            f"{spread([x['a_peak'] / x['b_peak'] for x in p])} | "
            f"{spread([100 * x['outside'] for x in p], 1)} % | "
            f"{spread([100 * x['reading_wall'] / x['typst_wall'] for x in p], 1)} % |")
    lines += ["", "Stage times of the build (medians, ms):", "",
              "| audit | " + " | ".join(STAGES) + " |", "|---|" + "---|" * len(STAGES)]
    for r in results:
        lines.append(f"| {r['label']} | " + " | ".join(
            f"{1000 * statistics.median(x['stages'].get(s, 0) for x in r['pairs']):.0f}" for s in STAGES) + " |")
    lines += ["", "Against the targets (median of the pairs):", ""]
    med = lambda rows, k: statistics.median(x[k] for x in rows)
    for name, key, limit, unit in (("build ≤ 1.10 × Typst alone", "time", 1.10, " ×"),
                                   ("peak memory ≤ 1.10 × Typst alone", "memory", 1.10, " ×"),
                                   ("outside typesetting ≤ 5 %", "outside", 5.0, " %")):
        values = []
        for r in results:
            p = r["pairs"]
            value = {"time": statistics.median(x["a_wall"] / x["typst_wall"] for x in p),
                     "memory": statistics.median(x["a_peak"] / x["b_peak"] for x in p),
                     "outside": statistics.median(100 * x["outside"] for x in p)}[key]
            values.append(f"{r['label']} {value:.2f}{unit} ({'met' if value <= limit else 'not met'})")
        lines.append(f"- {name}: " + "; ".join(values) + ".")
    sized = {r["label"]: r for r in results}
    if "150 cases" in sized and "10,000 cases" in sized:
        small, large = sized["150 cases"]["pairs"], sized["10,000 cases"]["pairs"]
        ours, theirs = med(large, "a_wall") / med(small, "a_wall"), med(large, "typst_wall") / med(small, "typst_wall")
        lines.append(f"- time grows no faster than Typst's from 150 to 10,000 cases: the build's "
                     f"{ours:.1f} ×, Typst alone's {theirs:.1f} × ({'met' if ours <= theirs else 'not met'}).")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="sample,150,2000,10000", help="'sample' and/or case counts")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--readme", help="replace the table between the bench markers in this file")
    parser.add_argument("--json", help="also write every measurement here")
    args = parser.parse_args()
    if args.pairs < 5:
        sys.exit("at least 5 pairs")
    start = startup(max(args.pairs, 7))
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes.split(","):
            if size == "sample":
                cases = [("sample, all editions", "data", None),
                         ("sample, Executive Group alone", "data", "executive-group")]
            else:
                audit = os.path.join(tmp, f"audit-{size}")
                subprocess.run([BIN, "generate", audit, "--cases", size, "--seed", "1"], check=True,
                               capture_output=True)
                cases = [(f"{int(size):,} cases", audit, None)]
            for label, audit, edition in cases:
                work = os.path.join(tmp, re.sub(r"\W+", "-", label))
                results.append(measure(label, audit, edition, work, args.pairs, start))
                print(f"measured {label}", file=sys.stderr)
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    machine = (f"`{platform.node()}`, {os.cpu_count()} cores, {datetime.date.today()}, "
               f"commit {rev or 'unknown'}")
    text = table(results, start, machine)
    print(text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(dict(machine=machine, startup=start, results=results), f, indent=1)
    if args.readme:
        tables.put(args.readme, "bench", text)


if __name__ == "__main__":
    main()
