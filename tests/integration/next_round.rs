//! `init --from`: the next round of the sample, started in one command, checks with no
//! errors; what it must give again is a warning naming the field and last round's value
//! until changed; `previous:` is followed from the new folder; the guard's reviewed
//! exceptions stay with the round they were reviewed for.

use crate::common::{edit_each, root, scratch};
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_audit-report"))
        .args(args)
        .current_dir(dir)
        .env_remove(audit_report::check::guard::NAMES_VARIABLE)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// `init <next> --from data`, run in the repository; its standard output.
fn next_round_of_the_sample(next: &Path) -> String {
    let init = run_in(&root(), &["init", next.to_str().unwrap(), "--from", "data"]);
    assert!(init.status.success(), "{init:?}");
    String::from_utf8_lossy(&init.stdout).into_owned()
}

/// `check` of `audit` run in `dir`: its exit code and what it printed.
fn check_in(dir: &Path, audit: &Path) -> (i32, String) {
    let check = run_in(dir, &["check", audit.to_str().unwrap()]);
    let printed = String::from_utf8_lossy(&check.stderr).into_owned()
        + &String::from_utf8_lossy(&check.stdout);
    (check.status.code().unwrap(), printed)
}

const DATE: &str = "`date` still holds the earlier round's value (2014-02-28)";
const AUDIENCE: &str =
    "`audience` still holds the earlier round's value (CESCB Executive Group, March 2014)";
const PERIOD: &str = "`period` still holds the earlier round's value (January and February 2014)";

#[test]
fn the_next_round_checks_with_warnings_only_naming_what_to_give_again_and_builds() {
    let work = scratch("next-round-checks");
    let next = work.join("next");
    let said = next_round_of_the_sample(&next);
    let (code, printed) = check_in(&root(), &next);
    // warnings only: the sample's editions left out parts this round's narrative has not got,
    // which were 13 errors
    assert_eq!(code, 3, "{printed}");
    assert!(!printed.contains("error"), "{printed}");
    for marked in [
        DATE,
        AUDIENCE,
        PERIOD,
        "`facts.cp_plans` still holds the earlier round's value (202)",
        "`editions.executive-group.audience` still holds the earlier round's value (CESCB Executive Group, March 2014)",
        "`editions.public.version` still holds the earlier round's value (1.0)",
        "give this round's date (YYYY-MM-DD)",
    ] {
        assert!(printed.contains(marked), "{marked}\n{printed}");
    }
    // an audience with no date in it is as right this round as last
    assert!(
        !printed.contains("editions.improvement-board.audience"),
        "{printed}"
    );
    assert!(
        said.contains("24 fields still hold the earlier round's values (date, audience, period"),
        "{said}"
    );
    // the papers' words are the earlier round's story: each starts again from a starter
    for paper in ["cover.yaml", "slides.yaml", "briefing.yaml"] {
        assert!(said.contains(&format!("{paper}: a starter")), "{said}");
    }
    // the guard's reviewed exceptions are the earlier round's: not carried, and said so
    assert!(
        said.contains("allow.yaml was not carried over") && said.contains("Review each"),
        "{said}"
    );
    assert!(fs::read_to_string(next.join("allow.yaml")).is_err());
    // the earlier round's output folders are its own: the next round writes into its folder
    let info = fs::read_to_string(next.join("audit.yaml")).unwrap();
    assert!(
        data_has_output() && !info.lines().any(|l| l.starts_with("output:")),
        "{info}"
    );
    let editions = fs::read_to_string(next.join("editions.yaml")).unwrap();
    assert!(
        editions.contains(
            "# init --from: the earlier round also left out case-example, practitioner-view,"
        ),
        "{editions}"
    );

    let build = run_in(
        &root(),
        &[
            "build",
            next.to_str().unwrap(),
            "--out",
            work.join("out").to_str().unwrap(),
            "--charts",
            work.join("charts").to_str().unwrap(),
        ],
    );
    assert!(build.status.success(), "{build:?}");
    assert!(
        String::from_utf8_lossy(&build.stdout).contains("Built 7 edition(s)"),
        "{build:?}"
    );
}

