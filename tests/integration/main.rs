//! Integration tests, built into one binary (linking Typst once): end-to-end builds of the
//! sample and of fixture audits, and the command line.

mod actions;
mod agencies;
mod build;
mod cli;
mod collection;
mod common;
mod diagnostics;
mod disclosure;
mod everyday;
mod formats;
mod fuzz;
mod guard;
mod hostile;
mod intake;
mod nasty;
mod next_round;
mod outputs;
mod outstanding;
mod pack;
mod preview;
mod reaudit;
mod schema;
mod settles;
mod word_layout;
