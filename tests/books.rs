//! Books in many files: a content file that includes chapter files builds as one
//! document, with numbering, diagnostics, `--fix`, the cache, batches and watch all
//! knowing which file a text came from.

mod common;

use std::path::{Path, PathBuf};

use common::project::{Watch, paiban, plain as import, save, scratch_project, stderr, write};
use common::project_root;

/// The sample book (`content/book.yaml` and `content/book/`) copied into a scratch
/// project; the path of its book file.
fn sample_book(root: &Path) -> PathBuf {
    let from = project_root().join("content");
    std::fs::copy(from.join("book.yaml"), root.join("book.yaml")).unwrap();
    for entry in walkdir::WalkDir::new(from.join("book")) {
        let entry = entry.unwrap();
        let to = root.join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    root.join("book.yaml")
}

/// Every page of `pdf` as grey pixels (pdftoppm -r 40).
fn pages(pdf: &Path) -> Vec<Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", "40", "-gray"])
        .arg(pdf)
        .arg(dir.path().join("p"))
        .status()
        .expect("pdftoppm (poppler-utils)");
    assert!(status.success());
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

#[test]
fn the_sample_book_prints_as_the_same_content_in_one_file() {
    let project = scratch_project();
    let root = project.path();
    let book = sample_book(root);
    // The same book in one file: the header, then each chapter's blocks where its
    // `include:` stood. It sits beside the chapters, so their image paths still hold.
    let text = std::fs::read_to_string(&book).unwrap();
    let mut one = String::new();
    let mut chapters = 0;
    for line in text.lines() {
        match line.strip_prefix("  - include: ") {
            Some(chapter) => {
                chapters += 1;
                let chapter = std::fs::read_to_string(root.join(chapter)).unwrap();
                for line in chapter.lines() {
                    one.push_str(&format!("  {line}\n"));
                }
            }
            None => one.push_str(&format!("{line}\n")),
        }
    }
    assert!(chapters >= 5, "{chapters} chapters");
    write(&root.join("book/one.yaml"), &one);

    let output = paiban(&["build", "book.yaml", "book/one.yaml", "-o", "out"], root);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let many = pages(&root.join("out/book.pdf"));
    let single = pages(&root.join("out/one.pdf"));
    assert!(many.len() >= 4, "{} pages", many.len());
    assert_eq!(many.len(), single.len());
    for (i, (a, b)) in many.iter().zip(&single).enumerate() {
        assert!(a == b, "page {} differs", i + 1);
    }
    // Numbers ran on across the files: the second chapter's table and the third's panel.
    let text = common::squeeze(&common::poppler(
        "pdftotext",
        &[],
        &root.join("out/book.pdf"),
    ));
    for continued in ["表1", "表2", "图1", "专栏1", "专栏2"] {
        assert!(text.contains(continued), "{continued}:\n{text}");
    }
}

/// Writes `files` (path, text) into a scratch project and builds `book.yaml`; its output.
fn build(files: &[(&str, &str)]) -> (tempfile::TempDir, std::process::Output) {
    let project = scratch_project();
    for (path, text) in files {
        write(&project.path().join(path), text);
    }
    let output = paiban(&["build", "book.yaml", "-o", "out"], project.path());
    (project, output)
}

#[test]
fn numbering_runs_across_files_and_explicit_numbers_still_set_a_level() {
    let (project, output) = build(&[
        (
            "book.yaml",
            "title: 书\nbody:\n  - heading: 甲\n  - include: ch/b.yaml\n  - heading: 丁\n",
        ),
        (
            "ch/b.yaml",
            "- heading: 乙\n- include: c.yaml\n- sidebar: 框\n  body: [框文。]\n",
        ),
        (
            "ch/c.yaml",
            "body:\n  - heading: 丙\n    number: 7\n  - sidebar: 又\n    body: [又文。]\n",
        ),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = common::poppler("pdftotext", &[], &project.path().join("out/book.pdf"));
    let squeezed = common::squeeze(&text);
    for label in ["一、甲", "二、乙", "七、丙", "专栏1", "专栏2", "八、丁"] {
        assert!(squeezed.contains(label), "{label}:\n{text}");
    }
}

#[test]
fn include_errors_are_located_at_the_include_in_the_right_file() {
    let outside = tempfile::tempdir().unwrap();
    write(&outside.path().join("x.yaml"), "- 外面。\n");
    let outside_path = outside.path().join("x.yaml").display().to_string();
    let relative_outside = format!(
        "../{}/x.yaml",
        outside.path().file_name().unwrap().to_string_lossy()
    );
    for (files, place, words) in [
        (
            vec![(
                "book.yaml",
                "title: 书\nbody:\n  - 前言。\n  - include: ch/none.yaml\n",
            )],
            "book.yaml:4:14",
            "does not exist",
        ),
        (
            vec![
                ("book.yaml", "title: 书\nbody:\n  - include: ch/a.yaml\n"),
                ("ch/a.yaml", "- 甲。\n- include: b.yaml\n"),
                ("ch/b.yaml", "- 乙。\n- include: ../book.yaml\n"),
            ],
            "ch/b.yaml:2:12",
            "includes itself: book.yaml → ch/a.yaml → ch/b.yaml → book.yaml",
        ),
        (
            vec![
                (
                    "book.yaml",
                    "title: 书\nbody:\n  - include: ch/a.yaml\n  - include: ./ch/a.yaml\n",
                ),
                ("ch/a.yaml", "- 甲。\n"),
            ],
            "book.yaml:4:14",
            "already part of this book",
        ),
        (
            vec![(
                "book.yaml",
                &format!("title: 书\nbody:\n  - include: {outside_path}\n"),
            )],
            "book.yaml:3:14",
            "absolute path",
        ),
        (
            vec![(
                "book.yaml",
                &format!("title: 书\nbody:\n  - include: {relative_outside}\n"),
            )],
            "book.yaml:3:14",
            "outside the project",
        ),
        (
            vec![
                ("book.yaml", "title: 书\nbody:\n  - include: ch/a.yaml\n"),
                ("ch/a.yaml", "title: 章\nbody:\n  - 甲。\n"),
            ],
            "ch/a.yaml:1:",
            "`title` belongs to the book's own file",
        ),
        (
            vec![(
                "book.yaml",
                "title: 书\nbody:\n  - sidebar: 框\n    body:\n      - include: a.yaml\n",
            )],
            "book.yaml:5:",
            "cannot hold an `include`",
        ),
        (
            vec![
                ("book.yaml", "title: 书\nbody:\n  - include: ch/a.yaml\n"),
                ("ch/a.yaml", "- 甲。\n- heading: 乙\n  level: 9\n"),
            ],
            "ch/a.yaml:3:10",
            "level",
        ),
        (
            vec![
                ("book.yaml", "title: 书\nbody:\n  - include: ch/a.yaml\n"),
                ("ch/a.yaml", "- 甲。\n- \"见\\u0007。\"\n"),
            ],
            "ch/a.yaml:2:",
            "control character",
        ),
        (
            vec![
                (
                    "book.yaml",
                    "title: 书\ninline: markup\nbody:\n  - include: ch/a.yaml\n",
                ),
                ("ch/a.yaml", "- 甲。\n- 见@{nowhere}。\n"),
            ],
            "ch/a.yaml:2:6",
            "nowhere",
        ),
    ] {
        let (project, output) = build(&files);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{files:?}: {message}");
        assert!(
            message.contains(place),
            "{files:?}: want {place}: {message}"
        );
        assert!(
            message.contains(words),
            "{files:?}: want {words}: {message}"
        );
        assert!(!project.path().join("out/book.pdf").exists());
    }
}

#[test]
fn check_reports_and_fix_rewrites_findings_in_the_chapter_they_are_in() {
    let project = scratch_project();
    let root = project.path();
    let book = "title: 书\nbody:\n  - 前言,开始。\n  - include: ch/a.yaml\n";
    let chapter = "# 第一章\n- 甲,乙。 # 注释\n- \"丙\\u3000丁...\"\n";
    write(&root.join("book.yaml"), book);
    write(&root.join("ch/a.yaml"), chapter);
    let output = paiban(&["check", "book.yaml"], root);
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        report.contains("book.yaml:3:7: warning[half-width-punctuation]"),
        "{report}"
    );
    assert!(
        report.contains("ch/a.yaml:2:4: warning[half-width-punctuation]"),
        "{report}"
    );
    assert!(report.contains("ch/a.yaml:3:"), "{report}");

    let output = paiban(&["check", "--fix", "book.yaml"], root);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        std::fs::read_to_string(root.join("ch/a.yaml")).unwrap(),
        "# 第一章\n- 甲，乙。 # 注释\n- \"丙\\u3000丁……\"\n"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("book.yaml")).unwrap(),
        "title: 书\nbody:\n  - 前言，开始。\n  - include: ch/a.yaml\n"
    );
}

