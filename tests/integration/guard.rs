//! The personal data guard against a corpus of fake personal data, written every way the
//! issue found getting through, in every channel an audit folder has; and against a corpus
//! of clean report prose, which must pass untouched.

use crate::common::{copy_audit, edit, edit_each, fixture, scratch};
use audit_report::check::guard::Guard;
use audit_report::{BuildOptions, Templates, prepare};
use std::fs;
use std::path::Path;

/// The lead's private list for these tests (fake names).
const NAMES: &[&str] = &[
    "Jayden Smith",
    "Zoë Brown",
    "Aoife O'Neill",
    "Kacper Nowak-Lewis",
];

/// Fake personal data: (kind, text). Every kind, and every evasion: case, spacing, line
/// breaks, invisible characters, accents, apostrophes, name orders and initials.
const PERSONAL: &[(&str, &str)] = &[
    ("name", "Jayden Smith attended the review"),
    ("name", "JAYDEN SMITH"),
    ("name", "seen with jayden smith"),
    ("name", "Smith, Jayden"),
    ("name", "Smith Jayden"),
    ("name", "J. Smith said"),
    ("name", "J Smith said"),
    ("name", "Jayden S. was seen"),
    ("name", "Jay\u{00AD}den Smith"),
    ("name", "Jayden\u{00A0}Smith"),
    ("name", "Jay\u{200B}den Smith"),
    ("name", "Jayden\u{200D} Smith"),
    ("name", "Jayden\n    Smith, moved"),
    ("name", "Jayden   Smith"),
    ("name", "Jayden Smith's mother"),
    ("name", "(Jayden Smith)"),
    ("name", "Zoe Brown"),
    ("name", "Zoë Brown"),
    ("name", "Zoe\u{0308} Brown"),
    ("name", "ZOË BROWN"),
    ("name", "Brown, Zoe"),
    ("name", "Z. Brown"),
    ("name", "Aoife O\u{2019}Neill"),
    ("name", "Aoife O'Neill"),
    ("name", "aoife o'neill"),
    ("name", "O'Neill, Aoife"),
    ("name", "A. O\u{2019}Neill"),
    ("name", "Aoife O\u{02BC}Neill"),
    ("name", "\u{FF21}\u{FF4F}\u{FF49}\u{FF46}\u{FF45} O'Neill"),
    ("name", "Kacper Nowak-Lewis"),
    ("name", "Kacper Nowak\u{2010}Lewis"),
    ("name", "K. Nowak-Lewis"),
    ("name", "Nowak-Lewis, Kacper"),
    ("name", "Kacper N."),
    ("postcode", "CW1 2AB"),
    ("postcode", "cw1 2ab"),
    ("postcode", "CW1  2AB"),
    ("postcode", "CW1-2AB"),
    ("postcode", "CW12AB"),
    ("postcode", "M1 1AE"),
    ("postcode", "SK10 4DH"),
    ("postcode", "EC1A 1BB"),
    ("postcode", "W1A 0AX"),
    ("postcode", "cw1\u{00A0}2ab"),
    ("postcode", "CW1\u{200B} 2AB"),
    ("postcode", "moved to CW1\n    2AB last year"),
    ("postcode", "Cw1 2Ab"),
    ("NHS number", "943 476 5919"),
    ("NHS number", "9434765919"),
    ("NHS number", "943-476-5919"),
    ("NHS number", "943.476.5919"),
    ("NHS number", "943  476  5919"),
    ("NHS number", "NHS 943\n  476 5919"),
    ("NHS number", "398 259 7919"),
    ("NHS number", "907 483 3780"),
    ("NHS number", "876\u{00A0}232\u{00A0}8603"),
    ("phone number", "01270 686000"),
    ("phone number", "(01270) 686000"),
    ("phone number", "01270-686000"),
    ("phone number", "+44 (0)1270 686000"),
    ("phone number", "+44 1270 686000"),
    ("phone number", "0044 1270 686000"),
    ("phone number", "07700 900123"),
    ("phone number", "07700900123"),
    ("phone number", "+447700900123"),
    ("phone number", "0161 496 0000"),
    ("phone number", "020 7946 0000"),
    ("phone number", "(0161) 496-0000"),
    ("phone number", "07700\u{00A0}900\u{00A0}123"),
    ("email address", "j.smith@example.org"),
    ("email address", "JAYDEN@EXAMPLE.CO.UK"),
    ("email address", "mum_2011@mail.example.com"),
    ("date of birth", "DOB 03/04/2011"),
    ("date of birth", "DOB 2011-04-03"),
    ("date of birth", "born April 3, 2011"),
    ("date of birth", "3 April 2011 (DOB)"),
    ("date of birth", "DOB 03-Apr-2011"),
    ("date of birth", "d.o.b. 3.4.11"),
    ("date of birth", "D.O.B 03/04/2011"),
    ("date of birth", "DOB. 03/04/2011"),
    ("date of birth", "date of birth: 03/04/2011"),
    ("date of birth", "was born on 3rd April 2011"),
    ("date of birth", "born on the 3rd of April 2011"),
    ("date of birth", "Birthday 3 April 2011"),
    ("date of birth", "dob 3 apr 2011"),
    ("date of birth", "DOB: April 3rd, 2011"),
    ("date of birth", "aged 3, 03/04/2011"),
    ("date of birth", "03/04/2011 (aged 3)"),
    ("date of birth", "born\n      03/04/2011"),
    ("date of birth", "D\u{200B}OB 03/04/2011"),
    ("street address", "12 Acacia Avenue"),
    ("street address", "4 Village Green"),
    ("street address", "7 Market Square"),
    ("street address", "9 Oak Park"),
    ("street address", "3 Castle Rise"),
    ("street address", "21 Sea View"),
    ("street address", "2 Mill Fields"),
    ("street address", "14 St. John's Road"),
    ("street address", "14 St John\u{2019}s Road"),
    ("street address", "12a High Street"),
    ("street address", "12, High Street"),
    ("street address", "5 THE MEADOWS"),
    ("street address", "Flat 3, 12 Acacia Avenue"),
    ("street address", "Rose Cottage, Mill Lane"),
    ("street address", "Oak Farm, Crewe"),
    ("street address", "12\u{00A0}Acacia Avenue"),
    // a second review's
    ("postcode", "case CW1_2AB"),
    ("postcode", "CW1 \u{b7} 2AB"),
    ("postcode", "CW1 2 AB"),
    ("postcode", "GIR 0AA"),
    ("email address", "jo{at}example.com"),
    ("email address", "jo @example. com"),
    ("date of birth", "D O B 03/04/2011"),
    ("name", "Jayden 'JJ' Smith"),
    ("name", "Jayden (Jay) Smith"),
    ("name", "Jayden/Smith"),
];

