//! The audit folder's contents as typed values. (Over 500 lines: one folder's types together.)
//!
//! The audit folder's contents as plain typed values, in the audit's own words: type
//! declarations and their doc comments, one per field; split, they would scatter the
//! description of one folder across files.
//!
//! These types are what the YAML files deserialise into (see `docs/audit-folder.md`); unknown
//! keys are errors so that a misspelt key is reported with its line and column instead of being
//! silently ignored. Checks that need more than one file live in `check`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A map read from YAML that refuses a key given twice (serde's maps keep the last, so a
/// second `q2:` in a return would silently replace the first answer). The error carries
/// the line and column of the second key.
pub fn unique<'de, D, V>(deserializer: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Unique<V>(std::marker::PhantomData<V>);
    impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Unique<V> {
        type Value = BTreeMap<String, V>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map")
        }
        fn visit_map<M: serde::de::MapAccess<'de>>(
            self,
            mut map: M,
        ) -> Result<Self::Value, M::Error> {
            let mut out = BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!(
                        "`{key}` is given twice; keep one"
                    )));
                }
                let value = map.next_value()?;
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(Unique(std::marker::PhantomData))
}

/// `audit.yaml`: what the audit is, who wrote it and for whom.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuditInfo {
    /// The report's title.
    pub title: String,
    /// The board that commissioned the audit, in full.
    pub board: String,
    /// The board's short name, used in the running header ("CESCB").
    pub board_short: String,
    /// The audit lead who wrote the report.
    pub author: String,
    /// The author's role, printed after the name.
    #[serde(default)]
    pub author_role: String,
    /// The report's date, `YYYY-MM-DD`: printed on the cover and used as the PDF's date, so
    /// a rebuild of the same data gives the same bytes.
    pub date: String,
    /// Who the report is for, printed on the cover.
    pub audience: String,
    /// The audit's theme ("repeat Child Protection Plans").
    #[serde(default)]
    pub theme: String,
    /// When the case files were audited, in words ("January and February 2014").
    #[serde(default)]
    pub period: String,
    /// The agencies that may be asked for a return; returns and requests must name one of these.
    pub agencies: Vec<String>,
    /// Figures that do not come from the returns (the authority's caseload, say), by name, so
    /// prose can refer to them and a correction updates every mention.
    #[serde(default, deserialize_with = "unique")]
    pub facts: BTreeMap<String, Fact>,
    /// For a re-audit: the earlier round's audit folder, relative to this one
    /// (`../repeat-cpp-2014`), whose figures this round's are compared with.
    #[serde(default)]
    pub previous: Option<String>,
    /// What `init --from` carried from the earlier round that this round must give again: the
    /// field (`date`, `facts.cp_plans`, `editions.public.version`) → the earlier round's value.
    /// `check` warns about each field while it still holds that value.
    #[serde(
        default,
        deserialize_with = "unique",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub carried_over: BTreeMap<String, serde_json::Value>,
    /// Where a build writes, relative to this folder: `out/` and `charts/` in it when absent.
    /// Given on the command line, `--out` and `--charts` win.
    // (not handed to the wording: where files go is no part of the report)
    #[serde(default, skip_serializing)]
    pub output: Option<OutputFolders>,
    /// The lead's private list of names (children, parents, workers), one a line, that must
    /// never be printed: a file outside this folder (absolute, or relative to it), so it never
    /// travels with the audit's files. `--private-names` and `AUDIT_REPORT_PRIVATE_NAMES`
    /// win.
    // (not handed to the wording, nor to any output: only the guard reads it)
    #[serde(default, skip_serializing)]
    pub private_names: Option<String>,
}

/// `output:` in `audit.yaml`: the folders a build of this audit writes into, relative to the
/// audit folder (the sample's are `../out` and `../charts`, beside it). Neither may be, hold
/// or be inside the audit's own inputs (`returns/`, `narrative/`, the folder itself).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutputFolders {
    /// The editions' folders and the internal `records/` (default `out`).
    #[serde(default)]
    pub out: Option<String>,
    /// The chart SVGs, every figure unsuppressed (default `charts`).
    #[serde(default)]
    pub charts: Option<String>,
}

/// A figure stated in `audit.yaml` rather than collated from returns.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// The number.
    pub value: f64,
    /// What it counts, for the reader of the YAML.
    #[serde(default)]
    pub about: String,
    /// Whether it counts children, families, people or returns (the default): then a value
    /// from 1 to N−1 is withheld in an edition that suppresses small numbers. `false` for a
    /// period, an age or a rate.
    #[serde(default = "yes")]
    pub count: bool,
}

