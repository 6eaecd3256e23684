//! The comparisons prose chooses its words by (`{{#if (gt (count "q2" "na") 4)}}`), as
//! Handlebars' own (`eq` and `ne` on the values, the others on numbers, or text in its
//! order), but refusing a figure the edition withholds: compared as the mark it stands in
//! as, it chose a branch that had nothing to do with the figure ("four or fewer" printed
//! where there were eight); compared as the number, the words would tell what is withheld.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, JsonValue, RenderContext, RenderError,
    RenderErrorReason, ScopedJson,
};
use std::cmp::Ordering;

/// The comparisons prose may use.
pub(super) const COMPARISONS: [&str; 6] = ["eq", "ne", "gt", "gte", "lt", "lte"];

/// One of [`COMPARISONS`], by name.
pub(super) struct Comparison(pub &'static str);

impl HelperDef for Comparison {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let name = self.0;
        let (Some(x), Some(y)) = (h.param(0), h.param(1)) else {
            return Err(RenderErrorReason::Other(format!(
                "`{name}` compares two values, like `({name} (count \"q2\" \"yes\") 4)`"
            ))
            .into());
        };
        let (x, y) = (x.value(), y.value());
        if [x, y]
            .iter()
            .any(|v| v.as_str().is_some_and(super::withheld::marked))
        {
            return Err(RenderErrorReason::Other(format!(
                "`{name}` compares a figure this edition withholds: the words it chose would rest on a number the reader is not given; limit this text to other editions (`editions: [...]`)"
            ))
            .into());
        }
        let order = order(x, y);
        let holds = match name {
            "eq" => x == y,
            "ne" => x != y,
            "gt" => order == Some(Ordering::Greater),
            "gte" => matches!(order, Some(Ordering::Greater | Ordering::Equal)),
            "lt" => order == Some(Ordering::Less),
            _ => matches!(order, Some(Ordering::Less | Ordering::Equal)),
        };
        Ok(ScopedJson::Derived(JsonValue::Bool(holds)))
    }
}

/// How `x` stands to `y`: numbers (a number written as text too) by size, text in its
/// order, `false` before `true`; `None` for anything else.
fn order(x: &JsonValue, y: &JsonValue) -> Option<Ordering> {
    let number = |v: &JsonValue| match v {
        JsonValue::Number(n) => n.as_f64(),
        JsonValue::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match (x, y) {
        (JsonValue::String(a), JsonValue::String(b)) => Some(a.cmp(b)),
        (JsonValue::Bool(a), JsonValue::Bool(b)) => Some(a.cmp(b)),
        _ => number(x)?.partial_cmp(&number(y)?),
    }
}

#[cfg(test)]
mod tests {
    use super::order;
    use serde_json::json;
    use std::cmp::Ordering::*;

    #[test]
    fn numbers_compare_by_size_and_text_in_its_order() {
        assert_eq!(order(&json!(8), &json!(4)), Some(Greater));
        assert_eq!(order(&json!(4.0), &json!(4)), Some(Equal));
        assert_eq!(order(&json!("10"), &json!(9)), Some(Greater));
        assert_eq!(order(&json!("b"), &json!("a")), Some(Greater));
        assert_eq!(order(&json!(null), &json!(1)), None);
    }
}
