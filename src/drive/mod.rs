//! What runs the stages for `lib.rs`, so that it reads as the pipeline: drafting every
//! document with the guard's scan of the inputs on a thread of its own ([`draft`]), and
//! typesetting with the checks of what prints and the staging of the output set beside it
//! ([`typeset`]). It may name any stage; no stage names it.

pub mod draft;
pub mod typeset;

use crate::check::Audit;
use crate::input::model::{Block, BlockKind};
use std::time::{Duration, Instant};

/// Whether the audit holds text a person wrote, where a name could have been typed and the
/// guard's private names list is wanted: the narrative's prose (paragraphs, lists, quotes,
/// findings, footnotes) or a comment in a return. An audit whose narrative is not written
/// yet has none.
pub fn has_prose(audit: &Audit) -> bool {
    let written = |blocks: &[Block]| {
        blocks.iter().any(|b| {
            matches!(
                b.kind,
                BlockKind::P(_) | BlockKind::Text(_) | BlockKind::List(_) | BlockKind::Quote(_)
            )
        })
    };
    let narrative = audit.sections.iter().any(|section| {
        let file = &section.value;
        !file.findings.is_empty()
            || !file.footnotes.is_empty()
            || file.subsections.iter().any(|s| written(&s.blocks))
            || file.appendices.iter().any(|a| written(&a.blocks))
    });
    narrative || audit.returns.iter().any(|r| !r.comments.is_empty())
}

/// Times stages.
pub struct Stopwatch {
    clock: Instant,
    /// Each stage timed so far, in order.
    pub stages: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    /// A stopwatch going from now, after `stages` already timed.
    pub fn start(stages: Vec<(&'static str, Duration)>) -> Stopwatch {
        Stopwatch {
            clock: Instant::now(),
            stages,
        }
    }

    /// Times the stage `name` as ended now, and the next as begun.
    pub fn lap(&mut self, name: &'static str) {
        self.stages.push((name, self.clock.elapsed()));
        self.clock = Instant::now();
    }
}

/// The warnings of a build that is done with `prepared`. Freeing every return, tally and
/// document takes a noticeable share of a large build; it is done on a thread nothing waits
/// for.
pub fn free_beside(prepared: crate::proof::Prepared) -> crate::diag::Diagnostics {
    let crate::proof::Prepared {
        warnings,
        audit,
        stats,
        charts,
        documents,
        ..
    } = prepared;
    std::thread::spawn(move || drop((audit, stats, charts, documents)));
    warnings
}
