//! The papers that travel with the report (issue 30): the cover paper, the slides and the
//! 7-minute briefing, built from the same returns and narrative. What they print is read as
//! typeset (pdftotext); a corrected return changes each and the change list says where;
//! the briefing withholds what the public edition does; the guard reads them; a bad `kind:`
//! is an error at its place.

use crate::common::{
    PAPERS, copy_audit, docx_part, edit, edit_each, fixture, have, options_in, root, scratch,
    skipped,
};
use audit_report::edition::Format;
use audit_report::{BuildSummary, Templates, build, prepare};
use std::fs;
use std::path::Path;

/// The typeset text of `edition`'s PDF in reading order (the briefing's two columns one
/// after the other), every run of spaces one; `None` (said) where pdftotext is not installed.
fn pdf_text(summary: &BuildSummary, edition: &str) -> Option<String> {
    if !have("pdftotext") {
        skipped("reading the typeset papers", "`pdftotext` is not installed");
        return None;
    }
    let written = summary.editions.iter().find(|e| e.edition == edition)?;
    let pdf = &written.file(Format::Pdf)?.path;
    let out = std::process::Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    // (one space for any run, so a phrase broken over a line is found whole)
    let text = String::from_utf8_lossy(&out.stdout);
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The page size of `edition`'s PDF as pdfinfo gives it ("960 x 540 pts").
fn page_size(summary: &BuildSummary, edition: &str) -> Option<String> {
    if !have("pdfinfo") {
        skipped("measuring the slides", "`pdfinfo` is not installed");
        return None;
    }
    let written = summary.editions.iter().find(|e| e.edition == edition)?;
    let out = std::process::Command::new("pdfinfo")
        .arg(&written.file(Format::Pdf)?.path)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = info.lines().find(|l| l.starts_with("Page size:"))?;
    Some(line["Page size:".len()..].trim().to_string())
}

fn built(audit: &Path, work: &Path) -> BuildSummary {
    build(&options_in(audit, work, None), &mut |_| {}).unwrap()
}

#[test]
fn each_paper_prints_the_figures_computed_from_the_returns() {
    let work = scratch("pack-figures");
    let summary = built(&root().join("data"), &work);
    let formats = |id: &str| -> Vec<Format> {
        let written = summary.editions.iter().find(|e| e.edition == id).unwrap();
        Format::ALL
            .into_iter()
            .filter(|f| written.file(*f).is_some())
            .collect()
    };
    assert_eq!(formats("cover"), [Format::Pdf, Format::Docx]);
    assert_eq!(formats("slides"), [Format::Pdf]);
    assert_eq!(formats("briefing"), Format::ALL);
    let Some(cover) = pdf_text(&summary, "cover") else {
        return;
    };
    for said in [
        "Report to CESCB Executive Group",
        "Meeting date 20 March 2014",
        "Purpose For decision",
        "The CESCB Executive Group is asked to:",
        // the summary's figures, computed
        "a sample of 15 child protection cases",
        "the 90 audit requests that were sent out, with 77 being returned",
        "present in 100 per cent of cases",
        // the key findings and recommendations, the narrative's own
        "Finding 1: In too many cases, auditors were not able to comment",
        "Finding 3: Changes in allocated worker",
        "To take action to maximise the consistency of allocated workers",
        "Equality and diversity:",
    ] {
        assert!(cover.contains(said), "cover: `{said}` in\n{cover}");
    }
    let slides = pdf_text(&summary, "slides").unwrap();
    for said in [
        "How the audit was done",
        "15 children's cases audited",
        "77 agency returns of the 90 asked for",
        "A response rate of 85.6%",
        // a chart the lead picked, its message and its bars' figures
        "Almost half the auditors did not know",
        "47.2% (34 of 72)",
        "What we found",
        "Recommendations",
        // the action plan's status, in words
        "The action plan: where it stands",
        "At risk",
        // dates in the house style, as in the report's action plan
        "30 September 2014",
    ] {
        assert!(slides.contains(said), "slides: `{said}` in\n{slides}");
    }
    assert!(!slides.contains("2014-09-30"), "{slides}");
    // projected: 16:9, at a presentation program's own size
    assert_eq!(page_size(&summary, "slides").unwrap(), "960 x 540 pts");
    // their charts drawn with large type (labels 36 units at the drawing's 1000, not 28),
    // in a set of their own
    let large = fs::read_to_string(work.join("charts/large/q7.svg")).unwrap();
    let report = fs::read_to_string(work.join("charts/q7.svg")).unwrap();
    let label_size = |svg: &str| -> f64 {
        let at = svg.find("t know").unwrap();
        let tag = &svg[svg[..at].rfind("<text").unwrap()..at];
        let size = &tag[tag.find("font-size=\"").unwrap() + 11..];
        size[..size.find('"').unwrap()].parse().unwrap()
    };
    assert!(
        label_size(&large) > 1.25 * label_size(&report),
        "{} against {}",
        label_size(&large),
        label_size(&report)
    );
    let briefing = pdf_text(&summary, "briefing").unwrap();
    for said in [
        "7-minute briefing: repeat Child Protection Plans",
        "1. Background",
        "the files of fifteen children",
        "77 of the 90 returns asked for came back",
        "43% of auditors were unable to answer",
        "7. Where to find more",
    ] {
        assert!(briefing.contains(said), "briefing: `{said}` in\n{briefing}");
    }
    // one or two A4 pages each
    for id in ["cover", "briefing"] {
        let written = summary.editions.iter().find(|e| e.edition == id).unwrap();
        let pages = written.file(Format::Pdf).unwrap().pages;
        assert!((1..=2).contains(&pages), "{id}: {pages} pages");
        assert_eq!(
            page_size(&summary, id).unwrap(),
            "595.276 x 841.89 pts (A4)"
        );
    }
    // the Word and web files are written from the same document
    let web = summary
        .editions
        .iter()
        .find(|e| e.edition == "briefing")
        .unwrap();
    let html = fs::read_to_string(&web.file(Format::Html).unwrap().path).unwrap();
    assert!(html.contains("43% of auditors were unable to answer"));
}

#[test]
fn a_corrected_return_changes_every_paper_and_the_change_list_says_where() {
    let work = scratch("pack-correction");
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, true);
    let first = built(&audit, &work);
    // (read now: the next build writes over the same files)
    let before: Vec<Option<String>> = PAPERS.iter().map(|id| pdf_text(&first, id)).collect();
    // One agency's return corrected: the child's basic information was not up to date.
    let ret = audit.join("returns/C01/private-nurseries.yaml");
    edit(&ret, "q1: {a: 'yes'", "q1: {a: 'no'");
    let second = built(&audit, &work);
    for (id, before) in PAPERS.iter().zip(before) {
        let (Some(before), Some(after)) = (before, pdf_text(&second, id)) else {
            return;
        };
        assert_ne!(before, after, "{id} did not change");
    }
    let slides = pdf_text(&second, "slides").unwrap();
    assert!(slides.contains("98.7% (76 of 77)"), "{slides}");
    let cover = pdf_text(&second, "cover").unwrap();
    assert!(
        !cover.contains("present in 100 per cent of cases"),
        "{cover}"
    );
    // the change list of each paper names the figure and where the paper shows it
    let records = work.join("out/records");
    for (id, place) in [
        ("cover", "Summary"),
        ("slides", "slide 3 (Contents of agency files)"),
        ("briefing", "3. What we found"),
    ] {
        let changes = fs::read_to_string(records.join(format!("{id}.changes.txt"))).unwrap();
        let line = changes
            .lines()
            .skip_while(|l| !l.starts_with("q1.a Up-to-date basic information for the child – yes"))
            .take(2)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            line.contains("100.0% (77 of 77) → 98.7% (76 of 77)\n      shown in")
                && line.contains(place),
            "{id}: `{place}` in\n{changes}"
        );
    }
}

