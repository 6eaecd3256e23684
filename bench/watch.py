"""`audit-report watch` against Typst's own watcher (`typst watch`), for a one-answer correction.

Both watchers are started on the same audit (ours on the audit folder, Typst's on the Typst
sources `build --emit-typst` writes for each edition). A step saves a correction and times
until the new PDF is on disk (its file's modification time or inode changes; polled every
millisecond): ours by rewriting one line of a return (`q4: 'yes'` → `q4: 'no'`), Typst's by
rewriting `data.json` with what the build emits for the same corrected audit (written
beforehand). Steps alternate, ours then Typst's, each pair giving a ratio.

- new states: each step flips an answer in another return, so no state repeats;
- repeated states: each step flips one return's answer back and forth.

    python3 bench/watch.py --typst /path/to/typst --audit data --edition executive-group
    python3 bench/watch.py --typst /path/to/typst --audit data          # every edition

Prints a Markdown table; `--readme FILE` puts it between the watch markers there.
"""
import tables
import argparse, os, re, shutil, statistics, subprocess, sys, tempfile, time

# The fastest binary (`cargo build --profile dist`), where Cargo puts it.
BIN = os.path.abspath(os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "dist/audit-report"))
ANSWER = re.compile(r"^(  q\w+: )'?(yes|no)'?$", re.M)


def answered_returns(audit):
    """Return files with a yes/no answer line, in path order."""
    found = []
    for folder, _, files in sorted(os.walk(os.path.join(audit, "returns"))):
        for name in sorted(files):
            path = os.path.join(folder, name)
            if name.endswith(".yaml") and ANSWER.search(open(path).read()):
                found.append(os.path.relpath(path, audit))
    return found


def flip(audit, relative):
    """Flips the first yes/no answer of the return at `relative` (an editor's save)."""
    path = os.path.join(audit, relative)
    text = open(path).read()
    m = ANSWER.search(text)
    other = "no" if m.group(2) == "yes" else "yes"
    text = text[:m.start()] + f"{m.group(1)}'{other}'" + text[m.end():]
    with open(path, "w") as f:
        f.write(text)


def stamp(paths):
    out = []
    for p in paths:
        try:
            s = os.stat(p)
            out.append((s.st_mtime_ns, s.st_ino, s.st_size))
        except FileNotFoundError:
            out.append(None)
    return out


def wait_changed(paths, before, timeout=60):
    """Seconds until every path's stamp differs from `before` (and the file is whole)."""
    start = time.perf_counter()
    while True:
        now = stamp(paths)
        if all(n is not None and n != b for n, b in zip(now, before)):
            return time.perf_counter() - start
        if time.perf_counter() - start > timeout:
            sys.exit(f"no new PDF after {timeout} s: {paths}")
        time.sleep(0.001)


