"""What the benchmark scripts share: putting a table into a README between its markers."""


def put(readme, marker, text):
    """Replaces what stands between `<!-- marker:start -->` and `<!-- marker:end -->` in the
    file `readme` with `text`."""
    begin, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    with open(readme) as f:
        body = f.read()
    if begin not in body or end not in body:
        raise SystemExit(f"{readme} has no {begin} … {end} markers")
    head, rest = body.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(readme, "w") as f:
        f.write(f"{head}{begin}\n{text}\n{end}{tail}")
