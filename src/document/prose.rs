//! Prose: narrative text → [`Inline`] runs, with every figure filled in from the data.
//!
//! Narrative text is a Handlebars template: `{{pct "q2" "yes"}}` and friends (see
//! [`Figures`] and `docs/figures-in-prose.md`) write collated figures into it. The result is
//! then read in a light inline syntax: `**bold**`, `*italic*`, `[^note]` footnote markers,
//! `[@label]` cross-references, and `\` before `*`, `[`, `]` or `\` to print it as is. A mark
//! that is never closed is text, so a stray `*` or `[` prints as written. Everything else is
//! text: it reaches Typst as a string value, never as markup.

use crate::check::Audit;
use crate::collate::disclose::{Shown, ShownTally, disclose};
use crate::collate::{Stats, Tally};
use crate::document::words::{Qualifier, WITHHELD, number_words, one_decimal, phrase};
use crate::input::model::{Case, Neighbours};
use handlebars::{
    Context, Handlebars, Helper, HelperDef, RenderContext, RenderError, RenderErrorReason,
    ScopedJson,
};
use serde::Serialize;
use serde_json::{Value as Json, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

/// A run of inline content.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Inline {
    /// Plain text.
    Text {
        /// The text, exactly as written.
        text: String,
    },
    /// Bold text.
    Strong {
        /// The text.
        text: String,
    },
    /// Italic text.
    Emph {
        /// The text.
        text: String,
    },
    /// A footnote marker with its note.
    Footnote {
        /// The note's content.
        body: Vec<Inline>,
    },
    /// A cross-reference, shown as the target's name and linked to it.
    Ref {
        /// The target's label.
        target: String,
        /// What the reader sees ("Appendix 1").
        text: String,
    },
}

/// Everything prose may name, gathered once per build.
pub struct Figures {
    stats: Stats,
    cases: Vec<Case>,
    facts: BTreeMap<String, crate::input::model::Fact>,
    neighbours: Option<Neighbours>,
    /// Measures and totals named since the last `take_used`, to record where each figure is
    /// shown (a rebuild then says which paragraphs a corrected return changed).
    used: Mutex<BTreeSet<String>>,
    /// Counts below this (and above 0) are withheld.
    suppress_below: Option<u32>,
}

impl Figures {
    /// Gathers the figures of a checked, collated audit.
    /// `suppress_below` withholds counts from 1 to one less than it (see `Edition`).
    pub fn new(audit: &Audit, stats: &Stats, suppress_below: Option<u32>) -> Self {
        Figures {
            stats: stats.clone(),
            cases: audit.cases.clone(),
            facts: audit
                .info
                .facts
                .iter()
                .map(|(k, f)| (k.clone(), f.clone()))
                .collect(),
            neighbours: audit.neighbours.as_ref().map(|n| n.value.clone()),
            used: Mutex::default(),
            suppress_below,
        }
    }

    fn note_use(&self, key: &str) {
        if let Ok(mut used) = self.used.lock() {
            used.insert(key.to_string());
        }
    }

    fn tally(&self, measure: &str, case: Option<&str>) -> Result<&Tally, String> {
        self.note_use(measure);
        let collation = match case {
            None => &self.stats.all,
            Some(case) => self
                .stats
                .by_case
                .get(case)
                .ok_or_else(|| format!("unknown case `{case}`"))?,
        };
        collation.measures.get(measure).ok_or_else(|| {
            let known: Vec<&str> = collation.measures.keys().map(String::as_str).collect();
            match crate::diag::nearest(measure, known.iter().copied()) {
                Some(near) => format!("unknown question `{measure}` (did you mean `{near}`?)"),
                None => format!("unknown question `{measure}`"),
            }
        })
    }

    /// `measure`'s tally as this edition shows it (see `disclose`).
    fn shown(&self, measure: &str, case: Option<&str>) -> Result<ShownTally, String> {
        Ok(disclose(self.tally(measure, case)?, self.suppress_below))
    }

