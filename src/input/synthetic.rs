//! A synthetic audit of any size, for benchmarks and demonstrations: seeded and
//! deterministic, so the same size and seed always give the same files.
//!
//! Twelve charted questions (single choice, checklists, multiple choice) and a comments-only
//! one; six agencies asked per case, about nine in ten answering; narrative with a section of
//! figures per question and a sub-section of figures per case, so pages grow with cases.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// A small, fast, seeded generator (SplitMix64): good enough to spread answers, and no
/// dependency.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// An index drawn with the given weights.
    fn weighted(&mut self, weights: &[usize]) -> usize {
        let mut pick = self.below(weights.iter().sum());
        for (i, w) in weights.iter().enumerate() {
            if pick < *w {
                return i;
            }
            pick -= w;
        }
        weights.len() - 1
    }
}

const AGENCIES: [&str; 6] = [
    "Children's Social Care",
    "Health",
    "Police",
    "Schools",
    "Early Help",
    "Voluntary Sector",
];

/// An option: id, wording, and how often it is chosen relative to the others.
type WeightedOption = (&'static str, &'static str, usize);

/// (id, wording, options) of the single-choice questions.
const SINGLE: [(&str, &str, &[WeightedOption]); 8] = [
    (
        "q2",
        "Is there evidence of management oversight of the case?",
        &[
            ("yes", "Yes", 8),
            ("no", "No", 1),
            ("na", "Not applicable", 1),
        ],
    ),
    (
        "q3",
        "Are the tasks and dates for completion for your agency clear?",
        &[
            ("yes", "Yes", 6),
            ("no", "No", 1),
            ("na", "Not applicable", 3),
        ],
    ),
    (
        "q4",
        "Is your agency clear how its work will impact on the child?",
        &[
            ("yes", "Yes", 7),
            ("no", "No", 1),
            ("na", "Not applicable", 2),
        ],
    ),
    (
        "q5",
        "Has your agency contributed to knowledge of the child's daily life?",
        &[("yes", "Yes", 9), ("no", "No", 1)],
    ),
    (
        "q6",
        "Has a professional been identified to see the child alone?",
        &[
            ("mine", "Yes, my agency", 2),
            ("other", "Yes, another agency", 3),
            ("dont_know", "Don't know", 4),
            ("no", "No", 1),
        ],
    ),
    (
        "q7",
        "Has a professional been identified to explain the plan to the child?",
        &[
            ("mine", "Yes, my agency", 2),
            ("other", "Yes, another agency", 3),
            ("dont_know", "Don't know", 4),
            ("no", "No", 1),
        ],
    ),
    (
        "q8",
        "Did your agency raise concerns between plans?",
        &[("yes", "Yes", 3), ("no", "No", 7)],
    ),
    (
        "q9",
        "Are the concerns similar to those of the previous plan?",
        &[
            ("same", "Yes, the same issues", 3),
            ("more", "Yes, with additional concerns", 4),
            ("different", "No, different concerns", 1),
            ("dont_know", "Don't know", 2),
        ],
    ),
];

/// Writes a synthetic audit of `cases` cases into `dir` (created if needed).
pub fn generate(dir: &Path, cases: usize, seed: u64) -> io::Result<()> {
    let mut random = Random(seed);
    let _ = fs::remove_dir_all(dir.join("returns"));
    let _ = fs::remove_dir_all(dir.join("narrative"));
    fs::create_dir_all(dir.join("returns"))?;
    fs::create_dir_all(dir.join("narrative"))?;
    let agencies = AGENCIES
        .iter()
        .map(|a| format!("  - {a}\n"))
        .collect::<String>();
    fs::write(
        dir.join("audit.yaml"),
        format!(
            "title: Synthetic multi-agency case audit ({cases} cases)\nboard: Example Safeguarding Partnership\nboard_short: ESP\nauthor: Benchmark\ndate: 2025-03-31\naudience: Benchmark runs\nagencies:\n{agencies}"
        ),
    )?;
    fs::write(dir.join("questions.yaml"), question_bank())?;

    let mut case_list = String::from("cases:\n");
    let mut returns = 0;
    for c in 1..=cases {
        let id = format!("C{c:05}");
        let band = ["under 5", "5-10", "over 10"][random.below(3)];
        let category = ["neglect", "emotional abuse", "physical abuse"][random.below(3)];
        let gender = ["female", "male"][random.below(2)];
        writeln!(case_list, "  - {{id: {id}, category: {category}, age_band: {band}, gender: {gender}, requested: [{}]}}", AGENCIES.join(", ")).ok();
        for (a, agency) in AGENCIES.iter().enumerate() {
            // Children's Social Care always answers; others nine times in ten.
            if a > 0 && random.below(10) == 0 {
                continue;
            }
            returns += 1;
            fs::write(
                dir.join("returns").join(format!("{id}-{a}.yaml")),
                one_return(&id, agency, &mut random),
            )?;
        }
    }
    fs::write(dir.join("cases.yaml"), case_list)?;
    fs::write(dir.join("narrative/01-introduction.yaml"), introduction())?;
    fs::write(dir.join("narrative/02-analysis.yaml"), analysis())?;
    fs::write(dir.join("narrative/03-cases.yaml"), case_pages(cases))?;
    let _ = returns;
    Ok(())
}