/// Clean report prose: meeting dates, ages of cohorts, office names, section numbers.
const CLEAN: &[&str] = &[
    "The strategy meeting was held on 03/04/2013.",
    "Conference dates: 16/01/2014 and 20/02/2014.",
    "Children aged 5-10 made up a third of the sample.",
    "Of the 15 children, 8 were under 5 years old.",
    "The audit ran from 6 January 2014 to 28 February 2014.",
    "Westfields, Middlewich Road, Sandbach hosted the panel.",
    "Delamere House in Crewe hosted the Executive Group.",
    "The Municipal Buildings on Earle Street are the council's offices.",
    "Macclesfield Town Hall, 14 March 2014.",
    "Section 3.1 shows that 58 of 70 returns recorded supervision.",
    "Data from the 2012-2013 census were used.",
    "Figures for Q1 2014 and for 2013/14 are not yet published.",
    "Working Together to Safeguard Children 2013 sets out the duties.",
    "Regulation 5 of the Local Safeguarding Children Boards Regulations 2006",
    "The Children Act 1989, section 47, applies.",
    "Ofsted inspected the service on 14 May 2013.",
    "A review on 1 April 2014 will follow.",
    "Between 2010 and 2014 there were 34 repeat plans.",
    "The child was 14 at the time of the second plan.",
    "Version 1.0, 28 February 2014",
    "Ages ranged from 0 to 13 years.",
    "The panel met at 10:30 on 12 March 2014.",
    "Paragraphs 2.1.5 and 2.6.2 refer to the 16% rate.",
    "The average of statistical neighbours is 16.1 per 10,000.",
    "The PARIS report was run on 16th January 2014.",
    "13 agencies responded; 77 of 90 returns (85.6%) were received.",
    "Young people aged 16 and 17 were not in scope.",
    "Services for children born to young parents were reviewed.",
    "The plan was made in March 2012 and ended in May 2013.",
    "Case C01 was audited on 04/02/2014.",
    "The meeting with Children's Social Care on 3 April 2014 agreed the actions.",
    "A birth to five service runs in each locality.",
    "The 2nd review took place on 12/12/2013.",
    "Q10 asked about work since the last plan.",
    "See Appendix 2, Table 1.",
    "Finding 3: the review of repeat plans.",
    "The Early Help hub at Macclesfield Library is open daily.",
    "All staff complete Level 3 safeguarding training.",
    "Tier 4 services were not involved.",
    "Four were between 5-10 years and three over 10 years.",
    "In 12 cases the plan lasted 9 months.",
    "19 of the 77 returns (24.7%) said so.",
    "The audit tool v2.3 was issued on 01.02.2014.",
    "Ages 0-4: 8 children; 5-10: 4; over 10: 3.",
    "The Police and Crime Commissioner reported in 2013.",
    "The report is dated 2014-02-28.",
    "The school roll on 1 October 2013 was 312.",
    "Thursday 6 March 2014: Executive Group.",
    "A 12-week programme followed the plan.",
    "In the 12 months to March 2014 the rate rose.",
    "Children aged 11 to 16 on 31 March 2014 were counted.",
    "The child was born in 2011 and seen on 16/01/2014.",
    "Plans of 6 months or more: 21 of 34.",
    "Half of the children were under 5 (8 of 15).",
    "The board's business unit is at Westfields.",
    "Practitioners from 9 agencies attended on 5 February 2014.",
    "2.1.7 An electronic audit template was developed.",
    "The Independent Audit Lead wrote this report in February 2014.",
];

