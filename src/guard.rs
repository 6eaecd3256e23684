//! Personal data guard: every input file is scanned, line by line, for what must never reach
//! a report about children at risk: names on the lead's private list (children, parents,
//! workers), dates of birth, UK postcodes, NHS numbers, phone numbers, email addresses and
//! street addresses. A hit stops the build with the file, line, column and kind of data,
//! the match masked. `allow.yaml` in the audit folder lists reviewed false positives.
//!
//! The private list lives outside the repository; its path comes from `--private-names` or
//! the `AUDIT_REPORT_PRIVATE_NAMES` environment variable. One name per line; `#` comments.

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Source;
use regex::Regex;
use std::path::Path;
use std::sync::LazyLock;

/// The environment variable naming the private names file.
pub const NAMES_VARIABLE: &str = "AUDIT_REPORT_PRIVATE_NAMES";

/// A kind of personal data, and how it is recognised.
struct Pattern {
    kind: &'static str,
    regex: Regex,
    /// A further check on a match (the NHS number's checksum).
    confirm: fn(&str) -> bool,
}

fn always(_: &str) -> bool {
    true
}

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    let pattern = |kind, regex: &str, confirm| Pattern {
        kind,
        regex: Regex::new(regex).expect("valid pattern"),
        confirm,
    };
    const MONTHS: &str = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
    vec![
        pattern(
            "NHS number",
            r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b",
            nhs_checksum_ok,
        ),
        pattern(
            "email address",
            r"(?i)\b[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}\b",
            always,
        ),
        pattern("phone number", r"(?:\+44\s?|\b0)(?:\d\s?){9,10}\b", always),
        pattern(
            "UK postcode",
            r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2}\b",
            always,
        ),
        // A numeric date is how case records write a date of birth; a date in words counts
        // only next to a word about birth (reports are full of dates of meetings and plans).
        pattern(
            "date of birth",
            r"\b(?:0?[1-9]|[12]\d|3[01])[/.-](?:0?[1-9]|1[0-2])[/.-](?:19|20)?\d{2}\b",
            always,
        ),
        pattern(
            "date of birth",
            &format!(
                r"(?i)\b(?:born|d\.?o\.?b\.?|date of birth|birthday)\b[^.\n]{{0,20}}?\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\w*\.?,?\s+\d{{4}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}})"
            ),
            always,
        ),
        pattern(
            "street address",
            r"(?i)\b\d{1,4}[a-z]?,?\s+(?:[A-Z][a-z]+\s+){1,3}(?:street|st|road|rd|lane|ln|avenue|ave|close|drive|dr|way|crescent|court|ct|place|gardens|terrace|grove|mews|row|walk|hill)\b",
            always,
        ),
    ]
});

/// The NHS number check digit (modulus 11): a random ten-digit number passes one time in 11.
pub fn nhs_checksum_ok(text: &str) -> bool {
    let digits: Vec<u32> = text.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 10 {
        return false;
    }
    let sum: u32 = digits[..9]
        .iter()
        .enumerate()
        .map(|(i, d)| d * (10 - i as u32))
        .sum();
    let check = (11 - sum % 11) % 11;
    check != 10 && check == digits[9]
}

