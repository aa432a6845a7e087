//! CI and editing workflow: batch builds of folders, the build cache, shards, JSON
//! diagnostics, --deny-warnings, and `watch`.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use common::project::{Watch, paiban, save, scratch_project, stderr, write};
use common::project_root;
use serde_json::Value;

const GOOD: &str = "title: 测试\nbody:\n  - 正文。\n";

#[test]
fn a_folder_builds_every_document_and_the_cache_skips_unchanged_ones() {
    let project = scratch_project();
    let root = project.path();
    write(&root.join("content/a.yaml"), GOOD);
    write(
        &root.join("content/b.yaml"),
        "title: 乙\nbody:\n  - 乙文。\n",
    );
    write(
        &root.join("content/part/c.yml"),
        "title: 丙\nbody:\n  - 丙文。\n",
    );
    write(&root.join("content/notes.txt"), "not content");
    let build = |extra: &[&str]| {
        let mut args = vec!["build", "content", "-o", "out"];
        args.extend_from_slice(extra);
        let output = paiban(&args, root);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        stderr(&output)
    };

    let first = build(&[]);
    for pdf in ["out/a.pdf", "out/b.pdf", "out/part/c.pdf"] {
        assert!(root.join(pdf).is_file(), "{pdf}: {first}");
    }
    // Not a terminal: one line per document, for CI logs.
    assert_eq!(
        first.lines().filter(|l| l.contains(" → ")).count(),
        3,
        "{first}"
    );

    let second = build(&[]);
    assert_eq!(second.matches("up to date").count(), 3, "{second}");

    write(
        &root.join("content/b.yaml"),
        "title: 乙\nbody:\n  - 乙文改了。\n",
    );
    let edited = build(&[]);
    assert_eq!(edited.matches("up to date").count(), 2, "{edited}");
    assert!(edited.contains("content/b.yaml → "), "{edited}");

    // The cache goes by what files hold: touching the layout changes nothing; changing
    // its bytes rebuilds everything.
    let template = root.join("layouts/whitepaper/template.typ");
    let file = std::fs::File::options()
        .append(true)
        .open(&template)
        .unwrap();
    file.set_modified(std::time::SystemTime::now() + Duration::from_secs(5))
        .unwrap();
    assert_eq!(build(&[]).matches("up to date").count(), 3);
    let mut bytes = std::fs::read(&template).unwrap();
    bytes.extend_from_slice(b"\n// edited\n");
    std::fs::write(&template, bytes).unwrap();
    assert_eq!(build(&[]).matches("up to date").count(), 0);

    // So do a deleted output, other options, and --force.
    std::fs::remove_file(root.join("out/a.pdf")).unwrap();
    assert_eq!(build(&[]).matches("up to date").count(), 2);
    assert_eq!(
        build(&["--format", "pdf,epub"])
            .matches("up to date")
            .count(),
        0
    );
    assert_eq!(
        build(&["--format", "pdf,epub", "--force"])
            .matches("up to date")
            .count(),
        0
    );

    // The cache is safe to delete.
    std::fs::remove_dir_all(root.join("out/.paiban-cache")).unwrap();
    assert_eq!(
        build(&["--format", "pdf,epub"])
            .matches("up to date")
            .count(),
        0
    );
    assert_eq!(
        build(&["--format", "pdf,epub"])
            .matches("up to date")
            .count(),
        3
    );

    // Entries are not forced to disk: one a crash cut short, even at a line's end, is stale.
    for entry in std::fs::read_dir(root.join("out/.paiban-cache")).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() == "file-hashes" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let body = text.trim_end_matches('\n');
        let cut = &body[..body.rfind('\n').unwrap() + 1];
        std::fs::write(&path, cut).unwrap();
    }
    assert_eq!(
        build(&["--format", "pdf,epub"])
            .matches("up to date")
            .count(),
        0
    );
}

#[test]
fn shards_partition_the_collection() {
    let project = scratch_project();
    let root = project.path();
    let names: Vec<String> = (0..7).map(|i| format!("doc{i}")).collect();
    for name in &names {
        write(&root.join(format!("content/{name}.yaml")), GOOD);
    }
    let mut built: Vec<String> = Vec::new();
    for k in 1..=3 {
        let out = format!("out{k}");
        let shard = format!("{k}/3");
        let output = paiban(&["build", "content", "-o", &out, "--shard", &shard], root);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let mut mine: Vec<String> = std::fs::read_dir(root.join(&out))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter_map(|name| name.strip_suffix(".pdf").map(str::to_owned))
            .collect();
        assert!((2..=3).contains(&mine.len()), "shard {shard}: {mine:?}");
        built.append(&mut mine);
    }
    built.sort();
    assert_eq!(built, names, "every document in exactly one shard");
    for bad in ["0/3", "4/3", "1/0", "x"] {
        let output = paiban(&["build", "content", "--shard", bad], root);
        assert_eq!(output.status.code(), Some(2), "--shard {bad}");
    }
}