    /// Count of `options` (ids joined by `+` are added up) for `measure`, and its base, as this
    /// edition shows them: a sum with any withheld part is withheld, or it would give it away.
    fn count(
        &self,
        measure: &str,
        options: &str,
        case: Option<&str>,
    ) -> Result<(Shown, Shown), String> {
        let tally = self.shown(measure, case)?;
        let mut total = Shown::Count(0);
        for option in options.split('+').map(str::trim) {
            let count = tally.count(option).ok_or_else(|| {
                let known: Vec<&str> = tally.counts.iter().map(|(id, _)| id.as_str()).collect();
                format!(
                    "question `{measure}` has no option `{option}`; expected one of {}",
                    known.join(", ")
                )
            })?;
            total = match (total, count) {
                (Shown::Count(a), Shown::Count(b)) => Shown::Count(a + b),
                _ => Shown::Withheld,
            };
        }
        Ok((total, tally.base))
    }

    fn neighbour(&self, what: &str) -> Result<f64, String> {
        let table = self
            .neighbours
            .as_ref()
            .ok_or("the audit has no neighbours.yaml")?;
        Ok(match what {
            "average" => (table.mean() * 10.0).round() / 10.0,
            "england" => table.england,
            "this_authority" => table.this_authority.value,
            _ => {
                return Err(format!(
                    "unknown neighbour figure `{what}`; expected average, england or this_authority"
                ));
            }
        })
    }
}

struct FigureHelper {
    figures: Arc<Figures>,
    name: &'static str,
}

fn arg<'a>(h: &'a Helper, index: usize, name: &str) -> Result<&'a Json, RenderError> {
    h.param(index).map(|p| p.value()).ok_or_else(|| {
        RenderErrorReason::Other(format!(
            "`{}` needs a {name} as argument {}",
            h.name(),
            index + 1
        ))
        .into()
    })
}

fn text_arg(h: &Helper, index: usize, name: &str) -> Result<String, RenderError> {
    match arg(h, index, name)? {
        Json::String(s) => Ok(s.clone()),
        Json::Number(n) => Ok(n.to_string()),
        other => Err(RenderErrorReason::Other(format!(
            "`{}` expects a {name}, found {other}",
            h.name()
        ))
        .into()),
    }
}

