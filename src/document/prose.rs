//! Prose: narrative text → [`Inline`] runs. (Over 500 lines, a fifth of them tests: filling
//! templates and reading the inline syntax share their checks of what a lead wrote.) Every
//! figure is filled in from the data.
//!
//! Narrative text is a Handlebars template: `{{pct "q2" "yes"}}` and friends (see
//! [`Figures`] and `docs/figures-in-prose.md`) write collated figures into it. The result is
//! then read in a light inline syntax: `**bold**`, `*italic*`, `[^note]` footnote markers,
//! `[@label]` cross-references, and `\` before `*`, `[`, `]` or `\` to print it as is. A mark
//! that is never closed is text, so a stray `*` or `[` prints as written. Everything else is
//! text: it reaches Typst as a string value, never as markup.

use super::figures::{ARGUMENTS, FigureHelper, Figures};
use handlebars::Handlebars;
use serde::Serialize;
use std::collections::BTreeSet;
use std::sync::Arc;

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

/// Fills narrative templates with figures. One per build.
pub struct Prose<'a> {
    registry: Handlebars<'a>,
    figures: Arc<Figures<'a>>,
    /// Expressions parsed once per shape (see [`shape`]).
    shapes: std::sync::Mutex<std::collections::HashMap<String, Arc<handlebars::Template>>>,
    /// The words a withheld figure is printed in (`withheld:` in `wording.yaml`).
    withheld: crate::document::withheld::WithheldWording,
}

impl<'a> Prose<'a> {
    /// A renderer whose helpers read `figures`.
    pub fn new(figures: Figures<'a>) -> Self {
        let figures = Arc::new(figures);
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        // The output is text handed to Typst as a value; nothing is escaped because nothing
        // is markup.
        registry.register_escape_fn(handlebars::no_escape);
        for name in super::compare::COMPARISONS {
            registry.register_helper(name, Box::new(super::compare::Comparison(name)));
        }
        for name in HELPERS {
            registry.register_helper(
                name,
                Box::new(FigureHelper {
                    figures: figures.clone(),
                    name,
                }),
            );
        }
        Prose {
            registry,
            figures,
            shapes: Default::default(),
            withheld: super::templates::built_in_wording().withheld.clone(),
        }
    }

    /// The same, printing a withheld figure in `withheld`'s words (the lead's own wording).
    pub fn with_withheld(mut self, withheld: crate::document::withheld::WithheldWording) -> Self {
        self.withheld = withheld;
        self
    }

    /// The measures (`q1.c`) and totals (`total:returns`) named since the last call.
    pub fn take_used(&self) -> BTreeSet<String> {
        self.figures.take_used()
    }

    /// Renders one piece of narrative text with its figures filled in. A failure says what is
    /// wrong and, where Handlebars knows, the text of the expression that failed: every
    /// failing figure of the text, so that one run lists them all.
    pub fn fill(&self, template: &str) -> Result<String, Vec<ProseError>> {
        use crate::document::withheld::{marked, resolve};
        // Text that holds a mark's character of its own is printed as filled, for the proof
        // stage to refuse at its place: a mark typed by hand never passes for a figure.
        self.fill_marked(template)
            .map(|text| match marked(template) {
                true => text,
                false => resolve(&text, &self.withheld),
            })
    }

