//! The layout settles: a question's chart chooses its place by where Typst's last pass put
//! things, and choices that moved one another on every pass once left a board report that
//! could not be built at all ("did not settle within Typst's five passes"). Narratives a
//! hostile pass found, under `tests/fixtures/narratives/`, each in place of one of an
//! audit's own.

use crate::common::{copy_audit, fixture, options_in, root, scratch};
use audit_report::build;
use std::fs;

/// Builds `edition` of a copy of `audit` with the narrative file `name` replaced by the
/// fixture `narrative`; the error in full where it fails.
fn builds_with(audit: &str, name: &str, narrative: &str, edition: &str) {
    let work = scratch(&format!("settles-{narrative}"));
    let copy = if audit == "examples/repeat-cpp-2015" {
        crate::reaudit::example_copy(&work)
    } else {
        let copy = work.join("audit");
        copy_audit(&root().join(audit), &copy, true);
        copy
    };
    let narratives = fixture("narratives");
    fs::copy(
        narratives.join(narrative),
        copy.join("narrative").join(name),
    )
    .unwrap();
    let options = options_in(&copy, &work, Some(edition));
    if let Err(e) = build(&options, &mut |_| {}) {
        panic!("{narrative}: {e}");
    }
}

#[test]
fn charts_close_together_in_the_first_round_settle() {
    builds_with(
        "data",
        "03-thematic-findings.yaml",
        "close-charts-first-round.yaml",
        "executive-group",
    );
}

#[test]
fn charts_close_together_with_their_tables_of_figures_settle() {
    builds_with(
        "data",
        "03-thematic-findings.yaml",
        "close-charts-public.yaml",
        "public",
    );
}

#[test]
fn charts_in_pairs_close_together_in_a_re_audit_settle() {
    builds_with(
        "examples/repeat-cpp-2015",
        "02-questions.yaml",
        "close-charts-re-audit.yaml",
        "executive-group",
    );
}