#[test]
fn the_public_briefing_withholds_a_small_count_and_what_gives_it_away() {
    let work = scratch("pack-suppressed");
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, true);
    // Two returns found no marker on file (q1.e `no`): below the briefing's 5.
    let briefing = audit.join("briefing.yaml");
    edit(
        &briefing,
        "what_good_looks_like:",
        "- p: >-\n    No marker was on file in {{count \"q1.e\" \"no\"}} returns ({{pct \"q1.e\" \"no\"}} per cent) of the {{base \"q1.e\"}}.\nwhat_good_looks_like:",
    );
    let options = audit_report::BuildOptions {
        edition: Some("briefing".into()),
        ..options_in(&audit, &work, None)
    };
    let summary = build(&options, &mut |_| {}).unwrap();
    let written = &summary.editions[0];
    let html = fs::read_to_string(&written.file(Format::Html).unwrap().path).unwrap();
    let Some(pdf) = pdf_text(&summary, "briefing") else {
        return;
    };
    for text in [pdf.as_str(), html.as_str()] {
        assert!(
            // (the 73 who had one withheld with it: neither is known to be the small one)
            text.contains(
                "No marker was on file in an undisclosed number of returns (an undisclosed share) of the 75"
            ),
            "{text}"
        );
        assert!(
            !text.contains("in 2 returns") && !text.contains("2.7 per cent"),
            "{text}"
        );
    }
    // the edition's figures file withholds it too
    let figures = fs::read_to_string(work.join("out/briefing/figures.csv")).unwrap();
    assert!(!figures.contains("q1.e,A marker or alert indicating a Child Protection Plan,no,2,"));
}

