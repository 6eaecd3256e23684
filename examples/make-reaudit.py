"""Writes examples/repeat-cpp-2015/: an invented re-audit of the sample, a year later, on
the same template. No real data: its cases are made up, and each return is one of the
sample's returns drawn at random (seeded) and then nudged, so that some questions improve
(supervision q2, tasks and dates q4, the child's lived experience q6) and the others move
only by chance. Run from the repository: python3 examples/make-reaudit.py
"""
import os, random, shutil, yaml

random.seed(2015)
here = os.path.join("examples", "repeat-cpp-2015")
sample = [yaml.safe_load(open(os.path.join(root, f)))
          for root, _, files in sorted(os.walk("data/returns")) for f in sorted(files)]

categories = ["neglect"] * 7 + ["emotional abuse"] * 3 + ["physical abuse", "sexual abuse"]
ages = ["under 5", "5 to 10", "11 to 15"]
core = ["Children's Social Care", "Health", "Police", "Schools"]
others = ["Voluntary Sector", "Cheshire East Early Help", "Private nurseries"]
cases = []
for n in range(1, 13):
    cases.append({
        "id": f"R{n:02d}",
        "category": categories[n - 1],
        "age_band": random.choice(ages),
        "gender": random.choice(["male", "female"]),
        "interval_months": random.randint(6, 30),
        "requested": core + [random.choice(others)],
    })

def improve(answers, question, to, chance):
    if question in answers and answers[question] != to and random.random() < chance:
        answers[question] = to

shutil.rmtree(os.path.join(here, "returns"), ignore_errors=True)
missing = {("R03", "Police"), ("R07", "Schools")}
for case in cases:
    for agency in case["requested"]:
        if (case["id"], agency) in missing:
            continue
        answers = dict(random.choice(sample)["answers"])
        improve(answers, "q2", "yes", 0.7)
        improve(answers, "q4", "yes", 0.6)
        improve(answers, "q6", "yes", 0.8)
        folder = os.path.join(here, "returns", case["id"])
        os.makedirs(folder, exist_ok=True)
        name = agency.lower().replace("'", "").replace(" ", "-") + ".yaml"
        with open(os.path.join(folder, name), "w") as out:
            yaml.safe_dump({"case": case["id"], "agency": agency, "answers": answers},
                           out, sort_keys=False, allow_unicode=True)
with open(os.path.join(here, "cases.yaml"), "w") as out:
    out.write("# Invented cases for the example re-audit: ids only, no names, no dates.\n")
    yaml.safe_dump({"cases": cases}, out, sort_keys=False, allow_unicode=True)
