//! Figures typed into the narrative as literals. (Over 500 lines: reading a percentage or
//! a count out of prose, and its tests, with the two warnings that use it.) The data cannot
//! keep such a figure right: a percentage that no figure of the data has now (stale, or never
//! computed), and small numbers in the prose of an edition that withholds them. Both are
//! warnings at their place.

use crate::check::Audit;
use crate::collate::Stats;
use crate::edition::Edition;

/// Every literal-figure warning of the audit's narrative, for the editions being built;
/// `reviewed` are the words around small numbers that `allow.yaml` says count no one.
pub fn warnings(
    audit: &Audit,
    stats: &Stats,
    editions: &[Edition],
    reviewed: &[String],
) -> crate::diag::Diagnostics {
    stale_literals(audit, stats)
        .with(typed_counts(audit, stats))
        .with(small_literal_warnings(audit, editions, reviewed))
}

/// Counts typed into prose that are today's figures: "58 of 70" where a question's answer
/// is 58 of its 70, "77 returns" where the audit has 77. Each goes stale at the next
/// correction; the warning names the helper that writes it.
fn typed_counts(audit: &Audit, stats: &Stats) -> crate::diag::Diagnostics {
    use regex::Regex;
    use std::sync::LazyLock;
    static OF: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(\d+) (?:out )?of (?:the )?(\d+)\b").expect("valid pattern")
    });
    static TOTAL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(\d+) (returns|responses|cases|requests)\b").expect("valid pattern")
    });
    let t = &stats.totals;
    let mut problems = crate::diag::Diagnostics::default();
    for (source, prose) in prose_by_file(audit) {
        for (path, text) in prose {
            let outside = outside_expressions(text);
            let mut found: Vec<(String, Vec<String>)> = Vec::new();
            for m in OF.captures_iter(&outside) {
                let (n, of): (u32, u32) = (m[1].parse().unwrap_or(0), m[2].parse().unwrap_or(0));
                if of == 0 {
                    continue;
                }
                let mut helpers = Vec::new();
                if (n, of) == (t.returns, t.requests) {
                    helpers.push("{{total \"returns\"}} of {{total \"requests\"}}".to_string());
                }
                for (measure, tally) in &stats.all.measures {
                    for (option, k) in &tally.counts {
                        if (*k, tally.base) == (n, of) {
                            helpers.push(format!(
                                "{{{{count \"{measure}\" \"{option}\"}}}} of {{{{base \"{measure}\"}}}}"
                            ));
                        }
                    }
                }
                if !helpers.is_empty() {
                    found.push((m[0].to_string(), helpers));
                }
            }
            for m in TOTAL.captures_iter(&outside) {
                let n: u32 = m[1].parse().unwrap_or(0);
                let helper = match m[2].to_lowercase().as_str() {
                    "returns" | "responses" if n == t.returns && n > 0 => "{{total \"returns\"}}",
                    "cases" if n == t.cases && n > 0 => "{{total \"cases\"}}",
                    "requests" if n == t.requests && n > 0 => "{{total \"requests\"}}",
                    _ => continue,
                };
                found.push((m[0].to_string(), vec![helper.to_string()]));
            }
            for (written, helpers) in found {
                let keys: Vec<&str> = path.iter().map(String::as_str).collect();
                let block = source.locate(&keys);
                let location = source.find_after(&block, &written).unwrap_or(block);
                let others = match helpers.len() {
                    1 => String::new(),
                    n => format!(
                        " (or one of {} others that are also {written} today)",
                        n - 1
                    ),
                };
                problems.push(
                    crate::diag::Diagnostic::warning(
                        location,
                        format!("prose types today's count `{written}`: it will not change when the data is corrected"),
                    )
                    .with_note(format!("write {}{others} in its place, so it follows the data", helpers[0])),
                );
            }
        }
    }
    problems
}

/// `template` with its Handlebars expressions, footnote markers and cross-references blanked
/// out (same length in characters), so their arguments are not mistaken for figures written
/// in the text.
fn outside_expressions(template: &str) -> String {
    let mut outside = String::with_capacity(template.len());
    let mut rest = template;
    // One pass: each opening mark is looked for once, its closing mark after it.
    while let Some(open) = rest.find(['{', '[']) {
        let close = match &rest[open..] {
            r if r.starts_with("{{") => "}}",
            r if r.starts_with("[^") || r.starts_with("[@") => "]",
            _ => {
                let step = open + 1;
                outside.push_str(&rest[..step]);
                rest = &rest[step..];
                continue;
            }
        };
        outside.push_str(&rest[..open]);
        let end = rest[open + 2..]
            .find(close)
            .map_or(rest.len(), |c| open + 2 + c + close.len());
        outside.push_str(&" ".repeat(rest[open..end].chars().count()));
        rest = &rest[end..];
    }
    outside.push_str(rest);
    outside
}