#[test]
fn the_guard_reads_every_paper_and_refuses_a_planted_name() {
    let work = scratch("pack-guard");
    let names = work.join("private-names.txt");
    fs::write(&names, "Jayden Smith\n").unwrap();
    for (file, key, planted) in [
        (
            "briefing.yaml",
            "why_it_matters:\n",
            "Jayden Smith was seen at home.",
        ),
        // pieced together by markup: found in what prints
        (
            "cover.yaml",
            "summary:\n",
            "**Jay**den Smith was seen at home.",
        ),
        (
            "slides.yaml",
            "questions:\n",
            "Was Jayden Smith seen alone?",
        ),
    ] {
        let audit = work.join(file.replace(".yaml", ""));
        copy_audit(&root().join("data"), &audit, true);
        let path = audit.join(file);
        let text = fs::read_to_string(&path).unwrap();
        let at = text.find(key).unwrap() + key.len();
        let line = text[..at].lines().count() + 1;
        let item = if file == "slides.yaml" {
            format!("- \"{planted}\"\n")
        } else {
            format!("- p: \"{planted}\"\n")
        };
        fs::write(&path, format!("{}{item}{}", &text[..at], &text[at..])).unwrap();
        let options = audit_report::BuildOptions {
            private_names: Some(names.clone()),
            ..options_in(&audit, &work.join("out"), None)
        };
        let problems = match prepare(&options, &Templates::load(None).unwrap(), &mut |_| {}) {
            Ok(_) => panic!("{file}: the planted name was not refused"),
            Err(problems) => problems.to_string(),
        };
        let place = format!("{}:{line}:", path.display());
        assert!(
            problems
                .lines()
                .any(|l| l.starts_with(&place) && l.contains("name on the private list")),
            "{file}: at {place} in\n{problems}"
        );
        assert!(build(&options, &mut |_| {}).is_err());
    }
}

/// A copy of the small fixture audit with `editions.yaml` as given and the starters of the
/// papers beside it.
fn fixture_with(test: &str, editions: &str) -> std::path::PathBuf {
    let audit = scratch(test).join("audit");
    copy_audit(&fixture("other-audit"), &audit, true);
    fs::write(audit.join("editions.yaml"), editions).unwrap();
    let briefing = root().join("report-templates/new-audit/briefing.yaml");
    fs::copy(briefing, audit.join("briefing.yaml")).unwrap();
    audit
}

fn checked(audit: &Path) -> String {
    let options = audit_report::BuildOptions::new(audit);
    match prepare(&options, &Templates::load(None).unwrap(), &mut |_| {}) {
        Ok(_) => String::new(),
        Err(problems) => problems.to_string(),
    }
}

