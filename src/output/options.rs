//! What to build and where to put it: the options every build takes, from the command line
//! or a caller of the library.

use crate::edition::Format;
use crate::input::places::output_folders;
use std::path::PathBuf;

/// What to build and where to put it.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The audit folder.
    pub audit: PathBuf,
    /// Where each edition's folder and the internal records go.
    pub out: PathBuf,
    /// Where chart SVGs go.
    pub charts: PathBuf,
    /// A folder with `report.typ` and `wording.yaml` to use instead of the built-in ones.
    pub templates: Option<PathBuf>,
    /// Build only the edition with this id or name; all editions when `None`.
    pub edition: Option<String>,
    /// The lead's private list of names (children, parents, workers) that must never be
    /// printed; kept outside the audit folder and the repository.
    pub private_names: Option<PathBuf>,
    /// Also write everything Typst needs for each edition (layout, data, charts, fonts) into
    /// this folder, so the same document can be compiled by the Typst CLI for comparison.
    pub emit_typst: Option<PathBuf>,
    /// Build only this format, for every edition; each edition's own `formats` when `None`.
    pub format: Option<Format>,
    /// Write into an output folder that holds another audit's build, replacing it whole
    /// (refused otherwise: its change lists would compare two audits).
    pub replace: bool,
}

impl BuildOptions {
    /// Building the audit in `audit`, every edition, into the folders its `audit.yaml` names
    /// under `output:`, else into `out/` and `charts/` in the audit folder: outputs belong to
    /// their audit, wherever the command runs. The private names list is the one it names
    /// under `private_names:`, if any ([`BuildOptions::with_private_names`] lets a list
    /// given on the command line win).
    pub fn new(audit: impl Into<PathBuf>) -> Self {
        let audit = audit.into();
        let (out, charts) = output_folders(&audit);
        let private_names = crate::input::places::private_names(&audit);
        BuildOptions {
            audit,
            out,
            charts,
            templates: None,
            edition: None,
            private_names,
            emit_typst: None,
            format: None,
            replace: false,
        }
    }

    /// With the private names list `given` (`--private-names`, or the environment variable)
    /// instead of the audit's own setting; the setting stays when none is given.
    pub fn with_private_names(self, given: Option<PathBuf>) -> Self {
        BuildOptions {
            private_names: given.or(self.private_names),
            ..self
        }
    }
}
