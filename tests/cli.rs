//! The command line: exit codes, located errors, outputs that are never half-written.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::project_root;

const GOOD: &str = "title: 测试\nbody:\n  - 正文。\n";
const BROKEN: &str = "title: 测试\nbody:\n  - heading: 标题\n    level: 9\n";

fn paiban(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paiban"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A folder inside the project, so the project's layouts/ and fonts/ are found.
fn scratch() -> tempfile::TempDir {
    let parent = project_root().join("target-tests");
    std::fs::create_dir_all(&parent).unwrap();
    tempfile::tempdir_in(parent).unwrap()
}

#[test]
fn a_broken_file_fails_with_its_location_and_writes_nothing() {
    let dir = scratch();
    std::fs::write(dir.path().join("doc.yaml"), BROKEN).unwrap();
    let output = paiban(&["build", "doc.yaml", "-o", "out"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("doc.yaml:4:12: error[content]:"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.path().join("out/doc.pdf").exists());
    let leftovers = std::fs::read_dir(dir.path().join("out"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(leftovers, 0, "no temporary files are left behind");
}

#[test]
fn a_failed_build_keeps_the_previous_good_output() {
    let dir = scratch();
    let content = dir.path().join("doc.yaml");
    std::fs::write(&content, GOOD).unwrap();
    let first = paiban(&["build", "doc.yaml", "-o", "out"], dir.path());
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let good = std::fs::read(dir.path().join("out/doc.pdf")).unwrap();
    assert!(good.starts_with(b"%PDF-"));

    std::fs::write(&content, BROKEN).unwrap();
    let second = paiban(&["build", "doc.yaml", "-o", "out"], dir.path());
    assert_eq!(second.status.code(), Some(1));
    assert_eq!(std::fs::read(dir.path().join("out/doc.pdf")).unwrap(), good);
    let outputs: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name != ".paiban-cache")
        .collect();
    assert_eq!(outputs, ["doc.pdf"], "no temporary files are left behind");
}

#[test]
fn one_failure_does_not_stop_the_other_documents() {
    let dir = scratch();
    std::fs::write(dir.path().join("bad.yaml"), BROKEN).unwrap();
    std::fs::write(dir.path().join("good.yaml"), GOOD).unwrap();
    let output = paiban(&["build", "bad.yaml", "good.yaml", "-o", "out"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(dir.path().join("out/good.pdf").exists());
    assert!(
        stderr(&output).contains("1 of 2 documents failed"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = scratch();
    // No input outside any project (inside one, `build` alone builds its content/).
    let outside = tempfile::tempdir().unwrap();
    assert_eq!(paiban(&["build"], outside.path()).status.code(), Some(2));
    assert_eq!(paiban(&["frobnicate"], dir.path()).status.code(), Some(2));
    assert_eq!(
        paiban(&["build", "x.yaml", "--no-such-flag"], dir.path())
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn a_missing_file_is_an_error_not_a_crash() {
    let dir = scratch();
    let output = paiban(&["build", "nope.yaml"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("nope.yaml: error[input]: cannot read"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn typst_subcommand_writes_the_markup() {
    let dir = scratch();
    std::fs::write(
        dir.path().join("doc.yaml"),
        "title: 测试\nbody:\n  - \"第一行\\n第二行\"\n",
    )
    .unwrap();
    let output = paiban(&["typst", "doc.yaml", "-o", "doc.typ"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let markup = std::fs::read_to_string(dir.path().join("doc.typ")).unwrap();
    assert!(
        markup.contains("#import \"/layouts/whitepaper/template.typ\": *"),
        "{markup}"
    );
    assert!(markup.contains("#\"第一行\\n第二行\""), "{markup}");

    let stdout = paiban(&["typst", "doc.yaml"], dir.path());
    assert_eq!(String::from_utf8(stdout.stdout).unwrap(), markup);
}

#[test]
fn fonts_come_from_the_project_only_by_default() {
    let output = paiban(&["fonts"], &project_root());
    assert_eq!(output.status.code(), Some(0));
    let listing = String::from_utf8(output.stdout).unwrap();
    let fonts_dir = project_root().join("fonts").display().to_string();
    let rows: Vec<&str> = listing
        .lines()
        .skip_while(|line| !line.starts_with("# faces"))
        .skip(1)
        .collect();
    assert_eq!(rows.len(), 8, "{listing}");
    assert!(rows.iter().all(|r| r.contains(&fonts_dir)), "{listing}");
    for family in [
        "Noto Serif CJK SC",
        "Noto Sans CJK SC",
        "LXGW WenKai",
        "FandolFang R",
    ] {
        assert!(listing.contains(family), "{family}: {listing}");
    }
}

/// A project of its own with one layout, using the bundled fonts through --font-path.
fn project_with_layout(template: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("layouts/custom")).unwrap();
    std::fs::write(dir.path().join("layouts/custom/template.typ"), template).unwrap();
    std::fs::write(
        dir.path().join("doc.yaml"),
        "title: 测试\nlayout: custom\nbody:\n  - 正文。\n",
    )
    .unwrap();
    dir
}

const MINIMAL_LAYOUT: &str = "#let sidebar(number: none, title: none, body) = body\n\
    #let dateline(body) = body\n\
    #let layout(title: none, subtitle: none, authors: (), date: none, lang: \"zh\", \
    region: none, source: none, ..print, body) = {\n  set text(font: FONT)\n  body\n}\n";

#[test]
fn an_unknown_font_family_fails_the_build() {
    let fonts = project_root().join("fonts").display().to_string();
    let good = project_with_layout(&MINIMAL_LAYOUT.replace("FONT", "\"Noto Serif CJK SC\""));
    let ok = paiban(&["build", "doc.yaml", "--font-path", &fonts], good.path());
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));

    let bad = project_with_layout(&MINIMAL_LAYOUT.replace("FONT", "\"Noto Serif CJK XX\""));
    let output = paiban(&["build", "doc.yaml", "--font-path", &fonts], bad.path());
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("unknown font family: noto serif cjk xx"),
        "{message}"
    );
    assert!(message.contains("template.typ:4:18:"), "{message}");
    assert!(!bad.path().join("out/doc.pdf").exists());
}

#[test]
fn typst_errors_in_a_layout_are_located() {
    let fonts = project_root().join("fonts").display().to_string();
    let broken = MINIMAL_LAYOUT
        .replace("FONT", "\"Noto Serif CJK SC\"")
        .replace("  body\n}", "  body\n  undefined-thing\n}");
    let dir = project_with_layout(&broken);
    let output = paiban(&["build", "doc.yaml", "--font-path", &fonts], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("template.typ:6:3: error[typst]: unknown variable: undefined-thing"),
        "{message}"
    );
}

#[test]
fn an_unknown_layout_lists_the_available_ones() {
    let dir = scratch();
    std::fs::write(
        dir.path().join("doc.yaml"),
        "title: t\nlayout: nosuch\nbody: [a]\n",
    )
    .unwrap();
    let output = paiban(&["build", "doc.yaml"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("doc.yaml:2:9: error[content]: unknown layout `nosuch`"),
        "{message}"
    );
    assert!(
        message.contains("available layouts: gongwen, whitepaper"),
        "{message}"
    );
}

#[test]
fn formats_choose_the_outputs() {
    let dir = scratch();
    std::fs::write(dir.path().join("doc.yaml"), GOOD).unwrap();
    let epub_only = paiban(
        &["build", "doc.yaml", "--format", "epub", "-o", "a"],
        dir.path(),
    );
    assert_eq!(epub_only.status.code(), Some(0), "{}", stderr(&epub_only));
    assert!(dir.path().join("a/doc.epub").exists());
    assert!(!dir.path().join("a/doc.pdf").exists());

    let both = paiban(
        &["build", "doc.yaml", "--format", "pdf,epub", "-o", "b"],
        dir.path(),
    );
    assert_eq!(both.status.code(), Some(0), "{}", stderr(&both));
    assert!(dir.path().join("b/doc.epub").exists() && dir.path().join("b/doc.pdf").exists());

    let default = paiban(&["build", "doc.yaml", "-o", "c"], dir.path());
    assert_eq!(default.status.code(), Some(0));
    assert!(dir.path().join("c/doc.pdf").exists() && !dir.path().join("c/doc.epub").exists());

    for bad in ["", "docx", "pdf,,epub"] {
        let output = paiban(
            &["build", "doc.yaml", "--format", bad, "-o", "d"],
            dir.path(),
        );
        assert_eq!(
            output.status.code(),
            Some(2),
            "--format {bad:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn an_output_that_is_the_input_is_refused_and_the_input_kept() {
    let dir = scratch();
    let path = dir.path();
    std::fs::write(path.join("same.yaml"), GOOD).unwrap();
    std::fs::create_dir(path.join("sub")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("same.yaml", path.join("link.yaml")).unwrap();
    std::fs::write(path.join("src.txt"), "正文。\n").unwrap();
    // A content file whose name is that of its own EPUB.
    std::fs::write(path.join("doc.epub"), GOOD).unwrap();
    let mut attempts: Vec<Vec<&str>> = vec![
        vec!["typst", "same.yaml", "-o", "same.yaml"],
        vec!["typst", "same.yaml", "-o", "sub/../same.yaml"],
        vec!["import", "src.txt", "-o", "src.txt"],
        vec!["import", "src.txt", "-o", "./src.txt"],
        vec!["build", "doc.epub", "--format", "epub", "-o", "."],
        vec!["watch", "doc.epub", "--format", "epub", "-o", "."],
    ];
    #[cfg(unix)]
    attempts.push(vec!["typst", "same.yaml", "-o", "link.yaml"]);
    for args in attempts {
        let output = paiban(&args, path);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("error[usage]: the output is the input file"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    assert_eq!(
        std::fs::read_to_string(path.join("same.yaml")).unwrap(),
        GOOD
    );
    assert_eq!(
        std::fs::read_to_string(path.join("src.txt")).unwrap(),
        "正文。\n"
    );
    assert_eq!(
        std::fs::read_to_string(path.join("doc.epub")).unwrap(),
        GOOD
    );
}

#[test]
fn a_document_that_fails_in_one_format_writes_no_format() {
    let dir = scratch();
    let content = dir.path().join("doc.yaml");
    std::fs::write(&content, GOOD).unwrap();
    let args = ["build", "doc.yaml", "-o", "out", "--format", "pdf,epub"];
    let first = paiban(&args, dir.path());
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let pdf = std::fs::read(dir.path().join("out/doc.pdf")).unwrap();
    let epub = std::fs::read(dir.path().join("out/doc.epub")).unwrap();

    // A text the PDF could still typeset but no EPUB can carry.
    std::fs::write(&content, "title: 测试\nbody:\n  - \"铃\\u0007声。\"\n").unwrap();
    let second = paiban(&args, dir.path());
    assert_eq!(second.status.code(), Some(1));
    assert!(
        stderr(&second).contains("doc.yaml:3:7: error[control-character]"),
        "{}",
        stderr(&second)
    );
    assert_eq!(std::fs::read(dir.path().join("out/doc.pdf")).unwrap(), pdf);
    assert_eq!(
        std::fs::read(dir.path().join("out/doc.epub")).unwrap(),
        epub
    );

    // A layout without an EPUB stylesheet: the PDF compiles, the EPUB cannot be made,
    // and the PDF is not written either.
    let fonts = project_root().join("fonts").display().to_string();
    let project = project_with_layout(&MINIMAL_LAYOUT.replace("FONT", "\"Noto Serif CJK SC\""));
    let args = [
        "build",
        "doc.yaml",
        "--format",
        "pdf,epub",
        "--font-path",
        &fonts,
    ];
    let output = paiban(&args, project.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("epub.css"), "{}", stderr(&output));
    assert!(!project.path().join("out").exists(), "nothing is written");
}

#[test]
fn watch_refuses_a_folder() {
    let dir = scratch();
    let mut child = Command::new(env!("CARGO_BIN_EXE_paiban"))
        .args(["watch", "."])
        .current_dir(dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("watch . did not end");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(2));
    let mut message = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut message).unwrap();
    assert!(message.contains("is a folder"), "{message}");
}