#[test]
fn a_bad_kind_or_a_format_a_kind_cannot_have_is_an_error_at_its_place() {
    let audit = fixture_with(
        "pack-bad-kind",
        "editions:\n  - id: board\n    name: Board\n    kind: pamphlet\n",
    );
    let said = checked(&audit);
    let at = format!("{}:4:11:", audit.join("editions.yaml").display());
    assert!(
        said.lines().any(|l| l.starts_with(&at)
            && l.contains("unknown variant `pamphlet`, expected one of `report`, `cover`, `slides`, `briefing`")),
        "{said}"
    );
    let audit = fixture_with(
        "pack-bad-format",
        "editions:\n  - id: slides\n    name: Slides\n    kind: slides\n    formats: [pdf, docx]\n",
    );
    fs::write(audit.join("slides.yaml"), "charts:\n- question: offerd\n").unwrap();
    let said = checked(&audit);
    let editions = audit.join("editions.yaml");
    let slides = audit.join("slides.yaml");
    for (place, message) in [
        (
            format!("{}:5:20:", editions.display()),
            "expected pdf for slides (kind: slides), found `docx`",
        ),
        (
            format!("{}:2:13:", slides.display()),
            "expected a question of questions.yaml, found `offerd` (did you mean `offered`?)",
        ),
    ] {
        assert!(
            said.lines()
                .any(|l| l.starts_with(&place) && l.contains(message)),
            "{place} {message} in\n{said}"
        );
    }
    // a paper whose words are missing is an error at its edition
    let audit = fixture_with(
        "pack-no-words",
        "editions:\n  - id: cover\n    name: Cover\n    kind: cover\n",
    );
    let said = checked(&audit);
    assert!(
        said.contains(
            "edition `cover` is a cover: expected its words in `cover.yaml`, found no such file"
        ),
        "{said}"
    );
}

#[test]
fn a_figure_in_a_papers_prose_is_checked_at_its_place() {
    let audit = fixture_with(
        "pack-prose",
        "editions:\n  - id: briefing\n    name: Briefing\n    kind: briefing\n",
    );
    let path = audit.join("briefing.yaml");
    let text = fs::read_to_string(&path).unwrap();
    edit(
        &path,
        "- p: Every agency working",
        "- p: In {{pct \"offered\" \"nope\"}} per cent. Every agency working",
    );
    let said = checked(&audit);
    let line = text
        .lines()
        .position(|l| l.contains("Every agency working"))
        .unwrap()
        + 1;
    let at = format!("{}:{line}:", path.display());
    assert!(
        said.lines().any(|l| l.starts_with(&at)
            && l.contains("in prose: question `offered` has no option `nope`")),
        "{at} in\n{said}"
    );
}

/// The Word file of each paper takes as many pages as its PDF (LibreOffice's rendering, with
/// Calibri's metric twin where CI installs it), and the cover paper's details are a table of
/// label and value in both, not a heading over six paragraphs.
#[test]
fn the_word_papers_take_the_pages_their_pdfs_take() {
    let test = "the_word_papers_take_the_pages_their_pdfs_take";
    for program in ["libreoffice", "pdfinfo"] {
        if !have(program) {
            skipped(
                test,
                &format!("`{program}` is not installed (.ci/run installs it)"),
            );
            return;
        }
    }
    let work = scratch("pack-word-pages");
    let summary = built(&root().join("data"), &work);
    let pages = |pdf: &Path| -> usize {
        let info = std::process::Command::new("pdfinfo")
            .arg(pdf)
            .output()
            .unwrap();
        let info = String::from_utf8_lossy(&info.stdout).into_owned();
        let line = info.lines().find(|l| l.starts_with("Pages:")).unwrap();
        line["Pages:".len()..].trim().parse().unwrap()
    };
    for id in ["cover", "briefing"] {
        let written = summary.editions.iter().find(|e| e.edition == id).unwrap();
        let docx = &written.file(Format::Docx).unwrap().path;
        let converted = work.join("converted");
        let run = std::process::Command::new("libreoffice")
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&converted)
            .arg(docx)
            .env("HOME", &work)
            .output()
            .unwrap();
        assert!(run.status.success(), "{run:?}");
        let word = pages(&converted.join(format!("{id}.pdf")));
        let pdf = pages(&written.file(Format::Pdf).unwrap().path);
        assert_eq!(word, pdf, "{id}: {word} pages in Word, {pdf} in the PDF");
    }
    let cover = summary
        .editions
        .iter()
        .find(|e| e.edition == "cover")
        .unwrap();
    let body = docx_part(&cover.file(Format::Docx).unwrap().path, "word/document.xml");
    let table = body.find("<w:tbl>").expect("a table");
    let report_to = body.find(">Report to<").expect("the details' first label");
    let meeting = body.find(">20 March 2014<").expect("the meeting's date");
    assert!(table < report_to && report_to < meeting, "{body}");
    assert!(!body.contains("About this paper"), "{body}");
}