/// Words before a number that make it a label, not a count ("Section 3", "Appendix 2").
const LABEL_WORDS: &str = "section|sections|appendix|appendices|figure|figures|table|tables|paragraph|paragraphs|finding|findings|recommendation|recommendations|question|questions|q|level|page|pages|tier|stage|phase|chapter|part|step|version|year|regulation|challenge|item|option|annex|schedule|grade|no|number|round|priority|standard|outcome|objective|action|actions|case|cases|category|box|line|column|row|key stage";
const SMALL_WORDS: [&str; 9] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
];

/// Small numbers written as literals in `template` (outside expressions): digits 1 to
/// `below − 1` and the words one… and "a couple", that are not labels, parts of larger
/// numbers, dates or percentages. Each: (byte range in `template`, as written).
pub fn small_literals(template: &str, below: u32) -> Vec<(std::ops::Range<usize>, String)> {
    use regex::Regex;
    use std::sync::LazyLock;
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?i)\b(?:(?P<label>{LABEL_WORDS})\.? )?(?P<n>\d+|{}|a couple)\b",
            SMALL_WORDS.join("|")
        ))
        .expect("valid pattern")
    });
    static MONTH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)")
            .expect("valid pattern")
    });
    let outside = outside_expressions(template);
    let mut found = Vec::new();
    for m in NUMBER.captures_iter(&outside) {
        let Some(n) = m.name("n") else { continue };
        if m.name("label").is_some() {
            continue;
        }
        let written = n.as_str().to_lowercase();
        let value = match written.parse::<u32>() {
            Ok(v) => v,
            Err(_) if written == "a couple" => 2,
            Err(_) => SMALL_WORDS
                .iter()
                .position(|w| *w == written)
                .map_or(0, |i| i as u32 + 1),
        };
        if value == 0 || value >= below {
            continue;
        }
        let before = outside[..n.start()].chars().next_back();
        let after_text = &outside[n.end()..];
        let after = after_text.chars().next();
        let joined = |c: Option<char>| c.is_some_and(|c| ".,-–/:^@[]#".contains(c));
        let digit_joined = written.chars().all(|c| c.is_ascii_digit())
            && (joined(before)
                && outside[..n.start()]
                    .chars()
                    .rev()
                    .nth(1)
                    .is_some_and(|c| c.is_ascii_digit())
                || joined(after)
                    && after_text
                        .chars()
                        .nth(1)
                        .is_some_and(|c| c.is_ascii_digit()));
        let percent = {
            let rest = after_text.trim_start().to_lowercase();
            rest.starts_with('%') || rest.starts_with("per cent") || rest.starts_with("percent")
        };
        let fixed = written == "one"
            && (outside[..n.start()].to_lowercase().ends_with("no ")
                || after_text.to_lowercase().starts_with(" another")
                || after_text.to_lowercase().starts_with("-to-one")
                || after_text.to_lowercase().starts_with(" to one")
                || after_text.to_lowercase().starts_with("-off")
                || outside[..n.start()].to_lowercase().ends_with("one to ")
                || outside[..n.start()].to_lowercase().ends_with("one-to-"));
        let marked = before.is_some_and(|c| "[^@#".contains(c));
        if digit_joined || percent || fixed || marked || MONTH.is_match(after_text) {
            continue;
        }
        found.push((n.start()..n.end(), n.as_str().to_string()));
    }
    found
}

/// Every piece of prose `edition` prints: its file, its path of keys, its text.
fn shown_prose<'a>(
    audit: &'a Audit,
    edition: &'a Edition,
) -> Vec<(&'a crate::input::Source, Vec<String>, &'a str)> {
    use crate::edition::Kind;
    let narrative = audit
        .sections
        .iter()
        .filter(|parsed| edition.includes(parsed.value.id.as_deref()))
        .flat_map(move |parsed| {
            parsed
                .value
                .prose()
                .into_iter()
                .filter(move |(path, _)| match edition.kind {
                    Kind::Report => parsed.value.shows(path, edition),
                    // a cover paper and slides print the findings and their challenges alone
                    Kind::Cover | Kind::Slides => path.first().is_some_and(|p| p == "findings"),
                    Kind::Briefing => false,
                })
                .map(move |(path, text)| (&parsed.source, path, text))
        });
    let own = edition
        .text_file()
        .and_then(|name| audit.pack.iter().find(|f| f.name == name));
    let own = own.into_iter().flat_map(|file| {
        let source = &file.parsed.source;
        (file.parsed.value.prose().into_iter()).map(move |(path, text)| (source, path, text))
    });
    narrative.chain(own).collect()
}

