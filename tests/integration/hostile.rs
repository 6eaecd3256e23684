//! Broken and hostile audit folders: each is refused with its place and what was expected,
//! `check` and `build` agree, nothing is written outside the output folders (nor, on an
//! error, inside them), and no input aborts the process.

use crate::common::{copy_audit, edit, edit_each, fixture, scratch};
use audit_report::{BuildOptions, Templates, prepare};
use std::fs;
use std::path::{Path, PathBuf};

/// A copy of the fixture audit in a fresh folder: (work folder, audit folder).
fn fresh(name: &str) -> (PathBuf, PathBuf) {
    let work = scratch(&format!("hostile-{name}"));
    let audit = work.join("audit");
    copy_audit(&fixture("other-audit"), &audit, true);
    (work, audit)
}

fn options(work: &Path, audit: &Path) -> BuildOptions {
    crate::common::options_in(audit, work, None)
}

/// What a build that must fail says.
fn build_error(options: &BuildOptions) -> String {
    audit_report::build(options, &mut |_| {})
        .unwrap_err()
        .to_string()
}

/// What `check` and `build` say of the audit: they must agree, and a failed build writes
/// nothing. Returns the problems (empty when clean) and the warnings.
fn verdict(work: &Path, audit: &Path) -> (String, String) {
    let options = options(work, audit);
    let checked = prepare(&options, &Templates::load(None).unwrap(), &mut |_| {});
    let built = audit_report::build(&options, &mut |_| {});
    match (checked, built) {
        (Err(c), Err(b)) => {
            assert_eq!(c.to_string(), b.to_string(), "check and build disagree");
            assert!(!work.join("out").exists() && !work.join("charts").exists());
            (c.to_string(), String::new())
        }
        (Ok(c), Ok(_)) => (String::new(), c.warnings.to_string()),
        (c, b) => panic!(
            "check {} but build {}",
            c.map_or_else(|e| format!("failed: {e}"), |_| "passed".into()),
            b.map_or_else(|e| format!("failed: {e}"), |_| "passed".into())
        ),
    }
}

/// The 1-based line of `needle` in the file.
fn line(path: &Path, needle: &str) -> usize {
    let text = fs::read_to_string(path).unwrap();
    text[..text.find(needle).expect(needle)]
        .matches('\n')
        .count()
        + 1
}

fn append(path: &Path, text: &str) {
    let mut body = fs::read_to_string(path).unwrap();
    body.push_str(text);
    fs::write(path, body).unwrap();
}

fn assert_has(text: &str, expected: &str) {
    assert!(text.contains(expected), "expected `{expected}` in:\n{text}");
}

#[test]
fn ids_that_are_paths_empty_reserved_or_dotted_are_refused_at_their_place() {
    for (id, shown) in [
        ("'../../../../elsewhere/x'", "../../../../elsewhere/x"),
        ("/tmp/x", "/tmp/x"),
        ("''", ""),
        ("q1.a", "q1.a"),
    ] {
        let (work, audit) = fresh("ids");
        let bank = audit.join("questions.yaml");
        append(
            &bank,
            &format!(
                "  - id: {id}\n    number: \"9\"\n    text: Escape?\n    kind: single\n    options: [{{id: yes, text: \"Yes\"}}]\n    chart: {{title: Escape}}\n"
            ),
        );
        let (problems, _) = verdict(&work, &audit);
        let at = line(&bank, "Escape?") - 2;
        assert_has(
            &problems,
            &format!(
                "questions.yaml:{at}:9: error: expected a question id of letters, digits, `-` and `_` (starting with a letter or digit, at most 64), found `{shown}`"
            ),
        );
        assert!(!work.join("elsewhere").exists() && !Path::new("/tmp/x.svg").exists());
    }
    let (work, audit) = fresh("reserved");
    let bank = audit.join("questions.yaml");
    edit(&bank, "id: followup", "id: neighbours");
    let (problems, _) = verdict(&work, &audit);
    assert_has(
        &problems,
        "error: question id `neighbours` is reserved for the statistical-neighbour chart",
    );
    // An edition named as the internal records' folder would publish them in its own.
    let (work, audit) = fresh("records-edition");
    fs::write(
        audit.join("editions.yaml"),
        "editions:\n  - id: board\n    name: Board\n  - id: Records\n    name: Public\n",
    )
    .unwrap();
    assert_has(
        &verdict(&work, &audit).0,
        "editions.yaml:4:9: error: edition id `Records` is reserved: `records/` holds the internal build records",
    );
    // Case, option, section and edition ids follow the same rule.
    let (work, audit) = fresh("other-ids");
    edit(&audit.join("cases.yaml"), "{id: X2,", "{id: 'X 2/..',");
    edit(
        &audit.join("questions.yaml"),
        "{id: late,",
        "{id: 'late+no',",
    );
    edit(
        &audit.join("narrative/02-appendix.yaml"),
        "id: appendix-x",
        "id: ''",
    );
    fs::write(
        audit.join("editions.yaml"),
        "editions:\n  - id: ../public\n    name: Public\n",
    )
    .unwrap();
    let (problems, _) = verdict(&work, &audit);
    for expected in [
        "cases.yaml:3:10: error: expected a case id",
        "questions.yaml:9:14: error: expected an option id",
        "narrative/02-appendix.yaml:3:9: error: expected a section id",
        "editions.yaml:2:9: error: expected an edition id",
    ] {
        assert_has(&problems, expected);
    }
}