fn guard() -> Guard {
    let names: Vec<String> = NAMES.iter().map(|n| n.to_string()).collect();
    Guard::new(&names, &[])
}

#[test]
fn every_kind_and_evasion_is_found_and_clean_prose_passes() {
    assert!(PERSONAL.len() >= 100 && CLEAN.len() >= 50);
    let guard = guard();
    let missed: Vec<&str> = PERSONAL
        .iter()
        .filter(|(_, text)| guard.find(text).is_empty())
        .map(|(_, text)| *text)
        .collect();
    assert_eq!(missed, Vec::<&str>::new(), "detection must be 100 %");
    let wrong_kind: Vec<String> = PERSONAL
        .iter()
        .filter_map(|(kind, text)| {
            let found: Vec<&str> = guard.find(text).iter().map(|h| h.kind).collect();
            (!found.iter().any(|f| f.contains(kind))).then(|| format!("{text:?}: {found:?}"))
        })
        .collect();
    assert_eq!(wrong_kind, Vec::<String>::new());
    let flagged: Vec<String> = CLEAN
        .iter()
        .filter_map(|text| {
            let hits = guard.find(text);
            (!hits.is_empty()).then(|| format!("{text:?}: {:?}", hits[0]))
        })
        .collect();
    assert_eq!(flagged, Vec::<String>::new(), "no hit on clean prose");
}

#[test]
fn the_sample_has_no_hit() {
    let sample = crate::common::root().join("data");
    let guard = guard();
    for entry in walkdir::WalkDir::new(&sample).into_iter().flatten() {
        if entry.file_type().is_file() {
            let text = fs::read_to_string(entry.path()).unwrap();
            assert_eq!(guard.find(&text), Vec::new(), "{}", entry.path().display());
        }
    }
}

