//! A withheld figure in prose, in words that read. A figure helper that finds its figure
//! withheld (see `collate::disclose`) leaves a [`Withheld`] mark in the text, with what the
//! reader could work out anyway (the most the figure could be, from what is shown); once
//! the text is filled, [`resolve`] turns each mark, with the unit written after it ("… per
//! cent"), into a phrase of `withheld:` in `wording.yaml`: "a small number", "fewer than
//! 5", "no more than 16 per cent", or, where nothing true narrows it, "an undisclosed share".
//! So "In (withheld) per cent of cases" cannot be printed, and no phrase says more than the
//! edition's own figures give away.

use crate::document::words::number_words;
use serde::Deserialize;

/// Where a mark starts and ends: private-use characters no narrative can hold (the proof
/// stage refuses characters no face draws, and these are in none).
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

/// The phrases of a withheld figure (`withheld:` in `wording.yaml`). Each may name
/// `{{below}}` (the edition's threshold) and `{{bound}}` (the most the figure could be).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WithheldWording {
    /// A share whose count could only be below the threshold ("a small number").
    pub small_share: String,
    /// A share that could be at most `{{bound}}` (with its unit) and is no more than half.
    pub share_at_most: String,
    /// A share nothing shown narrows down.
    pub share: String,
    /// A count that could only be below the threshold ("fewer than {{below}}").
    pub small_count: String,
    /// A count that could be at most `{{bound}}`, no more than half its base.
    pub count_at_most: String,
    /// A count nothing shown narrows down.
    pub count: String,
    /// The same before the noun it counts ("an undisclosed number of children"); a lead's
    /// own wording written before it existed gets `count` followed by "of".
    #[serde(default)]
    pub count_of: Option<String>,
}

/// Words that may follow a count standing alone ("an undisclosed number were under five",
/// "… between 5-10 years"): any other word after it is the noun it counts, which takes
/// "of". A list of the words that are not nouns, because the nouns are the audit's own.
const NOT_A_NOUN: &[&str] = &[
    "about", "above", "across", "after", "aged", "all", "also", "among", "and", "are", "as", "at",
    "before", "being", "below", "between", "but", "by", "could", "did", "do", "does", "during",
    "for", "from", "had", "has", "have", "in", "into", "is", "may", "might", "more", "nor", "not",
    "of", "on", "or", "out", "over", "per", "said", "should", "since", "than", "that", "the",
    "then", "to", "under", "until", "was", "were", "what", "when", "where", "which", "while",
    "who", "whose", "will", "with", "within", "would",
];

/// Whether the word at the start of `rest` (after a space) is a noun a count is of.
fn noun_follows(rest: &str) -> bool {
    let Some(after) = rest.strip_prefix(' ') else {
        return false;
    };
    let word: String = after
        .chars()
        .take_while(|c| c.is_alphabetic() || *c == '-' || *c == '\'')
        .collect();
    !word.is_empty() && !NOT_A_NOUN.contains(&word.to_lowercase().as_str())
}

/// What a figure helper knows of a figure it withholds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Withheld {
    /// A share (`pct`, `words`), not a count.
    pub share: bool,
    /// The most the count could be, to the reader of `disclose`; `None`: not known.
    pub largest: Option<u32>,
    /// The base it is a count of, where shown.
    pub base: Option<u32>,
    /// The edition's threshold.
    pub below: u32,
    /// Written in words (`in_words`): "fewer than five".
    pub in_words: bool,
    /// Starts a sentence (`sentence`).
    pub capital: bool,
    /// The unit a share is written with (`words`); `pct`'s follows it in the text.
    pub unit: Option<String>,
}

impl Withheld {
    /// The mark standing in the text until [`resolve`].
    pub fn mark(&self) -> String {
        let number = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
        format!(
            "{OPEN}{}|{}|{}|{}|{}{}|{}{CLOSE}",
            if self.share { "s" } else { "c" },
            number(self.largest),
            number(self.base),
            self.below,
            if self.in_words { "W" } else { "" },
            if self.capital { "C" } else { "" },
            self.unit.as_deref().unwrap_or("\u{E002}"),
        )
    }

    /// The mark at the start of `text`, read back; `None` if `text` does not start with one.
    pub fn read(text: &str) -> Option<(Withheld, usize)> {
        let inner = text.strip_prefix(OPEN)?;
        let end = inner.find(CLOSE)?;
        let fields: Vec<&str> = inner[..end].splitn(6, '|').collect();
        let [kind, largest, base, below, flags, unit] = fields[..] else {
            return None;
        };
        Some((
            Withheld {
                share: kind == "s",
                largest: largest.parse().ok(),
                base: base.parse().ok(),
                below: below.parse().ok()?,
                in_words: flags.contains('W'),
                capital: flags.contains('C'),
                unit: (unit != "\u{E002}").then(|| unit.to_string()),
            },
            OPEN.len_utf8() + end + CLOSE.len_utf8(),
        ))
    }