impl HelperDef for FigureHelper {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let f = &self.figures;
        let case = h.hash_get("case").map(|v| {
            v.value()
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.value().to_string())
        });
        let case = case.as_deref();
        let fail = |message: String| -> RenderError { RenderErrorReason::Other(message).into() };
        // One case's figures beside the audit's would let a reader subtract their way to a
        // withheld count: an edition that withholds small numbers shows no case's figures.
        if let (Some(case), Some(below)) = (case, f.suppress_below) {
            return Err(fail(format!(
                "figures of one case (`case=\"{case}\"`) cannot be shown in an edition that withholds counts below {below}; limit this text to other editions (`editions: [...]`)"
            )));
        }
        let unit = h
            .hash_get("unit")
            .and_then(|v| v.value().as_str())
            .unwrap_or(" per cent")
            .to_string();
        let value = match self.name {
            "count" => {
                let (count, _) = f
                    .count(
                        &text_arg(h, 0, "question")?,
                        &text_arg(h, 1, "option")?,
                        case,
                    )
                    .map_err(fail)?;
                match count {
                    Shown::Count(n) => json!(n),
                    Shown::Withheld => json!(format!("({WITHHELD})")),
                }
            }
            "base" => match f
                .shown(&text_arg(h, 0, "question")?, case)
                .map_err(fail)?
                .base
            {
                Shown::Count(n) => json!(n),
                Shown::Withheld => json!(format!("({WITHHELD})")),
            },
            "pct" | "words" => {
                let (count, base) = f
                    .count(
                        &text_arg(h, 0, "question")?,
                        &text_arg(h, 1, "option")?,
                        case,
                    )
                    .map_err(fail)?;
                let (Shown::Count(count), Shown::Count(base)) = (count, base) else {
                    // Withheld in this edition (see `disclose`), in words that read.
                    return Ok(ScopedJson::Derived(if self.name == "pct" {
                        json!(format!("({WITHHELD})"))
                    } else {
                        json!(format!("a {WITHHELD} share"))
                    }));
                };
                let percent = if base == 0 {
                    0.0
                } else {
                    100.0 * f64::from(count) / f64::from(base)
                };
                if self.name == "pct" {
                    json!(one_decimal(percent))
                } else {
                    let words = match h.param(2) {
                        Some(_) => text_arg(h, 2, "qualifier")?,
                        None => String::new(),
                    };
                    let qualifier = Qualifier::parse(&words).ok_or_else(|| {
                        fail(format!(
                            "unknown qualifier `{words}`; expected one of {}",
                            Qualifier::ALL
                        ))
                    })?;
                    json!(phrase(percent, qualifier, &unit))
                }
            }
            "total" => {
                let t = &f.stats.totals;
                let which = text_arg(h, 0, "total")?;
                f.note_use(&format!("total:{which}"));
                // A total is the base of every figure: below the threshold it is withheld too,
                // and so is a rate that would give it away.
                let small = |n: u32| f.suppress_below.is_some_and(|below| n > 0 && n < below);
                let shown = |n: u32| match small(n) {
                    true => json!(format!("({WITHHELD})")),
                    false => json!(n),
                };
                match which.as_str() {
                    "cases" => shown(t.cases),
                    "requests" => shown(t.requests),
                    "returns" => shown(t.returns),
                    "response_rate" if small(t.returns) || small(t.requests) => {
                        json!(format!("({WITHHELD})"))
                    }
                    "response_rate" => json!(one_decimal(t.response_rate)),
                    other => {
                        return Err(fail(format!(
                            "unknown total `{other}`; expected cases, requests, returns or response_rate"
                        )));
                    }
                }
            }
            "cases" => {
                let field = text_arg(h, 0, "case field")?;
                let wanted = text_arg(h, 1, "value")?;
                let value_of = |case: &Case| -> Result<String, RenderError> {
                    Ok(match field.as_str() {
                        "category" => &case.category,
                        "age_band" => &case.age_band,
                        "gender" => &case.gender,
                        other => {
                            return Err(fail(format!(
                                "unknown case field `{other}`; expected category, age_band or gender"
                            )));
                        }
                    }
                    .to_lowercase())
                };
                // The cases by this field are a tally like a question's (one value each, adding
                // up to the cases), withheld by the same rule.
                let mut counts: Vec<(String, u32)> = vec![(wanted.to_lowercase(), 0)];
                for case in &f.cases {
                    let value = value_of(case)?;
                    match counts.iter_mut().find(|(v, _)| *v == value) {
                        Some((_, n)) => *n += 1,
                        None => counts.push((value, 1)),
                    }
                }
                let tally = Tally {
                    base: f.cases.len() as u32,
                    counts,
                    answers: crate::input::model::Answers::One,
                };
                match disclose(&tally, f.suppress_below).counts[0].1 {
                    Shown::Count(n) => json!(n),
                    Shown::Withheld => json!(format!("({WITHHELD})")),
                }
            }
            "fact" => {
                let name = text_arg(h, 0, "fact")?;
                let fact = f.facts.get(&name).ok_or_else(|| {
                    let known: Vec<&str> = f.facts.keys().map(String::as_str).collect();
                    fail(format!(
                        "unknown fact `{name}`; audit.yaml lists {}",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ))
                })?;
                let small = |n: u32| fact.value > 0.0 && fact.value < f64::from(n);
                if fact.count && f.suppress_below.is_some_and(small) {
                    json!(format!("({WITHHELD})"))
                } else {
                    number(fact.value)
                }
            }
            "neighbours" => number(f.neighbour(&text_arg(h, 0, "figure")?).map_err(fail)?),
            "in_words" => match arg(h, 0, "number")?.as_u64() {
                // `zero="no"` reads better in "there were no responses"
                Some(0) if h.hash_get("zero").is_some() => json!(
                    h.hash_get("zero")
                        .map(|z| z.value().as_str().unwrap_or("").to_string())
                ),
                Some(n) => json!(number_words(n)),
                // A figure this edition withholds stays withheld, in words.
                None if arg(h, 0, "number")?.as_str() == Some(&format!("({WITHHELD})")) => {
                    json!(format!("a {WITHHELD} number"))
                }
                None => {
                    return Err(fail(format!(
                        "`in_words` expects a whole number, found {}",
                        arg(h, 0, "number")?
                    )));
                }
            },
            "sentence" => {
                let text = text_arg(h, 0, "text")?;
                let mut chars = text.chars();
                json!(
                    chars
                        .next()
                        .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                        .unwrap_or_default()
                )
            }
            _ => unreachable!("registered helpers only"),
        };
        Ok(ScopedJson::Derived(value))
    }
}

