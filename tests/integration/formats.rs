//! The Word and web editions: built from the same document as the PDF, so they carry the
//! same figures; their structure is asserted in the files themselves (the `.docx` opened as a
//! zip, the HTML as text), and where LibreOffice, Chromium and axe-core are installed, the
//! Word file is converted and the web page is checked for accessibility in a real browser.

use crate::common::{copy_audit, edit, edit_all, options_in, root, scratch};
use audit_report::render::Format;
use audit_report::{BuildOptions, BuildSummary, Written, build};
use regex::Regex;
use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::Command;

/// The sample's Executive Group edition in all three formats, and its public edition.
fn sample(work: &Path) -> BuildSummary {
    build(&options_in(&root().join("data"), work, None), &mut |_| {}).unwrap()
}

fn edition<'a>(summary: &'a BuildSummary, id: &str) -> &'a Written {
    summary.editions.iter().find(|e| e.edition == id).unwrap()
}

/// Every part of a `.docx`, by name.
fn unzip(path: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut parts = std::collections::BTreeMap::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        parts.insert(file.name().to_string(), bytes);
    }
    parts
}

fn part(parts: &std::collections::BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(
        parts
            .get(name)
            .unwrap_or_else(|| panic!("no {name}"))
            .clone(),
    )
    .unwrap()
}

/// The figures a text states: percentages, "(9 of 75)" and "12 per cent".
fn figures(text: &str) -> BTreeSet<String> {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let pattern =
        Regex::new(r"\d+(?:\.\d+)?%(?: \(\d+ of \d+\))?|\(\d+ of \d+\)|\d+(?:\.\d+)? per cent")
            .unwrap();
    pattern
        .find_iter(&flat)
        .map(|m| m.as_str().to_string())
        .collect()
}

#[test]
fn each_edition_gets_the_formats_it_lists_and_every_format_the_same_figures() {
    let work = scratch("formats-sample");
    let summary = sample(&work);
    let formats = |id: &str| -> Vec<Format> {
        edition(&summary, id)
            .files
            .iter()
            .map(|f| f.format)
            .collect()
    };
    assert_eq!(
        formats("executive-group"),
        [Format::Pdf, Format::Docx, Format::Html]
    );
    assert_eq!(formats("public"), [Format::Pdf, Format::Html]);
    assert_eq!(formats("lead"), [Format::Pdf]);
    // What the charts print on their bars ("82.9% (58 of 70)"): the web page also gives
    // them as a table under each chart, in every edition.
    let mut on_charts = BTreeSet::new();
    let tags = Regex::new(r"<[^>]*>").unwrap();
    for entry in walkdir::WalkDir::new(work.join("charts")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "svg") {
            let svg = fs::read_to_string(entry.path()).unwrap();
            let text = tags.replace_all(&svg, " ");
            for figure in figures(&text) {
                // the table gives "82.9%" and 58 in columns of their own
                on_charts.insert(figure.split(" (").next().unwrap().to_string());
                on_charts.insert(figure);
            }
        }
    }
    for id in ["executive-group", "public"] {
        let written = edition(&summary, id);
        let pdf = figures(written.file(Format::Pdf).unwrap().text.as_str());
        assert!(pdf.len() > 15, "{id}: only {} figures", pdf.len());
        for file in &written.files[1..] {
            let other = figures(&file.text);
            let missing: Vec<_> = pdf.difference(&other).collect();
            let extra: Vec<_> = other
                .difference(&pdf)
                .filter(|f| file.format != Format::Html || !on_charts.contains(*f))
                .collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{id} {:?}: missing {missing:?}, not in the PDF {extra:?}",
                file.format
            );
        }
    }
    // The public web page withholds what the public PDF withholds.
    let public = &edition(&summary, "public").file(Format::Html).unwrap().text;
    assert!(public.contains("withheld"));
    let html = fs::read_to_string(work.join("out/public/public.html")).unwrap();
    assert!(
        !html.contains("(1 of ") && !html.contains("(2 of "),
        "small counts shown"
    );
}