#[test]
fn json_diagnostics_parse_with_positions_and_failures_do_not_stop_others() {
    let project = scratch_project();
    let root = project.path();
    write(&root.join("content/good.yaml"), GOOD);
    write(
        &root.join("content/bad.yaml"),
        "title: 坏\nbody:\n  - heading: 标题\n    levle: 2\n",
    );
    let output = paiban(
        &["build", "content", "-o", "out", "--diagnostics", "json"],
        root,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(root.join("out/good.pdf").is_file());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let diagnostics: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(diagnostics.len(), 1, "{stdout}");
    let d = &diagnostics[0];
    assert!(d["file"].as_str().unwrap().ends_with("bad.yaml"));
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(4), Some(5))
    );
    assert_eq!(d["severity"], "error");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("unknown key `levle`")
    );
    assert!(d["hints"].is_array());
    assert_eq!(d["code"], "content");

    // A Typst error in a layout is located in the layout file.
    let template = root.join("layouts/whitepaper/template.typ");
    let text = std::fs::read_to_string(&template).unwrap();
    std::fs::write(&template, format!("{text}\n#let broken = (1 +)\n")).unwrap();
    let output = paiban(
        &[
            "build",
            "content/good.yaml",
            "-o",
            "out",
            "--diagnostics",
            "json",
        ],
        root,
    );
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let first: Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
    assert!(
        first["file"].as_str().unwrap().ends_with("template.typ"),
        "{stdout}"
    );
    assert_eq!(
        first["line"].as_u64(),
        Some(text.lines().count() as u64 + 2),
        "{stdout}"
    );
}

/// Under JSON diagnostics, failures found before any document is built are JSON lines on
/// standard output too; the summary of per-document failures stays on standard error.
#[test]
fn json_diagnostics_cover_failures_before_any_build() {
    let project = scratch_project();
    let root = project.path();
    write(&root.join("a/x.yaml"), GOOD);
    write(&root.join("b/x.yaml"), GOOD);
    let json_lines = |output: &Output| -> Vec<Value> {
        let stdout = String::from_utf8(output.stdout.clone()).unwrap();
        stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    };
    // Two inputs that would write the same output: refused before building either.
    let args = ["build", "a/x.yaml", "b/x.yaml", "-o", "out"];
    let output = paiban(&[&args[..], &["--diagnostics", "json"]].concat(), root);
    assert_eq!(output.status.code(), Some(1));
    let diagnostics = json_lines(&output);
    assert_eq!(diagnostics.len(), 1, "{}", stderr(&output));
    assert_eq!(diagnostics[0]["severity"], "error");
    assert!(diagnostics[0]["file"].as_str().unwrap().ends_with("x.yaml"));
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("same output")
    );
    assert!(!root.join("out/x.pdf").exists());
    // In text mode the same refusal goes to standard error, and standard output is empty.
    let output = paiban(&args, root);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert!(stderr(&output).contains("same output"));

    // A missing input, for build and for check.
    for args in [
        &[
            "build",
            "missing.yaml",
            "-o",
            "out",
            "--diagnostics",
            "json",
        ][..],
        &["check", "missing.yaml", "--format", "json"][..],
    ] {
        let output = paiban(args, root);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let diagnostics = json_lines(&output);
        assert_eq!(diagnostics.len(), 1, "{args:?}: {}", stderr(&output));
        assert!(
            diagnostics[0]["file"]
                .as_str()
                .unwrap()
                .contains("missing.yaml")
        );
    }

    // A document that fails to build: its diagnostic is a JSON line, the summary is not.
    write(&root.join("c/bad.yaml"), "title: 坏\nbody: 3\n");
    let output = paiban(&["build", "c", "-o", "out", "--diagnostics", "json"], root);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(json_lines(&output).len(), 1);
    assert!(stderr(&output).contains("1 of 1 document failed"));
}