/// A detail typed over two lines keeps its line break in the PDF and in Word (Word drops a
/// newline inside text, which joined the words), a tab prints as a space in both (Typst
/// draws none; Word jumps to its next tab stop, a gap no other format has), and a detail
/// given as nothing has no row.
#[test]
fn a_detail_keeps_its_line_break_and_tab_and_an_empty_one_has_no_row() {
    let work = scratch("pack-detail-breaks");
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, true);
    let cover = audit.join("cover.yaml");
    edit_each(
        &cover,
        &[
            (
                "report_to: CESCB Executive Group\n",
                "report_to: \"CESCB Executive\\nGroup\\tBoard\"\n",
            ),
            ("agenda_item: '6'\n", "agenda_item: ''\n"),
        ],
    );
    let summary = build(&options_in(&audit, &work, Some("cover")), &mut |_| {}).unwrap();
    let written = &summary.editions[0];
    let pdf = &written.file(Format::Pdf).unwrap().text;
    assert!(pdf.contains("CESCB Executive\nGroup Board"), "{pdf}");
    assert!(!pdf.contains("Agenda item"), "{pdf}");
    let body = docx_part(
        &written.file(Format::Docx).unwrap().path,
        "word/document.xml",
    );
    let executive = body.find(">CESCB Executive<").expect("the first line");
    let rest = &body[executive..];
    let group = rest
        .find(">Group Board<")
        .expect("the second line, its tab a space");
    assert!(rest[..group].contains("<w:br"), "{}", &rest[..group]);
    assert!(!body.contains("Agenda item"), "{body}");
}

/// The cover's details as the lead may leave them: a `report_to` of nothing is an error at
/// its line; a `report_of` of nothing is the default (the author and role), not a missing
/// row; a value of only invisible characters has no row; a value taller than a page may
/// break over pages in Word rather than be clipped.
#[test]
fn blank_and_invisible_details_and_one_taller_than_a_page() {
    let work = scratch("pack-blank-details");
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, true);
    let cover = audit.join("cover.yaml");
    edit(
        &cover,
        "report_to: CESCB Executive Group\n",
        "report_to: '  '\n",
    );
    let problems = build(&options_in(&audit, &work, Some("cover")), &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        problems.contains("cover.yaml:5:")
            && problems.contains("expected the board or group the paper is for"),
        "{problems}"
    );
    let long = "Line of a detail far too long. ".repeat(400);
    edit_each(
        &cover,
        &[
            ("report_to: '  '\n", "report_to: CESCB Executive Group\n"),
            (
                "# report_of: absent, the audit's author and role (audit.yaml)\n",
                "report_of: ''\n",
            ),
            ("agenda_item: '6'\n", "agenda_item: \"\\u200B\\uFEFF\"\n"),
            (
                "contact: CESCB Business Unit\n",
                &format!("contact: '{long}'\n"),
            ),
        ],
    );
    let summary = build(&options_in(&audit, &work, Some("cover")), &mut |_| {}).unwrap();
    let pdf = &summary.editions[0].file(Format::Pdf).unwrap().text;
    assert!(
        pdf.contains("Valerie Charles, Independent Audit Lead"),
        "{pdf}"
    );
    assert!(!pdf.contains("Agenda item"), "{pdf}");
    let body = docx_part(
        &summary.editions[0].file(Format::Docx).unwrap().path,
        "word/document.xml",
    );
    assert!(body.contains(">Valerie Charles, Independent Audit Lead<"));
    assert!(!body.contains("Agenda item"));
    // every row kept whole but the contact's
    let rows: Vec<&str> = body.split("<w:tr>").skip(1).collect();
    assert_eq!(rows.len(), 5, "{body}");
    for row in rows {
        let long_row = row.contains("Line of a detail far too long.");
        assert_eq!(row.contains("<w:cantSplit"), !long_row, "{row}");
    }
}