#[test]
fn a_folder_build_leaves_out_chapters_and_the_cache_follows_them() {
    let project = scratch_project();
    let root = project.path();
    write(
        &root.join("content/book.yaml"),
        "title: 书\nbody:\n  - include: ch/a.yaml\n  - include: ch/b.yaml\n",
    );
    write(&root.join("content/ch/a.yaml"), "- 第一章。\n");
    write(&root.join("content/ch/b.yaml"), "- 第二章。\n");
    write(
        &root.join("content/other.yaml"),
        "title: 另一篇\nbody:\n  - 正文。\n",
    );
    let build = || {
        let output = paiban(&["build", "content", "-o", "out"], root);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        stderr(&output)
    };
    let first = build();
    assert!(root.join("out/book.pdf").is_file(), "{first}");
    assert!(root.join("out/other.pdf").is_file(), "{first}");
    assert!(
        !root.join("out/ch").exists(),
        "chapters are not documents: {first}"
    );
    assert_eq!(first.matches("left out").count(), 1, "{first}");
    assert!(first.contains("2 files left out"), "{first}");

    let second = build();
    assert_eq!(second.matches("up to date").count(), 2, "{second}");
    // Editing a chapter rebuilds the book, and only the book.
    write(&root.join("content/ch/b.yaml"), "- 第二章改了。\n");
    let third = build();
    assert!(third.contains("content/book.yaml → "), "{third}");
    assert!(third.contains("other.yaml: up to date"), "{third}");
    let text = common::poppler("pdftotext", &[], &root.join("out/book.pdf"));
    assert!(text.contains("第二章改了。"), "{text}");
}

