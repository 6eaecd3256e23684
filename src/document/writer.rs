//! Writer: one narrative file's parts written as content blocks. (Over 500 lines: every kind
//! of block a narrative file holds is written here, one method each.) Prose is filled in,
//! with the question charts, tables and generated template questions they name.

use super::numbering::References;
use super::numbering::SectionNumbers;
use super::prose::{Inline, Prose, ProseError, parse_inline};
use super::{Content, Figure, Filler, Printed, Wording, plan, printed_text, views};
use crate::chart::Chart;
use crate::check::Audit;
use crate::collate::Stats;
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::edition::Edition;
use crate::input::model::{Block, BlockKind, Question, QuestionKind, SectionFile};
use crate::input::{Parsed, Source};
use std::collections::{BTreeMap, BTreeSet};

pub(super) struct Writer<'a> {
    pub(super) filler: &'a Filler<'a>,
    pub(super) prose: &'a Prose<'a>,
    pub(super) references: &'a References<'a>,
    pub(super) source: &'a Source,
    pub(super) file: &'a SectionFile,
    pub(super) problems: Diagnostics,
    /// Where the text being written will stand ("paragraph 3.1.1"), for `shown_in`.
    pub(super) place: String,
    /// Whether charts get their figures as a table too.
    pub(super) chart_tables: bool,
    /// Whether percentages carry their 95 % intervals (the lead's copy).
    pub(super) intervals: bool,
    /// Figures named so far, and where.
    pub(super) shown_in: BTreeMap<String, BTreeSet<String>>,
    /// Prose written so far, as printed.
    pub(super) printed: Vec<Printed>,
}