/// A narrative section whose id is `details` is a report's section in Word as in the PDF (only
/// a cover paper's details are a table), and a line break in a paragraph is a break in every
/// format, a template choice's included.
#[test]
fn a_report_section_called_details_and_line_breaks_in_every_format() {
    let work = scratch("pack-details-id");
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, true);
    edit(
        &audit.join("narrative/02-methodology.yaml"),
        "id: methodology\n",
        "id: details\n",
    );
    edit(
        &audit.join("narrative/02-methodology.yaml"),
        "  - p: >-\n      The CESCB commissioned an Independent Audit Lead, Valerie Charles, to lead on the multi-agency case\n      audit programme.\n",
        "  - p: \"The CESCB commissioned\\nan Independent Audit Lead\\u2028to lead.\"\n",
    );
    edit(
        &audit.join("questions.yaml"),
        "    text: Up-to-date details of other agencies or workers involved\n",
        "    text: \"Up-to-date details of other\\nagencies or workers involved\"\n",
    );
    let summary = build(
        &options_in(&audit, &work, Some("executive-group")),
        &mut |_| {},
    )
    .unwrap();
    let written = &summary.editions[0];
    let body = docx_part(
        &written.file(Format::Docx).unwrap().path,
        "word/document.xml",
    );
    assert!(
        body.contains(">Section 2: Audit methodology<"),
        "the heading is kept"
    );
    assert!(
        body.contains(">2.1.2<"),
        "the paragraphs keep their numbers"
    );
    let at = body
        .find(">The CESCB commissioned<")
        .expect("the first line");
    let rest = &body[at..];
    let second = rest
        .find(">an Independent Audit Lead<")
        .expect("the second line");
    let third = rest.find(">to lead.<").expect("the third line");
    assert_eq!(
        rest[..third].matches("<w:br").count(),
        2,
        "{}",
        &rest[..third]
    );
    assert!(second < third);
    let html = fs::read_to_string(&written.file(Format::Html).unwrap().path).unwrap();
    assert!(
        html.contains("The CESCB commissioned<br>an Independent Audit Lead<br>to lead."),
        "{html}"
    );
    let pdf = &written.file(Format::Pdf).unwrap().text;
    assert!(
        pdf.contains("The CESCB commissioned\nan Independent Audit Lead"),
        "{pdf}"
    );
    // the template appendix's choice (Word wrote it without the run that makes breaks)
    let other = body
        .find(">Up-to-date details of other<")
        .expect("the choice");
    let rest = &body[other..];
    let agencies = rest
        .find(">agencies or workers involved<")
        .expect("its second line");
    assert!(rest[..agencies].contains("<w:br"), "{}", &rest[..agencies]);
}