/// A file, and each piece of prose in it with its key path.
type FileProse<'a> = (&'a crate::input::Source, Vec<(Vec<String>, &'a str)>);

/// Every narrative file's prose, and every paper's own (cover paper, slides, briefing), by
/// file.
fn prose_by_file(audit: &Audit) -> Vec<FileProse<'_>> {
    let narrative = (audit.sections.iter()).map(|parsed| (&parsed.source, parsed.value.prose()));
    let papers = (audit.pack.iter()).map(|f| (&f.parsed.source, f.parsed.value.prose()));
    narrative.chain(papers).collect()
}

/// The action plan's words an edition prints (each action's `what` and `update`, where it
/// shows the `generated: action-plan` appendix): counts typed there are held to the same
/// rule as the prose's ("Two of five agencies" where counts below 5 are withheld).
fn plan_text<'a>(
    audit: &'a Audit,
    edition: &'a Edition,
) -> impl Iterator<Item = (&'a crate::input::Source, Vec<String>, &'a str)> {
    // (a cover paper, slides and a briefing print no action plan's words)
    let shown = audit.sections.iter().any(|parsed| {
        edition.kind == crate::edition::Kind::Report
            && edition.includes(parsed.value.id.as_deref())
            && parsed.value.appendices.iter().any(|a| {
                a.generated.as_deref() == Some("action-plan") && edition.includes(Some(&a.id))
            })
    });
    audit
        .sections
        .iter()
        .filter(move |_| shown)
        .flat_map(move |parsed| {
            parsed
                .value
                .findings
                .iter()
                .enumerate()
                .flat_map(move |(f, finding)| {
                    finding
                        .actions
                        .iter()
                        .enumerate()
                        .flat_map(move |(a, action)| {
                            [
                                ("what", Some(&action.what)),
                                ("update", action.update.as_ref()),
                            ]
                            .into_iter()
                            .filter_map(move |(key, text)| {
                                let path = vec![
                                    "findings".to_string(),
                                    f.to_string(),
                                    "actions".to_string(),
                                    a.to_string(),
                                    key.to_string(),
                                ];
                                Some((&parsed.source, path, text?.as_str()))
                            })
                        })
                })
        })
}

/// Whether `figure` is the literal `number` (its value `value`) at the precision the literal
/// is written in ("12" is 11.7; "11.7" is not 11.66).
fn written_as(number: &str, value: f64, figure: f64) -> bool {
    let decimals = number.split('.').nth(1).map_or(0, str::len) as i32;
    let scale = 10f64.powi(decimals);
    ((figure * scale).round() - value * scale).abs() < 0.5
}

/// Small numbers written as literals in the prose of editions that withhold small numbers:
/// a warning each at its place, saying how to write it as a figure or mark it reviewed
/// (`numbers:` in allow.yaml, the words around it).
fn small_literal_warnings(
    audit: &Audit,
    editions: &[crate::edition::Edition],
    reviewed: &[String],
) -> crate::diag::Diagnostics {
    let mut problems = crate::diag::Diagnostics::default();
    let reviewed: Vec<String> = reviewed.iter().map(|r| r.to_lowercase()).collect();
    for edition in editions {
        let Some(below) = edition.suppress_below else {
            continue;
        };
        let plan = plan_text(audit, edition);
        for (source, path, text) in shown_prose(audit, edition).into_iter().chain(plan) {
            let lower = text.to_lowercase();
            for (range, written) in small_literals(text, below) {
                let is_reviewed = reviewed.iter().any(|r| {
                    lower
                        .match_indices(r.as_str())
                        .any(|(at, m)| at <= range.start && range.end <= at + m.len())
                });
                if is_reviewed {
                    continue;
                }
                let keys: Vec<&str> = path.iter().map(String::as_str).collect();
                let block = source.locate(&keys);
                let context: String = text[..range.start]
                    .split_whitespace()
                    .rev()
                    .take(3)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .chain(text[range.start..].split_whitespace().take(4))
                    .collect::<Vec<_>>()
                    .join(" ");
                let location = source.find_after(&block, &context).unwrap_or(block);
                problems.push(
                    crate::diag::Diagnostic::warning(
                        location,
                        format!(
                            "edition `{}` withholds counts below {below}, but the prose states `{written}` as written (\"{context}\")",
                            edition.id
                        ),
                    )
                    .with_note("if it counts people or cases, write it as a figure ({{count …}}, {{cases …}} or {{fact …}}) so it is withheld; if not, add the words around it to `numbers:` in allow.yaml"),
                );
            }
        }
    }
    problems
}