#[test]
fn nothing_is_read_silently() {
    // (b) a key given twice in a return
    let (work, audit) = fresh("duplicate-key");
    let police = audit.join("returns/X1/police.yaml");
    edit(&police, "answers:\n", "answers:\n  offered: 'no'\n");
    assert_has(
        &verdict(&work, &audit).0,
        "returns/X1/police.yaml:5:3: error: failed to read YAML: answers: `offered` is given twice; keep one",
    );

    // (a) two columns of a spreadsheet read as one answer
    let (work, audit) = fresh("duplicate-header");
    fs::write(
        audit.join("returns/extra.csv"),
        "case,agency,offered,offered\nX2,School,yes,no\n",
    )
    .unwrap();
    assert_has(
        &verdict(&work, &audit).0,
        "returns/extra.csv, row 1, column \"offered\": error: column `offered` reads as the same answer as column 3 (\"offered\")",
    );

    // (c) an unclosed quote swallowing the rows after it
    let (work, audit) = fresh("unclosed-quote");
    fs::write(
        audit.join("returns/extra.csv"),
        "case,agency,offered,offered comments\nX2,School,yes,\"it was late\nX1,Health,no,fine\n",
    )
    .unwrap();
    assert_has(
        &verdict(&work, &audit).0,
        "returns/extra.csv, row 2, column 4: error: a quote (\") opens this cell and is never closed, so it takes in every row after it",
    );

    // (c2) a list or map where one option belongs (a checklist's item, a multiple choice's
    // entry) is an error, not an answer that counts as none
    let (work, audit) = fresh("nested-answer");
    edit_each(
        &audit.join("returns/X1/police.yaml"),
        &[
            (
                "records: {a: full, b: partly}",
                "records: {a: [full], b: {x: partly}}",
            ),
            ("followup: [mentor, family]", "followup: [mentor, [family]]"),
        ],
    );
    let said = verdict(&work, &audit).0;
    assert_has(
        &said,
        "returns/X1/police.yaml:5:13: error: `records.a` expects one option id, found a list",
    );
    assert_has(
        &said,
        ": error: `records.b` expects one option id, found a map",
    );
    assert_has(
        &said,
        "returns/X1/police.yaml:6:3: error: `followup` expects one option id, found a list",
    );

    // (c3) an agency asked twice for a case would count two returns asked for; an agency
    // listed twice in audit.yaml is a slip too
    let (work, audit) = fresh("asked-twice");
    edit(
        &audit.join("cases.yaml"),
        "requested: [Police, School]}",
        "requested: [Police, School, Police]}",
    );
    edit(
        &audit.join("audit.yaml"),
        "agencies: [Police, School, Health]",
        "agencies: [Police, School, Health, School]",
    );
    let said = verdict(&work, &audit).0;
    assert_has(&said, "cases.yaml:3:");
    assert_has(
        &said,
        "error: agency `Police` is listed twice in case X2's `requested`; list each agency once",
    );
    assert_has(&said, "audit.yaml:10:");
    assert_has(
        &said,
        "error: agency `School` is listed twice; list each agency once",
    );

    // (c4) a block of nothing (`- p:` with nothing after it) is said to be that, not to
    // hold two kinds at once
    let (work, audit) = fresh("empty-block");
    let findings = audit.join("narrative/01-findings.yaml");
    let text = fs::read_to_string(&findings).unwrap();
    let at = text.find("      - p: >-").expect("a paragraph");
    fs::write(
        &findings,
        format!("{}      - p:\n{}", &text[..at], &text[at..]),
    )
    .unwrap();
    let said = verdict(&work, &audit).0;
    assert_has(&said, "narrative/01-findings.yaml:");
    assert_has(&said, "a block holds nothing: give it one of `p`");

    // (d) cells beyond the last heading
    let (work, audit) = fresh("extra-cells");
    fs::write(
        audit.join("returns/extra.csv"),
        "case,agency,offered\nX2,School,yes,but late\n",
    )
    .unwrap();
    assert_has(
        &verdict(&work, &audit).0,
        "returns/extra.csv, row 2, column 4: error: expected nothing beyond the last heading (column 3), found `but late`",
    );

    // (e) other file kinds and links are said out loud; .YAML is read
    let (work, audit) = fresh("unread");
    fs::rename(
        audit.join("returns/X2/police.yaml"),
        audit.join("returns/X2/POLICE.YAML"),
    )
    .unwrap();
    fs::write(audit.join("returns/X2/school.ods"), "not read").unwrap();
    std::os::unix::fs::symlink(
        audit.join("returns/X1/police.yaml"),
        audit.join("returns/X2/linked.yaml"),
    )
    .unwrap();
    let (problems, warnings) = verdict(&work, &audit);
    assert_eq!(problems, "");
    assert_has(
        &warnings,
        "returns/X2/school.ods: warning: not read: returns are read from .yaml, .csv and .xlsx files",
    );
    assert_has(
        &warnings,
        "returns/X2/linked.yaml: warning: symbolic links are not followed; this is not read",
    );
    std::os::unix::fs::symlink("/etc/hostname", audit.join("returns/X2/outside.yaml")).unwrap();
    fs::remove_dir_all(work.join("out")).unwrap();
    fs::remove_dir_all(work.join("charts")).unwrap();
    assert_has(
        &verdict(&work, &audit).0,
        "returns/X2/outside.yaml: error: this is a symbolic link to something outside the audit folder; it is not read",
    );

    // (f) numbers that are not numbers
    let (work, audit) = fresh("nan");
    edit(&audit.join("audit.yaml"), "value: 41", "value: .nan");
    assert_has(
        &verdict(&work, &audit).0,
        "audit.yaml:13:12: error: expected a number, found `NaN`",
    );
    // and numbers no report's figure is, shown as read, not as digits never written
    for (written, shown) in [
        ("18446744073709551615", "1.8446744073709552e19"),
        ("1e308", "1e308"),
    ] {
        let (work, audit) = fresh("huge");
        edit(
            &audit.join("audit.yaml"),
            "value: 41",
            &format!("value: {written}"),
        );
        assert_has(
            &verdict(&work, &audit).0,
            &format!(
                "audit.yaml:13:12: error: expected a number no larger than a million million (1e12), found `{shown}`"
            ),
        );
    }
    // a count below zero, or a part of one, is a slip (it printed and was withheld as read)
    for (written, shown) in [("-41", "-41"), ("4.5", "4.5")] {
        let (work, audit) = fresh("negative-count");
        edit(
            &audit.join("audit.yaml"),
            "value: 41",
            &format!("value: {written}"),
        );
        let said = verdict(&work, &audit).0;
        assert_has(&said, "audit.yaml:13:12: error: fact `episodes`");
        assert_has(
            &said,
            &format!(
                "is a count (of children, families, people or returns): expected a whole number of zero or more, found `{shown}`"
            ),
        );
    }
}