    /// Text and its plain expressions (`plain_pieces`) filled one by one: the text, or every
    /// expression's problem.
    fn fill_pieces(
        &self,
        pieces: Vec<(&str, &str)>,
        capacity: usize,
    ) -> Result<String, Vec<ProseError>> {
        let mut out = String::with_capacity(capacity);
        let mut problems = Vec::new();
        for (text, expression) in pieces {
            out.push_str(text);
            if expression.is_empty() {
                continue;
            }
            match self.fill_one(expression) {
                Ok(filled) => out.push_str(&filled),
                Err(problem) => problems.push(problem),
            }
        }
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(problems)
        }
    }

    /// The text filled, each withheld figure still a mark (see `withheld`).
    fn fill_marked(&self, template: &str) -> Result<String, Vec<ProseError>> {
        // Most prose names no figure: Handlebars would only hand it back, at the cost of
        // parsing it.
        if !template.contains("{{") {
            return Ok(template.to_string());
        }
        if let Some((message, at)) = template_problem(template) {
            return Err(vec![ProseError {
                message,
                at: Some(at),
            }]);
        }
        // Handlebars works out the line and column of each element from the start of the
        // text, so a paragraph naming n figures would cost n²: plain expressions are filled
        // one by one, and only text with blocks is handed over whole.
        if let Some(pieces) = plain_pieces(template) {
            return self.fill_pieces(pieces, template.len());
        }
        if let Some((message, at)) = unknown_name(template) {
            return Err(vec![ProseError {
                message,
                at: Some(at),
            }]);
        }
        // Every plain figure of text with blocks is tried on its own first (figures name no
        // context), so that each failing one is listed, in a branch not taken too.
        let problems: Vec<ProseError> = plain_expressions(template)
            .into_iter()
            .filter_map(|expression| self.fill_one(expression).err())
            .collect();
        if !problems.is_empty() {
            return Err(problems);
        }
        let filled = self.registry.render_template(template, &()).map_err(|e| {
            let position = match e.reason() {
                handlebars::RenderErrorReason::TemplateError(t) => t.pos(),
                _ => e.line_no.zip(e.column_no),
            };
            let expression = position.and_then(|at| expression_at(template, at));
            vec![ProseError {
                message: plain(e.reason(), expression.as_deref().unwrap_or(template)),
                at: expression.map(|text| first_words(&text)),
            }]
        });
        // (Handlebars' output starts at 8 KiB; the document keeps this text)
        filled.map(|mut text| {
            text.shrink_to_fit();
            text
        })
    }
}

impl Prose<'_> {
    /// One plain expression (`{{pct "q2" "yes"}}`) filled, or what is wrong with it.
    fn fill_one(&self, expression: &str) -> Result<String, ProseError> {
        if let Some((message, _)) = unknown_name(expression) {
            return Err(ProseError {
                message,
                at: Some(expression.to_string()),
            });
        }
        self.fill_shaped(expression)
            .map(Ok)
            .unwrap_or_else(|| self.registry.render_template(expression, &()))
            .map_err(|e| ProseError {
                message: plain(e.reason(), expression),
                at: Some(expression.to_string()),
            })
    }

    /// `expression` filled through its shape's template, parsed once for all expressions of
    /// that shape: a report of many cases names the same figures for each (`{{count "q2"
    /// "yes" case="C00001"}}`, `… case="C00002"}}`), and parsing is most of Handlebars' cost.
    /// `None` where the expression has no simple shape or filling it fails: the caller then
    /// fills it as written, which gives the same text or the same error.
    fn fill_shaped(&self, expression: &str) -> Option<String> {
        use handlebars::Renderable;
        let (shape, values) = shape(expression)?;
        let template = {
            let mut shapes = self.shapes.lock().ok()?;
            match shapes.get(&shape) {
                Some(template) => template.clone(),
                None => {
                    let template = Arc::new(handlebars::Template::compile(&shape).ok()?);
                    shapes.insert(shape, template.clone());
                    template
                }
            }
        };
        let context = handlebars::Context::from(serde_json::Value::Object(values));
        let mut output = handlebars::StringOutput::new();
        template
            .render(
                &self.registry,
                &context,
                &mut handlebars::RenderContext::new(None),
                &mut output,
            )
            .ok()?;
        output.into_string().ok()
    }
}

/// A plain expression's shape, its quoted values replaced by names (`{{count v0 v1
/// case=v2}}`), and those values; `None` unless it is a helper name followed by double-quoted
/// values without escapes, some as `key="value"`.
fn shape(expression: &str) -> Option<(String, serde_json::Map<String, serde_json::Value>)> {
    let inner = expression.strip_prefix("{{")?.strip_suffix("}}")?;
    let mut rest = inner.trim_start();
    let name_end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
    let name = &rest[..name_end];
    if !HELPERS.contains(&name) || !rest[name_end..].starts_with(' ') {
        return None;
    }
    rest = &rest[name_end..];
    let mut shape = format!("{{{{{name}");
    let mut values = serde_json::Map::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let key_end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))?;
        let key = &rest[..key_end];
        rest = &rest[key_end..];
        if !key.is_empty() {
            rest = rest.strip_prefix('=')?;
        }
        rest = rest.strip_prefix('"')?;
        let close = rest.find('"')?;
        let value = &rest[..close];
        if value.contains(['\\', '{', '}']) {
            return None;
        }
        rest = &rest[close + 1..];
        if !(rest.is_empty() || rest.starts_with(' ')) {
            return None;
        }
        let slot = format!("v{}", values.len());
        shape.push(' ');
        if !key.is_empty() {
            shape.push_str(key);
            shape.push('=');
        }
        shape.push_str(&slot);
        values.insert(slot, serde_json::Value::String(value.to_string()));
    }
    shape.push_str("}}");
    Some((shape, values))
}