/// The published reference report's own text (OCR damage and all) raises nothing: clean
/// report prose stays clean with lookalike letters folded and mixed alphabets looked for.
#[test]
fn the_reference_report_has_no_hit() {
    let reference =
        crate::common::root().join("../shared/reference/cescb-repeat-cpp-audit-2014.txt");
    let Ok(text) = fs::read_to_string(&reference) else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI has ../shared: {} is missing",
            reference.display()
        );
        eprintln!("skipped: {} is not here", reference.display());
        return;
    };
    let hits: Vec<String> = guard()
        .find(&text)
        .iter()
        .map(|h| format!("{} `{}`", h.kind, h.text))
        .collect();
    assert_eq!(hits, Vec::<String>::new());
}

/// Problems `check` reports for the audit in `audit`, as text.
fn checked(audit: &Path, names: &Path) -> String {
    let options = BuildOptions {
        private_names: Some(names.to_path_buf()),
        ..BuildOptions::new(audit)
    };
    match prepare(&options, &Templates::load(None).unwrap(), &mut |_| {}) {
        Ok(_) => String::new(),
        Err(problems) => problems.to_string(),
    }
}

/// A YAML double-quoted string (JSON's escapes are YAML's).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// Puts `text` in one channel of a copy of the fixture audit; returns the place (file and
/// line, as messages print them) where it must be reported.
fn place(channel: &str, audit: &Path, text: &str) -> String {
    let append = |path: &str, extra: &str| {
        let file = audit.join(path);
        let mut body = fs::read_to_string(&file).unwrap();
        let line = body.lines().count() + 1;
        body.push_str(extra);
        fs::write(&file, body).unwrap();
        format!("{}:{line}:", file.display())
    };
    match channel {
        // a paragraph of the narrative, printed in every edition
        "narrative" => {
            let file = audit.join("narrative/01-findings.yaml");
            let body = fs::read_to_string(&file).unwrap();
            let marker = "      - text: 'Literal marks";
            let at = body.find(marker).unwrap();
            let line = body[..at].lines().count() + 1;
            let body = format!(
                "{}      - text: {}\n{}",
                &body[..at],
                quoted(text),
                &body[at..]
            );
            fs::write(&file, body).unwrap();
            format!("{}:{line}:", file.display())
        }
        // an auditor's comment in a YAML return
        "return comment" => {
            let at = append(
                "returns/X1/school.yaml",
                &format!("comments:\n  offered: {}\n", quoted(text)),
            );
            // the value is on the line after `comments:`
            let (file, line) = at.trim_end_matches(':').rsplit_once(':').unwrap();
            format!("{file}:{}:", line.parse::<usize>().unwrap() + 1)
        }
        // a case id in cases.yaml
        "case id" => append(
            "cases.yaml",
            &format!(
                "  - {{id: {}, category: neglect, age_band: over 10, gender: male, requested: [Police]}}\n",
                quoted(text)
            ),
        ),
        // a comment in a CSV return (row 2, the comment column)
        "CSV return" => {
            let file = audit.join("returns/extra.csv");
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer
                .write_record(["case", "agency", "offered comments"])
                .unwrap();
            writer.write_record(["X2", "School", text]).unwrap();
            fs::write(&file, writer.into_inner().unwrap()).unwrap();
            format!("{}, row 2, column \"offered comments\":", file.display())
        }
        // the same in an XLSX return
        "XLSX return" => {
            let file = audit.join("returns/extra.xlsx");
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            let header = ["case", "agency", "offered comments"];
            for (c, h) in header.iter().enumerate() {
                sheet.write_string(0, c as u16, *h).unwrap();
            }
            for (c, v) in ["X2", "School", text].iter().enumerate() {
                sheet.write_string(1, c as u16, *v).unwrap();
            }
            book.save(&file).unwrap();
            format!("{}, sheet Sheet1, cell C2:", file.display())
        }
        // the name of a file in the audit folder
        "file name" => {
            let name: String = text.replace('/', "-").replace('\n', " ");
            let dir = audit.join("notes");
            fs::create_dir_all(&dir).unwrap();
            fs::write(dir.join(format!("{name}.txt")), "").unwrap();
            format!("{}", dir.display())
        }
        _ => unreachable!(),
    }
}