/// `questions.yaml`: the audit template.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionBank {
    /// The template's title, printed at the head of its appendix.
    pub title: String,
    /// Every question, in template order.
    pub questions: Vec<Question>,
}

/// One question of the audit template.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// The key returns and prose use for it (`q7`).
    pub id: String,
    /// The number printed in the template (`7`).
    pub number: String,
    /// The wording, as agencies saw it on the form (Appendix: the template).
    pub text: String,
    /// The wording the report's analysis prints, where it differs from the form's (without
    /// instructions to the person filling it in, such as "please comment below").
    #[serde(default)]
    pub report: Option<String>,
    /// How it is answered.
    pub kind: QuestionKind,
    /// The options to choose from (for a checklist: the answer to every item; default yes/no).
    #[serde(default)]
    pub options: Vec<Choice>,
    /// For a checklist: the items, each answered with one of the options.
    #[serde(default)]
    pub items: Vec<Choice>,
    /// Whether and how the report charts it; absent means no chart.
    #[serde(default)]
    pub chart: Option<ChartSpec>,
    /// Whether the report's analysis lists the options (or items) under the question; by
    /// default, where the chart shortens their wordings.
    #[serde(default)]
    pub list_options: Option<bool>,
    /// Whether the template has a comments box under it.
    #[serde(default = "yes")]
    pub comments: bool,
    /// In a re-audit: the earlier round's id for this question, where it changed.
    #[serde(default)]
    pub same_as: Option<String>,
    /// In a re-audit: a question the earlier round did not ask.
    #[serde(default)]
    pub new: bool,
    /// In a re-audit: the base its shares are compared on, `answered` (every return that
    /// answered, as the report's percentages are) or `applicable` (leaving out those that
    /// answered "not applicable", so a change in how often it applied is not read as a
    /// change in practice).
    #[serde(default)]
    pub compare: CompareBase,
}

/// The base a question's shares are compared on between rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CompareBase {
    /// Every return that answered.
    #[default]
    Answered,
    /// The returns where the question applied: its "not applicable" options left out.
    Applicable,
}

fn yes() -> bool {
    true
}

/// An answer or a heading as compared, the same in every format (YAML, CSV, XLSX): lowercase,
/// with each run of anything but letters and digits (spaces, punctuation, straight or curly
/// quotes, underscores) as one space, and none at either end. So `YES`, ` yes `, `Yes.`
/// all read `yes`, and `dont_know`, "Don't know" and "Don’t know" read `dont know` and
/// `don t know`. docs/audit-folder.md ("How answers are read") says so.
pub fn folded(text: &str) -> String {
    let mut out = String::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

impl Question {
    /// The options an answer is chosen from, as id and wording: a checklist without options
    /// is answered yes or no.
    pub fn answer_options(&self) -> impl Iterator<Item = (&str, &str)> {
        let yes_no = (self.options.is_empty() && self.kind == QuestionKind::Checklist)
            .then_some([("yes", "Yes"), ("no", "No")]);
        self.options
            .iter()
            .map(|o| (o.id.as_str(), o.text.as_str()))
            .chain(yes_no.into_iter().flatten())
    }

    /// The ids of its options that mean the question did not apply: those marked
    /// `not_applicable: true`, and those worded "Not applicable" or "N/A" unless marked
    /// `false`.
    pub fn not_applicable(&self) -> Vec<&str> {
        self.options
            .iter()
            .filter(|o| {
                o.not_applicable
                    .unwrap_or_else(|| matches!(folded(&o.text).as_str(), "not applicable" | "n a"))
            })
            .map(|o| o.id.as_str())
            .collect()
    }

    /// The id of the option an answer as typed means, if any: its id exactly, or failing
    /// that its id or its wording as [`folded`]. The bank is checked that no two options of
    /// a question fold alike, so at most one can match.
    pub fn option_typed(&self, typed: &str) -> Option<&str> {
        if let Some((id, _)) = self.answer_options().find(|(id, _)| *id == typed) {
            return Some(id);
        }
        let typed = folded(typed);
        if typed.is_empty() {
            return None;
        }
        self.answer_options()
            .find(|(id, text)| folded(id) == typed || folded(text) == typed)
            .map(|(id, _)| id)
    }
}

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum QuestionKind {
    /// Exactly one option.
    Single,
    /// Any number of options.
    Multiple,
    /// A list of items, each answered with one option (yes/no by default), like question 1.
    Checklist,
    /// Comments only; nothing to count.
    Text,
}

/// An option, or a checklist item.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// The key returns and prose use for it (`yes`, `dont_know`, `c`).
    pub id: String,
    /// The wording in the template.
    pub text: String,
    /// A shorter wording for chart labels; the full wording when absent.
    #[serde(default)]
    pub label: Option<String>,
    /// The wording the report's analysis prints, where it differs from the form's.
    #[serde(default)]
    pub report: Option<String>,
    /// In a re-audit: the earlier round's id for this option or item, where it changed.
    #[serde(default)]
    pub same_as: Option<String>,
    /// In a re-audit: an option or item the earlier round did not have.
    #[serde(default)]
    pub new: bool,
    /// That this option means the question did not apply; by default an option worded "Not
    /// applicable" or "N/A" does.
    #[serde(default)]
    pub not_applicable: Option<bool>,
}