/// Up to the second space of `text`: long enough to be unique in a paragraph, short enough
/// not to cross a line break of a folded YAML string.
pub(super) fn first_words(text: &str) -> String {
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

/// The plain expressions of a text with blocks, as written: not block tags, `else`,
/// comments, partials or escaped ones.
fn plain_expressions(template: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}").map(|c| open + c + 2) else {
            break;
        };
        let tag = &rest[open..close];
        let inner = tag[2..tag.len() - 2].trim_matches(['~', ' ', '{', '}']);
        let plain = !rest[..open].ends_with('\\')
            && !inner.starts_with(['#', '/', '^', '!', '>', '{'])
            && !tag.starts_with("{{{")
            && inner != "else"
            && !inner.starts_with("else ")
            && !inner.is_empty()
            && !tag.contains('~');
        if plain {
            found.push(tag);
        }
        rest = &rest[close..];
    }
    found
}

/// The deepest nesting of `{{#…}}` blocks a template may have.
const MAX_BLOCK_DEPTH: usize = 16;

/// What Handlebars must not be asked to render: partials (`{{> p}}`, `{{#> p}}`,
/// `{{#*inline}}`), which can call themselves without end, and blocks nested deeper than
/// [`MAX_BLOCK_DEPTH`], which exhaust the parser's stack. (message, the text where it is).
pub fn template_problem(template: &str) -> Option<(String, String)> {
    // The blocks open here: name, and the text where each opens.
    let mut blocks: Vec<(&str, String)> = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        // `\{{` is text, and a comment holds no tags
        match unread(rest, open) {
            Some(Some(after)) => {
                rest = after;
                continue;
            }
            Some(None) => {
                return Some((
                    "this comment is not closed: end it with `}}`".into(),
                    rest[open..].chars().take(20).collect(),
                ));
            }
            None => {}
        }
        let tag = rest[open + 2..].trim_start_matches(['{', '~', ' ']);
        let at: String = rest[open..].chars().take(20).collect();
        let inside = &rest[open + 2..];
        if let Some(message) = tag_problem(tag, &at, &mut blocks).or_else(|| figure_problem(inside))
        {
            return Some((message, at));
        }
        rest = &rest[open + 2..];
    }
    blocks.pop().map(|(name, at)| {
        (
            format!("the block `{{{{#{name} …}}}}` is never closed: end it with `{{{{/{name}}}}}`"),
            at,
        )
    })
}

/// What is wrong with the tag `tag` (the text at `at`) among the `blocks` open before it: a
/// partial, a block nested too deep, or closed by another's name or never opened. A block
/// it opens or closes is pushed or popped.
fn tag_problem<'t>(tag: &'t str, at: &str, blocks: &mut Vec<(&'t str, String)>) -> Option<String> {
    if tag.starts_with('>') || tag.starts_with("#>") || tag.starts_with("#*") {
        return Some(
            "partials (`{{> …}}`, `{{#*inline …}}`) are not available in report text; write the text out".into(),
        );
    }
    // (`{{^name …}}` opens an inverted block; `{{^}}` alone is an else)
    let inverted = tag.starts_with('^') && !block_name(tag).is_empty();
    if tag.starts_with('#') || inverted {
        if blocks.len() + 1 > MAX_BLOCK_DEPTH {
            return Some(format!(
                "blocks (`{{{{#…}}}}`) are nested more than {MAX_BLOCK_DEPTH} deep"
            ));
        }
        blocks.push((block_name(tag), at.to_string()));
    } else if tag.starts_with('/') {
        let closing = block_name(tag);
        match blocks.pop() {
            Some((name, _)) if name == closing => {}
            Some((name, _)) => {
                return Some(format!(
                    "the block `{{{{#{name} …}}}}` is closed by `{{{{/{closing}}}}}`: close it with `{{{{/{name}}}}}`"
                ));
            }
            None => {
                return Some(format!(
                    "`{{{{/{closing}}}}}` closes a block that was never opened"
                ));
            }
        }
    }
    None
}