/// A workbook whose sheet is named after a child is refused, at the file, the name masked:
/// the sheet's name is the child's name as much as a cell is. (Other problems placed in
/// that sheet still name it, as problems in a file named after a child name the file.)
#[test]
fn a_sheet_named_after_a_child_is_found_and_not_printed() {
    let work = scratch("guard-sheet-name");
    let names = work.join("private-names.txt");
    fs::write(&names, "Jayden Smith\n").unwrap();
    let audit = work.join("audit");
    copy_audit(&fixture("other-audit"), &audit, true);
    let file = audit.join("returns/extra.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("jayden smith").unwrap();
    for (c, h) in ["case", "agency", "offered"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["X2", "School", "yes"].iter().enumerate() {
        sheet.write_string(1, c as u16, *v).unwrap();
    }
    book.save(&file).unwrap();
    let problems = checked(&audit, &names);
    let found = format!(
        "{}: error: possible personal data (name on the private list): `ja**** *****`",
        file.display()
    );
    assert!(problems.contains(&found), "{problems}");
}

#[test]
fn every_channel_reports_each_string_at_its_place() {
    let work = scratch("guard-channels");
    let names = work.join("private-names.txt");
    // saved by a Windows editor: a byte-order mark, CRLF, comments and blank lines
    let mut list = String::from("\u{FEFF}# fake names for the tests\r\n\r\n");
    for name in NAMES {
        list.push_str(name);
        list.push_str("\r\n");
    }
    fs::write(&names, list).unwrap();
    let mut missed = Vec::new();
    let mut tried = 0;
    for channel in [
        "narrative",
        "return comment",
        "case id",
        "CSV return",
        "XLSX return",
        "file name",
    ] {
        for (i, (_, text)) in PERSONAL.iter().enumerate() {
            let audit = work.join(format!("{}-{i}", channel.replace(' ', "-")));
            let _ = fs::remove_dir_all(&audit);
            copy_audit(&fixture("other-audit"), &audit, true);
            let at = place(channel, &audit, text);
            tried += 1;
            let problems = checked(&audit, &names);
            let reported = problems
                .lines()
                .any(|l| l.starts_with(&at) && l.contains("possible personal data"));
            if !reported {
                missed.push(format!(
                    "{channel}: {text:?} not reported at {at}:\n{problems}"
                ));
            }
            fs::remove_dir_all(&audit).unwrap();
        }
    }
    assert!(tried >= 600);
    assert!(
        missed.is_empty(),
        "{} missed, the first:\n{}",
        missed.len(),
        missed[..missed.len().min(12)].join("\n")
    );
}

#[test]
fn a_name_pieced_together_in_the_printed_text_is_found_at_its_paragraph() {
    let work = scratch("guard-printed");
    let names = work.join("private-names.txt");
    fs::write(&names, "Jayden Smith\n").unwrap();
    for (i, piece) in [
        "**Jay**den Smith",
        "Jay{{!x}}den Smith",
        "*Jayden* Smith",
        "Jayden{{! a comment }} Smith",
    ]
    .iter()
    .enumerate()
    {
        let audit = work.join(format!("audit-{i}"));
        copy_audit(&fixture("other-audit"), &audit, true);
        let at = place("narrative", &audit, piece);
        let problems = checked(&audit, &names);
        assert!(
            problems.lines().any(|l| l.starts_with(&at)
                && l.contains("possible personal data (name on the private list) as printed")),
            "{piece}: {problems}"
        );
    }
}

/// A scratch copy of the fixture audit, with a private names list naming Jayden Smith:
/// (the scratch folder, the list, the audit).
fn fixture_with_names(test: &str) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let work = scratch(test);
    let names = work.join("private-names.txt");
    fs::write(&names, "Jayden Smith\n").unwrap();
    let audit = work.join("audit");
    copy_audit(&fixture("other-audit"), &audit, true);
    (work, names, audit)
}

#[test]
fn a_file_that_fails_to_parse_is_still_scanned() {
    let (_, names, audit) = fixture_with_names("guard-unparsed");
    fs::write(
        audit.join("returns/X2/school.yaml"),
        "case: X2\nagency: School\nanswers: [\ncomments: {offered: Jayden Smith, CW1 2AB}\n",
    )
    .unwrap();
    let problems = checked(&audit, &names);
    let file = audit.join("returns/X2/school.yaml").display().to_string();
    for expected in [
        format!(
            "{file}:4:21: error: possible personal data (name on the private list): `Ja**** *****`"
        ),
        format!("{file}:4:35: error: possible personal data (UK postcode): `CW* ***`"),
    ] {
        assert!(
            problems.contains(&expected),
            "missing {expected} in\n{problems}"
        );
    }
    // And when a file everything depends on is broken too.
    fs::write(audit.join("cases.yaml"), "cases: [\n").unwrap();
    let problems = checked(&audit, &names);
    assert!(
        problems.contains("cases.yaml:") && problems.contains("UK postcode"),
        "{problems}"
    );
}

/// `build` checks the printed text while it typesets: a name found there still stops the
/// build before anything is written, the Typst sources `--emit-typst` writes included, and a
/// good build before it stays as it was.
#[test]
fn a_build_that_finds_a_name_in_its_printed_text_writes_nothing() {
    let (work, names, audit) = fixture_with_names("guard-build");
    let options = BuildOptions {
        private_names: Some(names.clone()),
        emit_typst: Some(work.join("typst")),
        ..crate::common::options_in(&audit, &work, None)
    };
    // every file the builds wrote (all but the audit), with its bytes
    let written = || -> Vec<(std::path::PathBuf, Vec<u8>)> {
        walkdir::WalkDir::new(&work)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file() && !e.path().starts_with(&audit))
            .map(|e| (e.path().to_path_buf(), fs::read(e.path()).unwrap()))
            .collect()
    };
    let good = audit_report::build(&options, &mut |_| {}).expect("the fixture builds");
    let before = written();
    assert!(before.iter().any(|(p, _)| p.ends_with("data.json")));
    assert!(!good.editions.is_empty());

    let at = place("narrative", &audit, "**Jay**den Smith");
    let problems = match audit_report::build(&options, &mut |_| {}) {
        Ok(_) => panic!("a build printing a name on the private list succeeded"),
        Err(problems) => problems.to_string(),
    };
    assert!(
        problems.lines().any(|l| l.starts_with(&at)
            && l.contains("possible personal data (name on the private list) as printed")),
        "{problems}"
    );
    let after = written();
    assert_eq!(before.len(), after.len());
    for ((path, old), (_, new)) in before.iter().zip(&after) {
        assert!(old == new, "{} changed", path.display());
    }
    let json = fs::read_to_string(
        work.join("typst")
            .join(&good.editions[0].edition)
            .join("data.json"),
    )
    .unwrap();
    assert!(!json.contains("Jay"), "the emitted data holds the name");
}