impl Choice {
    /// The wording to put on a chart.
    pub fn chart_label(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.text)
    }

    /// The wording the report's analysis prints.
    pub fn report_text(&self) -> &str {
        self.report.as_deref().unwrap_or(&self.text)
    }
}

/// How a question is charted.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChartSpec {
    /// The chart's title.
    pub title: String,
    /// For a checklist, the option whose share is drawn for each item (default: the first).
    #[serde(default)]
    pub option: Option<String>,
}

/// `cases.yaml`: the audited cases.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseList {
    /// Every case in the sample.
    pub cases: Vec<Case>,
}

/// One audited case (one child). Never a name: an id the lead assigns.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The case's id (`A`, `C07`).
    pub id: String,
    /// Category of the plan (neglect, emotional abuse…).
    pub category: String,
    /// Age band (under 5, 5-10, over 10).
    pub age_band: String,
    /// Gender as recorded.
    pub gender: String,
    /// Months between the previous plan and this one.
    #[serde(default)]
    pub interval_months: Option<u32>,
    /// The agencies asked for a return on this case.
    pub requested: Vec<String>,
}

/// One agency's return for one case: a file under `returns/`.
#[derive(Debug, Clone, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawReturn {
    /// The case it is about.
    pub case: String,
    /// The agency that made it.
    pub agency: String,
    /// Answer per question id: an option id, a list of option ids (multiple choice), or a map
    /// of item id to option id (checklist). A question left out was not answered.
    #[serde(default, deserialize_with = "unique")]
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    pub answers: BTreeMap<String, serde_yaml::Value>,
    /// Comment per question id.
    #[serde(default, deserialize_with = "unique")]
    pub comments: BTreeMap<String, String>,
}

/// One section of the report: a file under `narrative/`, in file-name order.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionFile {
    /// A label for cross-references (`[@methodology]`).
    #[serde(default)]
    pub id: Option<String>,
    /// The heading, without its number.
    pub title: String,
    /// Whether the section starts a new page (the default); `false` lets it follow the
    /// last one on the same page.
    #[serde(default = "yes")]
    pub new_page: bool,
    /// The sub-sections, numbered 1.1, 1.2 …
    #[serde(default)]
    pub subsections: Vec<Subsection>,
    /// Findings, each set apart with its challenge.
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// References, as a list.
    #[serde(default)]
    pub references: Vec<String>,
    /// Appendices, numbered 1, 2 …
    #[serde(default)]
    pub appendices: Vec<Appendix>,
    /// Footnote texts by id, for `[^id]` markers in this file.
    #[serde(default, deserialize_with = "unique")]
    pub footnotes: BTreeMap<String, String>,
}

/// A sub-section; without a title its paragraphs are still numbered under it (2.1.1).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Subsection {
    /// A label for cross-references.
    #[serde(default)]
    pub id: Option<String>,
    /// The heading, without its number; none for an unheaded run of paragraphs.
    #[serde(default)]
    pub title: Option<String>,
    /// The content.
    #[serde(default)]
    pub blocks: Vec<Block>,
}

/// A piece of content, written as a map with one content key (`p: …`, `list: […]` …) and,
/// optionally, `editions: [id, …]` to show it only in those editions.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "RawBlock")]
pub struct Block {
    /// What it is.
    pub kind: BlockKind,
    /// The editions it appears in; empty for all.
    pub editions: Vec<String>,
}