/// Percentages written as literal numbers in narrative text, outside `{{…}}`: each as written
/// ("88 per cent") with its number ("88") and value.
pub fn literal_percentages(template: &str) -> Vec<(String, String, f64)> {
    let mut found = Vec::new();
    let chars: Vec<char> = outside_expressions(template).chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts_number = chars[i].is_ascii_digit()
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '.'));
        if !starts_number {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < chars.len()
            && (chars[end].is_ascii_digit()
                || (chars[end] == '.' && chars.get(end + 1).is_some_and(char::is_ascii_digit)))
        {
            end += 1;
        }
        let number: String = chars[i..end].iter().collect();
        let after: String = chars[end..chars.len().min(end + 10)]
            .iter()
            .collect::<String>()
            .to_lowercase();
        // (a no-break space before the sign, as word processors put it, and `pc`)
        let unit = [
            "%",
            " %",
            "\u{a0}%",
            "\u{202f}%",
            " per cent",
            "\u{a0}per cent",
            " percent",
            " pc",
        ]
        .into_iter()
        .find(|u| {
            after.starts_with(u)
                && (!u.ends_with("pc") || !after[u.len()..].starts_with(char::is_alphanumeric))
        });
        if let (Some(unit), Ok(value)) = (unit, number.parse::<f64>()) {
            let written: String = chars[i..end + unit.chars().count()].iter().collect();
            found.push((written, number, value));
        }
        i = end.max(i + 1);
    }
    found
}

/// Percentages typed into the prose of an edition that withholds small counts, where one is
/// the percentage of a count the edition withholds: with the base, which it shows, a reader
/// works the count out ("6 per cent of the 70" is 4). Errors, at the literal.
pub fn withheld_percentages(
    audit: &Audit,
    stats: &Stats,
    editions: &[Edition],
) -> crate::diag::Diagnostics {
    use crate::collate::disclose::{Shown, disclose};
    let mut problems = crate::diag::Diagnostics::default();
    for edition in editions {
        let Some(below) = edition.suppress_below else {
            continue;
        };
        // The percentage of every count this edition withholds, with what it is.
        let mut withheld: Vec<(f64, String)> = Vec::new();
        for (measure, tally) in &stats.all.measures {
            let shown = disclose(tally, Some(below));
            for ((option, k), (_, as_shown)) in tally.counts.iter().zip(&shown.counts) {
                if matches!(as_shown, Shown::Withheld) && *k > 0 {
                    withheld.push((tally.percent_of(*k), format!("`{measure}` `{option}`")));
                }
            }
        }
        if withheld.is_empty() {
            continue;
        }
        for (source, path, text) in shown_prose(audit, edition) {
            for (written, number, value) in literal_percentages(text) {
                let Some((_, what)) = withheld
                    .iter()
                    .find(|(p, _)| written_as(&number, value, *p))
                else {
                    continue;
                };
                let keys: Vec<&str> = path.iter().map(String::as_str).collect();
                let block = source.locate(&keys);
                let location = source.find_after(&block, &written).unwrap_or(block);
                problems.push(
                    crate::diag::Diagnostic::error(
                        location,
                        format!(
                            "edition `{}` withholds the count of {what} (below {below}), but the prose states `{written}`, its percentage: with the base a reader works the count out",
                            edition.id
                        ),
                    )
                    .with_note("write it as {{pct …}} or {{words …}}, which this edition withholds, or limit the text to other editions (`editions: [...]`)"),
                );
            }
        }
    }
    problems
}