/// `text` with all but its first two letters masked, so a message can show what it found
/// without repeating it.
pub fn mask(text: &str) -> String {
    text.chars()
        .enumerate()
        .map(|(i, c)| {
            if i < 2 || c.is_whitespace() || c == '@' {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// The private names, read from `path`.
pub fn read_names(path: &Path) -> Result<Vec<String>, Diagnostic> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Diagnostic::io("read the private names list", path, &e))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect())
}

/// Scans `sources` for personal data; `names` from the private list, `allowed` the reviewed
/// false positives (exact text of a match, compared without case).
pub fn scan<'a>(
    sources: impl IntoIterator<Item = &'a Source>,
    names: &[String],
    allowed: &[String],
) -> Diagnostics {
    let names: Vec<Regex> = names
        .iter()
        .filter_map(|n| Regex::new(&format!(r"(?i)\b{}\b", regex::escape(n))).ok())
        .collect();
    let sources: Vec<&Source> = sources.into_iter().collect();
    // Thousands of returns: a share of the files per core.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let share = sources.len().div_ceil(cores).max(64);
    let found: Vec<Diagnostics> = std::thread::scope(|scope| {
        let workers: Vec<_> = sources
            .chunks(share)
            .map(|chunk| {
                let names = &names;
                scope.spawn(move || {
                    let mut problems = Diagnostics::default();
                    for source in chunk {
                        scan_one(source, names, allowed, &mut problems);
                    }
                    problems
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_default())
            .collect()
    });
    let mut problems = Diagnostics::default();
    found.into_iter().for_each(|f| problems.extend(f));
    problems
}

/// Any pattern at all, to pass over the many lines that hold none in one go.
static ANY: LazyLock<regex::RegexSet> = LazyLock::new(|| {
    regex::RegexSet::new(PATTERNS.iter().map(|p| p.regex.as_str())).expect("valid patterns")
});

/// What looks like personal data in one line of text: (start, end, kind), left to right, one
/// per place. Public so a reviewer (or a test) can see exactly what would be flagged.
pub fn find(line: &str, names: &[Regex]) -> Vec<(usize, usize, &'static str)> {
    if !ANY.is_match(line) && !names.iter().any(|n| n.is_match(line)) {
        return Vec::new();
    }
    let mut hits: Vec<(usize, usize, &'static str)> = Vec::new();
    for pattern in PATTERNS.iter() {
        for m in pattern.regex.find_iter(line) {
            if (pattern.confirm)(m.as_str()) {
                hits.push((m.start(), m.end(), pattern.kind));
            }
        }
    }
    for regex in names {
        hits.extend(
            regex
                .find_iter(line)
                .map(|m| (m.start(), m.end(), "name on the private list")),
        );
    }
    // One report per place: a phone-like run inside an NHS number, or "DOB 03/04/2012"
    // matched as a date and as a date of birth, is one hit (the earliest, longest).
    hits.sort_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
    let mut kept: Vec<(usize, usize, &'static str)> = Vec::new();
    for hit in hits {
        if kept.last().is_none_or(|last| hit.0 >= last.1) {
            kept.push(hit);
        }
    }
    kept
}

fn scan_one(source: &Source, names: &[Regex], allowed: &[String], problems: &mut Diagnostics) {
    let is_allowed = |found: &str| allowed.iter().any(|a| a.eq_ignore_ascii_case(found.trim()));
    for (l, line) in source.text.lines().enumerate() {
        let kept = find(line, names);
        for (start, end, kind) in kept {
            let found = &line[start..end];
            if is_allowed(found) {
                continue;
            }
            let column = line[..start].chars().count() + 1;
            problems.push(
                    Diagnostic::error(
                        source.place(l, column),
                        format!("possible personal data ({kind}): `{}`", mask(found)),
                    )
                    .with_note("remove it; if it is not personal data, add the text to allow.yaml in the audit folder"),
                );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        let source = Source {
            path: "f.yaml".into(),
            text: text.to_string(),
            cells: None,
        };
        scan([&source], &["Jayden Smith".to_string()], &[])
            .0
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn nhs_numbers_need_a_valid_check_digit() {
        assert!(nhs_checksum_ok("943 476 5919"));
        assert!(!nhs_checksum_ok("943 476 5918"));
        assert!(!nhs_checksum_ok("12345"));
    }

    #[test]
    fn finds_each_kind_and_masks_it() {
        assert_eq!(
            found("NHS no. 943 476 5919"),
            ["possible personal data (NHS number): `94* *** ****`"]
        );
        assert_eq!(
            found("lives at CW1 2AB now"),
            ["possible personal data (UK postcode): `CW* ***`"]
        );
        assert_eq!(
            found("DOB 03/04/2012"),
            ["possible personal data (date of birth): `DO* **********`"]
        );
        assert_eq!(
            found("seen 03/04/2012"),
            ["possible personal data (date of birth): `03********`"]
        );
        assert_eq!(
            found("was born on 3rd April 2012"),
            ["possible personal data (date of birth): `bo** ** *** ***** ****`"]
        );
        assert_eq!(
            found("call 07700 900123"),
            ["possible personal data (phone number): `07*** ******`"]
        );
        assert_eq!(
            found("mail j.smith@example.org"),
            ["possible personal data (email address): `j.*****@***********`"]
        );
        assert_eq!(
            found("at 12 Acacia Avenue"),
            ["possible personal data (street address): `12 ****** ******`"]
        );
        assert_eq!(
            found("JAYDEN SMITH said"),
            ["possible personal data (name on the private list): `JA**** *****`"]
        );
    }

    #[test]
    fn ordinary_report_text_passes() {
        for text in [
            "On 16th January 2014 a report was generated by the PARIS system",
            "202 cases, of which 34 (16%) are repeat plans; 2012 -2013 census",
            "The Child Protection Plan was closed in March 2012.",
            "q1: {a: 'yes', b: 'no'}",
            "Regulation 5 of the Local Safeguarding Children Boards Regulations 2006",
            "943 476 5918 is not a valid NHS number",
        ] {
            assert_eq!(found(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn allowed_text_passes() {
        let source = Source {
            path: "f.yaml".into(),
            text: "the office at CW1 2AB".into(),
            cells: None,
        };
        assert!(scan([&source], &[], &["cw1 2ab".to_string()]).0.is_empty());
    }
}
