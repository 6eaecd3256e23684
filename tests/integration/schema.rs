//! `schema`: JSON Schemas that agree with what the build reads. Checked with a real JSON
//! Schema validator (Python's jsonschema) where one is installed: every file of the sample
//! passes, and a misspelt key or a wrong kind fails at its file.

use crate::common::{copy_audit, edit, root, scratch};
use std::fs;
use std::process::Command;

#[test]
fn the_sample_passes_its_schemas_and_a_misspelt_key_does_not() {
    let work = scratch("schema");
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, true);
    let bin = env!("CARGO_BIN_EXE_audit-report");
    let wrote = Command::new(bin)
        .arg("schema")
        .arg(&audit)
        .output()
        .unwrap();
    assert!(wrote.status.success());
    let stdout = String::from_utf8_lossy(&wrote.stdout);
    assert!(stdout.contains("# yaml-language-server: $schema=schemas/questions.schema.json"));
    let settings = fs::read_to_string(audit.join("schemas/settings.json")).unwrap();
    assert!(
        settings.contains("\"./schemas/return.schema.json\": \"returns/**/*.yaml\""),
        "{settings}"
    );
    // the schemas folder is not taken for an input
    let check = Command::new(bin).arg("check").arg(&audit).output().unwrap();
    assert_eq!(
        check.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    let python = Command::new("python3")
        .args(["-c", "import jsonschema, yaml"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !python {
        crate::common::skipped(
            "validating against the schemas",
            "needs python3 with jsonschema and pyyaml (.ci/run installs them)",
        );
        return;
    }
    let validate = || {
        let run = Command::new("python3")
            .arg(root().join("tests/tools/validate.py"))
            .arg(&audit)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        String::from_utf8_lossy(&run.stdout).into_owned()
    };
    let clean = validate();
    assert!(clean.trim_start().starts_with("checked "), "{clean}");
    let checked: usize = clean.trim().trim_start_matches("checked ").parse().unwrap();
    assert!(checked > 80, "{clean}");
    // A misspelt key and an unknown kind: errors at their files, as the build has them.
    let bank = audit.join("questions.yaml");
    edit(&bank, "  kind: single", "  kind: singel");
    edit(&audit.join("cases.yaml"), "  category:", "  categroy:");
    let found = validate();
    assert!(found.contains("questions.yaml: "), "{found}");
    assert!(
        found.contains("cases.yaml: ") && found.contains("categroy"),
        "{found}"
    );
}