/// A block as written, before checking it has exactly one content key.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawBlock {
    p: Option<String>,
    text: Option<String>,
    list: Option<Vec<String>>,
    quote: Option<String>,
    question: Option<String>,
    table: Option<String>,
    chart: Option<String>,
    #[serde(default)]
    editions: Vec<String>,
}

impl TryFrom<RawBlock> for Block {
    type Error = String;

    fn try_from(raw: RawBlock) -> Result<Self, String> {
        let kinds = [
            raw.p.map(BlockKind::P),
            raw.text.map(BlockKind::Text),
            raw.list.map(BlockKind::List),
            raw.quote.map(BlockKind::Quote),
            raw.question.map(BlockKind::Question),
            raw.table.map(BlockKind::Table),
            raw.chart.map(BlockKind::Chart),
        ];
        let mut present = kinds.into_iter().flatten();
        match (present.next(), present.next()) {
            (Some(kind), None) => Ok(Block { kind, editions: raw.editions }),
            // (`- p:` with nothing after it reads as no `p` at all)
            (None, _) => Err("a block holds nothing: give it one of `p`, `text`, `list`, `quote`, `question`, `table`, `chart` with its text after the colon (`- p:` with nothing after it counts as none), or remove it".into()),
            _ => Err("a block needs exactly one of `p`, `text`, `list`, `quote`, `question`, `table`, `chart`".into()),
        }
    }
}

/// What a block holds. Prose is a Handlebars template (for figures) in a light inline syntax.
#[derive(Debug, Clone)]
pub enum BlockKind {
    /// A numbered paragraph.
    P(String),
    /// An unnumbered paragraph.
    Text(String),
    /// A bullet list.
    List(Vec<String>),
    /// A quotation, set in italics and indented.
    Quote(String),
    /// A question of the template: its wording, options and chart.
    Question(String),
    /// The statistical-neighbour table (`neighbours`).
    Table(String),
    /// The statistical-neighbour chart (`neighbours`).
    Chart(String),
}

/// A finding and the challenge it puts to the board.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// What was found.
    pub text: String,
    /// The challenge's heading ("Challenge for CESCB").
    pub challenge_title: String,
    /// The challenge, one bullet each.
    pub challenge: Vec<String>,
    /// The board's response: what will be done, by whom and by when (the action plan).
    #[serde(default)]
    pub actions: Vec<Action>,
}

/// One action of the response to a finding.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// Its id (`a1`), unique in the audit: the tracking workbook's key.
    pub id: String,
    /// What will be done.
    pub what: String,
    /// The agency that leads it (one of `audit.yaml`'s agencies).
    pub lead_agency: String,
    /// The owner's role, never a person's name ("Head of Safeguarding").
    pub owner: String,
    /// When it is due, `YYYY-MM-DD`.
    pub due: String,
    /// How a re-audit will show it worked: the share of an answer to reach.
    #[serde(default)]
    pub measure: Option<ImpactMeasure>,
    /// Where it stands.
    #[serde(default)]
    pub status: ActionStatus,
    /// A short update on progress.
    #[serde(default)]
    pub update: Option<String>,
}

/// The measure of an action's impact: a question and option of a re-audit, and the share of
/// returns (per cent) it should reach (`at_least`, the default) or fall to (`at_most`).
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImpactMeasure {
    /// The question (or checklist item, `q1.c`).
    pub question: String,
    /// The option (ids joined by `+` are added up).
    pub option: String,
    /// The share to reach, per cent.
    pub target: f64,
    /// `at_least` (default) or `at_most`.
    #[serde(default)]
    pub direction: Direction,
}

/// Which way an impact measure should move.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The share should reach the target or more.
    #[default]
    AtLeast,
    /// The share should fall to the target or less.
    AtMost,
}

/// Where an action stands.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ActionStatus {
    /// Not started.
    #[default]
    NotStarted,
    /// Under way and on track.
    OnTrack,
    /// Under way, at risk of missing its date or aim.
    AtRisk,
    /// Done.
    Done,
}

impl ActionStatus {
    /// Every status, as written in YAML and the tracking workbook.
    pub const ALL: [(&'static str, ActionStatus); 4] = [
        ("not-started", ActionStatus::NotStarted),
        ("on-track", ActionStatus::OnTrack),
        ("at-risk", ActionStatus::AtRisk),
        ("done", ActionStatus::Done),
    ];

    /// Its id, as written.
    pub fn id(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, s)| *s == self)
            .map_or("not-started", |(id, _)| id)
    }
}