impl<'a> Writer<'a> {
    /// A writer of one narrative file of the report as `edition` prints it.
    pub(super) fn new(
        filler: &'a Filler<'a>,
        prose: &'a Prose<'a>,
        references: &'a References<'a>,
        parsed: &'a Parsed<SectionFile>,
        edition: &Edition,
    ) -> Writer<'a> {
        Writer {
            filler,
            prose,
            references,
            source: &parsed.source,
            file: &parsed.value,
            problems: Diagnostics::default(),
            place: String::new(),
            chart_tables: edition.chart_tables,
            intervals: edition.intervals,
            shown_in: BTreeMap::new(),
            printed: Vec::new(),
        }
    }

    /// Fills a wording template; a failure is recorded and leaves the text empty.
    pub(super) fn fill(&mut self, template: &str, data: &serde_json::Value) -> String {
        self.filler.fill(template, data).unwrap_or_else(|d| {
            self.problems.push(d);
            String::new()
        })
    }

    pub(super) fn at(&self, path: &[String]) -> Location {
        self.source
            .locate(&path.iter().map(String::as_str).collect::<Vec<_>>())
    }

    /// Fills and parses one piece of prose; problems are recorded at `path`, or at the failing
    /// expression inside it where that can be found.
    pub(super) fn inline(&mut self, template: &str, path: &[String]) -> Vec<Inline> {
        let (file, prose, references) = (self.file, self.prose, self.references);
        prose.take_used();
        let result = prose.fill(template).and_then(|text| {
            let mut footnote = |id: &str| -> Result<Vec<Inline>, String> {
                let note = file.footnotes.get(id).ok_or_else(|| {
                    let known: Vec<&str> = file.footnotes.keys().map(String::as_str).collect();
                    let known = if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    };
                    format!("unknown footnote `{id}`; this file's `footnotes` has {known}")
                })?;
                let messages = |problems: Vec<ProseError>| {
                    let messages: Vec<String> = problems.into_iter().map(|p| p.message).collect();
                    format!("in footnote `{id}`: {}", messages.join("; "))
                };
                let text = prose.fill(note).map_err(messages)?;
                parse_inline(
                    &text,
                    &mut |_| Err("a footnote cannot hold another footnote".into()),
                    &|l| references.text(l),
                )
                .map_err(messages)
            };
            parse_inline(&text, &mut footnote, &|l| references.text(l))
        });
        for key in prose.take_used() {
            self.shown_in
                .entry(key)
                .or_default()
                .insert(self.place.clone());
        }
        if let Ok(runs) = &result {
            self.printed.push(Printed {
                file: self.source.path.clone(),
                path: path.to_vec(),
                text: printed_text(runs),
            });
        }
        result.unwrap_or_else(|problems| {
            // Finding the line walks the file: only worth it when there is a problem to report.
            let paragraph = self.at(path);
            // Each problem is looked for after the one before, so that the same figure
            // failing twice is shown at both places.
            let mut after = paragraph.clone();
            for error in problems {
                // The whole failing expression where it stands on one line, else its first
                // words (the file may break it over two).
                // (in a double-quoted YAML string the figure's quotes are written `\"`; a
                // folded string may break it over two lines)
                let found = error.at.as_deref().and_then(|at| {
                    let escaped = at.replace('"', "\\\"");
                    let written = [at, escaped.as_str()];
                    written
                        .iter()
                        .find_map(|w| self.source.find_after(&after, w))
                        .or_else(|| {
                            written
                                .iter()
                                .find_map(|w| self.source.find_after_loose(&after, w))
                        })
                });
                if let Some(found) = &found {
                    after = Location::at(&found.path, found.line, found.column + 1);
                }
                self.problems.push(Diagnostic::error(
                    found.unwrap_or_else(|| paragraph.clone()),
                    format!("in prose: {}", error.message),
                ));
            }
            Vec::new()
        })
    }

    /// The blocks `edition` shows, written. With `numbering` (a sub-section's "3.1"), `p`
    /// paragraphs are numbered under it ("3.1.2") and each block's place is recorded.
    pub(super) fn blocks(
        &mut self,
        blocks: &[Block],
        at: &[String; 2],
        numbering: Option<&str>,
        edition: &Edition,
        audit: &Audit,
        charts: &[Chart],
    ) -> Vec<Content> {
        let mut written = Vec::new();
        let mut paragraph = 0;
        for (b, block) in blocks.iter().enumerate() {
            // Paragraphs keep the full report's numbers in every edition: one that prints
            // nothing as written (a note to self) takes none, in any.
            let is_paragraph = match &block.kind {
                BlockKind::P(text) => crate::input::pack::shows_something_as_written(text),
                _ => false,
            };
            if is_paragraph {
                paragraph += 1;
            } else if matches!(block.kind, BlockKind::P(_)) {
                continue;
            }
            // A block the edition leaves out, or one pointing to a part it leaves out ("see
            // Appendix 1"), is dropped with it.
            if !edition.shows(&block.editions) || self.points_outside(block) {
                continue;
            }
            let path = [
                at[0].clone(),
                at[1].clone(),
                "blocks".to_string(),
                b.to_string(),
            ];
            let mut number = None;
            if let Some(prefix) = numbering {
                if is_paragraph {
                    number = Some(format!("{prefix}.{paragraph}"));
                }
                self.place = match &number {
                    Some(n) => format!("paragraph {n}"),
                    None => format!("section {prefix}"),
                };
            }
            // (one its figures fill with nothing keeps its number, a gap, as a paragraph the
            // edition leaves out does: the numbers are the same in every edition)
            let content = self.block(block, number, &path, audit, charts);
            written.extend(content.and_then(printing));
        }
        written
    }

    /// A question's chart as the report places it: its caption filled in (title, base,
    /// what is withheld), its alt text, and its measures recorded as shown in it.
    fn chart_figure(&mut self, c: &Chart, question: &Question) -> Figure {
        let base = match c.base {
            Some((low, high)) if low == high => low.to_string(),
            Some((low, high)) => format!("{low} to {high}"),
            None => crate::document::words::WITHHELD.to_string(),
        };
        let data = serde_json::json!({
            "title": c.title,
            "base": base,
            "withheld_below": c.withheld_below,
            "share_of": c.share_of,
        });
        for measure in question.measures() {
            self.shown_in
                .entry(measure.id)
                .or_default()
                .insert(format!("chart {}", c.id));
        }
        Figure {
            chart: c.id.clone(),
            path: format!("/charts/{}.svg", c.id),
            caption: self.fill(&self.filler.wording.chart_caption, &data),
            alt: c.alt.clone(),
        }
    }

    /// A question of the template with its lettered options (where listed), its chart and
    /// the chart's table of figures (where the edition prints them).
    fn question(&mut self, id: &str, audit: &Audit, charts: &[Chart]) -> Option<Content> {
        let question = audit.bank.questions.iter().find(|q| q.id == id)?;
        let choices = choices(question);
        let chart = charts
            .iter()
            .find(|c| c.id == id)
            .map(|c| self.chart_figure(c, question));
        let intervals = self.intervals;
        let table = self
            .chart_tables
            .then(|| {
                charts
                    .iter()
                    .find(|c| c.id == id)
                    .map(|c| chart_rows(c, intervals))
            })
            .flatten();
        let table_caption = match (&table, &question.chart) {
            (Some(_), Some(spec)) => Some(self.fill(
                &self.filler.wording.chart_table_caption,
                &serde_json::json!({ "title": spec.title }),
            )),
            _ => None,
        };
        Some(Content::Question {
            text: question.report_text().to_string(),
            choices,
            chart,
            table,
            table_caption,
        })
    }

    /// Whether `block`'s text refers (`[@label]`) to a part of the report this edition leaves
    /// out.
    fn points_outside(&self, block: &Block) -> bool {
        let texts: Vec<&str> = match &block.kind {
            BlockKind::P(t) | BlockKind::Text(t) | BlockKind::Quote(t) => vec![t],
            BlockKind::List(items) => items.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        };
        texts.iter().any(|text| {
            text.match_indices("[@").any(|(at, _)| {
                let rest = &text[at + 2..];
                let label = &rest[..rest.find(']').unwrap_or(rest.len())];
                self.references.leaves_out(label)
            })
        })
    }

    pub(super) fn block(
        &mut self,
        block: &Block,
        number: Option<String>,
        path: &[String],
        audit: &Audit,
        charts: &[Chart],
    ) -> Option<Content> {
        Some(match &block.kind {
            BlockKind::P(text) => Content::Paragraph {
                number,
                runs: self.inline(text, path),
            },
            BlockKind::Text(text) => Content::Paragraph {
                number: None,
                runs: self.inline(text, path),
            },
            BlockKind::Quote(text) => Content::Quote {
                runs: self.inline(text, path),
            },
            BlockKind::List(items) => Content::List {
                items: items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let mut p = path.to_vec();
                        p.push(i.to_string());
                        self.inline(item, &p)
                    })
                    .collect(),
            },
            BlockKind::Question(id) => self.question(id, audit, charts)?,
            BlockKind::Table(_) => neighbour_table(audit, self.filler.wording)?,
            BlockKind::Chart(_) => {
                let chart = charts.iter().find(|c| c.id == "neighbours")?;
                Content::Chart {
                    figure: Figure {
                        chart: chart.id.clone(),
                        path: "/charts/neighbours.svg".into(),
                        caption: chart.title.clone(),
                        alt: chart.alt.clone(),
                    },
                }
            }
        })
    }
}

