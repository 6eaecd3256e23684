//! The loaders under fire: any file of an audit folder replaced by arbitrary bytes or by a
//! random mutation of its real text. Whatever comes in, the tool answers with messages, never
//! a panic or a hang. 64 cases in `cargo test`; set FUZZ_CASES for a longer run.

use audit_report::{BuildOptions, Templates, prepare};
use proptest::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

const FILES: [&str; 6] = [
    "audit.yaml",
    "questions.yaml",
    "cases.yaml",
    "returns/X1/police.yaml",
    "narrative/01-findings.yaml",
    "narrative/02-appendix.yaml",
];

#[derive(Debug, Clone)]
enum Damage {
    /// The file replaced by these bytes.
    Bytes(Vec<u8>),
    /// Edits to the real text: (position as a fraction, characters removed, text inserted).
    Edits(Vec<(f64, usize, String)>),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300).prop_map(Damage::Bytes),
        proptest::collection::vec(
            (
                0.0..1.0f64,
                0..8usize,
                "[a-z0-9 :\\-\\[\\]{}#'\"\\n\\t*&!|>%@`,.]{0,8}"
            ),
            1..6
        )
        .prop_map(Damage::Edits),
    ]
}

fn apply(path: &Path, damage: &Damage) {
    match damage {
        Damage::Bytes(bytes) => fs::write(path, bytes).unwrap(),
        Damage::Edits(edits) => {
            let mut chars: Vec<char> = fs::read_to_string(path).unwrap().chars().collect();
            for (at, remove, insert) in edits {
                let start = ((chars.len() as f64) * at) as usize;
                let end = (start + remove).min(chars.len());
                chars.splice(start..end, insert.chars());
            }
            fs::write(path, chars.into_iter().collect::<String>()).unwrap();
        }
    }
}

proptest! {
    #![proptest_config(crate::common::proptest_config("FUZZ_CASES", 64))]

    #[test]
    fn damaged_input_gets_messages_not_panics(file in 0..FILES.len(), damage in damage()) {
        let audit = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz/audit");
        let _ = fs::remove_dir_all(&audit);
        crate::common::copy_audit(&crate::common::fixture("other-audit"), &audit, true);
        apply(&audit.join(FILES[file]), &damage);
        let templates = Templates::load(None).unwrap();
        let started = std::time::Instant::now();
        match prepare(&BuildOptions::new(&audit), &templates, &mut |_| {}) {
            Ok(_) => {}
            Err(problems) => {
                prop_assert!(problems.has_errors(), "an Err carries at least one error");
                for problem in &problems.0 {
                    prop_assert!(!problem.message.is_empty());
                }
            }
        }
        prop_assert!(started.elapsed().as_secs() < 10, "no hang");
    }
}