/// An appendix: written content, or generated from the question bank.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Appendix {
    /// A label for cross-references (`[@case-example]`).
    pub id: String,
    /// Its title.
    pub title: String,
    /// `question-bank` to print the audit template.
    #[serde(default)]
    pub generated: Option<String>,
    /// Written content (paragraphs are not numbered in appendices).
    #[serde(default)]
    pub blocks: Vec<Block>,
}

/// `neighbours.yaml`: the authority's figure beside its statistical neighbours'.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Neighbours {
    /// The table's caption.
    pub title: String,
    /// What the figure is, for the column header ("Repeat plans (%)").
    pub measure: String,
    /// Where the figures come from (printed as a footnote).
    #[serde(default)]
    pub source: Option<String>,
    /// One row per neighbour.
    pub rows: Vec<NeighbourRow>,
    /// The average the source states; checked against the computed mean.
    #[serde(default)]
    pub stated_average: Option<Stated>,
    /// The national average.
    pub england: Stated,
    /// This authority's own figure and when it was taken (in the chart and prose, not in
    /// the table of neighbours).
    pub this_authority: NeighbourRow,
    /// The table's label for the neighbours' average; the standard wording's when absent.
    #[serde(default)]
    pub average_label: Option<String>,
    /// The table's label for the national average; the standard wording's when absent.
    #[serde(default)]
    pub england_label: Option<String>,
}

/// A published figure, kept as it was written ("16", "16.0", "14.9") so it prints as
/// stated, and as a number to draw and compare.
#[derive(Debug, Clone, PartialEq)]
pub struct Stated {
    /// The number.
    pub number: f64,
    /// As written.
    pub text: String,
}

/// A block is written as a [`RawBlock`].
impl schemars::JsonSchema for Block {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Block".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        RawBlock::json_schema(generator)
    }
}

/// A stated figure is written as a number.
impl schemars::JsonSchema for Stated {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Stated".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "number",
            "description": "A published figure, printed as written (16, 16.0, 14.9)."
        })
    }
}

impl<'de> Deserialize<'de> for Stated {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let number = serde_yaml::Number::deserialize(deserializer)?;
        let value = number
            .as_f64()
            .ok_or_else(|| serde::de::Error::custom("expected a number"))?;
        let text = if number.is_nan() || number.is_infinite() {
            value.to_string()
        } else {
            number.to_string()
        };
        Ok(Stated {
            number: value,
            text,
        })
    }
}

/// One authority and its figure.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NeighbourRow {
    /// The authority.
    pub name: String,
    /// Its figure.
    pub value: Stated,
}

impl Neighbours {
    /// The mean of the neighbours' values (this authority's is not one of them); 0 for none.
    pub fn mean(&self) -> f64 {
        let n = self.rows.len();
        if n == 0 {
            0.0
        } else {
            self.rows.iter().map(|r| r.value.number).sum::<f64>() / n as f64
        }
    }
}

/// Something counted: a single- or multiple-choice question, or one item of a checklist.
/// Figures, charts and prose all refer to measures by id: `q2`, or `q1.c` for item c of q1.
#[derive(Debug, Clone)]
pub struct Measure {
    /// `q2`, or `q1.c`.
    pub id: String,
    /// The question it belongs to.
    pub question: String,
    /// The checklist item, for a checklist.
    pub item: Option<Choice>,
    /// The options an answer may take.
    pub options: Vec<Choice>,
    /// Whether a return picks one option or several.
    pub answers: Answers,
}

/// How a measure's counts relate to its base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Answers {
    /// One option per return: the counts add up to the base.
    #[default]
    One,
    /// Any number of options per return: the counts add up to at least the base.
    Several,
}

impl Question {
    /// The wording the report's analysis prints.
    pub fn report_text(&self) -> &str {
        self.report.as_deref().unwrap_or(&self.text)
    }