/// The guard reads the inputs while the audit is checked and drafted: personal data in a
/// return still stops the build with the report `check` gives, every problem of the inputs
/// at once, whatever else would have gone wrong later, and nothing is written.
#[test]
fn personal_data_in_the_inputs_stops_a_build_with_the_report_check_gives() {
    let (work, names, audit) = fixture_with_names("guard-inputs");
    let postcode = place(
        "return comment",
        &audit,
        "Family moved to SK11 6AB last year",
    );
    // a problem of its own in the same folder: a return asked of an agency the audit lacks
    // (the file as it was, to put right below)
    let cases = fs::read_to_string(audit.join("cases.yaml")).unwrap();
    edit(
        &audit.join("cases.yaml"),
        "requested: [Police, School]",
        "requested: [Police, Nowhere]",
    );
    let reported = |edition: Option<&str>| {
        let options = BuildOptions {
            private_names: Some(names.clone()),
            edition: edition.map(str::to_string),
            ..crate::common::options_in(&audit, &work, None)
        };
        let built = match audit_report::build(&options, &mut |_| {}) {
            Ok(_) => panic!("a build of inputs holding a postcode succeeded"),
            Err(problems) => problems.to_string(),
        };
        let checked = match prepare(&options, &Templates::load(None).unwrap(), &mut |_| {}) {
            Ok(_) => panic!("check passed inputs holding a postcode"),
            Err(problems) => problems.to_string(),
        };
        assert_eq!(built, checked);
        built
    };
    let both = reported(None);
    assert!(
        both.lines()
            .any(|l| l.starts_with(&postcode) && l.contains("possible personal data (UK postcode)")),
        "{both}"
    );
    assert!(
        both.contains("cases.yaml:") && both.contains("Nowhere"),
        "{both}"
    );
    assert!(
        !both.contains("SK11 6AB"),
        "the message repeats the postcode: {both}"
    );

    // With the case put right, the audit is sound but for the postcode and a warning (a case
    // without returns): the guard's report with the warning, also when the build would have
    // failed later (an edition that does not exist).
    let extra =
        "  - {id: X9, category: neglect, age_band: over 10, gender: male, requested: [Police]}\n";
    fs::write(audit.join("cases.yaml"), format!("{cases}{extra}")).unwrap();
    let alone = reported(None);
    assert_eq!(alone, reported(Some("no-such-edition")));
    assert!(alone.contains("case `X9` has no returns"), "{alone}");
    assert!(
        alone.contains("possible personal data (UK postcode)"),
        "{alone}"
    );
    assert!(!alone.contains("no-such-edition"), "{alone}");
    assert!(
        !work.join("out").exists(),
        "a build of personal data wrote its output"
    );
}

