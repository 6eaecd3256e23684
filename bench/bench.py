"""Times audit-report against Typst alone on the same documents; prints a Markdown table.

For each size: a synthetic audit (`audit-report generate`, seeded), or the sample in data/.
Our side: `audit-report build --format pdf` in a cold process, every edition, best of --runs, with peak
memory from /usr/bin/time and the stage times the build prints. Typst alone: the sources
`build --emit-typst` wrote, compiled and exported to PDF by Typst (Python binding) in a
cold process per run, same fonts, same charts, same PDF standards.
"""
import argparse, json, os, re, statistics, subprocess, sys, tempfile, time

BIN = os.path.abspath("target/release/audit-report")

def timed(cmd):
    """Runs cmd under /usr/bin/time -v; returns (wall seconds, peak MiB, stdout)."""
    start = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if out.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{out.stderr}")
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr).group(1)) / 1024
    return wall, peak, out.stdout

TYPST_ALONE = r"""
import sys, time, typst, glob
total = 0.0
for d in sys.argv[1:]:
    t = time.perf_counter()
    typst.compile(f"{d}/report.typ", output=f"{d}/report.pdf", root=d, font_paths=[f"{d}/fonts"],
                  ignore_system_fonts=True, pdf_standards=["ua-1", "a-2b"], timestamp=0)
    total += time.perf_counter() - t
print(f"{total:.6f}")
"""

def measure(audit, work, runs):
    out, charts, emitted = (os.path.join(work, n) for n in ("out", "charts", "typst"))
    best = None
    for _ in range(runs):
        wall, peak, stdout = timed([BIN, "build", audit, "--out", out, "--charts", charts, "--format", "pdf"])
        if best is None or wall < best[0]:
            best = (wall, peak, stdout)
    wall, peak, stdout = best
    peak = max(timed([BIN, "build", audit, "--out", out, "--charts", charts, "--format", "pdf"])[1] for _ in range(runs))
    stages = {m.group(1).strip(): float(m.group(2)) for m in re.finditer(r"^ {4}(\S.*?)\s+([\d.]+) ms$", stdout, re.M)}
    pages = sum(int(p) for p in re.findall(r"(\d+) pages", stdout))
    timed([BIN, "build", audit, "--out", out, "--charts", charts, "--format", "pdf", "--emit-typst", emitted])
    editions = sorted(os.path.join(emitted, e) for e in os.listdir(emitted))
    alone = []
    for _ in range(runs):
        w, p, s = timed([sys.executable, "-c", TYPST_ALONE, *editions])
        alone.append((w, p, float(s)))
    alone_wall = min(a[0] for a in alone)
    alone_compile = min(a[2] for a in alone)
    alone_peak = max(a[1] for a in alone)
    return dict(wall=wall, peak=peak, stages=stages, pages=pages, editions=len(editions),
                alone_wall=alone_wall, alone_compile=alone_compile, alone_peak=alone_peak)

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="sample,15,150,500,2000", help="'sample' and/or case counts")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes.split(","):
            work = os.path.join(tmp, size)
            if size == "sample":
                audit, cases = "data", 15
            else:
                audit, cases = os.path.join(work, "audit"), int(size)
                subprocess.run([BIN, "generate", audit, "--cases", size, "--seed", "1"], check=True, capture_output=True)
            returns = len(os.listdir(os.path.join(audit, "returns"))) if size != "sample" else 77
            r = measure(audit, work, args.runs)
            r.update(size=size, cases=cases, returns=returns)
            rows.append(r)
            print(f"measured {size}", file=sys.stderr)
    stage_names = ["load and validate", "collate", "charts", "templates", "typeset and render", "write"]
    print("| audit | cases | returns | editions | pages | " + " | ".join(f"{s} ms" for s in stage_names)
          + " | build s | peak MiB | outside typesetting | Typst alone: compile s | process s | peak MiB | build ÷ Typst process | build ÷ Typst compile | memory ÷ Typst |")
    print("|" + "---|" * (5 + len(stage_names) + 9))
    for r in rows:
        outside = sum(r["stages"].get(s, 0) for s in stage_names if s not in ("typeset and render", "write")) / 1000
        print(f"| {r['size']} | {r['cases']} | {r['returns']} | {r['editions']} | {r['pages']} | "
              + " | ".join(f"{r['stages'].get(s, 0):.1f}" for s in stage_names)
              + f" | {r['wall']:.3f} | {r['peak']:.0f} | {100 * outside / r['wall']:.1f}% | {r['alone_compile']:.3f} | {r['alone_wall']:.3f} | {r['alone_peak']:.0f}"
              + f" | {r['wall'] / r['alone_wall']:.2f} | {r['wall'] / r['alone_compile']:.2f} | {r['peak'] / r['alone_peak']:.2f} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)

if __name__ == "__main__":
    main()
