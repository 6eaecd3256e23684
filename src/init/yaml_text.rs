//! The next round's YAML written as text, so the earlier round's comments and order stay:
//! values as YAML reads them back, comments wrapped, top-level keys taken out whole.

/// `text` as comment lines of at most 92 characters, each starting `lead`.
pub(super) fn wrapped(text: &str, lead: &str) -> Vec<String> {
    let mut lines = vec![lead.to_string()];
    for word in text.split(' ') {
        let last = lines.last_mut().expect("one line at least");
        if last.len() > lead.len() && last.len() + 1 + word.len() > 92 {
            lines.push(format!("{lead}{word}"));
        } else {
            if last.len() > lead.len() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

/// A fact's value as JSON: a whole number without `.0`.
pub(super) fn figure(value: f64) -> serde_json::Value {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        (value as i64).into()
    } else {
        value.into()
    }
}

/// A key of `carried_over:` as YAML: plain where it can be, quoted where a fact's name needs it.
pub(super) fn key_text(key: &str) -> String {
    if key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    {
        key.to_string()
    } else {
        serde_json::to_string(key).unwrap_or_default()
    }
}

/// `text` (a YAML mapping) without the top-level keys `keys`: each key's line, the lines
/// under it, and the comment lines right above it, which are about it.
pub(super) fn without_top_level(text: &str, keys: &[&str]) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let is_key = |line: &str| {
        keys.iter().any(|k| {
            line.strip_prefix(k)
                .is_some_and(|rest| rest.starts_with(':'))
        })
    };
    let mut keep = vec![true; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        if !is_key(lines[i]) {
            i += 1;
            continue;
        }
        keep[i] = false;
        let mut above = i;
        while above > 0 && lines[above - 1].starts_with('#') {
            above -= 1;
            keep[above] = false;
        }
        i += 1;
        // its value's lines: indented, or a list's `- ` at the key's own indentation
        while i < lines.len()
            && (lines[i].starts_with(' ') || lines[i].starts_with('-') || lines[i].is_empty())
        {
            keep[i] = false;
            i += 1;
        }
    }
    let mut out: String = lines
        .iter()
        .zip(keep)
        .filter(|(_, keep)| *keep)
        .map(|(line, _)| format!("{line}\n"))
        .collect();
    // a blank line left at the end by a removed block
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::without_top_level;

    #[test]
    fn the_earlier_rounds_own_previous_and_marks_are_not_carried() {
        let text = "title: T\n# The first round.\nprevious: ../2013\ncarried_over:\n  date: '2013-01-01'\n\n  period: x\nagencies:\n- Police\n";
        assert_eq!(
            without_top_level(text, &["previous", "carried_over"]),
            "title: T\nagencies:\n- Police\n"
        );
    }
}