    /// The measures this question is counted by, in template order.
    pub fn measures(&self) -> Vec<Measure> {
        match self.kind {
            QuestionKind::Single | QuestionKind::Multiple => vec![Measure {
                id: self.id.clone(),
                question: self.id.clone(),
                item: None,
                options: self.options.clone(),
                answers: if self.kind == QuestionKind::Multiple {
                    Answers::Several
                } else {
                    Answers::One
                },
            }],
            QuestionKind::Checklist => self
                .items
                .iter()
                .map(|item| Measure {
                    id: format!("{}.{}", self.id, item.id),
                    question: self.id.clone(),
                    item: Some(item.clone()),
                    options: self.options.clone(),
                    answers: Answers::One,
                })
                .collect(),
            QuestionKind::Text => Vec::new(),
        }
    }
}

impl SectionFile {
    /// Whether the prose at `path` (from [`SectionFile::prose`]) is in `edition`: its
    /// sub-section or appendix is included and its block shown.
    pub fn shows(&self, path: &[String], edition: &crate::edition::Edition) -> bool {
        let index = |i: usize| path.get(i).and_then(|p| p.parse::<usize>().ok());
        let (part, blocks) = match (path.first().map(String::as_str), index(1)) {
            (Some("subsections"), Some(s)) => match self.subsections.get(s) {
                Some(sub) => (sub.id.as_deref(), &sub.blocks),
                None => return true,
            },
            (Some("appendices"), Some(a)) => match self.appendices.get(a) {
                Some(appendix) => (Some(appendix.id.as_str()), &appendix.blocks),
                None => return true,
            },
            _ => return true,
        };
        if !edition.includes(part) {
            return false;
        }
        match (path.get(2).map(String::as_str), index(3)) {
            (Some("blocks"), Some(b)) => blocks.get(b).is_none_or(|b| edition.shows(&b.editions)),
            _ => true,
        }
    }

    /// Every piece of prose in the file with its key path (for `Source::locate`): paragraphs,
    /// list items, quotes, findings, challenges, references, footnotes.
    pub fn prose(&self) -> Vec<(Vec<String>, &str)> {
        fn path(parts: &[&dyn std::fmt::Display]) -> Vec<String> {
            parts.iter().map(|p| p.to_string()).collect()
        }
        fn blocks<'a>(
            prefix: Vec<String>,
            blocks: &'a [Block],
            all: &mut Vec<(Vec<String>, &'a str)>,
        ) {
            for (b, block) in blocks.iter().enumerate() {
                let mut at = prefix.clone();
                at.extend(["blocks".to_string(), b.to_string()]);
                match &block.kind {
                    BlockKind::P(text) | BlockKind::Text(text) | BlockKind::Quote(text) => {
                        all.push((at, text.as_str()))
                    }
                    BlockKind::List(items) => {
                        for (i, item) in items.iter().enumerate() {
                            let mut at = at.clone();
                            at.extend(["list".to_string(), i.to_string()]);
                            all.push((at, item.as_str()));
                        }
                    }
                    BlockKind::Question(_) | BlockKind::Table(_) | BlockKind::Chart(_) => {}
                }
            }
        }
        let mut all = Vec::new();
        for (s, sub) in self.subsections.iter().enumerate() {
            blocks(path(&[&"subsections", &s]), &sub.blocks, &mut all);
        }
        for (a, appendix) in self.appendices.iter().enumerate() {
            blocks(path(&[&"appendices", &a]), &appendix.blocks, &mut all);
        }
        for (f, finding) in self.findings.iter().enumerate() {
            all.push((path(&[&"findings", &f, &"text"]), finding.text.as_str()));
            for (c, challenge) in finding.challenge.iter().enumerate() {
                all.push((
                    path(&[&"findings", &f, &"challenge", &c]),
                    challenge.as_str(),
                ));
            }
        }
        for (r, reference) in self.references.iter().enumerate() {
            all.push((path(&[&"references", &r]), reference.as_str()));
        }
        for (id, note) in &self.footnotes {
            all.push((path(&[&"footnotes", id]), note.as_str()));
        }
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_neighbour_mean_is_of_the_neighbours_alone() {
        let row = |number: f64| NeighbourRow {
            name: "x".into(),
            value: Stated {
                number,
                text: number.to_string(),
            },
        };
        let table = Neighbours {
            title: String::new(),
            measure: String::new(),
            source: None,
            rows: vec![row(1.0), row(2.0), row(6.0)],
            stated_average: None,
            england: row(14.9).value,
            this_authority: row(40.0),
            average_label: None,
            england_label: None,
        };
        assert_eq!(table.mean(), 3.0);
        assert_eq!(
            Neighbours {
                rows: vec![],
                ..table
            }
            .mean(),
            0.0
        );
    }
}