#[test]
fn the_word_file_is_real_word_structure() {
    let work = scratch("formats-word");
    let summary = sample(&work);
    let written = edition(&summary, "executive-group");
    let parts = unzip(&written.file(Format::Docx).unwrap().path);
    let core = part(&parts, "docProps/core.xml");
    assert!(core.contains(
        "<dc:title>Multi-Agency Case Audit Report Into Repeat Child Protection Plans</dc:title>"
    ));
    assert!(
        core.contains("<dc:creator>Valerie Charles</dc:creator>"),
        "{core}"
    );
    assert!(
        core.contains(">2014-02-28T00:00:00Z</dcterms:created>"),
        "{core}"
    );
    let styles = part(&parts, "word/styles.xml");
    let body = part(&parts, "word/document.xml");
    for level in 1..=3 {
        assert!(styles.contains(&format!("w:styleId=\"Heading{level}\"")));
        assert!(styles.contains(&format!("<w:outlineLvl w:val=\"{}\" />", level - 1)));
        assert!(body.contains(&format!("<w:pStyle w:val=\"Heading{level}\" />")));
    }
    // sections, sub-sections and questions as headings
    // (a paragraph styled as the heading, holding the text)
    let heading = |level: u8, text: &str| {
        body.split("<w:p>").any(|p| {
            p.contains(&format!("<w:pStyle w:val=\"Heading{level}\" />"))
                && p.contains(&format!(">{text}</w:t>"))
        })
    };
    assert!(heading(1, "Section 3: Analysis of thematic findings"));
    assert!(heading(2, "3.1 File/record management"));
    assert!(
        heading(3, "Does your agency&apos;s file for this child contain?")
            || heading(3, "Does your agency's file for this child contain?")
    );
    // the contents field, updated on opening
    assert!(body.contains("TOC \\o &quot;1-3&quot; \\h") || body.contains("TOC \\o \"1-3\" \\h"));
    assert!(part(&parts, "word/settings.xml").contains("<w:updateFields w:val=\"true\" />"));
    // paragraph numbers as in the PDF, bold as in the reference
    assert!(
        body.contains(">3.1.1</w:t></w:r><w:r><w:rPr /><w:tab />")
            || body.contains(">3.1.1</w:t><w:tab />"),
        "paragraph number and tab"
    );
    assert!(body.contains("<w:b />"));
    // footnotes as Word footnotes, with Word's number mark
    let notes = part(&parts, "word/footnotes.xml");
    assert!(notes.contains("<w:footnoteRef />") && notes.contains("Children Act 2004."));
    assert_eq!(
        body.matches("<w:footnoteReference").count(),
        notes.matches("<w:footnoteRef />").count()
    );
    // bullets as a Word list
    assert!(part(&parts, "word/numbering.xml").contains("<w:numFmt w:val=\"bullet\" />"));
    assert!(body.contains("<w:numId w:val=\"2\" />"));
    // tables with a repeating header row; findings in a shaded box
    assert!(body.matches("<w:tblHeader />").count() >= 1);
    assert!(body.contains("w:fill=\"EEF4F9\""));
    // a picture per chart, each with the chart's alt text as its description
    let charts = body.matches("<wp:docPr ").count();
    assert_eq!(charts, 12, "one picture per chart");
    let described =
        Regex::new(r#"<wp:docPr id="\d+" name="Chart \d+" descr="Bar chart, [^"]+" />"#).unwrap();
    assert_eq!(described.find_iter(&body).count(), charts);
    let media: Vec<&String> = parts
        .keys()
        .filter(|k| k.starts_with("word/media/"))
        .collect();
    assert_eq!(media.len(), charts);
    // at print resolution: 6.2 inches at 300 dpi
    let png = &parts[media[0]];
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    assert!(width >= 1800, "{width} pixels wide");
    // the marking in the header and footer, page numbers as fields
    let headers: String = (1..=2)
        .map(|i| part(&parts, &format!("word/header{i}.xml")))
        .collect();
    let footers: String = (1..=2)
        .map(|i| part(&parts, &format!("word/footer{i}.xml")))
        .collect();
    assert!(headers.contains(">OFFICIAL-SENSITIVE</w:t>"));
    assert!(footers.contains(">OFFICIAL-SENSITIVE</w:t>"));
    assert!(
        footers.contains("PAGE") && footers.contains("NUMPAGES"),
        "{footers}"
    );
    // no English fixed in code: every word printed comes from the document or wording.yaml
    let wording = fs::read_to_string(root().join("report-templates/wording.yaml")).unwrap();
    let html_text = &written.file(Format::Html).unwrap().text;
    // (the running header is the PDF's, which the web page has no need of)
    let pdf_text = written.file(Format::Pdf).unwrap().text.replace('\n', " ");
    let texts = Regex::new(r"<w:t(?: [^>]*)?>([^<]*)</w:t>").unwrap();
    for xml in [&body, &headers, &footers, &notes] {
        for text in texts.captures_iter(xml) {
            let text = text[1]
                .replace("&apos;", "'")
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
            let text = text.trim();
            if text.chars().any(char::is_alphabetic) {
                assert!(
                    html_text.contains(text) || pdf_text.contains(text) || wording.contains(text),
                    "`{text}` is in neither the document nor wording.yaml"
                );
            }
        }
    }
}

#[test]
fn the_same_inputs_give_byte_identical_word_and_web_files() {
    let work = scratch("formats-twice");
    let first = sample(&work.join("a"));
    let second = sample(&work.join("b"));
    for (a, b) in first.editions.iter().zip(&second.editions) {
        for (fa, fb) in a.files.iter().zip(&b.files) {
            assert_eq!(
                fs::read(&fa.path).unwrap(),
                fs::read(&fb.path).unwrap(),
                "{}",
                fa.path.display()
            );
        }
    }
}

#[test]
fn the_web_page_is_self_contained_semantic_and_escapes_user_text() {
    let work = scratch("formats-web");
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, true);
    // A hostile paragraph: markup in every language the page holds.
    let hostile = r#"Look: <script>alert(1)</script> <img src=x onerror=alert(2)> & "quotes" 'single' </style> # $ * _ @ \ [ ] // done"#;
    let intro = audit.join("narrative/01-introduction.yaml");
    let text = fs::read_to_string(&intro).unwrap();
    let (head, tail) = text.split_once("blocks:\n").unwrap();
    let quoted = serde_json::to_string(hostile).unwrap();
    fs::write(&intro, format!("{head}blocks:\n  - p: {quoted}\n{tail}")).unwrap();
    let mut options = options_in(&audit, &work, Some("executive-group"));
    options.format = Some(Format::Html);
    let summary = build(&options, &mut |_| {}).unwrap_or_else(|e| panic!("{e:?}"));
    let written = &summary.editions[0];
    assert_eq!(
        written.files.len(),
        1,
        "--format html builds the page alone"
    );
    let file = &written.files[0];
    assert!(file.text.contains(hostile), "printed exactly as written");
    let html = fs::read_to_string(&file.path).unwrap();
    assert!(html.contains("Look: &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt; &amp; &quot;quotes&quot; &#39;single&#39; &lt;/style&gt;"));
    assert!(
        !html.contains("<script") && !html.contains("<img"),
        "no script, no image request"
    );
    // nothing fetched from anywhere: the only URL is the SVG namespace
    let urls: BTreeSet<&str> = Regex::new(r#"https?://[^"' )]+"#)
        .unwrap()
        .find_iter(&html)
        .map(|m| m.as_str())
        .collect();
    assert_eq!(urls, BTreeSet::from(["http://www.w3.org/2000/svg"]));
    // semantic structure
    assert_eq!(html.matches("<h1").count(), 1);
    assert!(html.contains("<a class=\"skip\" href=\"#main\">"));
    assert!(
        html.contains("<nav aria-labelledby=\"contents\">") && html.contains("<main id=\"main\">")
    );
    assert!(html.contains("<aside class=\"finding\""));
    assert!(html.contains("<th scope=\"col\">") && html.contains("<th scope=\"row\">"));
    assert!(html.contains("<p class=\"numbered\"><span class=\"number\">1.1.1</span>"));
    // every chart an image with a title and a description, and its figures as a table
    let svgs = html.matches("<svg ").count();
    assert_eq!(svgs, 12);
    assert_eq!(
        html.matches("<svg class=\"chart\" role=\"img\" aria-labelledby=")
            .count(),
        svgs
    );
    assert_eq!(html.matches("<desc id=").count(), svgs);
    assert_eq!(html.matches("<details>").count(), svgs);
    // notes linked both ways
    let cites = Regex::new(r##"<a id="cite-(\d+)" href="#note-(\d+)""##).unwrap();
    let mut notes = 0;
    for cite in cites.captures_iter(&html) {
        assert_eq!(&cite[1], &cite[2]);
        assert!(html.contains(&format!("<li id=\"note-{}\">", &cite[1])));
        assert!(html.contains(&format!("<a href=\"#cite-{}\"", &cite[1])));
        notes += 1;
    }
    assert!(notes >= 3, "{notes} notes");
    // the marking at top and bottom, and a print stylesheet for A4
    assert_eq!(
        html.matches("<p class=\"marking\">OFFICIAL-SENSITIVE</p>")
            .count(),
        2
    );
    assert!(html.contains("@page { size: A4;"));
    web_page_reads_on_any_screen(&html, svgs);
    // The Word file holds the same text, escaped, and reads back as written.
    options.format = Some(Format::Docx);
    let summary = build(&options, &mut |_| {}).unwrap_or_else(|e| panic!("{e:?}"));
    let file = &summary.editions[0].files[0];
    assert!(file.text.contains(hostile), "printed exactly as written");
    let body = part(&unzip(&file.path), "word/document.xml");
    assert!(
        body.contains("Look: &lt;script&gt;alert(1)&lt;/script&gt;"),
        "escaped"
    );
    assert!(!body.contains("<script") && !body.contains("<img"));
    // every cross-reference leads somewhere on the page
    for target in Regex::new(r##"href="#(at-[^"]+)""##)
        .unwrap()
        .captures_iter(&html)
    {
        assert!(
            html.contains(&format!("id=\"{}\"", &target[1])),
            "{}",
            &target[1]
        );
    }
}

/// The page reads on a phone and at a desk (issue 29): words break only between words (a long
/// string in prose may wrap; a table's "Due" and "2014-07-31" never do), wide tables scroll
/// in a region a keyboard can reach, every section leads back to the contents, charts and
/// tables are numbered in order as in the PDF, and on a narrow screen every chart's figures
/// are shown as a table.
fn web_page_reads_on_any_screen(html: &str, charts: usize) {
    assert!(!html.contains("anywhere"), "no mid-word breaks");
    assert!(html.contains("overflow-wrap: break-word"));
    assert!(
        html.contains("overflow-wrap: normal; }"),
        "table cells wrap whole words"
    );
    let regions = html
        .matches("<div class=\"wide\" role=\"region\" tabindex=\"0\" aria-label=\"Table ")
        .count();
    assert!(regions >= 3, "{regions} scrolling action-plan tables");
    assert!(html.contains(".wide { overflow-x: auto;"));
    // back to the contents after every top-level section, the notes' too
    assert_eq!(html.matches("<h2 id=\"contents\">").count(), 1);
    let sections = html.matches("<section").count();
    let back = html
        .matches("<p class=\"back\"><a href=\"#contents\">")
        .count();
    assert_eq!(back, sections);
    assert!(sections >= 8, "{sections} sections");
    // numbered captions, each kind counted from 1 in page order
    let numbers =
        Regex::new(r#"<span class="caption-number">(Figure|Table) (\d+):</span> \S"#).unwrap();
    let mut next = std::collections::BTreeMap::from([("Figure", 1), ("Table", 1)]);
    for c in numbers.captures_iter(html) {
        let kind = c.get(1).unwrap().as_str();
        let expected = next.get_mut(kind).unwrap();
        assert_eq!(
            c[2].parse::<usize>().unwrap(),
            *expected,
            "{kind} out of order"
        );
        *expected += 1;
    }
    assert_eq!(next["Figure"] - 1, charts, "every chart numbered");
    assert!(next["Table"] > 3, "tables numbered: {next:?}");
    assert!(html.contains("<figcaption><span class=\"caption-number\">Figure 1:</span> "));
    // on a phone the chart's figures are open under it
    let narrow = html.split("@media (max-width: 600px) {").nth(1).unwrap();
    let narrow = &narrow[..narrow.find("\n}").unwrap()];
    assert!(
        narrow
            .contains("details::details-content { content-visibility: visible; display: block; }")
    );
}

#[test]
fn editions_yaml_formats_are_checked_at_their_place() {
    let work = scratch("formats-bad");
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, true);
    let editions = audit.join("editions.yaml");
    edit_all(
        &editions,
        "formats: [pdf, docx, html]",
        "formats: [pdf, pdf]",
    );
    edit(&editions, "formats: [pdf, html]", "formats: []");
    let problems = build(&options_in(&audit, &work, None), &mut |_| {}).unwrap_err();
    let messages = problems.to_string();
    assert!(
        messages.contains("format `pdf` is listed twice"),
        "{messages}"
    );
    assert!(
        messages.contains("expected at least one of pdf, docx, html, found none"),
        "{messages}"
    );
    edit_all(&editions, "formats: [pdf, pdf]", "formats: [pdf, odt]");
    let problems = build(&options_in(&audit, &work, None), &mut |_| {}).unwrap_err();
    let messages = problems.to_string();
    assert!(
        messages.contains("editions.yaml:") && messages.contains("odt"),
        "{messages}"
    );
    assert!(!work.join("out").exists(), "nothing written");
}

/// Whether `program` runs here; if not, the test says so and is skipped (fails in CI:
/// [`crate::common::skipped`]).
fn have(program: &str, test: &str) -> bool {
    let found = crate::common::have(program);
    if !found {
        crate::common::skipped(
            test,
            &format!("`{program}` is not installed (.ci/run installs it)"),
        );
    }
    found
}

/// The PDF's words with their boxes, as `pdftotext -bbox` gives them (an XHTML page).
fn bbox(pdf: &Path) -> String {
    let output = Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(output.status.success(), "pdftotext -bbox {}", pdf.display());
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn libreoffice_converts_the_word_file_and_its_text_holds_every_figure() {
    let test = "libreoffice_converts_the_word_file";
    if !have("libreoffice", test) || !have("pdftotext", test) {
        return;
    }
    let work = scratch("formats-libreoffice");
    let summary = sample(&work);
    let written = edition(&summary, "executive-group");
    let docx = &written.file(Format::Docx).unwrap().path;
    let converted = work.join("converted");
    let status = Command::new("libreoffice")
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&converted)
        .arg(docx)
        .env("HOME", &work)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let pdf = converted.join("executive-group.pdf");
    let text = Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(text.status.success());
    let text = String::from_utf8_lossy(&text.stdout);
    let expected = figures(written.file(Format::Pdf).unwrap().text.as_str());
    let found = figures(&text);
    let missing: Vec<_> = expected.difference(&found).collect();
    assert!(
        missing.is_empty(),
        "not in the converted Word file: {missing:?}"
    );
}

#[test]
fn the_web_pages_pass_axe_core_in_a_headless_browser() {
    let test = "the_web_pages_pass_axe_core";
    let script = root().join("tests/browser/axe.mjs");
    if !have("node", test) || !have("chromium", test) {
        return;
    }
    if !root().join("tests/browser/node_modules/axe-core").is_dir() {
        crate::common::skipped(test, "run `npm ci --prefix tests/browser` (.ci/run does)");
        return;
    }
    let work = scratch("formats-axe");
    let summary = sample(&work);
    // (the 7-minute briefing is published as a web page too)
    for id in ["executive-group", "public", "briefing"] {
        let page = &edition(&summary, id).file(Format::Html).unwrap().path;
        let run = Command::new("node")
            .arg(&script)
            .arg(page)
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let result: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(
            result["violations"],
            serde_json::json!([]),
            "{id}: {result}"
        );
        assert_eq!(
            result["requests"],
            serde_json::json!([]),
            "{id} fetched: {result}"
        );
        assert!(result["passes"].as_u64().unwrap() > 30, "{result}");
        // an action's status on one line, on a laptop and a phone
        for width in ["1000", "390"] {
            assert_eq!(
                result["wrapped"][width],
                serde_json::json!([]),
                "{id} at {width} px: {result}"
            );
        }
    }
}

/// A paragraph number longer than the usual column (3.123.1 in an audit of hundreds of
/// cases) widens the column for the whole report instead of running into its text: in the
/// typeset PDF every such number ends well before its paragraph's first word, and every
/// paragraph's text starts at one place.
#[test]
fn long_paragraph_numbers_keep_clear_of_their_text() {
    let test = "long_paragraph_numbers_keep_clear_of_their_text";
    if !have("pdftotext", test) {
        return;
    }
    let work = scratch("formats-numbers");
    let audit = work.join("audit");
    audit_report::input::synthetic::generate(&audit, 150, 1).unwrap();
    let options = BuildOptions {
        format: Some(Format::Pdf),
        ..options_in(&audit, &work, None)
    };
    let summary = build(&options, &mut |_| {}).unwrap();
    let pdf = &summary.editions[0].files[0].path;
    let text = bbox(pdf);
    let word = Regex::new(
        r#"<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>"#,
    )
    .unwrap();
    let words: Vec<(f64, f64, f64, String)> = word
        .captures_iter(&text)
        .map(|c| {
            (
                c[1].parse().unwrap(),
                c[2].parse().unwrap(),
                c[3].parse().unwrap(),
                c[4].to_string(),
            )
        })
        .collect();
    let number = Regex::new(r"^\d+\.\d{3}\.\d+$").unwrap();
    let mut starts = BTreeSet::new();
    let mut checked = 0;
    for pair in words.windows(2) {
        let ((_, top, end, text), (next_start, next_top, _, next)) = (&pair[0], &pair[1]);
        if number.is_match(text) && (top - next_top).abs() < 1.0 {
            let gap = next_start - end;
            assert!(gap > 6.0, "`{text}` is {gap:.1} pt from `{next}`");
            starts.insert((next_start * 10.0).round() as i64);
            checked += 1;
        }
    }
    assert!(
        checked >= 100,
        "only {checked} long paragraph numbers found"
    );
    assert_eq!(
        starts.len(),
        1,
        "paragraph text starts at {starts:?} (tenths of a point)"
    );
}

/// A word too long for a line (150 letters, a long web address) breaks and stays on the
/// page: every word of the PDF ends inside its right margin, and every letter of the long
/// ones is there to copy, as written (it ran off the page, clipped, and no text of it could
/// be had; then it was had with zero-width spaces in it).
#[test]
fn a_word_too_long_for_a_line_breaks_inside_the_margin() {
    let test = "a_word_too_long_for_a_line_breaks_inside_the_margin";
    if !have("pdftotext", test) {
        return;
    }
    let work = scratch("formats-long-word");
    let audit = work.join("audit");
    crate::common::copy_audit(&crate::common::fixture("other-audit"), &audit, true);
    let findings = audit.join("narrative/01-findings.yaml");
    let long = format!(
        "Ref{} https://example.org/{}",
        "Z".repeat(150),
        "a/b-c_d".repeat(12)
    );
    edit(
        &findings,
        "      - text: 'Literal marks",
        &format!("      - text: '{long} end.'\n      - text: 'Literal marks"),
    );
    let options = BuildOptions {
        format: Some(Format::Pdf),
        ..options_in(&audit, &work, None)
    };
    let summary = build(&options, &mut |_| {}).unwrap();
    let pdf = &summary.editions[0].files[0].path;
    let text = bbox(pdf);
    let page = Regex::new(r#"<page width="([\d.]+)""#).unwrap();
    let width: f64 = page.captures(&text).unwrap()[1].parse().unwrap();
    let word = Regex::new(r#"xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>"#).unwrap();
    let mut letters = String::new();
    for c in word.captures_iter(&text) {
        let x_max: f64 = c[1].parse().unwrap();
        assert!(
            x_max < width - 30.0,
            "`{}` ends at {x_max} of {width}",
            &c[2]
        );
        letters.push_str(&c[2]);
    }
    // and nothing but those letters: no zero-width space between the pieces it broke into
    // (they were copied out with it, and a search for the address found nothing)
    assert!(letters.contains(&long.replace(' ', "")), "{letters}");
}

/// How to run `openxml-audit` here (its command, or Python's module), or `None` when it is
/// not installed.
fn openxml_audit() -> Option<Command> {
    if crate::common::have("openxml-audit") {
        return Some(Command::new("openxml-audit"));
    }
    let module = Command::new("python3")
        .args(["-c", "import openxml_audit"])
        .output()
        .is_ok_and(|o| o.status.success());
    module.then(|| {
        let mut python = Command::new("python3");
        python.args(["-m", "openxml_audit"]);
        python
    })
}

/// Word asks to repair a file that breaks the schema (elements out of their order,
/// undeclared attributes, a missing theme), and a board secretary asked to repair the
/// papers pack stops trusting it: every edition's Word file, of the sample and of the
/// re-audit, has no violation under the Open XML SDK's rules for Office 2019.
#[test]
fn every_word_file_is_valid_office_open_xml() {
    let test = "every_word_file_is_valid_office_open_xml";
    let Some(mut audit) = openxml_audit() else {
        // CI installs it (.ci/run): there a missing checker is a failure, not a skip.
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "{test}: `openxml-audit` is not installed (pip install openxml-audit==0.8.0)"
        );
        eprintln!(
            "skipped {test}: `openxml-audit` is not installed (.ci/run installs it: pip install openxml-audit==0.8.0)"
        );
        return;
    };
    let work = scratch("formats-openxml");
    let mut built = BTreeSet::new();
    for (name, folder) in [
        ("sample", root().join("data")),
        ("re-audit", root().join("examples/repeat-cpp-2015")),
    ] {
        let options = BuildOptions {
            format: Some(Format::Docx),
            ..options_in(&folder, &work.join(name), None)
        };
        let summary = build(&options, &mut |_| {}).unwrap();
        // (the slides have no Word file)
        for docx in summary.editions.iter().filter_map(|w| w.file(Format::Docx)) {
            built.insert(docx.path.canonicalize().unwrap());
        }
    }
    assert_eq!(
        built.len(),
        8,
        "six editions of the sample (its slides have no Word file), two of the re-audit"
    );
    let run = audit
        .args([
            "--format",
            "office2019",
            "--max-errors",
            "0",
            "--output",
            "json",
        ])
        .arg("--recursive")
        .arg(&work)
        .output()
        .unwrap();
    let reports: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "openxml-audit printed no report ({e}): {}",
            String::from_utf8_lossy(&run.stderr)
        )
    });
    let mut checked = BTreeSet::new();
    let mut violations = Vec::new();
    for report in reports.as_array().unwrap() {
        let file = Path::new(report["file"].as_str().unwrap());
        checked.insert(file.canonicalize().unwrap());
        for error in report["errors"].as_array().unwrap() {
            violations.push(format!(
                "{}: {} {} ({})",
                file.file_name().unwrap().to_string_lossy(),
                error["part_uri"].as_str().unwrap_or_default(),
                error["path"].as_str().unwrap_or_default(),
                error["description"].as_str().unwrap_or_default(),
            ));
        }
    }
    assert_eq!(checked, built, "every Word file built is checked");
    assert!(
        violations.is_empty(),
        "{} violations, the first:\n{}",
        violations.len(),
        violations[..violations.len().min(20)].join("\n")
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
}

/// One house style in every format (issue 29, docs/house-style.md): an action's due date
/// written `2014-06-30` in the YAML prints "30 June 2014", as the prose writes a day, in the
/// PDF, Word and web files alike; the tool's own phrases quote in curly marks, while the
/// narrative's prose prints as written (its "(2012 – 2013)" and 'straight' quotes included).
#[test]
fn due_dates_print_in_the_house_style_in_every_format() {
    let work = scratch("formats-house-style");
    let summary = sample(&work);
    let written = edition(&summary, "executive-group");
    for format in [Format::Pdf, Format::Docx, Format::Html] {
        let text = &written.file(format).unwrap().text;
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for due in ["30 June 2014", "31 July 2014", "30 September 2014"] {
            assert!(flat.contains(due), "{format:?}: no {due:?}");
        }
        for iso in ["2014-06-30", "2014-07-31", "2014-09-30"] {
            assert!(!flat.contains(iso), "{format:?}: {iso} printed");
        }
        assert!(
            flat.contains("share answering “Yes” for each item"),
            "{format:?}"
        );
        assert!(
            flat.contains("'repeat Child Protection Plans'"),
            "{format:?}"
        );
    }
    // A month wider than the Due column ran into the next column on the page: as laid
    // out, "30 SeptemberProfessional identified".
    let test = "due_dates_print_in_the_house_style_in_every_format";
    if !have("pdftotext", test) {
        return;
    }
    let laid_out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&written.file(Format::Pdf).unwrap().path)
        .arg("-")
        .output()
        .unwrap();
    let laid_out = String::from_utf8_lossy(&laid_out.stdout);
    let run_on = Regex::new(
        r"(?:January|February|March|April|May|June|July|August|September|October|November|December)[A-Za-z]",
    )
    .unwrap();
    assert!(!run_on.is_match(&laid_out), "{:?}", run_on.find(&laid_out));
}

/// An unnumbered lead-in among numbered paragraphs ("These would include ensuring that:-"
/// after 4.1.11) starts where their text starts, in the PDF, in Word and on the web, as
/// their lists do; a section of unnumbered prose (Appendix 1's case example) keeps the full
/// width.
#[test]
fn a_lead_in_among_numbered_paragraphs_lines_up_with_their_text() {
    let test = "a_lead_in_among_numbered_paragraphs_lines_up_with_their_text";
    let work = scratch("formats-lead-in");
    let summary = build(
        &options_in(&root().join("data"), &work, Some("executive-group")),
        &mut |_| {},
    )
    .unwrap();
    let written = edition(&summary, "executive-group");
    // the web page: the lead-in is set as the numbered paragraphs' text is
    let html = fs::read_to_string(&written.file(Format::Html).unwrap().path).unwrap();
    assert!(
        html.contains("<p class=\"aligned\">These would include ensuring that:-</p>"),
        "{html}"
    );
    assert!(html.contains("p.aligned { padding-left: 3.2rem; }"));
    assert!(html.contains("p.numbered { padding-left: 3.2rem;"));
    assert!(!html.contains("<p class=\"aligned\">Child A is"), "{html}");
    // Word: indented to the numbered paragraphs' tab
    let body = crate::common::docx_part(
        &written.file(Format::Docx).unwrap().path,
        "word/document.xml",
    );
    let tab = Regex::new(r#"<w:ind w:left="(\d+)"[^>]* w:hanging="\d+" />"#)
        .unwrap()
        .captures(&body)
        .expect("a numbered paragraph")[1]
        .to_string();
    let at = body.find(">These would include ensuring that:-<").unwrap();
    let opening = body[..at].rfind("<w:p>").unwrap();
    assert!(
        body[opening..at].contains(&format!("<w:ind w:left=\"{tab}\"")),
        "{}",
        &body[opening..at]
    );
    // the PDF: where its first word starts, against 4.1.11's first word
    if !crate::common::have("pdftotext") {
        crate::common::skipped(test, "pdftotext (poppler-utils) is not installed");
        return;
    }
    let words: Vec<(f64, String)> = Regex::new(r#"<word xMin="([\d.]+)"[^>]*>([^<]*)</word>"#)
        .unwrap()
        .captures_iter(&bbox(&written.file(Format::Pdf).unwrap().path))
        .map(|c| (c[1].parse().unwrap(), c[2].to_string()))
        .collect();
    let after = |first: &str, then: &str| {
        let i = words
            .windows(2)
            .position(|w| w[0].1 == first && w[1].1 == then)
            .unwrap_or_else(|| panic!("`{first} {then}` in the PDF"));
        words[i].0
    };
    let lead_in = after("These", "would");
    let text = words[words.iter().position(|w| w.1 == "4.1.11").unwrap() + 1].0;
    assert!(
        (lead_in - text).abs() < 1.0,
        "lead-in at {lead_in}, text at {text}"
    );
    let case_example = after("Child", "A");
    assert!(case_example < text - 20.0, "{case_example} against {text}");
}

/// A chart with which its question would be taller than a page (fifteen long options, no
/// short labels) is drawn to fit one: its caption ends above the page's foot, not over the
/// page number, and its headings go over with it (they were left alone on a page).
#[test]
fn a_chart_taller_than_a_page_is_drawn_to_fit_one() {
    let test = "a_chart_taller_than_a_page_is_drawn_to_fit_one";
    if !have("pdftotext", test) {
        return;
    }
    let work = scratch("formats-tall-chart");
    let audit = work.join("audit");
    copy_audit(&root().join("data"), &audit, true);
    let options: String = (1..=15)
        .map(|i| format!("  - id: r{i}\n    text: Reason {i}, the risks were judged to be reduced because the family engaged with the services offered and the core group agreed\n"))
        .collect();
    let question = format!(
        "- id: q21\n  number: '21'\n  text: What was the main reason the previous plan ended?\n  kind: single\n  options:\n{options}  chart:\n    title: Main reason the previous plan ended\n"
    );
    use std::io::Write;
    let mut bank = fs::OpenOptions::new()
        .append(true)
        .open(audit.join("questions.yaml"))
        .unwrap();
    bank.write_all(question.as_bytes()).unwrap();
    for (i, entry) in walkdir::WalkDir::new(audit.join("returns"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .enumerate()
    {
        let answer = format!("answers:\n  q21: r{}\n", i % 10 + 1);
        edit(entry.path(), "answers:\n", &answer);
    }
    edit(
        &audit.join("narrative/03-thematic-findings.yaml"),
        "  blocks:\n  - question: q1\n",
        "  blocks:\n  - question: q21\n  - question: q1\n",
    );
    let options = BuildOptions {
        format: Some(Format::Pdf),
        ..options_in(&audit, &work, Some("executive-group"))
    };
    let summary = build(&options, &mut |_| {}).unwrap_or_else(|e| panic!("{e}"));
    let pdf = &summary.editions[0].files[0].path;
    let text = bbox(pdf);
    let pages: Vec<&str> = text.split("<page ").skip(1).collect();
    let words = Regex::new(r#"yMax="([\d.]+)">([^<]*)</word>"#).unwrap();
    let on = |page: &str| -> Vec<(f64, String)> {
        (words.captures_iter(page))
            .map(|c| (c[1].parse().unwrap(), c[2].to_string()))
            .collect()
    };
    let (number, page) = (pages.iter().enumerate())
        .find(|(_, p)| p.contains(">previous</word>") && p.contains(">ended?</word>"))
        .expect("the question's page");
    let height: f64 = Regex::new(r#"height="([\d.]+)""#)
        .unwrap()
        .captures(page)
        .unwrap()[1]
        .parse()
        .unwrap();
    let words = on(page);
    let caption = (words.iter())
        .position(|(_, w)| w == "Main")
        .and_then(|i| words.get(i + 1).filter(|(_, w)| w == "reason").map(|_| i));
    let (bottom, _) = &words[caption.expect("the chart's caption on its question's page")];
    // the text's foot is 2.7 cm above the page's (a letter's descent may reach below it;
    // the page number stands about 40 points lower)
    assert!(
        *bottom < height - 2.7 / 2.54 * 72.0 + 4.0,
        "caption at {bottom} of {height}"
    );
    // the section's heading and the sub-section's went over with it
    assert!(page.contains(">File/record</word>"), "page {}", number + 1);
}