#[test]
fn spreadsheets_that_would_exhaust_memory_are_refused() {
    // One cell at XFD1048576: a few kilobytes that would have asked for 512 GB.
    let (work, audit) = fresh("far-cell");
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet()
        .write_string(1_048_575, 16_383, "x")
        .unwrap();
    book.save(audit.join("returns/far.xlsx")).unwrap();
    assert_has(
        &verdict(&work, &audit).0,
        "returns/far.xlsx: error: sheet `Sheet1` reaches row 1048576 and column 16384; returns sheets are limited to 100000 rows and 2000 columns",
    );

    // A part that unpacks to far more than it weighs.
    let (work, audit) = fresh("zip-bomb");
    let path = audit.join("returns/bomb.xlsx");
    let mut zip = zip::ZipWriter::new(fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..300 {
        std::io::Write::write_all(&mut zip, &zeros).unwrap();
    }
    zip.finish().unwrap();
    assert!(fs::metadata(&path).unwrap().len() < 2 << 20);
    assert_has(
        &verdict(&work, &audit).0,
        "returns/bomb.xlsx: error: spreadsheet unpacks to 300 MB; the limit is 128 MB",
    );

    // A file larger than any return (a folder of its own: `huge` is another test's, run
    // beside this one).
    let (work, audit) = fresh("huge-file");
    append(
        &audit.join("returns/X2/police.yaml"),
        &format!("comments:\n  offered: \"{}\"\n", "word ".repeat(3_600_000)),
    );
    assert_has(
        &verdict(&work, &audit).0,
        "returns/X2/police.yaml: error: file is 17.2 MB; input files are limited to 16 MB",
    );
}

#[test]
fn templates_that_call_themselves_are_refused_not_run() {
    let (work, audit) = fresh("partials");
    let findings = audit.join("narrative/01-findings.yaml");
    edit(
        &findings,
        "There were {{fact \"episodes\"}} episodes.",
        "There were {{#*inline \"p\"}}{{> p}}{{/inline}}{{> p}} episodes.",
    );
    let problems = verdict(&work, &audit).0;
    assert_has(
        &problems,
        "error: in prose: partials (`{{> …}}`, `{{#*inline …}}`) are not available in report text; write the text out",
    );
    assert_has(&problems, "narrative/01-findings.yaml:14:");

    let (work, audit) = fresh("nesting");
    edit(
        &audit.join("narrative/01-findings.yaml"),
        "There were {{fact \"episodes\"}} episodes.",
        &format!(
            "There were {} episodes.",
            "{{in_words ".to_string() + &"(in_words ".repeat(5000) + "1" + &")".repeat(5000) + "}}"
        ),
    );
    assert_has(
        &verdict(&work, &audit).0,
        "error: in prose: expressions are nested more than 16 deep",
    );

    // In the standard wording too (a layout folder of the lead's own).
    let (work, audit) = fresh("wording-partials");
    let templates = work.join("templates");
    fs::create_dir_all(&templates).unwrap();
    fs::copy(
        crate::common::root().join("report-templates/report.typ"),
        templates.join("report.typ"),
    )
    .unwrap();
    fs::copy(
        crate::common::root().join("report-templates/wording.yaml"),
        templates.join("wording.yaml"),
    )
    .unwrap();
    edit(
        &templates.join("wording.yaml"),
        "header: \"{{board_short}} · {{title}}\"",
        "header: \"{{#*inline 'p'}}{{> p}}{{/inline}}{{> p}}\"",
    );
    let options = BuildOptions {
        templates: Some(templates),
        ..options(&work, &audit)
    };
    let problems = build_error(&options);
    assert_has(
        &problems,
        "partials (`{{> …}}`, `{{#*inline …}}`) are not available",
    );
}

/// The same comment, an emoji in it, sent back by two agencies is reported in each return
/// (it was in the first only: the lead mended one, built again and met the other).
#[test]
fn an_unprintable_comment_sent_twice_is_reported_in_each_return() {
    let work = scratch("hostile-unprintable-twice");
    let audit = work.join("audit");
    copy_audit(&crate::common::root().join("data"), &audit, true);
    let comment = "Mum said thanks 🙏 at the visit and the plan was explained to her again";
    let nursery = audit.join("returns/C01/private-nurseries.yaml");
    edit(
        &nursery,
        "{q8: very young",
        &format!("{{q8: {comment}., q9: very young"),
    );
    let police = audit.join("returns/C02/police.yaml");
    edit(
        &police,
        "q13: \"there have",
        &format!("q13: \"{comment}.\"\n  q12: \"there have"),
    );
    let problems = verdict(&work, &audit).0;
    for expected in [
        "returns/C01/private-nurseries.yaml:16:32: error: the report's fonts cannot print `🙏` (U+1F64F)",
        "returns/C02/police.yaml:15:25: error: the report's fonts cannot print `🙏` (U+1F64F)",
    ] {
        assert_eq!(
            problems.matches(expected).count(),
            1,
            "`{expected}` once in:\n{problems}"
        );
    }
}

/// The same emoji in two titles is reported at each (it was at the first only), a control
/// character written as an escape in a title at its line (it had none), and each once, not
/// once per edition.
#[test]
fn an_unprintable_character_is_reported_once_at_each_place_it_is_written() {
    let (work, audit) = fresh("unprintable-titles");
    fs::write(
        audit.join("editions.yaml"),
        "editions:\n  - id: board\n    name: Board\n  - id: public\n    name: Public\n",
    )
    .unwrap();
    let findings = audit.join("narrative/01-findings.yaml");
    edit(
        &findings,
        "    title: Interviews",
        "    title: \"Interviews 🚸\"",
    );
    edit(
        &findings,
        "  - title: Template",
        "  - title: \"Template\\x07 \"",
    );
    // a private-use character: the Word writer's own mark for a footnote's number
    edit(&findings, "with #hash", "with \\uE000 #hash");
    edit(
        &audit.join("narrative/02-appendix.yaml"),
        "title: ",
        "title: 🚸 ",
    );
    let problems = verdict(&work, &audit).0;
    let (interviews, template) = (line(&findings, "Interviews"), line(&findings, "Template"));
    let note = line(&findings, "with \\uE000");
    for expected in [
        format!(
            "narrative/01-findings.yaml:{interviews}:24: error: the report's fonts cannot print `🚸` (U+1F6B8)"
        ),
        "narrative/02-appendix.yaml:1:8: error: the report's fonts cannot print `🚸` (U+1F6B8)"
            .to_string(),
        format!(
            "narrative/01-findings.yaml:{template}:21: error: expected text, found the control character U+0007"
        ),
        format!(
            "narrative/01-findings.yaml:{note}:20: error: expected text, found the private-use character U+E000"
        ),
    ] {
        assert_eq!(
            problems.matches(&expected).count(),
            1,
            "`{expected}` once in:\n{problems}"
        );
    }
    assert_eq!(problems.matches(": error: ").count(), 4, "{problems}");
}

#[test]
fn what_would_stop_the_typesetter_is_found_by_check_at_its_place() {
    // a control character, written as a YAML escape in a printed paragraph
    let (work, audit) = fresh("control");
    let findings = audit.join("narrative/01-findings.yaml");
    edit(
        &findings,
        "      - text: 'Literal marks",
        "      - text: \"A bell \\a rang\"\n      - text: 'Literal marks",
    );
    let problems = verdict(&work, &audit).0;
    let at = line(&findings, "A bell");
    assert_has(
        &problems,
        &format!(
            "narrative/01-findings.yaml:{at}:23: error: expected text, found the control character U+0007 (in \"A bell {} rang\")",
            '\u{7}'
        ),
    );

    let (work, audit) = fresh("empty-title");
    edit(
        &audit.join("audit.yaml"),
        "title: \"Audit of Return Home Interviews <draft> #2 & $costs\"",
        "title: ''",
    );
    assert_has(
        &verdict(&work, &audit).0,
        "audit.yaml:3:8: error: expected the report's title, found nothing",
    );

    let (work, audit) = fresh("year-10000");
    edit(
        &audit.join("audit.yaml"),
        "date: 2025-10-31",
        "date: 10000-01-01",
    );
    assert_has(
        &verdict(&work, &audit).0,
        "audit.yaml:8:7: error: expected a date as YYYY-MM-DD with a four-digit year, found `10000-01-01`",
    );

    // A byte-order mark before the first key is not part of it.
    let (work, audit) = fresh("bom");
    let police = audit.join("returns/X2/police.yaml");
    let body = fs::read_to_string(&police).unwrap();
    fs::write(&police, format!("\u{FEFF}{body}")).unwrap();
    assert_eq!(verdict(&work, &audit).0, "");
}

#[test]
fn a_sheet_that_starts_at_c3_reports_its_own_rows_and_columns() {
    let (work, audit) = fresh("offset-sheet");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, header) in ["case", "agency", "offered"].iter().enumerate() {
        sheet.write_string(2, 2 + c as u16, *header).unwrap();
    }
    for (c, value) in ["X2", "School", "perhaps"].iter().enumerate() {
        sheet.write_string(3, 2 + c as u16, *value).unwrap();
    }
    book.save(audit.join("returns/offset.xlsx")).unwrap();
    assert_has(
        &verdict(&work, &audit).0,
        "returns/offset.xlsx, sheet Sheet1, cell E4: error: `perhaps` is not an option of question `offered`",
    );
}