#[test]
fn watch_follows_chapters_and_the_include_tree_as_it_changes() {
    let project = scratch_project();
    let root = project.path();
    write(
        &root.join("book.yaml"),
        "title: 书\nbody:\n  - include: ch/a.yaml\n",
    );
    write(&root.join("ch/a.yaml"), "- 第一版。\n");
    let pdf = root.join("out/book.pdf");
    let text = || common::poppler("pdftotext", &[], &pdf);
    let mut watch = Watch::start(root, "book.yaml");
    watch.expect("book.yaml → ");
    assert!(text().contains("第一版。"));

    save(&root.join("ch/a.yaml"), "- 第二版。\n");
    watch.expect("book.yaml → ");
    assert!(text().contains("第二版。"));

    // An edit adds a chapter in a folder not yet watched; editing it rebuilds the book.
    write(&root.join("more/b.yaml"), "- 新章。\n");
    save(
        &root.join("book.yaml"),
        "title: 书\nbody:\n  - include: ch/a.yaml\n  - include: more/b.yaml\n",
    );
    watch.expect("book.yaml → ");
    assert!(text().contains("新章。"));
    save(&root.join("more/b.yaml"), "- 新章改了。\n");
    watch.expect("book.yaml → ");
    assert!(text().contains("新章改了。"));

    // A broken chapter is an error in the chapter; fixing it rebuilds.
    save(&root.join("ch/a.yaml"), "- heading: 坏\n  level: 9\n");
    let error = watch.expect("error");
    assert!(error.contains("a.yaml:2:10"), "{error}");
    save(&root.join("ch/a.yaml"), "- 修好了。\n");
    watch.expect("book.yaml → ");
    assert!(text().contains("修好了。"));
}

#[test]
fn import_split_writes_a_book_of_chapter_files_that_prints_as_the_one_file_import() {
    let project = scratch_project();
    let root = project.path();
    let manuscript = "网络空间的合作\n\n\
        前言部分说明本书的来历。\n\n\
        一、总体情况\n\n\
        第一部分的正文。\n\n\
        （一）具体做法\n\n\
        分节的正文，接续第一部分。\n\n\
        二、国际合作\n\n\
        第二部分的正文。\n\n\
        （一）双边合作\n\n\
        编号在文件之间接续。\n\n\
        三、中国主张\n\n\
        第三部分的正文。\n";
    write(&root.join("manuscript.txt"), manuscript);
    let split = import(
        &[
            "import",
            "manuscript.txt",
            "-o",
            "book/whole.yaml",
            "--split",
        ],
        root,
    );
    assert_eq!(split.status.code(), Some(0), "{}", stderr(&split));
    let one = import(&["import", "manuscript.txt", "-o", "one.yaml"], root);
    assert_eq!(one.status.code(), Some(0), "{}", stderr(&one));

    // One chapter file per level-1 heading, each starting with it; the book includes them.
    let book = std::fs::read_to_string(root.join("book/whole.yaml")).unwrap();
    let chapters: Vec<String> = (1..=3)
        .map(|n| std::fs::read_to_string(root.join(format!("book/whole/0{n}.yaml"))).unwrap())
        .collect();
    assert!(!root.join("book/whole/04.yaml").exists());
    for (n, heading) in ["总体情况", "国际合作", "中国主张"].iter().enumerate() {
        assert!(
            book.contains(&format!("  - include: whole/0{}.yaml\n", n + 1)),
            "{book}"
        );
        let first = chapters[n].lines().find(|l| l.starts_with("  - ")).unwrap();
        assert!(first.contains(heading), "{}", chapters[n]);
    }
    assert!(
        book.contains("前言部分"),
        "what precedes the first chapter stays: {book}"
    );
    assert!(!book.contains("第一部分的正文"), "{book}");

    // Built, the book prints the same pages as the one-file import.
    let built = paiban(&["build", "book/whole.yaml", "one.yaml", "-o", "out"], root);
    assert_eq!(built.status.code(), Some(0), "{}", stderr(&built));
    assert_eq!(
        pages(&root.join("out/whole.pdf")),
        pages(&root.join("out/one.pdf"))
    );

    // --split needs a file to write.
    let usage = import(&["import", "manuscript.txt", "--split"], root);
    assert_eq!(usage.status.code(), Some(2), "{}", stderr(&usage));
}