fn question_bank() -> String {
    let mut text = String::from("title: Synthetic audit template\nquestions:\n");
    text.push_str("  - id: q1\n    number: \"1\"\n    text: Does your agency's file contain the following?\n    kind: checklist\n    items:\n");
    for (id, item) in [
        ("a", "Basic information"),
        ("b", "Other agencies involved"),
        ("c", "Chronology"),
        ("d", "Conference papers"),
        ("e", "An alert"),
    ] {
        writeln!(text, "      - {{id: {id}, text: {item}}}").ok();
    }
    text.push_str("    chart: {title: File contents}\n");
    for (id, wording, options) in SINGLE {
        writeln!(text, "  - id: {id}\n    number: \"{}\"\n    text: \"{wording}\"\n    kind: single\n    options:", &id[1..]).ok();
        for (option, label, _) in options {
            writeln!(text, "      - {{id: {option}, text: \"{label}\"}}").ok();
        }
        writeln!(
            text,
            "    chart: {{title: \"{}\"}}",
            wording.trim_end_matches('?')
        )
        .ok();
    }
    text.push_str("  - id: q10\n    number: \"10\"\n    text: Which support followed the last plan?\n    kind: multiple\n    options:\n      - {id: cin, text: Child in Need plan}\n      - {id: caf, text: Early help assessment}\n      - {id: none, text: None}\n    chart: {title: Support after the last plan}\n");
    text.push_str("  - id: q11\n    number: \"11\"\n    text: Was the plan reviewed on time?\n    kind: checklist\n    options:\n      - {id: yes, text: \"Yes\"}\n      - {id: late, text: Late}\n      - {id: no, text: \"No\"}\n    items:\n      - {id: a, text: First review}\n      - {id: b, text: Second review}\n    chart: {title: Reviews on time}\n");
    text.push_str("  - id: q12\n    number: \"12\"\n    text: Which agencies attended the core group?\n    kind: multiple\n    options:\n      - {id: csc, text: Social care}\n      - {id: health, text: Health}\n      - {id: school, text: School}\n      - {id: police, text: Police}\n    chart: {title: Core group attendance}\n");
    text.push_str(
        "  - id: q13\n    number: \"13\"\n    text: Any other comments?\n    kind: text\n",
    );
    text
}

fn one_return(case: &str, agency: &str, random: &mut Random) -> String {
    let mut text = format!("case: {case}\nagency: {agency}\nanswers:\n");
    let yes_no = |r: &mut Random| if r.below(10) < 8 { "yes" } else { "no" };
    let items: Vec<String> = ["a", "b", "c", "d", "e"]
        .iter()
        .map(|i| format!("{i}: {}", yes_no(random)))
        .collect();
    writeln!(text, "  q1: {{{}}}", items.join(", ")).ok();
    for (id, _, options) in SINGLE {
        // about one answer in twenty is left blank
        if random.below(20) == 0 {
            continue;
        }
        let weights: Vec<usize> = options.iter().map(|o| o.2).collect();
        writeln!(text, "  {id}: {}", options[random.weighted(&weights)].0).ok();
    }
    let support: Vec<&str> = ["cin", "caf"]
        .into_iter()
        .filter(|_| random.below(2) == 0)
        .collect();
    writeln!(
        text,
        "  q10: [{}]",
        if support.is_empty() {
            "none".to_string()
        } else {
            support.join(", ")
        }
    )
    .ok();
    let review = |r: &mut Random| ["yes", "late", "no"][r.weighted(&[6, 3, 1])];
    writeln!(
        text,
        "  q11: {{a: {}, b: {}}}",
        review(random),
        review(random)
    )
    .ok();
    let attended: Vec<&str> = ["csc", "health", "school", "police"]
        .into_iter()
        .filter(|_| random.below(3) > 0)
        .collect();
    if !attended.is_empty() {
        writeln!(text, "  q12: [{}]", attended.join(", ")).ok();
    }
    text.push_str(
        "comments:\n  q13: Recording was clear and the plan was shared with all agencies.\n",
    );
    text
}