#[test]
fn two_builds_into_one_folder_give_one_whole_set() {
    let (work, audit) = fresh("concurrent");
    let options = options(&work, &audit);
    std::thread::scope(|scope| {
        let builds: Vec<_> = (0..3)
            .map(|_| scope.spawn(|| audit_report::build(&options, &mut |_| {})))
            .collect();
        for b in builds {
            b.join().unwrap().unwrap();
        }
    });
    let names: Vec<String> = walkdir::WalkDir::new(work.join("out"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(work.join("out"))
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(
        names,
        [
            "records/figures.csv",
            "records/report.changes.txt",
            "records/report.record.json",
            "report/figures.csv",
            "report/report.pdf"
        ]
    );
}

/// The build records in `out/records`, by edition: each one's hash of its inputs.
fn record_inputs(out: &Path) -> Vec<serde_json::Value> {
    let mut found = Vec::new();
    for entry in fs::read_dir(out.join("records")).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().ends_with(".record.json") {
            let record: serde_json::Value =
                serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
            found.push(record["inputs"].clone());
        }
    }
    found
}

#[test]
fn a_build_killed_at_any_point_leaves_one_whole_set() {
    let work = scratch("hostile-kill");
    let audit = work.join("audit");
    audit_report::input::synthetic::generate(&audit, 150, 3).unwrap();
    fs::write(
        audit.join("editions.yaml"),
        "editions:\n  - {id: full, name: Full}\n  - {id: short, name: Short, exclude: [case-pages]}\n",
    )
    .unwrap();
    let (out, charts) = (work.join("out"), work.join("charts"));
    let binary = env!("CARGO_BIN_EXE_audit-report");
    let run = || {
        let mut command = std::process::Command::new(binary);
        command
            .args(["build", audit.to_str().unwrap(), "--out"])
            .arg(&out)
            .arg("--charts")
            .arg(&charts)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        command
    };
    let started = std::time::Instant::now();
    assert!(run().status().unwrap().success());
    let took = started.elapsed();
    let kills = std::env::var("KILL_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(50u32);
    for k in 0..kills {
        // A different input each time, so a mixed set would show in the records.
        fs::write(
            audit.join("narrative/09-note.yaml"),
            format!("title: Note\nsubsections:\n  - blocks:\n      - p: Run {k}.\n"),
        )
        .unwrap();
        let mut child = run().spawn().unwrap();
        let at = took.mul_f64(f64::from(k % 25) / 20.0);
        std::thread::sleep(at);
        let _ = child.kill();
        let _ = child.wait();
        let inputs = record_inputs(&out);
        assert_eq!(
            inputs.len(),
            2,
            "kill {k} after {at:?}: both records are there"
        );
        assert_eq!(
            inputs[0], inputs[1],
            "kill {k} after {at:?}: one set, not two"
        );
        for name in ["full/full.pdf", "short/short.pdf"] {
            let pdf = fs::read(out.join(name)).unwrap();
            assert!(
                pdf.starts_with(b"%PDF-") && (pdf.ends_with(b"%%EOF\n") || pdf.ends_with(b"%%EOF")),
                "kill {k}: {name} whole"
            );
        }
    }
    // The next build clears what the killed ones left.
    assert!(run().status().unwrap().success());
    let leftovers: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A named pipe or a device where a file should be is refused at its place; reading it
/// would wait for a writer that never comes, or never end.
#[cfg(target_os = "linux")]
#[test]
fn a_pipe_or_a_device_in_place_of_a_file_is_refused_not_waited_on() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let (_, audit) = fresh("pipe");
    let cases = audit.join("cases.yaml");
    for make in ["pipe", "device"] {
        fs::remove_file(&cases).unwrap();
        match make {
            "pipe" => nix::unistd::mkfifo(&cases, nix::sys::stat::Mode::S_IRUSR).unwrap(),
            _ => std::os::unix::fs::symlink("/dev/zero", &cases).unwrap(),
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_audit-report"))
            .args(["check", "--diagnostic-format", "short"])
            .arg(&audit)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > Duration::from_secs(30) {
                child.kill().unwrap();
                panic!("{make}: check still waiting after 30 s");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let output = child.wait_with_output().unwrap();
        let said = String::from_utf8_lossy(&output.stderr).to_string()
            + &String::from_utf8_lossy(&output.stdout);
        assert!(!output.status.success(), "{make}: {said}");
        // (the device is reached through a link, which is itself refused first)
        let expected = match make {
            "pipe" => "this is not a plain file (a pipe or a device); it is not read",
            _ => "this is a symbolic link; an audit reads only the files inside its folder",
        };
        assert_has(&said, &format!("{}: error: {expected}", cases.display()));
    }
}

/// A named pipe among the returns or the narrative is said, not skipped without a word (a
/// return put there would be missing from every figure), and nothing waits on it.
#[test]
fn a_pipe_among_the_returns_is_an_error_not_skipped() {
    let (work, audit) = fresh("pipe-in-returns");
    let pipe = audit.join("returns/X1/health.yaml");
    let other = audit.join("narrative/notes");
    fs::remove_file(&pipe).unwrap();
    for fifo in [&pipe, &other] {
        nix::unistd::mkfifo(fifo, nix::sys::stat::Mode::S_IRUSR).unwrap();
    }
    let (said, _) = verdict(&work, &audit);
    for fifo in [&pipe, &other] {
        assert_has(
            &said,
            &format!(
                "{}: error: this is not a plain file (a pipe or a device); it is not read",
                fifo.display()
            ),
        );
    }
}

/// Output folders a build must not write into are refused before anything is read: the
/// root, the audit folder's own, a charts folder inside an edition's (it would publish every
/// chart unsuppressed); a folder of an edition's name that no build wrote is left alone.
#[test]
fn output_folders_that_would_overwrite_or_publish_are_refused() {
    let (work, audit) = fresh("folders");
    let refused = |out: PathBuf, charts: PathBuf| {
        let options = BuildOptions {
            out,
            charts,
            ..options(&work, &audit)
        };
        build_error(&options)
    };
    assert_has(
        &refused(PathBuf::from("/"), work.join("charts")),
        "error: the output folder `/` is the root of the file system",
    );
    assert_has(
        &refused(audit.join("narrative"), work.join("charts")),
        "error: the output folder `",
    );
    assert_has(
        &refused(audit.join("narrative"), work.join("charts")),
        "/narrative` is, holds or is inside a folder of the audit",
    );
    assert_has(
        &refused(audit.clone(), work.join("charts")),
        "/audit` is, holds or is inside a folder of the audit",
    );
    assert_has(
        &refused(work.join("out"), work.join("out/report/charts")),
        "and the output folder `",
    );
    // `..` does not take a folder past these (it was returned as written)
    assert_has(
        &refused(work.join("nowhere/../audit/returns"), work.join("charts")),
        "is, holds or is inside a folder of the audit",
    );
    assert_has(
        &refused(work.join("out"), work.join("nowhere/../out/report")),
        "and the output folder `",
    );
    // nor `..` after a link: the system takes it from the link's target (a review put an
    // edition's unsuppressed charts into the public folder so)
    fs::create_dir_all(work.join("elsewhere/records")).unwrap();
    fs::create_dir_all(work.join("d")).unwrap();
    std::os::unix::fs::symlink(work.join("elsewhere/records"), work.join("d/link")).unwrap();
    assert_has(
        &refused(work.join("elsewhere"), work.join("d/link/../public")),
        "and the output folder `",
    );
    assert!(!work.join("elsewhere/public").exists());
    // the Typst sources are written before the set is swapped in: not into it, nor the audit
    for (emitted, what) in [
        (work.join("out/report"), "output"),
        (work.join("charts/../out"), "output"),
        (work.join("charts"), "charts"),
        (audit.join("typst"), "audit"),
    ] {
        let options = BuildOptions {
            emit_typst: Some(emitted.clone()),
            ..options(&work, &audit)
        };
        let problems = build_error(&options);
        assert_has(
            &problems,
            &format!(
                "the folder for the Typst sources `{}` and the {what} folder are, hold or are inside each other",
                emitted.display()
            ),
        );
        assert!(!emitted.exists(), "{}", emitted.display());
    }
    // nor through a link put in the folder for the sources
    fs::create_dir_all(work.join("emitted")).unwrap();
    std::os::unix::fs::symlink(&audit, work.join("emitted/report")).unwrap();
    let options_emitting = BuildOptions {
        emit_typst: Some(work.join("emitted")),
        ..options(&work, &audit)
    };
    assert_has(
        &build_error(&options_emitting),
        "/emitted/report` is a symbolic link; the Typst sources are written only into folders of their own",
    );
    assert!(!audit.join("report.typ").exists() && !audit.join("data.json").exists());
    fs::remove_dir_all(work.join("emitted")).unwrap();
    assert!(!work.join("out").exists() && !audit.join("narrative/report").exists());
    assert!(!audit.join("returns/report").exists());

    // somebody's folder where an edition's would go
    fs::create_dir_all(work.join("out/report")).unwrap();
    fs::write(work.join("out/report/minutes.txt"), "mine").unwrap();
    let problems = build_error(&options(&work, &audit));
    assert_has(
        &problems,
        "/out/report` is there and was not written by a build",
    );
    assert_eq!(
        fs::read_to_string(work.join("out/report/minutes.txt")).unwrap(),
        "mine"
    );
    // somebody's records folder, and an edition folder that is a link
    fs::remove_dir_all(work.join("out")).unwrap();
    fs::create_dir_all(work.join("out/records")).unwrap();
    fs::write(work.join("out/records/.notes"), "mine").unwrap();
    let problems = build_error(&options(&work, &audit));
    assert_has(
        &problems,
        "/out/records` is there and holds no build record",
    );
    assert!(work.join("out/records/.notes").exists());
    fs::remove_dir_all(work.join("out")).unwrap();
    fs::create_dir_all(work.join("out")).unwrap();
    fs::create_dir_all(work.join("www")).unwrap();
    std::os::unix::fs::symlink(work.join("www"), work.join("out/report")).unwrap();
    let problems = build_error(&options(&work, &audit));
    assert_has(&problems, "/out/report` is a symbolic link");
}

/// A build of the PDF alone after a build of every format leaves no Word file or web page
/// of the earlier build, with its earlier figures, beside the new PDF.
#[test]
fn a_rebuild_leaves_no_file_of_an_earlier_build_in_an_edition_s_folder() {
    let (work, audit) = fresh("stale");
    fs::write(
        audit.join("editions.yaml"),
        "editions:\n  - id: report\n    name: Report\n    formats: [pdf, docx, html]\n",
    )
    .unwrap();
    audit_report::build(&options(&work, &audit), &mut |_| {}).unwrap();
    let folder = work.join("out/report");
    let listed = |dir: &Path| {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        listed(&folder),
        ["figures.csv", "report.docx", "report.html", "report.pdf"]
    );
    let pdf_only = BuildOptions {
        format: Some(audit_report::render::Format::Pdf),
        ..options(&work, &audit)
    };
    audit_report::build(&pdf_only, &mut |_| {}).unwrap();
    assert_eq!(listed(&folder), ["figures.csv", "report.pdf"]);
    assert_eq!(
        listed(&work.join("out/records")),
        ["figures.csv", "report.changes.txt", "report.record.json"]
    );
}

/// A sheet of one far-right cell per row is refused by the cells it would hold, not read
/// into memory (a 512 KB file held 4.7 GB and aborted under a memory limit).
#[test]
fn a_sparse_sheet_of_far_right_cells_is_refused_by_its_span() {
    let (work, audit) = fresh("sparse-sheet");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Case").unwrap();
    sheet.write_string(0, 1, "Agency").unwrap();
    sheet.write_string(0, 2, "offered").unwrap();
    for row in 1..1_100 {
        sheet.write_string(row, 1_990, "x").unwrap();
    }
    book.save(audit.join("returns/wide.xlsx")).unwrap();
    assert_has(
        &verdict(&work, &audit).0,
        "returns/wide.xlsx: error: sheet `Sheet1` spans more than 2000000 cells from each row's first column to its last",
    );
}

/// A layout of the lead's own prints its own text: the guard reads it as it reads the inputs
/// (a date of birth and a postcode typed into its cover printed on page 1).
#[test]
fn a_layout_given_with_templates_is_read_by_the_guard() {
    let (work, audit) = fresh("layout-guard");
    let templates = work.join("templates");
    fs::create_dir_all(&templates).unwrap();
    for name in ["report.typ", "wording.yaml"] {
        fs::copy(
            crate::common::root().join("report-templates").join(name),
            templates.join(name),
        )
        .unwrap();
    }
    let mut layout = fs::read_to_string(templates.join("report.typ")).unwrap();
    layout.push_str("\n#text[Case lead seen, DOB 03/04/2011, at CW1 2AB]\n");
    fs::write(templates.join("report.typ"), &layout).unwrap();
    let at = layout.lines().count();
    let options = BuildOptions {
        templates: Some(templates),
        ..options(&work, &audit)
    };
    let problems = build_error(&options);
    assert_has(
        &problems,
        &format!("report.typ:{at}:23: error: possible personal data (date of birth)"),
    );
    assert_has(
        &problems,
        &format!("report.typ:{at}:42: error: possible personal data (UK postcode)"),
    );
    assert!(!work.join("out").exists());
}

/// An audit reads only what is inside its folder: a file or a folder linked from elsewhere
/// is refused (they were read), a link to nothing is said as such (it was called a link
/// outside the folder), and a file in UTF-16 is named so.
#[test]
fn linked_files_and_folders_are_refused_and_encodings_named() {
    let (work, audit) = fresh("links");
    let elsewhere = work.join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::rename(audit.join("cases.yaml"), elsewhere.join("cases.yaml")).unwrap();
    std::os::unix::fs::symlink(elsewhere.join("cases.yaml"), audit.join("cases.yaml")).unwrap();
    fs::rename(audit.join("narrative"), elsewhere.join("narrative")).unwrap();
    std::os::unix::fs::symlink(elsewhere.join("narrative"), audit.join("narrative")).unwrap();
    std::os::unix::fs::symlink(work.join("gone.yaml"), audit.join("returns/X1/gone.yaml")).unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("case: X2\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    fs::write(audit.join("returns/X2/notepad.yaml"), utf16).unwrap();
    let problems = audit_report::input::load(&audit)
        .map_or_else(|p| p, |(_, p)| p)
        .to_string();
    for expected in [
        "cases.yaml: error: this is a symbolic link; an audit reads only the files inside its folder, so it is not read",
        "narrative: error: this folder is a symbolic link; an audit reads only what is inside its folder",
        "returns/X1/gone.yaml: warning: this is a symbolic link to nothing (what it named is gone); it is not read",
        "returns/X2/notepad.yaml: error: expected UTF-8 text, found UTF-16 text (as Windows Notepad may save it)",
    ] {
        assert_has(&problems, expected);
    }
}

/// Small files that asked for gigabytes or minutes: each refused at once, with its reason.
#[test]
fn small_inputs_cannot_take_the_machine() {
    // a narrative list of a million items in 2 MB (1.3 GB and 15 s to read before)
    let (work, audit) = fresh("many-items");
    let items = vec!["1"; 1_000_000].join(",");
    fs::write(
        audit.join("narrative/03-big.yaml"),
        format!("title: Big\nsubsections:\n  - title: x\n    blocks:\n      - list: [{items}]\n"),
    )
    .unwrap();
    assert_has(
        &verdict(&work, &audit).0,
        "03-big.yaml: error: file holds 1000004 lines and list items; an audit file is limited to 300000",
    );

    // a return answering a three-option question with a million answers (minutes before:
    // each one's error located by reading the file again)
    let (work, audit) = fresh("many-answers");
    let answers = vec!["mentor"; 200_000].join(", ");
    fs::write(
        audit.join("returns/X1/police.yaml"),
        format!("case: X1\nagency: Police\nanswers:\n  offered: yes\n  followup: [{answers}]\n"),
    )
    .unwrap();
    let (said, _) = verdict(&work, &audit);
    assert_has(
        &said,
        "error: question `followup` has 3 options, but this answer lists 200000 (each option is listed once at most)",
    );
    assert_eq!(said.matches("error:").count(), 1, "{said}");

    // a workbook whose zip headers understate what it unpacks to (2 GB before)
    let (work, audit) = fresh("zip-lies");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Returns").unwrap();
    for (c, heading) in ["Case", "Agency", "offered"].iter().enumerate() {
        sheet.write_string(0, c as u16, *heading).unwrap();
    }
    sheet.write_string(1, 0, "X1").unwrap();
    // 200 MB of one letter, in a comment of the sheet, deflates to a few hundred KB
    let mut bytes = crate::common::edit_part(
        &book.save_to_buffer().unwrap(),
        "xl/worksheets/sheet1.xml",
        |content| {
            let at = content
                .windows(11)
                .position(|w| w == b"<sheetData>")
                .unwrap();
            let mut padded = content[..at].to_vec();
            padded.extend_from_slice(b"<!--");
            padded.extend(std::iter::repeat_n(b'x', 200 * 1024 * 1024));
            padded.extend_from_slice(b"-->");
            padded.extend_from_slice(&content[at..]);
            padded
        },
    );
    // every part's stated unpacked size a lie: 1,000 bytes, in the local headers and the
    // central directory alike
    for (signature, offset) in [(&b"PK\x03\x04"[..], 22), (&b"PK\x01\x02"[..], 24)] {
        let places: Vec<usize> = bytes
            .windows(4)
            .enumerate()
            .filter(|(_, w)| *w == signature)
            .map(|(i, _)| i)
            .collect();
        for at in places {
            bytes[at + offset..at + offset + 4].copy_from_slice(&1000u32.to_le_bytes());
        }
    }
    fs::remove_dir_all(audit.join("returns")).unwrap();
    fs::create_dir(audit.join("returns")).unwrap();
    fs::write(audit.join("returns/police.xlsx"), &bytes).unwrap();
    assert!(bytes.len() < 2_000_000, "{}", bytes.len());
    assert_has(
        &verdict(&work, &audit).0,
        "police.xlsx: error: spreadsheet unpacks to more than 128 MB (its headers said 0 MB); a damaged or hostile file",
    );
}

/// The memory ceiling of `docs/limits.md`: `check` on a folder of hostile files, each
/// within the 16 MB file limit, stays under 512 MB and fails with each file's problem: a
/// flow map of 1.4 million items (15 MB), brackets nested 100,000 deep on one line, a
/// workbook whose headers say 1 KB and which unpacks to 200 MB, and one of 3 million
/// shared strings. Measured by GNU time's peak resident size (a figure of memory, not of
/// speed); on a machine without it the test says it skipped (and fails under CI).
#[test]
fn hostile_files_within_the_file_limits_stay_under_the_memory_ceiling() {
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        crate::common::skipped(
            "the memory ceiling",
            "/usr/bin/time (GNU time) is not installed",
        );
        return;
    }
    let (_work, audit) = fresh("memory-ceiling");
    let flow: String = (0..1_400_000).map(|i| format!("k{i}: v,")).collect();
    fs::write(
        audit.join("narrative/98-flow.yaml"),
        format!("{{{flow}}}\n"),
    )
    .unwrap();
    let deep = format!("comment: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    fs::write(audit.join("narrative/99-deep.yaml"), deep).unwrap();
    let workbook = |part: &str, body: Vec<u8>| {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file(part, deflated).unwrap();
        std::io::Write::write_all(&mut zip, &body).unwrap();
        zip.finish().unwrap().into_inner()
    };
    // 200 MB of spaces, its sizes in both headers made 1 KB
    let mut bomb = workbook("xl/worksheets/sheet1.xml", vec![b' '; 200 << 20]);
    let name = b"xl/worksheets/sheet1.xml";
    for (signature, size_at, name_at) in [(b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)] {
        let at = bomb.windows(4).position(|w| w == signature).unwrap();
        assert_eq!(&bomb[at + name_at..at + name_at + name.len()], name);
        bomb[at + size_at..at + size_at + 4].copy_from_slice(&1024u32.to_le_bytes());
    }
    fs::write(audit.join("returns/bomb.xlsx"), bomb).unwrap();
    let strings: String = (0..3_000_000)
        .map(|k| format!("<si><t>s{k:08} padding text</t></si>"))
        .collect();
    let shared = format!(
        "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">{strings}</sst>"
    );
    let shared = workbook("xl/sharedStrings.xml", shared.into_bytes());
    assert!(shared.len() < 16 << 20, "{} bytes", shared.len());
    fs::write(audit.join("returns/strings.xlsx"), shared).unwrap();
    let output = std::process::Command::new(time)
        .args(["-f", "peak %M KB"])
        .arg(env!("CARGO_BIN_EXE_audit-report"))
        .arg("check")
        .arg(&audit)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let peak: u64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak ")?.strip_suffix(" KB")?.parse().ok())
        .unwrap_or_else(|| panic!("no peak in:\n{stderr}"));
    assert!(peak < 512 * 1024, "check took {peak} KB:\n{stderr}");
    for expected in [
        "98-flow.yaml",
        "an audit file is limited to 300000",
        "nest more than 64 deep",
        "bomb.xlsx",
        "unpacks to more than 128 MB",
        "strings.xlsx",
    ] {
        assert!(stderr.contains(expected), "no `{expected}` in:\n{stderr}");
    }
    assert!(!output.status.success());
}