fn number(value: f64) -> Json {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        json!(value as i64)
    } else {
        json!(value)
    }
}

/// Fills narrative templates with figures. One per build.
pub struct Prose {
    registry: Handlebars<'static>,
    figures: Arc<Figures>,
}

impl Prose {
    /// A renderer whose helpers read `figures`.
    pub fn new(figures: Figures) -> Self {
        let figures = Arc::new(figures);
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        // The output is text handed to Typst as a value; nothing is escaped because nothing
        // is markup.
        registry.register_escape_fn(handlebars::no_escape);
        for name in [
            "count",
            "base",
            "pct",
            "words",
            "total",
            "cases",
            "fact",
            "neighbours",
            "in_words",
            "sentence",
        ] {
            registry.register_helper(
                name,
                Box::new(FigureHelper {
                    figures: figures.clone(),
                    name,
                }),
            );
        }
        Prose { registry, figures }
    }

    /// The measures (`q1.c`) and totals (`total:returns`) named since the last call.
    pub fn take_used(&self) -> BTreeSet<String> {
        self.figures
            .used
            .lock()
            .map(|mut used| std::mem::take(&mut *used))
            .unwrap_or_default()
    }

    /// Renders one piece of narrative text with its figures filled in. A failure says what is
    /// wrong and, where Handlebars knows, the text of the expression that failed.
    pub fn fill(&self, template: &str) -> Result<String, ProseError> {
        // Most prose names no figure: Handlebars would only hand it back, at the cost of
        // parsing it.
        if !template.contains("{{") {
            return Ok(template.to_string());
        }
        if let Some((message, at)) = template_problem(template) {
            return Err(ProseError {
                message,
                at: Some(at),
            });
        }
        // Handlebars works out the line and column of each element from the start of the
        // text, so a paragraph naming n figures would cost n²: plain expressions are filled
        // one by one, and only text with blocks is handed over whole.
        if let Some(pieces) = plain_pieces(template) {
            let mut out = String::with_capacity(template.len());
            for (text, expression) in pieces {
                out.push_str(text);
                if expression.is_empty() {
                    continue;
                }
                let filled = self
                    .registry
                    .render_template(expression, &())
                    .map_err(|e| ProseError {
                        message: e.reason().to_string(),
                        at: Some(first_words(expression)),
                    })?;
                out.push_str(&filled);
            }
            return Ok(out);
        }
        self.registry.render_template(template, &()).map_err(|e| {
            let at = match (e.line_no, e.column_no) {
                (Some(line), Some(column)) => {
                    template.lines().nth(line.saturating_sub(1)).map(|text| {
                        let tail: String = text.chars().skip(column.saturating_sub(1)).collect();
                        first_words(&tail)
                    })
                }
                _ => None,
            };
            ProseError {
                message: e.reason().to_string(),
                at,
            }
        })
    }
}

