"""Validates an audit folder's YAML files against the JSON Schemas `audit-report schema`
wrote (tests/integration/schema.rs runs it). Prints one line per file that fails."""
import glob, json, os, sys
import jsonschema, yaml

audit = sys.argv[1]
pairs = {
    "audit": ["audit.yaml"], "questions": ["questions.yaml"], "cases": ["cases.yaml"],
    "return": ["returns/**/*.yaml"], "section": ["narrative/*.yaml"],
    "neighbours": ["neighbours.yaml"], "editions": ["editions.yaml"], "allow": ["allow.yaml"],
}
checked = 0
for name, patterns in pairs.items():
    schema = json.load(open(os.path.join(audit, "schemas", f"{name}.schema.json")))
    validator = jsonschema.Draft202012Validator(schema)
    for pattern in patterns:
        for path in sorted(glob.glob(os.path.join(audit, pattern), recursive=True)):
            document = json.loads(json.dumps(yaml.safe_load(open(path)), default=str))
            checked += 1
            for error in validator.iter_errors(document):
                print(f"{os.path.relpath(path, audit)}: {error.message}")
                break
print(f"checked {checked}")