#[test]
fn deny_warnings_fails_a_document_with_warnings_and_writes_nothing() {
    let project = scratch_project();
    let root = project.path();
    // Empty strong emphasis in the layout makes Typst warn.
    let template = root.join("layouts/whitepaper/template.typ");
    let text = std::fs::read_to_string(&template).unwrap();
    std::fs::write(&template, format!("{text}\n#let warns = [**]\n")).unwrap();
    write(&root.join("doc.yaml"), GOOD);

    let output = paiban(&["build", "doc.yaml", "-o", "out"], root);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("warning"), "{}", stderr(&output));
    std::fs::remove_dir_all(root.join("out")).unwrap();

    let output = paiban(&["build", "doc.yaml", "-o", "out", "--deny-warnings"], root);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("--deny-warnings"),
        "{}",
        stderr(&output)
    );
    assert!(!root.join("out/doc.pdf").exists());
}

fn pdf_text(pdf: &Path) -> String {
    common::poppler("pdftotext", &["-enc", "UTF-8"], pdf)
}

#[test]
fn watch_rebuilds_on_edits_and_survives_a_broken_one() {
    let project = scratch_project();
    let root = project.path();
    let content = root.join("doc.yaml");
    let pdf = root.join("out/doc.pdf");
    write(&content, GOOD);
    let mut watch = Watch::start(root, "doc.yaml");
    watch.expect("doc.yaml → ");
    assert!(pdf_text(&pdf).contains("正文。"));

    save(&content, "title: 测试\nbody:\n  - 第二版正文。\n");
    watch.expect("doc.yaml → ");
    assert!(pdf_text(&pdf).contains("第二版正文。"));

    // A broken edit: located error, the last good PDF stays, watching goes on.
    let good = std::fs::read(&pdf).unwrap();
    save(
        &content,
        "title: 测试\nbody:\n  - heading: 标题\n    level: 9\n",
    );
    let error = watch.expect("error");
    assert!(error.contains("doc.yaml:4:12"), "{error}");
    watch.expect("the last good output stays");
    assert_eq!(std::fs::read(&pdf).unwrap(), good);

    save(&content, "title: 测试\nbody:\n  - 第三版正文。\n");
    watch.expect("doc.yaml → ");
    assert!(pdf_text(&pdf).contains("第三版正文。"));

    // A layout edit rebuilds too.
    let template = root.join("layouts/whitepaper/template.typ");
    let text = std::fs::read_to_string(&template).unwrap();
    let marked = text.replacen("body,\n) = {\n", "body,\n) = {\n  [版式已改]\n", 1);
    assert_ne!(marked, text, "the layout function was found");
    save(&template, &marked);
    watch.expect("doc.yaml → ");
    assert!(pdf_text(&pdf).contains("版式已改"));
}

#[test]
fn batch_edges_output_inside_input_empty_folders_mixed_projects_and_replaced_outputs() {
    let project = scratch_project();
    let root = project.path();
    write(&root.join("docs/a.yaml"), GOOD);
    // Building a folder into itself builds its documents.
    let output = paiban(&["build", "docs", "-o", "docs"], root);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(root.join("docs/a.pdf").is_file());
    // A folder without content is an error, not a silent success.
    std::fs::create_dir_all(root.join("empty")).unwrap();
    let output = paiban(&["build", "empty"], root);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("no content files"),
        "{}",
        stderr(&output)
    );
    // Documents of two projects are not built with one project's layouts.
    let other = scratch_project();
    write(&other.path().join("b.yaml"), GOOD);
    let b = other.path().join("b.yaml");
    let output = paiban(
        &["build", "docs/a.yaml", b.to_str().unwrap(), "-o", "mixed"],
        root,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("build them separately"),
        "{}",
        stderr(&output)
    );
    // An output another build replaced is not taken as up to date.
    write(
        &root.join("one/x.yaml"),
        "title: 甲\nbody:\n  - 甲乙丙丁。\n",
    );
    write(
        &root.join("two/x.yaml"),
        "title: 甲\nbody:\n  - 丙丁甲乙。\n",
    );
    for dir in ["one", "two"] {
        let content = format!("{dir}/x.yaml");
        assert_eq!(
            paiban(&["build", &content, "-o", "out"], root)
                .status
                .code(),
            Some(0)
        );
    }
    let output = paiban(&["build", "one/x.yaml", "-o", "out"], root);
    assert!(
        !stderr(&output).contains("up to date"),
        "{}",
        stderr(&output)
    );
    assert!(pdf_text(&root.join("out/x.pdf")).contains("甲乙丙丁。"));
}