/// `template` and `actions` write files from the audit too: with the lead's list (given or in
/// the environment) a listed name anywhere in the audit stops them, and nothing is written;
/// without it they say the names were not checked.
#[test]
fn template_and_actions_are_guarded_like_build() {
    let (work, names, audit) = fixture_with_names("guard-writers");
    let findings = audit.join("narrative/01-findings.yaml");
    edit(
        &findings,
        "      - question: followup\n",
        "      - question: followup\n      - p: Owner, Jayden Smith, to report back.\n",
    );
    let run = |args: &[&str], env_names: bool| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_audit-report"));
        command.args(args).arg(&audit).current_dir(&work);
        command.env_remove(audit_report::check::guard::NAMES_VARIABLE);
        if env_names {
            command.env(audit_report::check::guard::NAMES_VARIABLE, &names);
        }
        command.output().unwrap()
    };
    let out = work.join("written");
    for (args, file) in [
        (
            vec!["template", "--per-agency", "--out"],
            out.join("collection"),
        ),
        (vec!["actions", "--out"], out.join("actions.xlsx")),
    ] {
        let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        args.push(file.display().to_string());
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        // the list in the environment, as a lead sets it once
        let refused = run(&refs, true);
        let said = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(1), "{said}");
        assert!(
            said.contains("possible personal data (name on the private list)"),
            "{said}"
        );
        assert!(!file.exists(), "{} written", file.display());
        // without a list: written, and said to be unchecked
        let unchecked = run(&refs, false);
        let said = String::from_utf8_lossy(&unchecked.stdout);
        assert!(unchecked.status.success(), "{said}");
        assert!(said.contains("Names were not checked"), "{said}");
    }
}