/// `content` less what its figures filled with nothing to print (a `{{#if …}}` that chose no
/// words, a comment, emphasis around nothing): a paragraph or quote prints nothing, a list
/// only its bullets with words; `None` when nothing is left. Never an empty paragraph
/// number or bullet.
pub(super) fn printing(content: Content) -> Option<Content> {
    let shows = |runs: &[Inline]| {
        runs.iter().any(|run| match run {
            Inline::Text { text } | Inline::Strong { text } | Inline::Emph { text } => {
                crate::input::pack::shows_something(text)
            }
            Inline::Footnote { .. } | Inline::Ref { .. } => true,
        })
    };
    match content {
        Content::Paragraph { runs, .. } | Content::Quote { runs } if !shows(&runs) => None,
        Content::List { items } => {
            let items: Vec<Vec<Inline>> = items.into_iter().filter(|i| shows(i)).collect();
            (!items.is_empty()).then_some(Content::List { items })
        }
        content => Some(content),
    }
}

pub(super) fn letter(i: usize) -> char {
    (b'a' + (i % 26) as u8) as char
}

pub(super) fn neighbour_table(audit: &Audit, wording: &Wording) -> Option<Content> {
    let table = &audit.neighbours.as_ref()?.value;
    let rows = table
        .rows
        .iter()
        .map(|r| vec![r.name.clone(), r.value.text.clone()])
        .collect();
    // Rows and labels come from the data: the neighbours, their average (computed, to the
    // rows' one decimal) and the national figure as stated. This authority's own figure is
    // in the chart and the prose.
    let average = crate::document::words::one_decimal_fixed(table.mean());
    let label = |own: &Option<String>, standard: &String| own.clone().unwrap_or(standard.clone());
    let footer = vec![
        vec![
            label(&table.average_label, &wording.neighbour_average),
            average,
        ],
        vec![
            label(&table.england_label, &wording.neighbour_england),
            table.england.text.clone(),
        ],
    ];
    Some(Content::Table {
        caption: table.title.clone(),
        header: vec![
            wording.neighbour_name_heading.clone(),
            table.measure.clone(),
        ],
        rows,
        footer,
        note: table.source.clone(),
    })
}