/// The documents a build's stderr says it built (not "up to date").
fn built_documents(stderr: &str) -> Vec<String> {
    let mut built: Vec<String> = stderr
        .lines()
        .filter_map(|l| l.split_once(" → ").map(|(content, _)| content.to_owned()))
        .collect();
    built.sort();
    built
}

#[test]
fn the_output_folder_is_skipped_however_it_is_spelled() {
    let project = scratch_project();
    let root = project.path();
    write(&root.join("c/doc.yaml"), GOOD);
    write(&root.join("c/out/stray.yaml"), GOOD);
    std::fs::create_dir_all(root.join("c/a")).unwrap();
    let mut spellings = vec!["c/a/../out".to_owned(), "./c/out".to_owned()];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("c/out", root.join("link-out")).unwrap();
        spellings.push("link-out".to_owned());
    }
    for out in &spellings {
        let output = paiban(&["build", "c", "-o", out], root);
        assert_eq!(output.status.code(), Some(0), "{out}: {}", stderr(&output));
        assert!(
            !stderr(&output).contains("stray"),
            "{out}: {}",
            stderr(&output)
        );
        assert!(!root.join("c/out/out").exists(), "{out}");
    }
    // The same folder, however spelled, is the same cache: nothing is built again.
    let output = paiban(&["build", "c", "-o", "c/a/../out"], root);
    assert_eq!(built_documents(&stderr(&output)), Vec::<String>::new());
}

#[test]
#[cfg(unix)]
fn links_to_content_files_and_any_case_of_the_extension_are_built() {
    let project = scratch_project();
    let root = project.path();
    write(&root.join("elsewhere/real.yaml"), GOOD);
    write(&root.join("mixed/UP.YAML"), GOOD);
    write(&root.join("mixed/Mid.Yml"), GOOD);
    std::os::unix::fs::symlink("../elsewhere/real.yaml", root.join("mixed/linked.yaml")).unwrap();
    std::fs::create_dir(root.join("links")).unwrap();
    std::os::unix::fs::symlink("../elsewhere/real.yaml", root.join("links/only.yaml")).unwrap();
    // A link back up the tree must not loop.
    std::os::unix::fs::symlink("..", root.join("links/up")).unwrap();
    let output = paiban(&["build", "mixed", "links", "-o", "out"], root);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for pdf in [
        "out/UP.pdf",
        "out/Mid.pdf",
        "out/linked.pdf",
        "out/only.pdf",
    ] {
        assert!(root.join(pdf).is_file(), "{pdf}: {}", stderr(&output));
    }
}

#[test]
fn one_file_named_twice_is_built_once() {
    let project = scratch_project();
    let root = project.path();
    write(&root.join("real.yaml"), GOOD);
    let output = paiban(&["build", "real.yaml", "./real.yaml", "-o", "out"], root);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        built_documents(&stderr(&output)).len(),
        1,
        "{}",
        stderr(&output)
    );
}

/// A copy of the project as a fresh clone has it: every file written anew.
fn fresh_clone(into: &Path) {
    for folder in ["layouts", "fonts"] {
        let from = project_root().join(folder);
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let to = into
                .join(folder)
                .join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
    }
    write(&into.join("content/a.yaml"), GOOD);
    write(
        &into.join("content/b.yaml"),
        "title: 乙\nbody:\n  - 乙文。\n",
    );
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn a_cache_restored_into_a_fresh_clone_skips_unchanged_documents() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    fresh_clone(first.path());
    // The second clone is made later: its files are all newer than the first's.
    std::thread::sleep(Duration::from_millis(20));
    fresh_clone(second.path());
    let build = |root: &Path| {
        let output = Command::new(env!("CARGO_BIN_EXE_paiban"))
            .args(["build", "content", "-o", "out"])
            .current_dir(root)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        stderr(&output)
    };
    assert_eq!(built_documents(&build(first.path())).len(), 2);
    // What CI's cache does: the first job's out/ restored into the next job's clone.
    copy_tree(&first.path().join("out"), &second.path().join("out"));
    let restored = build(second.path());
    assert_eq!(restored.matches("up to date").count(), 2, "{restored}");
    // An edited document is still rebuilt, and only it.
    write(
        &second.path().join("content/b.yaml"),
        "title: 乙\nbody:\n  - 改了。\n",
    );
    assert_eq!(built_documents(&build(second.path())), ["content/b.yaml"]);
}