def settle(paths, quiet=0.4):
    """Waits until the files have not changed for `quiet` seconds."""
    last, since = stamp(paths), time.perf_counter()
    while time.perf_counter() - since < quiet:
        time.sleep(0.02)
        now = stamp(paths)
        if now != last:
            last, since = now, time.perf_counter()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--typst", required=True, help="the typst CLI (same version as the build's)")
    parser.add_argument("--audit", default="data")
    parser.add_argument("--edition", help="one edition's id; every edition when left out")
    parser.add_argument("--pairs", type=int, default=7)
    parser.add_argument("--label", default=None)
    parser.add_argument("--readme")
    parser.add_argument("--marker", default="watch", help="the README markers: <!-- MARKER:start -->")
    args = parser.parse_args()
    if args.pairs < 5:
        sys.exit("at least 5 pairs")
    only = ["--edition", args.edition] if args.edition else []
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        ours_audit = os.path.join(tmp, "audit")
        shutil.copytree(args.audit, ours_audit)
        returns = answered_returns(ours_audit)
        if len(returns) < args.pairs + 1:
            sys.exit("too few returns with a yes/no answer")
        # The corrections, in order: `args.pairs` new states, then one return back and forth.
        new_steps = returns[1:args.pairs + 1]
        repeat_steps = [returns[0]] * (args.pairs + 2)
        # Typst's side: the data every state gives, written beforehand.
        staging = os.path.join(tmp, "staging")
        shutil.copytree(args.audit, staging)
        states = []
        for i, relative in enumerate(new_steps + repeat_steps):
            flip(staging, relative)
            emitted = os.path.join(tmp, f"state-{i}")
            subprocess.run([BIN, "build", staging, "--out", os.path.join(tmp, "o"), "--charts",
                            os.path.join(tmp, "c"), "--format", "pdf", *only, "--emit-typst", emitted],
                           check=True, capture_output=True)
            states.append(emitted)
        typst_root = os.path.join(tmp, "typst")
        # (folders of its own: a build refuses an output folder holding another audit's build)
        subprocess.run([BIN, "build", args.audit, "--out", os.path.join(tmp, "o-first"), "--charts",
                        os.path.join(tmp, "c-first"), "--format", "pdf", *only, "--emit-typst", typst_root],
                       check=True, capture_output=True)
        editions = sorted(os.listdir(typst_root))
        out = os.path.join(tmp, "out")
        ours_pdfs = [os.path.join(out, e, f"{e}.pdf") for e in editions]
        typst_pdfs = [os.path.join(typst_root, e, "report.pdf") for e in editions]
        ours = subprocess.Popen([BIN, "watch", ours_audit, "--out", out, "--charts", os.path.join(tmp, "charts"),
                                 "--format", "pdf", "--quiet", *only],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        theirs = [subprocess.Popen([args.typst, "watch", "--root", os.path.join(typst_root, e), "--font-path",
                                    os.path.join(typst_root, e, "fonts"), "--ignore-system-fonts",
                                    "--pdf-standard", "ua-1,a-2b", os.path.join(typst_root, e, "report.typ"),
                                    os.path.join(typst_root, e, "report.pdf")],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for e in editions]
        try:
            wait_changed(ours_pdfs, [None] * len(ours_pdfs))
            wait_changed(typst_pdfs, [None] * len(typst_pdfs))
            settle(ours_pdfs), settle(typst_pdfs)
            state = 0
            for kind, steps in (("new states", new_steps), ("repeated states", repeat_steps)):
                pairs = []
                for n, relative in enumerate(steps):
                    before = stamp(ours_pdfs)
                    flip(ours_audit, relative)
                    a = wait_changed(ours_pdfs, before)
                    settle(ours_pdfs)
                    before = stamp(typst_pdfs)
                    for e in editions:
                        shutil.copyfile(os.path.join(states[state], e, "data.json"),
                                        os.path.join(typst_root, e, "data.json"))
                    b = wait_changed(typst_pdfs, before)
                    settle(typst_pdfs)
                    state += 1
                    # (the first two repeated steps make the two states; later ones repeat them)
                    if kind == "new states" or n >= 2:
                        pairs.append((a, b))
                rows[kind] = pairs
        finally:
            ours.terminate()
            for t in theirs:
                t.terminate()
    label = args.label or f"{args.audit}, {args.edition or 'every edition'}"
    lines = ["| correction saved → new PDF on disk | pairs | audit-report watch s | typst watch s | ratio, median (min–max) |",
             "|---|---|---|---|---|"]
    for kind, pairs in rows.items():
        ratios = [a / b for a, b in pairs]
        lines.append(f"| {label}, {kind} | {len(pairs)} | {statistics.median(a for a, _ in pairs):.3f} | "
                     f"{statistics.median(b for _, b in pairs):.3f} | {statistics.median(ratios):.2f} "
                     f"({min(ratios):.2f}–{max(ratios):.2f}) |")
    text = "\n".join(lines)
    print(text)
    if args.readme:
        tables.put(args.readme, args.marker, text)


if __name__ == "__main__":
    main()