/// The question bank as the form printed it. A working copy notes a question that repeats an
/// earlier one's wording (`duplicate_note`); other editions print the form as it was.
pub(super) fn template_questions(
    audit: &Audit,
    working_copy: bool,
    filler: &Filler,
) -> Vec<Content> {
    let questions = &audit.bank.questions;
    questions
        .iter()
        .enumerate()
        .map(|(i, q)| Content::TemplateQuestion {
            number: format!("{})", q.number),
            note: questions[..i]
                .iter()
                .find(|earlier| earlier.text.trim().eq_ignore_ascii_case(q.text.trim()))
                .filter(|_| working_copy)
                .and_then(|earlier| {
                    filler
                        .fill(
                            &filler.wording.duplicate_note,
                            &serde_json::json!({ "first": earlier.number }),
                        )
                        .ok()
                }),
            text: q.text.clone(),
            items: q.items.iter().map(|i| i.text.clone()).collect(),
            options: if q.kind == QuestionKind::Checklist {
                Vec::new()
            } else {
                q.options.iter().map(|o| o.text.clone()).collect()
            },
            comments: q.comments,
        })
        .collect()
}

impl Writer<'_> {
    /// One section's heading and content: its sub-sections (paragraphs numbered under them),
    /// findings, references and appendices, as the edition includes them.
    pub(super) fn section(
        &mut self,
        number: usize,
        numbers: &SectionNumbers,
        edition: &Edition,
        audit: &Audit,
        stats: &Stats,
        charts: &[Chart],
    ) -> (String, Vec<Content>) {
        let file = self.file;
        let heading = self.fill(
            &self.filler.wording.section_heading,
            &serde_json::json!({ "number": number, "title": file.title }),
        );
        let mut blocks = Vec::new();
        blocks.extend(self.subsections(number, numbers, edition, audit, charts));
        blocks.extend(self.findings(numbers));
        self.place = heading.clone();
        blocks.extend(self.references());
        blocks.extend(self.appendices(numbers, edition, audit, stats, charts));
        (heading, blocks)
    }

    /// The sub-sections the edition includes, numbered under the section.
    fn subsections(
        &mut self,
        number: usize,
        numbers: &SectionNumbers,
        edition: &Edition,
        audit: &Audit,
        charts: &[Chart],
    ) -> Vec<Content> {
        let shown: Vec<(usize, &crate::input::model::Subsection, String)> = self
            .file
            .subsections
            .iter()
            .enumerate()
            .zip(&numbers.subsections)
            .filter_map(|((s, sub), n)| n.map(|n| (s, sub, format!("{number}.{n}"))))
            .collect();
        // A report with a sub-section for each case has thousands: they are written a share
        // per core, each share by a writer of its own, and joined in order.
        let this = &*self;
        let shares = crate::parallel::map_shares(&shown, 256, |share| {
            let mut writer = this.fork();
            let mut blocks = Vec::new();
            for (s, sub, sub_number) in share {
                blocks.extend(writer.subsection(*s, sub, sub_number, edition, audit, charts));
            }
            (blocks, writer.problems, writer.shown_in, writer.printed)
        });
        let mut blocks = Vec::new();
        for (written, problems, shown_in, mut printed) in shares {
            blocks.extend(written);
            self.problems.extend(problems);
            for (key, places) in shown_in {
                self.shown_in.entry(key).or_default().extend(places);
            }
            self.printed.append(&mut printed);
        }
        blocks
    }

    /// A writer of the same file for the same edition, with nothing written yet.
    fn fork(&self) -> Self {
        Writer {
            problems: Diagnostics::default(),
            place: String::new(),
            shown_in: BTreeMap::new(),
            printed: Vec::new(),
            ..*self
        }
    }

    /// One sub-section: its heading (where it has a title) and the blocks the edition shows.
    fn subsection(
        &mut self,
        s: usize,
        sub: &crate::input::model::Subsection,
        sub_number: &str,
        edition: &Edition,
        audit: &Audit,
        charts: &[Chart],
    ) -> Vec<Content> {
        let mut blocks = Vec::new();
        if let Some(title) = &sub.title {
            let text = self.fill(
                &self.filler.wording.subsection_heading,
                &serde_json::json!({ "number": sub_number, "title": title }),
            );
            blocks.push(Content::Subheading {
                text,
                label: sub.id.clone(),
            });
        }
        let at = ["subsections".to_string(), s.to_string()];
        blocks.extend(self.blocks(&sub.blocks, &at, Some(sub_number), edition, audit, charts));
        blocks
    }

    /// The findings, each with its challenge.
    fn findings(&mut self, numbers: &SectionNumbers) -> Vec<Content> {
        let file = self.file;
        let mut blocks = Vec::new();
        for ((f, finding), finding_number) in
            file.findings.iter().enumerate().zip(&numbers.findings)
        {
            let Some(finding_number) = finding_number else {
                continue;
            };
            let title = self.fill(
                &self.filler.wording.finding_title,
                &serde_json::json!({ "number": finding_number }),
            );
            self.place = title.clone();
            let path = |key: &str| vec!["findings".to_string(), f.to_string(), key.to_string()];
            let runs = self.inline(&finding.text, &path("text"));
            let challenge = finding
                .challenge
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let mut p = path("challenge");
                    p.push(i.to_string());
                    self.inline(c, &p)
                })
                .collect();
            blocks.push(Content::Finding {
                title,
                label: format!("finding-{finding_number}"),
                runs,
                challenge_title: finding.challenge_title.clone(),
                challenge,
            });
        }
        blocks
    }

    /// The references, as one list.
    fn references(&mut self) -> Vec<Content> {
        let file = self.file;
        let mut blocks = Vec::new();
        if !file.references.is_empty() {
            let items = file
                .references
                .iter()
                .enumerate()
                .map(|(i, r)| self.inline(r, &["references".to_string(), i.to_string()]))
                .collect();
            blocks.push(Content::List { items });
        }
        blocks
    }

    /// The appendices the edition includes: written, or generated from the data.
    fn appendices(
        &mut self,
        numbers: &SectionNumbers,
        edition: &Edition,
        audit: &Audit,
        stats: &Stats,
        charts: &[Chart],
    ) -> Vec<Content> {
        let file = self.file;
        let mut blocks = Vec::new();
        for ((a, appendix), appendix_number) in
            file.appendices.iter().enumerate().zip(&numbers.appendices)
        {
            let Some(appendix_number) = appendix_number else {
                continue;
            };
            let text = self.fill(
                &self.filler.wording.appendix_heading,
                &serde_json::json!({ "number": appendix_number, "title": appendix.title }),
            );
            self.place = text.clone();
            blocks.push(Content::Subheading {
                text,
                label: Some(appendix.id.clone()),
            });
            match appendix.generated.as_deref() {
                Some("question-bank") => {
                    blocks.push(Content::Paragraph {
                        number: None,
                        runs: vec![Inline::Strong {
                            text: audit.bank.title.clone(),
                        }],
                    });
                    blocks.extend(template_questions(audit, edition.working_copy, self.filler));
                }
                Some("cases") => blocks.extend(views::case_summaries(audit, stats, self.filler)),
                Some("agencies") => blocks.extend(views::agency_figures(audit, stats, self.filler)),
                Some("comments") => blocks.extend(views::comments_annex(audit)),
                Some("action-plan") => {
                    let plan = plan::action_plan(audit, stats, edition, self.filler);
                    blocks.extend(plan.blocks);
                    self.printed.extend(plan.printed);
                    for measure in plan.measures {
                        let places = self.shown_in.entry(measure).or_default();
                        places.insert("action plan".to_string());
                    }
                }
                _ => {}
            }
            let at = ["appendices".to_string(), a.to_string()];
            blocks.extend(self.blocks(&appendix.blocks, &at, None, edition, audit, charts));
        }
        blocks
    }
}