/// A blank thing the board is asked to do, or a blank implication, is a warning at its place
/// (it would print as an empty bullet, or a label with nothing after it); so is any blank
/// paragraph or bullet of a paper or the narrative (a heading with nothing under it).
#[test]
fn a_blank_line_of_the_cover_paper_is_a_warning_at_its_place() {
    let work = scratch("pack-blank-lines");
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, true);
    edit_each(
        &audit.join("cover.yaml"),
        &[
            (
                "- agree the three findings",
                "- ''\n- agree the three findings",
            ),
            (
                "  legal: None beyond",
                "  legal: ' '\n  x-legal: None beyond",
            ),
            ("risks:\n", "risks:\n- p: \"\\u200B \"\n"),
        ],
    );
    edit(
        &audit.join("briefing.yaml"),
        "  - Record each time",
        "  - ''\n  - Record each time",
    );
    edit(
        &audit.join("narrative/01-introduction.yaml"),
        "  blocks:\n",
        "  blocks:\n  - p: ''\n  - list: [\"\\u2800\"]\n",
    );
    // (x-legal is no implication: an error, so the check says both and fails)
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_audit-report"))
        .args(["check", "--diagnostic-format", "short"])
        .arg(&audit)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("warning: expected what the board is asked to do, found nothing"),
        "{said}"
    );
    assert!(
        said.contains("warning: expected the legal implications, found nothing"),
        "{said}"
    );
    assert!(said.contains("cover.yaml:"), "{said}");
    let blank = |at: &str, what: &str| {
        let line = said.lines().find(|l| l.contains(at));
        assert!(
            line.is_some_and(
                |l| l.ends_with(&format!("warning: expected words, found nothing: {what}"))
            ),
            "{at} {what}: {said}"
        );
    };
    blank("cover.yaml:30:", "the paragraph is left out of the report");
    blank("briefing.yaml:54:", "the bullet is left out of the report");
    blank(
        "01-introduction.yaml:8:",
        "the paragraph is left out of the report",
    );
    // (a braille blank prints as a space: nothing either)
    blank(
        "01-introduction.yaml:9:",
        "the bullet is left out of the report",
    );
}

/// A paragraph or bullet that prints nothing is left out (the report printed "3.1.1" and
/// "3.1.2" with nothing after them). One that can print nothing as written (a note to self
/// in a Handlebars comment, emphasis around nothing) takes no number and is warned about at
/// its line; one whose `{{#if …}}` chose no words keeps its number, a gap, as a paragraph
/// an edition leaves out does: a paragraph has the same number in every edition (a hostile
/// pass found 3.1.1 in one edition and 3.1.2 in another).
#[test]
fn a_paragraph_that_prints_nothing_is_left_out_and_numbers_agree_across_editions() {
    let work = scratch("pack-prints-nothing");
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, true);
    let findings = audit.join("narrative/03-thematic-findings.yaml");
    edit(
        &findings,
        "  - question: q1\n",
        "  - question: q1\n  - p: '{{!-- to write --}}'\n    editions: [executive-group]\n  - p: '{{#if (gt (total \"cases\") 1000)}}Most cases.{{/if}}'\n  - list: ['** **', 'A bullet with words']\n",
    );
    let options = crate::common::options_in(&audit, &work, None);
    let prepared = prepare(&options, &Templates::load(None).unwrap(), &mut |_| {}).unwrap();
    let warned = prepared.warnings.to_string();
    let at = |line: usize| format!("03-thematic-findings.yaml:{line}:5: warning: expected words");
    assert!(warned.contains(&at(9)), "{warned}");
    assert!(!warned.contains(&at(11)), "{warned}");
    assert!(warned.contains("03-thematic-findings.yaml:12:"), "{warned}");
    let reports = ["executive-group", "improvement-board", "public", "lead"];
    let mut seen = 0;
    for (edition, document) in &prepared.documents {
        if !reports.contains(&edition.id.as_str()) {
            continue;
        }
        seen += 1;
        let json = serde_json::to_value(document).unwrap();
        let blocks = json["sections"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["blocks"].as_array().unwrap().clone())
            .collect::<Vec<_>>();
        let Some(first) = blocks.iter().find(|b| {
            b["runs"][0]["text"]
                .as_str()
                .is_some_and(|t| t.starts_with("Up-to-date basic information"))
        }) else {
            panic!("{}: no paragraph 3.1.2", edition.id);
        };
        // (the note takes no number; the paragraph whose condition chose no words, 3.1.1)
        assert_eq!(first["number"], "3.1.2", "{}", edition.id);
        assert!(
            !blocks.iter().any(|b| b["number"] == "3.1.1"),
            "{}",
            edition.id
        );
        let list = blocks
            .iter()
            .find(|b| b.to_string().contains("A bullet with words"))
            .unwrap();
        assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
    }
    assert_eq!(seen, reports.len());
}