    /// The phrase for this figure, `unit` the share's (" per cent", "%") where written,
    /// `of_noun` whether the text goes on with the noun it counts.
    fn phrase(&self, wording: &WithheldWording, unit: &str, of_noun: bool) -> String {
        let small = self.largest.is_some_and(|n| n < self.below);
        // "No more than" is said only where it narrows the figure to half or less: "no more
        // than 99 per cent" would read as a finding.
        let at_most = match (self.largest, self.base) {
            (Some(n), Some(base)) if base > 0 && 2 * n <= base => Some((n, base)),
            _ => None,
        };
        let number = |n: u32| {
            if self.in_words {
                number_words(u64::from(n))
            } else {
                n.to_string()
            }
        };
        let template = match (self.share, small, at_most) {
            (true, true, _) => wording.small_share.clone(),
            (true, false, Some((n, base))) => {
                // rounded up, so the bound stays true
                let percent = (100 * n).div_ceil(base);
                wording
                    .share_at_most
                    .replace("{{bound}}", &format!("{percent}{unit}"))
            }
            (true, false, None) => wording.share.clone(),
            (false, true, _) => wording.small_count.clone(),
            (false, false, Some((n, _))) => wording.count_at_most.replace("{{bound}}", &number(n)),
            (false, false, None) if of_noun => {
                (wording.count_of.clone()).unwrap_or_else(|| format!("{} of", wording.count))
            }
            (false, false, None) => wording.count.clone(),
        };
        let text = template.replace("{{below}}", &number(self.below));
        if self.capital {
            let mut chars = text.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        } else {
            text
        }
    }
}

/// Whether `text` holds a mark still to resolve.
pub fn marked(text: &str) -> bool {
    text.contains(OPEN)
}

/// `text` with every mark in words: a share's unit written after it (`{{pct}} per cent`,
/// `{{pct}}%`) is taken into the phrase.
pub fn resolve(text: &str, wording: &WithheldWording) -> String {
    if !marked(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let Some((withheld, length)) = Withheld::read(&rest[at..]) else {
            // not a mark of ours: kept, for the proof stage to refuse
            out.push(OPEN);
            rest = &rest[at + OPEN.len_utf8()..];
            continue;
        };
        rest = &rest[at + length..];
        let unit = match &withheld.unit {
            Some(unit) => unit.clone(),
            None if withheld.share => {
                let written = [" per cent", " percent", "%"]
                    .into_iter()
                    .find(|u| rest.starts_with(u));
                rest = &rest[written.map_or(0, str::len)..];
                written.map_or(String::new(), |u| {
                    if u == "%" { "%" } else { " per cent" }.to_string()
                })
            }
            None => String::new(),
        };
        out.push_str(&withheld.phrase(wording, &unit, noun_follows(rest)));
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{Withheld, WithheldWording, resolve};

    fn wording() -> WithheldWording {
        WithheldWording {
            small_share: "a small number".into(),
            share_at_most: "no more than {{bound}}".into(),
            share: "an undisclosed share".into(),
            small_count: "fewer than {{below}}".into(),
            count_at_most: "no more than {{bound}}".into(),
            count: "an undisclosed number".into(),
            count_of: None,
        }
    }

    fn share(largest: Option<u32>, base: Option<u32>) -> Withheld {
        Withheld {
            share: true,
            largest,
            base,
            below: 5,
            ..Withheld::default()
        }
    }

    #[test]
    fn a_share_reads_as_what_the_shown_figures_allow() {
        let w = wording();
        let text =
            |mark: &Withheld, after: &str| resolve(&format!("In {}{after}", mark.mark()), &w);
        // every value it could take is below 5
        assert_eq!(
            text(&share(Some(4), Some(75)), " per cent of cases"),
            "In a small number of cases"
        );
        // 1 to 11 of 70: at most 15.7 per cent, said rounded up
        assert_eq!(
            text(&share(Some(11), Some(70)), " per cent of the responses"),
            "In no more than 16 per cent of the responses"
        );
        assert_eq!(
            text(&share(Some(11), Some(70)), "% of the responses"),
            "In no more than 16% of the responses"
        );
        // one of two options is small, but either could be: nothing narrows it
        assert_eq!(
            text(&share(Some(76), Some(77)), " per cent of cases"),
            "In an undisclosed share of cases"
        );
    }

    #[test]
    fn a_count_reads_in_figures_or_words_and_starts_a_sentence() {
        let w = wording();
        let count = Withheld {
            largest: Some(6),
            base: Some(15),
            below: 5,
            in_words: true,
            ..Withheld::default()
        };
        assert_eq!(resolve(&count.mark(), &w), "no more than six");
        let small = Withheld {
            largest: Some(4),
            capital: true,
            ..count.clone()
        };
        assert_eq!(resolve(&small.mark(), &w), "Fewer than five");
        let unknown = Withheld {
            largest: None,
            ..count
        };
        assert_eq!(
            resolve(&format!("a selection ({}) of", unknown.mark()), &w),
            "a selection (an undisclosed number) of"
        );
        // before the noun it counts, "of"; standing alone, none
        let before = |after: &str| resolve(&format!("with {}{after}", unknown.mark()), &w);
        assert_eq!(
            before(" children in this sample"),
            "with an undisclosed number of children in this sample"
        );
        assert_eq!(
            before(" being under 5"),
            "with an undisclosed number being under 5"
        );
        assert_eq!(before(" of cases"), "with an undisclosed number of cases");
        assert_eq!(
            before(" between 5-10 years"),
            "with an undisclosed number between 5-10 years"
        );
        assert_eq!(before(", and"), "with an undisclosed number, and");
        assert_eq!(
            before(" Police returns"),
            "with an undisclosed number of Police returns"
        );
    }
}