/// The options (or a checklist's items) listed under a question, lettered: where the bank
/// says so, else where the chart shortens the wordings (the reader needs the full ones
/// somewhere).
fn choices(question: &Question) -> Vec<String> {
    let list = if question.kind == QuestionKind::Checklist {
        &question.items
    } else {
        &question.options
    };
    let shortened = list
        .iter()
        .any(|c| c.label.as_ref().is_some_and(|l| l != &c.text));
    if question.list_options.unwrap_or(shortened) {
        list.iter()
            .enumerate()
            .map(|(i, c)| format!("{}) {}", letter(i), c.report_text()))
            .collect()
    } else {
        Vec::new()
    }
}

/// A chart's figures as rows of a table beside it; with `intervals` (the lead's copy),
/// every percentage with its 95 % interval.
fn chart_rows(c: &Chart, intervals: bool) -> Vec<[String; 3]> {
    let mut rows = c.rows.clone();
    for (row, interval) in rows.iter_mut().zip(&c.intervals) {
        if let Some(i) = interval.filter(|_| intervals) {
            row[2] = format!("{} ({:.1} to {:.1})", row[2], i.low * 100.0, i.high * 100.0);
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    /// A sub-section per case, hundreds of them, is written a share per core: every case's
    /// page still names its own figures, in order, and every paragraph is recorded where
    /// it shows its figures (each thread records what its own prose named).
    #[test]
    fn many_subsections_written_in_shares_keep_their_order_and_their_figures() {
        let audit = std::env::temp_dir().join(format!("shares-{}", std::process::id()));
        let cases = 600;
        crate::input::synthetic::generate(&audit, cases, 1).unwrap();
        let templates = crate::Templates::load(None).unwrap();
        let prepared =
            crate::prepare(&crate::BuildOptions::new(&audit), &templates, &mut |_| {}).unwrap();
        std::fs::remove_dir_all(&audit).unwrap();
        let (_, document) = &prepared.documents[0];
        let pages: Vec<&super::Printed> = document
            .printed
            .iter()
            .filter(|p| p.file.ends_with("03-cases.yaml") && p.path[3] == "0")
            .collect();
        assert_eq!(pages.len(), cases);
        for (k, (printed, case)) in pages.iter().zip(&prepared.audit.cases).enumerate() {
            assert_eq!(printed.path[1], k.to_string(), "in the narrative's order");
            let base = prepared.stats.by_case[&case.id].measures["q2"].base;
            let expected = format!("For this case {base} agencies answered about oversight");
            assert!(printed.text.starts_with(&expected), "{}", printed.text);
        }
        let places = &document.shown_in["q1.c"];
        for k in 1..=cases {
            assert!(places.contains(&format!("paragraph 3.{k}.1")), "3.{k}.1");
        }
    }
}