fn introduction() -> String {
    "title: Introduction\nsubsections:\n  - title: The audit\n    blocks:\n      - p: >-\n          The audit looked at {{total \"cases\"}} cases. Of {{total \"requests\"}} requests for a return, {{total \"returns\"}}\n          came back ({{total \"response_rate\"}} per cent).\n      - p: >-\n          Agencies were asked about their files, the plan, the child's daily life and what happened between\n          plans. This report gives the figures for all cases together, then for each case.\n      - list: [File and record keeping, The child's daily lived experience, Repeat plans]\n".to_string()
}

fn analysis() -> String {
    let mut text = String::from("title: Analysis\nsubsections:\n");
    let mut question = |id: &str, figure: &str| {
        writeln!(
            text,
            "  - blocks:\n      - question: {id}\n      - p: >-\n          {figure}\n      - p: >-\n          Comments from auditors describe the practice behind these figures, and where it could improve.\n          They are summarised in the findings."
        )
        .ok();
    };
    question(
        "q1",
        "A chronology was on file in {{words \"q1.c\" \"yes\" \"over\"}} of returns ({{count \"q1.c\" \"yes\"}} of {{base \"q1.c\"}}).",
    );
    for (id, _, options) in SINGLE {
        let first = options[0].0;
        let last = options[options.len() - 1].0;
        question(
            id,
            &format!(
                "{{{{pct \"{id}\" \"{first}\"}}}} per cent of the {{{{base \"{id}\"}}}} returns that answered chose the first option, and {{{{words \"{id}\" \"{last}\" \"nearly\"}}}} the last."
            ),
        );
    }
    question(
        "q10",
        "A Child in Need plan followed in {{words \"q10\" \"cin\"}} of returns.",
    );
    question(
        "q11",
        "The first review was on time in {{words \"q11.a\" \"yes\" \"just over\"}} of returns.",
    );
    question(
        "q12",
        "Health attended the core group in {{pct \"q12\" \"health\"}} per cent of returns.",
    );
    text
}

fn case_pages(cases: usize) -> String {
    let mut text = String::from("title: Each case\nid: case-pages\nsubsections:\n");
    for c in 1..=cases {
        let id = format!("C{c:05}");
        writeln!(
            text,
            "  - title: Case {id}\n    blocks:\n      - p: >-\n          For this case {{{{base \"q2\" case=\"{id}\"}}}} agencies answered about oversight; {{{{count \"q2\" \"yes\" case=\"{id}\"}}}}\n          found evidence of it. A chronology was on file in {{{{count \"q1.c\" \"yes\" case=\"{id}\"}}}} of\n          {{{{base \"q1.c\" case=\"{id}\"}}}} returns, and {{{{count \"q6\" \"dont_know\" case=\"{id}\"}}}} could not say whether\n          anyone sees the child alone.\n      - p: >-\n          The concerns were judged similar to those of the previous plan in {{{{count \"q9\" \"same+more\" case=\"{id}\"}}}}\n          returns. Review timeliness: {{{{count \"q11.a\" \"yes\" case=\"{id}\"}}}} on time, {{{{count \"q11.a\" \"late\" case=\"{id}\"}}}} late.\n      - list:\n          - \"Agencies asked for a return: six\"\n          - Core group attended by health in {{{{count \"q12\" \"health\" case=\"{id}\"}}}} returns"
        )
        .ok();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_audit() {
        let dir =
            std::env::temp_dir().join(format!("audit-report-synthetic-{}", std::process::id()));
        generate(&dir.join("a"), 3, 7).unwrap();
        generate(&dir.join("b"), 3, 7).unwrap();
        for file in [
            "cases.yaml",
            "returns/C00002-0.yaml",
            "narrative/03-cases.yaml",
        ] {
            let a = fs::read_to_string(dir.join("a").join(file));
            assert_eq!(
                a.ok(),
                fs::read_to_string(dir.join("b").join(file)).ok(),
                "{file}"
            );
        }
        fs::remove_dir_all(&dir).unwrap();
    }
}