/// What is wrong with the figure whose tag begins `inside`: closed with one brace or not at
/// all (so it runs into the text after it), or its expressions nested too deep.
fn figure_problem(inside: &str) -> Option<String> {
    let close = inside.find("}}");
    let next_open = inside.find("{{");
    if close.is_none() || next_open.is_some_and(|n| Some(n) < close) {
        let end = next_open.unwrap_or(inside.len());
        let message = if inside[..end].contains('}') {
            "this figure is closed with one brace: end it with two, `}}`"
        } else {
            "this figure is not closed: end it with `}}`"
        };
        return Some(message.into());
    }
    let inside = &inside[..close.unwrap_or(inside.len())];
    let mut parens = 0usize;
    for c in inside.chars() {
        match c {
            '(' => parens += 1,
            ')' => parens = parens.saturating_sub(1),
            _ => {}
        }
        if parens > MAX_BLOCK_DEPTH {
            return Some(format!(
                "expressions are nested more than {MAX_BLOCK_DEPTH} deep"
            ));
        }
    }
    None
}

/// Handlebars' own helpers prose may use to choose its words (`{{#if (eq …)}}`): the rest
/// (`this`, `lookup`, `log`, `raw`, `with`, `each`) print nothing or fail in its own words.
const CHOOSING: [&str; 12] = [
    "if", "unless", "else", "eq", "ne", "gt", "gte", "lt", "lte", "and", "or", "not",
];

/// The first `{{name …}}` of `template` that names neither a figure nor one of [`CHOOSING`]:
/// what is wrong, and the text where it is.
fn unknown_name(template: &str) -> Option<(String, String)> {
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        if let Some(after) = unread(rest, open) {
            rest = after.unwrap_or("");
            continue;
        }
        let tag = rest[open + 2..].trim_start_matches(['{', '~', ' ', '#', '/', '^']);
        let name: String = tag
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'))
            .collect();
        if !name.is_empty()
            && !HELPERS.contains(&name.as_str())
            && !CHOOSING.contains(&name.as_str())
        {
            let near = crate::diag::nearest(&name, HELPERS)
                .map(|n| format!(" (did you mean {n}?)"))
                .unwrap_or_default();
            return Some((
                format!(
                    "`{name}` is not a figure prose can name{near}; the figures are {}",
                    HELPERS.join(", ")
                ),
                rest[open..].chars().take(20).collect(),
            ));
        }
        rest = &rest[open + 2..];
    }
    None
}

/// Whether the `{{` at `open` of `rest` is text Handlebars does not read as a tag: escaped
/// (`\{{`) or a comment (`{{! …}}`, `{{!-- … --}}`). `Some(Some(after))`: it is, and the
/// text after it; `Some(None)`: a comment never closed; `None`: a tag.
fn unread(rest: &str, open: usize) -> Option<Option<&str>> {
    if rest[..open].ends_with('\\') {
        return Some(Some(&rest[open + 2..]));
    }
    if !rest[open..].starts_with("{{!") {
        return None;
    }
    let close = if rest[open..].starts_with("{{!--") {
        "--}}"
    } else {
        "}}"
    };
    Some(
        rest[open..]
            .find(close)
            .map(|end| &rest[open + end + close.len()..]),
    )
}

/// The expression Handlebars failed on, at its (line, column) of `template`: from the `{{`
/// at or before that place to its `}}`.
fn expression_at(template: &str, (line, column): (usize, usize)) -> Option<String> {
    let text = template.lines().nth(line.saturating_sub(1))?;
    let at = text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i);
    // (up to two characters on, to take in a `{{` that starts there)
    let reach = text[at..]
        .char_indices()
        .nth(2)
        .map_or(text.len(), |(i, _)| at + i);
    let start = text[..reach].rfind("{{").unwrap_or(at);
    let end = text[start..]
        .find("}}")
        .map_or(text.len(), |e| start + e + 2);
    Some(text[start..end].to_string())
}