/// A layout of the lead's own can print what its source never spells: a name assembled from
/// pieces or in two styles, or set as the document's keywords. The guard reads the
/// PDF as Typst made it (its text, metadata, alt text and links), so the build fails naming
/// the file and the part, and nothing is written (all three got through: the guard read the
/// layout's source only).
#[test]
fn a_custom_layout_cannot_print_a_name_it_assembles() {
    let work = scratch("guard-custom-layout");
    let audit = work.join("audit");
    copy_audit(&fixture("other-audit"), &audit, true);
    let names = work.join("names.txt");
    fs::write(&names, NAMES.join("\n")).unwrap();
    let templates = work.join("templates");
    fs::create_dir_all(&templates).unwrap();
    let root = crate::common::root().join("report-templates");
    fs::copy(root.join("wording.yaml"), templates.join("wording.yaml")).unwrap();
    let layout = templates.join("report.typ");
    fs::copy(root.join("report.typ"), &layout).unwrap();
    edit_each(
        &layout,
        &[
            (
                "  author: data.author,\n",
                "  author: data.author,\n  keywords: (\"Zo\" + \"ë Brown\",),\n",
            ),
            (
                "#let body-size = 11.5pt\n",
                "#let body-size = 11.5pt\n#text(\"Jay\" + \"den Smith\")\n#text[Aoi#text(weight: \"bold\")[fe O'Ne]ill]\n",
            ),
        ],
    );
    let options = BuildOptions {
        templates: Some(templates.clone()),
        private_names: Some(names.clone()),
        ..crate::common::options_in(&audit, &work, None)
    };
    let problems = audit_report::build(&options, &mut |_| {}).unwrap_err();
    let messages: Vec<String> = problems
        .0
        .iter()
        .map(|d| format!("{} {:?}", d.message, d.location))
        .collect();
    let said = messages.join("\n");
    assert!(
        said.contains(
            "(name on the private list) in the typeset text of the file to be written: `Ja"
        ) && said.contains(".pdf"),
        "{said}"
    );
    // a name set in two styles is two pieces of text on the page, read as one
    assert!(
        said.contains(
            "(name on the private list) in the typeset text of the file to be written: `Ao"
        ),
        "{said}"
    );
    assert!(
        said.contains("(name on the private list) in its metadata, alt text and links of the file to be written: `Zo"),
        "{said}"
    );
    assert!(!work.join("out").exists(), "nothing is written");
    // the same layout without the planted text builds: the check passes clean text
    fs::copy(root.join("report.typ"), &layout).unwrap();
    audit_report::build(&options, &mut |_| {}).unwrap();
}

/// A build's own output set and charts inside the audit folder (`out/`, `charts/`, where
/// `init` puts them) are not inputs: read as notes, the last build's figures in
/// `records/figures.csv` ("1365,1731,78.9" is a valid NHS number by its groups) stopped
/// the next build of a 2,000-case audit. A notes file with the same line is still read.
#[test]
fn a_build_s_own_folders_in_the_audit_folder_are_not_read_as_notes() {
    let (_, names, audit) = fixture_with_names("guard-own-folders");
    let figures = "scope,measure,label,option,count,base,percent\nagency Health,q2,Oversight,yes,1365,1731,78.9\n";
    fs::create_dir_all(audit.join("out/records")).unwrap();
    fs::write(audit.join("out/records/figures.csv"), figures).unwrap();
    fs::write(audit.join("out/records/report.record.json"), "{}").unwrap();
    fs::create_dir_all(audit.join("charts")).unwrap();
    fs::write(audit.join("charts/charts-folder.txt"), "charts").unwrap();
    fs::write(audit.join("charts/notes.txt"), "ref 1365,1731,78.9").unwrap();
    assert_eq!(checked(&audit, &names), "");
    // the same line in a folder no build marked, or once the marks are gone, is found
    fs::create_dir_all(audit.join("notes")).unwrap();
    fs::write(audit.join("notes/figures.csv"), figures).unwrap();
    let problems = checked(&audit, &names);
    assert!(problems.contains("notes/figures.csv"), "{problems}");
    assert!(!problems.contains("out/records"), "{problems}");
    fs::remove_file(audit.join("notes/figures.csv")).unwrap();
    fs::remove_file(audit.join("out/records/report.record.json")).unwrap();
    assert!(checked(&audit, &names).contains("out/records/figures.csv"));
}