/// Every figure prose could name, with the helper that names it (none for a neighbour's
/// row, which no helper names alone).
fn nameable_figures(audit: &Audit, stats: &Stats) -> Vec<(f64, String)> {
    let mut figures: Vec<(f64, String)> = Vec::new();
    let collations = std::iter::once((None, &stats.all))
        .chain(stats.by_case.iter().map(|(case, c)| (Some(case), c)));
    for (case, collation) in collations {
        for (measure, tally) in &collation.measures {
            for (option, k) in &tally.counts {
                let case = case.map(|c| format!(" case=\"{c}\"")).unwrap_or_default();
                figures.push((
                    tally.percent_of(*k),
                    format!("{{{{pct \"{measure}\" \"{option}\"{case}}}}}"),
                ));
            }
        }
    }
    figures.push((
        stats.totals.response_rate,
        "{{total \"response_rate\"}}".into(),
    ));
    for (name, fact) in &audit.info.facts {
        figures.push((fact.value, format!("{{{{fact \"{name}\"}}}}")));
    }
    if let Some(table) = &audit.neighbours {
        let t = &table.value;
        figures.extend(t.rows.iter().map(|r| (r.value.number, String::new())));
        figures.push((t.england.number, "{{neighbours \"england\"}}".into()));
        figures.push((
            t.this_authority.value.number,
            "{{neighbours \"this_authority\"}}".into(),
        ));
        figures.push((t.mean(), "{{neighbours \"average\"}}".into()));
    }
    figures
}

/// Literal percentages in the narrative that no figure of the data has now: prose that has
/// gone stale (or was never computed). Warnings, pointing at the literal.
fn stale_literals(audit: &Audit, stats: &Stats) -> crate::diag::Diagnostics {
    let figures = nameable_figures(audit, stats);
    // A literal matches a figure at the precision it is written in; a figure written to its
    // decimal is today's figure exactly, and goes stale at the next correction.
    let matching = |number: &str, value: f64| -> Vec<&str> {
        figures
            .iter()
            .filter(|(f, _)| written_as(number, value, *f))
            .map(|(_, helper)| helper.as_str())
            .collect()
    };
    let mut problems = crate::diag::Diagnostics::default();
    for (source, prose) in prose_by_file(audit) {
        for (path, text) in prose {
            for (written, number, value) in literal_percentages(text) {
                let found = matching(&number, value);
                let path: Vec<&str> = path.iter().map(String::as_str).collect();
                let block = source.locate(&path);
                let location = source.find_after(&block, &written).unwrap_or(block);
                let exact = number.contains('.');
                let helpers: Vec<&str> = found.iter().copied().filter(|h| !h.is_empty()).collect();
                let warning = match (found.is_empty(), exact, helpers.as_slice()) {
                    (true, _, _) => crate::diag::Diagnostic::warning(
                        location,
                        format!("prose states `{written}`, but no figure of the data is {number} per cent now"),
                    )
                    .with_note("write the figure as {{pct …}} or {{words …}} so it follows the data (see docs/figures-in-prose.md)"),
                    // Today's figure to the decimal, typed in: right now, wrong after the next
                    // correction.
                    (false, true, [first, rest @ ..]) => {
                        let others = if rest.is_empty() {
                            String::new()
                        } else {
                            format!(" (or {})", rest.iter().take(2).copied().collect::<Vec<_>>().join(", "))
                        };
                        crate::diag::Diagnostic::warning(
                            location,
                            format!("prose types today's figure `{written}`: it will not change when the data is corrected"),
                        )
                        .with_note(format!("write {first}{others} in its place, so it follows the data"))
                    }
                    _ => continue,
                };
                problems.push(warning);
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_small_numbers_written_as_words_or_digits() {
        let found: Vec<String> = small_literals(
            "Four were between 5-10 years and three over 10 years; a couple of parents, 2 agencies, \
             Section 3, paragraph 2.1.5, on 3 April 2014, 4% and 1 per cent, [^1], no one, \
             {{count \"q1\" \"yes\"}} and one-to-one work; 7 cases",
            5,
        )
        .into_iter()
        .map(|(_, w)| w)
        .collect();
        assert_eq!(found, ["Four", "three", "a couple", "2"]);
    }

    #[test]
    fn finds_literal_percentages_outside_expressions() {
        let found = literal_percentages(
            "In 88 per cent of cases, (6.7%) and 12 percent; {{pct \"q1\" \"yes\"}} per cent; Q1 5%; 2014 cases",
        );
        let written: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(written, ["88 per cent", "6.7%", "12 percent", "5%"]);
        let more = literal_percentages("5.7\u{a0}% of them, 6 pc of those, 7 pcs");
        let more: Vec<&str> = more.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(more, ["5.7\u{a0}%", "6 pc"]);
        assert_eq!(found[1].2, 6.7);
    }
}