/// Up to the second space of `text`: long enough to be unique in a paragraph, short enough
/// not to cross a line break of a folded YAML string.
fn first_words(text: &str) -> String {
    let mut words = text.splitn(3, ' ');
    [words.next(), words.next()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `template` as (text, expression) pairs when every expression stands alone (no blocks,
/// whitespace control, raw or escaped braces), so each can be filled on its own; the last
/// pair's expression is empty.
fn plain_pieces(template: &str) -> Option<Vec<(&str, &str)>> {
    if [
        "\\{{", "{{{", "{{#", "{{/", "{{^", "{{else", "{{~", "~}}", "{{!--",
    ]
    .iter()
    .any(|mark| template.contains(mark))
    {
        return None;
    }
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let close = open + rest[open..].find("}}")? + 2;
        pieces.push((&rest[..open], &rest[open..close]));
        rest = &rest[close..];
    }
    pieces.push((rest, ""));
    Some(pieces)
}

/// The deepest nesting of `{{#…}}` blocks a template may have.
const MAX_BLOCK_DEPTH: usize = 16;

/// What Handlebars must not be asked to render: partials (`{{> p}}`, `{{#> p}}`,
/// `{{#*inline}}`), which can call themselves without end, and blocks nested deeper than
/// [`MAX_BLOCK_DEPTH`], which exhaust the parser's stack. (message, the text where it is).
pub fn template_problem(template: &str) -> Option<(String, String)> {
    let mut depth = 0usize;
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let tag = rest[open + 2..].trim_start_matches(['{', '~', ' ']);
        let at: String = rest[open..].chars().take(20).collect();
        if tag.starts_with('>') || tag.starts_with("#>") || tag.starts_with("#*") {
            return Some((
                "partials (`{{> …}}`, `{{#*inline …}}`) are not available in report text; write the text out".into(),
                at,
            ));
        }
        if tag.starts_with('#') {
            depth += 1;
            if depth > MAX_BLOCK_DEPTH {
                return Some((
                    format!("blocks (`{{{{#…}}}}`) are nested more than {MAX_BLOCK_DEPTH} deep"),
                    at,
                ));
            }
        } else if tag.starts_with('/') {
            depth = depth.saturating_sub(1);
        }
        let inside = &rest[open + 2..];
        let inside = &inside[..inside.find("}}").unwrap_or(inside.len())];
        let mut parens = 0usize;
        for c in inside.chars() {
            match c {
                '(' => parens += 1,
                ')' => parens = parens.saturating_sub(1),
                _ => {}
            }
            if parens > MAX_BLOCK_DEPTH {
                return Some((
                    format!("expressions are nested more than {MAX_BLOCK_DEPTH} deep"),
                    at,
                ));
            }
        }
        rest = &rest[open + 2..];
    }
    None
}

/// Why a piece of prose could not be filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct ProseError {
    /// What is wrong.
    pub message: String,
    /// The text where it went wrong (the start of the failing `{{…}}`), to find it in the file.
    pub at: Option<String>,
}

impl From<String> for ProseError {
    fn from(message: String) -> Self {
        ProseError { message, at: None }
    }
}