#[test]
fn giving_this_rounds_values_ends_their_warnings() {
    let work = scratch("next-round-updated");
    let next = work.join("next");
    next_round_of_the_sample(&next);
    let info = next.join("audit.yaml");
    edit_each(
        &info,
        &[
            ("date: '2014-02-28'", "date: '2015-02-27'"),
            (
                "audience: CESCB Executive Group, March 2014",
                "audience: CESCB Executive Group, March 2015",
            ),
            ("period: January and February 2014", "period: January 2015"),
        ],
    );
    let (code, printed) = check_in(&root(), &next);
    assert_eq!(code, 3, "{printed}");
    for gone in ["`date` still", "`audience` still", "`period` still"] {
        assert!(!printed.contains(gone), "{gone}\n{printed}");
    }
    // what was not given again still is
    assert!(
        printed.contains("`facts.cp_plans` still holds the earlier round's value (202)"),
        "{printed}"
    );

    // an appendix the public edition left out last round, written again this round, is shown
    // by it unless put back in its `exclude`
    let narrative = next.join("narrative/02-case-example.yaml");
    fs::write(
        &narrative,
        "id: case-examples\ntitle: Case examples\nappendices:\n- id: case-example\n  title: A case example\n  blocks:\n  - text: One child's story.\n",
    )
    .unwrap();
    let (_, printed) = check_in(&root(), &next);
    let warning =
        "edition `public` left out `case-example` in the earlier round, and shows it in this one";
    assert!(printed.contains(warning), "{printed}");
    let editions = next.join("editions.yaml");
    let text = fs::read_to_string(&editions).unwrap();
    let public = text.find("id: public").unwrap();
    let at = public + text[public..].find("exclude: []").unwrap();
    let mut put_back = text.clone();
    put_back.replace_range(at..at + "exclude: []".len(), "exclude: [case-example]");
    fs::write(&editions, put_back).unwrap();
    let (_, printed) = check_in(&root(), &next);
    assert!(!printed.contains(warning), "{printed}");
    assert!(
        printed.contains("edition `improvement-board` left out `case-example`"),
        "{printed}"
    );
}

#[test]
fn previous_is_followed_from_the_new_folder_wherever_check_runs() {
    let work = scratch("next-round-previous");
    // the new round made through a link to a folder at another depth: `..` from the new
    // folder leads from where the link points
    let real = work.join("shared/audits/2015");
    fs::create_dir_all(&real).unwrap();
    std::os::unix::fs::symlink(&real, work.join("rounds")).unwrap();
    let data = root().join("data");
    let init = run_in(
        &work,
        &["init", "rounds/next", "--from", data.to_str().unwrap()],
    );
    assert!(init.status.success(), "{init:?}");
    let text = fs::read_to_string(real.join("next/audit.yaml")).unwrap();
    let previous = text
        .lines()
        .find_map(|l| l.strip_prefix("previous: "))
        .unwrap()
        .trim_matches('"');
    assert!(
        previous.starts_with(".."),
        "relative, not absolute: {previous}"
    );
    assert_eq!(
        real.join("next").join(previous).canonicalize().unwrap(),
        data.canonicalize().unwrap()
    );
    // checked from a third place, the earlier round is found and compared with
    let elsewhere = work.join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    let (code, printed) = check_in(&elsewhere, &real.join("next"));
    assert_eq!(code, 3, "{printed}");
    assert!(printed.contains(DATE), "{printed}");
}

/// Whether the sample names output folders of its own (what the next round must not carry).
fn data_has_output() -> bool {
    fs::read_to_string(crate::common::root().join("data/audit.yaml"))
        .unwrap()
        .lines()
        .any(|l| l.starts_with("output:"))
}

/// `init --from` reads what it would carry into the new folder with the guard before writing
/// any of it: a name on the private list (given, or the earlier round's own `private_names:`)
/// or personal data in the earlier round's words refuses the new round, and nothing is
/// written.
#[test]
fn the_next_round_carries_no_private_name() {
    let work = crate::common::scratch("next-round-guarded");
    let earlier = work.join("earlier");
    crate::common::copy_audit(&root().join("data"), &earlier, false);
    let author = "Valerie Charles";
    let names = work.join("names.txt");
    std::fs::write(&names, format!("# the earlier round's list\n{author}\n")).unwrap();
    let next = work.join("next");
    let start = |more: &[&str]| {
        let from = [
            "init",
            next.to_str().unwrap(),
            "--from",
            earlier.to_str().unwrap(),
        ];
        run_in(&work, &[&from[..], more].concat())
    };
    // given on the command line
    let init = start(&["--private-names", names.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&init.stderr);
    assert_eq!(init.status.code(), Some(1), "{said}");
    assert!(
        said.contains("possible personal data (name on the private list)")
            && said.contains("audit.yaml")
            && !said.contains(author),
        "{said}"
    );
    assert!(!next.exists(), "nothing written");
    // named once in the earlier round's settings
    crate::common::edit(
        &earlier.join("audit.yaml"),
        "output:\n",
        &format!("private_names: {}\noutput:\n", names.display()),
    );
    let init = start(&[]);
    assert_eq!(init.status.code(), Some(1), "{init:?}");
    assert!(!next.exists(), "nothing written");
    // and without the name on the list, the round starts
    std::fs::write(&names, "Jayden Smith\n").unwrap();
    let init = start(&[]);
    assert!(init.status.success(), "{init:?}");
    assert!(next.join("audit.yaml").is_file());
}