/// The name of the block a `#name …` or `/name` tag opens or closes.
fn block_name(tag: &str) -> &str {
    tag[1..]
        .trim_start()
        .split(|c: char| c.is_whitespace() || c == '}' || c == '~')
        .next()
        .unwrap_or("")
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

/// The figure helpers prose can use (in the order of [`ARGUMENTS`], which says what each
/// takes).
pub const HELPERS: [&str; ARGUMENTS.len()] = {
    let mut names = [""; ARGUMENTS.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = ARGUMENTS[i].0;
        i += 1;
    }
    names
};

/// A Handlebars failure in the words an author reads; `expression` is the figure that
/// failed, as written.
fn plain(reason: &handlebars::RenderErrorReason, expression: &str) -> String {
    use handlebars::RenderErrorReason as R;
    use handlebars::TemplateErrorReason as T;
    match reason {
        R::HelperNotFound(name) | R::MissingVariable(Some(name)) => {
            let near = crate::diag::nearest(name, HELPERS)
                .map(|n| format!(" (did you mean {n}?)"))
                .unwrap_or_default();
            format!(
                "`{name}` is not a figure prose can name{near}; the figures are {}",
                HELPERS.join(", ")
            )
        }
        R::TemplateError(error) => match error.reason() {
            T::MismatchingClosedHelper(open, close) => format!(
                "the block `{{{{#{open} …}}}}` is closed by `{{{{/{close}}}}}`: close it with `{{{{/{open}}}}}`"
            ),
            _ => {
                let inside = expression.trim_start_matches('{').trim_end_matches('}');
                let found = if inside.matches('"').count() % 2 == 1 {
                    "a quoted value is not closed (write each value between two double quotes, `\"yes\"`)".to_string()
                } else if inside.contains(['“', '”', '‘', '’', '\'']) {
                    "a value is quoted with curly or single quotes (write straight double quotes, `\"yes\"`)".to_string()
                } else if let Some(key) = named_without_value(inside) {
                    format!("`{key}=` has no value (write it as `{key}=\"…\"`)")
                } else {
                    format!("`{expression}` is not a figure as prose writes one")
                };
                format!(
                    "this figure cannot be read: {found}; a figure is written as `{{{{pct \"question\" \"option\"}}}}` (see docs/figures-in-prose.md)"
                )
            }
        },
        other => other.to_string(),
    }
}

/// The name of a `name=` inside an expression that has nothing after its `=`.
fn named_without_value(inside: &str) -> Option<&str> {
    let at = inside.find('=')?;
    let after = inside[at + 1..].chars().next();
    if !after.is_none_or(char::is_whitespace) {
        return None;
    }
    let key = inside[..at].trim_end();
    let start = key
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    Some(&key[start..])
}

/// Reads the light inline syntax. `footnote` turns a `[^id]` into its note's runs, `reference`
/// a `[@label]` into the text shown for it; either may fail with a message.
pub fn parse_inline(
    text: &str,
    footnote: &mut dyn FnMut(&str) -> Result<Vec<Inline>, String>,
    reference: &dyn Fn(&str) -> Result<String, String>,
) -> Result<Vec<Inline>, Vec<ProseError>> {
    let mut runs = Vec::new();
    let mut problems = Vec::new();
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
            ['\\', next, ..] if ESCAPED.contains(*next) => {
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
                // A failing note or reference is listed and the rest of the text still read,
                // so that every problem of the text shows at once.
                if *marker == '^' {
                    match footnote(id.trim()) {
                        Ok(body) => runs.push(Inline::Footnote { body }),
                        Err(message) => problems.push(at(message)),
                    }
                } else {
                    let target = id.trim().to_string();
                    match reference(&target) {
                        Ok(text) => runs.push(Inline::Ref { text, target }),
                        Err(message) => problems.push(at(message)),
                    }
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
    if problems.is_empty() {
        Ok(runs)
    } else {
        Err(problems)
    }
}

/// The characters a `\` before them prints as themselves; before any other, a `\` is a
/// backslash (`C:\Users`), inside emphasis as outside it.
const ESCAPED: &str = "*[]\\";

/// The text from `start` up to the closing `close` (honouring `\` escapes), and the index
/// after it.
fn delimited(chars: &[char], start: usize, close: &str) -> Option<(String, usize)> {
    let close: Vec<char> = close.chars().collect();
    let mut inner = String::new();
    let mut i = start;
    while i < chars.len() {
        if chars[i] == '\\' && i + 1 < chars.len() && ESCAPED.contains(chars[i + 1]) {
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
    #[test]
    fn an_expression_s_shape_names_its_values() {
        let (shape, values) = super::shape(r#"{{count "q2" "yes" case="C00001"}}"#).unwrap();
        assert_eq!(shape, "{{count v0 v1 case=v2}}");
        assert_eq!(values["v0"], "q2");
        assert_eq!(values["v2"], "C00001");
        for unshaped in [
            r#"{{count q2 "yes"}}"#,
            r#"{{count "q2" 'yes'}}"#,
            r#"{{count "q\"2" "yes"}}"#,
            r#"{{nothing "q2"}}"#,
            r#"{{count "q2" (pct "q2")}}"#,
            r#"{{total}}"#,
            r#"{{count "q2""yes"}}"#,
        ] {
            assert!(super::shape(unshaped).is_none(), "{unshaped}");
        }
    }

    /// Every figure the sample's prose names, filled through its shape and as written: the
    /// same text.
    #[test]
    fn a_shaped_expression_fills_as_written() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let templates = crate::Templates::load(None).unwrap();
        // and a synthetic audit, whose pages per case name figures with `case=`
        let synthetic = std::env::temp_dir().join(format!("shaped-{}", std::process::id()));
        crate::input::synthetic::generate(&synthetic, 4, 1).unwrap();
        for audit in [
            root.join("data"),
            root.join("examples/repeat-cpp-2015"),
            synthetic.clone(),
        ] {
            let prepared =
                crate::prepare(&crate::BuildOptions::new(&audit), &templates, &mut |_| {}).unwrap();
            let (mut shaped, mut of_a_case) = (0, 0);
            for (edition, _) in &prepared.documents {
                let prose = Prose::new(super::Figures::new(
                    &prepared.audit,
                    &prepared.stats,
                    edition,
                ));
                for parsed in &prepared.audit.sections {
                    for (_, text) in parsed.value.prose() {
                        for (_, expression) in super::plain_pieces(text).unwrap_or_default() {
                            let Some(filled) = prose.fill_shaped(expression) else {
                                continue;
                            };
                            let written = prose.registry.render_template(expression, &()).unwrap();
                            assert_eq!(filled, written, "{expression}");
                            shaped += 1;
                            of_a_case += usize::from(expression.contains("case="));
                        }
                    }
                }
            }
            assert!(shaped > 20, "{}: only {shaped} shaped", audit.display());
            assert!(
                audit != synthetic || of_a_case > 20,
                "{of_a_case} of a case"
            );
        }
        let _ = std::fs::remove_dir_all(&synthetic);
    }

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

    /// An escaped tag and a comment hold no tags, an inverted block is a block, and a name
    /// prose does not know is said.
    #[test]
    fn escaped_tags_comments_and_names_are_read_as_handlebars_reads_them() {
        assert_eq!(template_problem(r"a \{{#each x}} b"), None);
        assert_eq!(
            template_problem("b {{!-- {{#if x}} --}} c {{! {{#if}}"),
            None
        );
        assert_eq!(template_problem("{{^if (eq 1 1)}}no{{/if}}"), None);
        assert!(template_problem("{{!-- open").is_some());
        assert_eq!(
            unknown_name(
                r#"\{{#each x}} {{!-- {{log}} --}} {{#if (eq (count "q" "y") 1)}}{{/if}}"#
            ),
            None
        );
        assert!(
            unknown_name("{{lookup this \"x\"}}")
                .unwrap()
                .0
                .starts_with("`lookup` is not a figure")
        );
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

    /// Before any other character a backslash is one, inside emphasis as outside it (it was
    /// dropped inside: `*C:\new*` printed "C:new").
    #[test]
    fn a_backslash_before_a_letter_prints_inside_emphasis_too() {
        assert_eq!(plain(r"C:\Users\new"), vec![text(r"C:\Users\new")]);
        assert_eq!(
            plain(r"*C:\new* and **C:\Users\a\*b**"),
            vec![
                Inline::Emph {
                    text: r"C:\new".into()
                },
                text(" and "),
                Inline::Strong {
                    text: r"C:\Users\a*b".into()
                },
            ]
        );
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
            parse_inline("see [@nowhere] and [@elsewhere]", &mut notes, &refs).unwrap_err(),
            vec![
                ProseError {
                    message: "unknown label `nowhere`".into(),
                    at: Some("[@nowhere]".into())
                },
                ProseError {
                    message: "unknown label `elsewhere`".into(),
                    at: Some("[@elsewhere]".into())
                }
            ]
        );
    }
}