/// Reads the light inline syntax. `footnote` turns a `[^id]` into its note's runs, `reference`
/// a `[@label]` into the text shown for it; either may fail with a message.
pub fn parse_inline(
    text: &str,
    footnote: &mut dyn FnMut(&str) -> Result<Vec<Inline>, String>,
    reference: &dyn Fn(&str) -> Result<String, String>,
) -> Result<Vec<Inline>, ProseError> {
    let mut runs = Vec::new();
    let mut plain = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let flush = |plain: &mut String, runs: &mut Vec<Inline>| {
        if !plain.is_empty() {
            runs.push(Inline::Text {
                text: std::mem::take(plain),
            });
        }
    };
    while i < chars.len() {
        let rest = &chars[i..];
        match rest {
            ['\\', next, ..] if "*[]\\".contains(*next) => {
                plain.push(*next);
                i += 2;
            }
            ['*', '*', ..] if delimited(&chars, i + 2, "**").is_some() => {
                let (inner, next) = delimited(&chars, i + 2, "**").unwrap_or_default();
                flush(&mut plain, &mut runs);
                runs.push(Inline::Strong { text: inner });
                i = next;
            }
            ['*', '*', ..] => {
                plain.push_str("**");
                i += 2;
            }
            ['*', c, ..] if !c.is_whitespace() && delimited(&chars, i + 1, "*").is_some() => {
                let (inner, next) = delimited(&chars, i + 1, "*").unwrap_or_default();
                flush(&mut plain, &mut runs);
                runs.push(Inline::Emph { text: inner });
                i = next;
            }
            ['[', marker @ ('^' | '@'), ..] if delimited(&chars, i + 2, "]").is_some() => {
                let (id, next) = delimited(&chars, i + 2, "]").unwrap_or_default();
                flush(&mut plain, &mut runs);
                let at = |message: String| ProseError {
                    message,
                    at: Some(format!("[{marker}{id}]")),
                };
                if *marker == '^' {
                    runs.push(Inline::Footnote {
                        body: footnote(id.trim()).map_err(at)?,
                    });
                } else {
                    let target = id.trim().to_string();
                    runs.push(Inline::Ref {
                        text: reference(&target).map_err(at)?,
                        target,
                    });
                }
                i = next;
            }
            [c, ..] => {
                plain.push(*c);
                i += 1;
            }
            [] => break,
        }
    }
    flush(&mut plain, &mut runs);
    Ok(runs)
}

/// The text from `start` up to the closing `close` (honouring `\` escapes), and the index
/// after it.
fn delimited(chars: &[char], start: usize, close: &str) -> Option<(String, usize)> {
    let close: Vec<char> = close.chars().collect();
    let mut inner = String::new();
    let mut i = start;
    while i < chars.len() {
        if chars[i] == '\\' && i + 1 < chars.len() {
            inner.push(chars[i + 1]);
            i += 2;
        } else if chars[i..].starts_with(&close) {
            return Some((inner, i + close.len()));
        } else {
            inner.push(chars[i]);
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Vec<Inline> {
        parse_inline(
            text,
            &mut |id| {
                Ok(vec![Inline::Text {
                    text: format!("note {id}"),
                }])
            },
            &|id| {
                if id == "app1" {
                    Ok("Appendix 1".into())
                } else {
                    Err(format!("unknown label `{id}`"))
                }
            },
        )
        .unwrap()
    }

    fn text(t: &str) -> Inline {
        Inline::Text { text: t.into() }
    }

    #[test]
    fn markup_characters_are_text() {
        let nasty = "# $ _ @ < > // /* #import \"x\" ` ~ = - + ] ] { }";
        assert_eq!(plain(nasty), vec![text(nasty)]);
    }

    #[test]
    fn bold_italic_notes_and_refs() {
        assert_eq!(
            plain("for **all** agencies, *always*[^wt] (see [@app1])."),
            vec![
                text("for "),
                Inline::Strong { text: "all".into() },
                text(" agencies, "),
                Inline::Emph {
                    text: "always".into()
                },
                Inline::Footnote {
                    body: vec![text("note wt")]
                },
                text(" (see "),
                Inline::Ref {
                    target: "app1".into(),
                    text: "Appendix 1".into()
                },
                text(")."),
            ]
        );
    }

    #[test]
    fn backslash_keeps_a_character() {
        assert_eq!(plain(r"2 \* 3 \[^x] a\\b"), vec![text(r"2 * 3 [^x] a\b")]);
        assert_eq!(plain("a * b"), vec![text("a * b")]);
    }

    #[test]
    fn unclosed_marks_are_text_and_unknown_labels_errors() {
        assert_eq!(
            plain("**open *half [^x and [@y"),
            vec![text("**open *half [^x and [@y")]
        );
        let mut notes = |_: &str| Ok(vec![]);
        let refs = |id: &str| Err(format!("unknown label `{id}`"));
        assert_eq!(
            parse_inline("see [@nowhere]", &mut notes, &refs).unwrap_err(),
            ProseError {
                message: "unknown label `nowhere`".into(),
                at: Some("[@nowhere]".into())
            }
        );
    }
}
