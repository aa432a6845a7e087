//! House styles: `paiban.toml` (defaults, font roles, lint severities), its precedence
//! under the content and the command line, its located errors, and `paiban init`.

mod common;

use std::path::Path;
use std::process::Command;

use common::project::{Watch, paiban, plain, save, scratch_project, stderr, write};
use common::{entries, entry_text, poppler, project_root};

/// A paragraph only, no authors or date: every glyph of the PDF is in the `song` role.
const SONG_ONLY: &str = "title: 宋体\nbody:\n  - 正文用宋体这个角色排出。\n";

/// The base font names `pdffonts` lists, without subset prefixes.
fn font_names(pdf: &Path) -> Vec<String> {
    let listing = poppler("pdffonts", &[], pdf);
    let mut names: Vec<String> = listing
        .lines()
        .skip(2)
        .filter_map(|row| row.split_whitespace().next())
        .map(|name| name.split_once('+').map_or(name, |(_, n)| n))
        .map(|name| name.trim_end_matches("-Identity-H").to_owned())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The page size `pdfinfo` reports, in points, rounded.
fn page_size(pdf: &Path) -> (i64, i64) {
    let info = poppler("pdfinfo", &[], pdf);
    let line = info
        .lines()
        .find(|l| l.starts_with("Page size:"))
        .unwrap_or_else(|| panic!("{info}"));
    let numbers: Vec<f64> = line
        .split_whitespace()
        .filter_map(|word| word.parse().ok())
        .collect();
    (numbers[0].round() as i64, numbers[1].round() as i64)
}

const A4: (i64, i64) = (595, 842);
const A5: (i64, i64) = (420, 595);
const B5: (i64, i64) = (499, 709);

#[test]
fn a_house_style_builds_with_its_fonts_paper_and_formats_and_no_flags() {
    let project = scratch_project();
    let root = project.path();
    // Song and Kai swapped among the bundled faces.
    write(
        &root.join("paiban.toml"),
        "paper = \"A5\"\noutput = \"dist\"\nformats = [\"pdf\", \"epub\"]\nepub-embed-fonts = true\n\n[fonts]\nsong = \"LXGW WenKai\"\nkai = \"Noto Serif CJK SC\"\n",
    );
    write(&root.join("content/doc.yaml"), SONG_ONLY);
    let output = paiban(&["build"], root);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let pdf = root.join("dist/content/doc.pdf");
    let pdf = if pdf.exists() {
        pdf
    } else {
        root.join("dist/doc.pdf")
    };
    assert_eq!(font_names(&pdf), ["LXGWWenKai-Regular"], "the song role");
    assert_eq!(page_size(&pdf), A5);
    let epub = pdf.with_extension("epub");
    let files = entries(&epub);
    let css = entry_text(&files, "EPUB/css/book.css");
    let body_rule = css
        .split('}')
        .find(|rule| rule.trim_start().starts_with("body"))
        .unwrap_or_else(|| panic!("{css}"));
    assert!(body_rule.contains("\"LXGW WenKai\""), "{body_rule}");
    assert!(!body_rule.contains("Noto Serif CJK SC"), "{body_rule}");
    let fonts_css = entry_text(&files, "EPUB/css/fonts.css");
    assert!(
        fonts_css.contains("font-family: \"LXGW WenKai\""),
        "{fonts_css}"
    );
    assert!(
        files.iter().any(|(name, _)| name.contains("LXGWWenKai")),
        "the mapped face is embedded"
    );
    common::epubcheck(&epub);

    // Without the mapping, the same document is in the bundled Song.
    std::fs::remove_file(root.join("paiban.toml")).unwrap();
    let output = paiban(&["build", "content/doc.yaml", "-o", "plain"], root);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        font_names(&root.join("plain/doc.pdf")),
        ["NotoSerifCJKsc-Bold", "NotoSerifCJKsc-Regular"]
    );
    assert_eq!(page_size(&root.join("plain/doc.pdf")), A4);
}

#[test]
fn a_language_table_maps_roles_for_documents_in_that_language_only() {
    let project = scratch_project();
    let root = project.path();
    write(
        &root.join("paiban.toml"),
        "[fonts.ja]\nsong = \"LXGW WenKai\"\n",
    );
    write(&root.join("zh.yaml"), SONG_ONLY);
    write(
        &root.join("ja.yaml"),
        "title: 本文\nlang: ja\nbody:\n  - 日本語の本文です。\n",
    );
    let output = paiban(&["build", "zh.yaml", "ja.yaml", "-o", "out"], root);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(font_names(&root.join("out/ja.pdf")), ["LXGWWenKai-Regular"]);
    assert!(
        font_names(&root.join("out/zh.pdf"))
            .iter()
            .all(|f| f.starts_with("NotoSerifCJKsc"))
    );
}

#[test]
fn the_command_line_beats_the_content_which_beats_the_project_file() {
    let project = scratch_project();
    let root = project.path();
    write(
        &root.join("paiban.toml"),
        "paper = \"A5\"\nlayout = \"gongwen\"\n",
    );
    write(&root.join("plain.yaml"), SONG_ONLY);
    write(
        &root.join("own.yaml"),
        &format!("layout: whitepaper\npaper: B5\n{SONG_ONLY}"),
    );
    let output = paiban(&["build", "plain.yaml", "own.yaml", "-o", "out"], root);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // The project's paper and layout (gongwen sets text in FangSong) for the plain file …
    assert_eq!(page_size(&root.join("out/plain.pdf")), A5);
    assert!(font_names(&root.join("out/plain.pdf")).contains(&"FandolFang-Regular".to_owned()));
    // … the content's own for the other …
    assert_eq!(page_size(&root.join("out/own.pdf")), B5);
    assert!(
        !font_names(&root.join("out/own.pdf"))
            .iter()
            .any(|f| f.starts_with("Fandol"))
    );
    // … and the command line's over both.
    let output = paiban(&["build", "own.yaml", "--paper", "A4", "-o", "cli"], root);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(page_size(&root.join("cli/own.pdf")), A4);
    // The project's formats and output folder yield to the command line's.
    write(
        &root.join("paiban.toml"),
        "output = \"dist\"\nformats = [\"epub\"]\n",
    );
    let output = paiban(
        &["build", "plain.yaml", "--format", "pdf", "-o", "mine"],
        root,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(root.join("mine/plain.pdf").exists());
    assert!(!root.join("mine/plain.epub").exists());
    assert!(!root.join("dist").exists());
}

/// `paiban.toml` with `text`, and the first diagnostic of a build, as `file:line:col`
/// and the rest of the message.
fn settings_error(text: &str) -> String {
    let project = scratch_project();
    let root = project.path();
    write(&root.join("paiban.toml"), text);
    write(&root.join("doc.yaml"), SONG_ONLY);
    let output = paiban(&["build", "doc.yaml", "-o", "out"], root);
    assert_ne!(output.status.code(), Some(0), "{text}");
    assert!(!root.join("out/doc.pdf").exists(), "{text}");
    stderr(&output).replace(&format!("{}/", root.display()), "")
}

#[test]
fn errors_in_the_project_file_are_located() {
    let cases = [
        (
            "layout = \"whitepaper\"\nlayuot = \"x\"\n",
            "paiban.toml:2:1",
            "did you mean `layout`",
        ),
        ("two-sided = \"yes\"\n", "paiban.toml:1:13", "boolean"),
        ("\n\nlayout = \"nope\"\n", "paiban.toml:3:10", "nope"),
        ("paper = \"A9\"\n", "paiban.toml:1:9", "A9"),
        (
            "[lint]\nhalf-width-punctuaton = \"off\"\n",
            "paiban.toml:2:",
            "did you mean `half-width-punctuation`",
        ),
        (
            "[lint]\ndash = \"loud\"\n",
            "paiban.toml:2:8",
            "`off`, `warning` or `error`",
        ),
        (
            "[fonts]\nsonj = \"Noto Serif CJK SC\"\n",
            "paiban.toml:2:",
            "did you mean `song`",
        ),
        (
            "[fonts]\nhei = \"Noto Sans CJK SC\"\nsong = \"No Such Song\"\n",
            "paiban.toml:3:8",
            "no font folder has the family `No Such Song`",
        ),
        (
            "[fonts.ja]\nhei = \"Noto Sans CJK SC\"\n\nkai = \"LXGW WenKaj\"\n",
            "paiban.toml:4:1",
            "did you mean `LXGW WenKai`",
        ),
    ];
    for (text, at, says) in cases {
        let message = settings_error(text);
        assert!(message.contains(at), "{text:?}: want {at}, got {message}");
        assert!(
            message.contains(says),
            "{text:?}: want {says:?}, got {message}"
        );
    }
}

#[test]
fn check_takes_its_severities_from_the_project_file() {
    let project = scratch_project();
    let root = project.path();
    write(
        &root.join("doc.yaml"),
        "title: 标点\nbody:\n  - 中文句子里有半角逗号,这是问题。\n",
    );
    let run = |toml: &str| {
        write(&root.join("paiban.toml"), toml);
        paiban(&["check", "doc.yaml"], root)
    };
    let default = run("");
    assert_eq!(default.status.code(), Some(0), "{}", stderr(&default));
    let stdout = String::from_utf8_lossy(&default.stdout).into_owned();
    assert!(
        stdout.contains("warning[half-width-punctuation]"),
        "{stdout}"
    );

    let off = run("[lint]\nhalf-width-punctuation = \"off\"\n");
    assert_eq!(off.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&off.stdout).contains("half-width"));

    let error = run("[lint]\nhalf-width-punctuation = \"error\"\n");
    assert_eq!(error.status.code(), Some(1), "{}", stderr(&error));
    assert!(String::from_utf8_lossy(&error.stdout).contains("error[half-width-punctuation]"));

    // --fix leaves a finding that is off alone.
    run("[lint]\nhalf-width-punctuation = \"off\"\n");
    let fixed = paiban(&["check", "--fix", "doc.yaml"], root);
    assert_eq!(fixed.status.code(), Some(0), "{}", stderr(&fixed));
    assert!(
        std::fs::read_to_string(root.join("doc.yaml"))
            .unwrap()
            .contains("逗号,这")
    );
}

#[test]
fn paiban_fonts_shows_each_role_its_family_and_the_file_that_serves_it() {
    let project = scratch_project();
    let root = project.path();
    write(
        &root.join("paiban.toml"),
        "[fonts]\nhei = \"LXGW WenKai\"\n",
    );
    let output = paiban(&["fonts"], root);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let listing = String::from_utf8(output.stdout).unwrap();
    let row = |role: &str| {
        listing
            .lines()
            .find(|line| line.starts_with(&format!("{role}\t")))
            .unwrap_or_else(|| panic!("{role}: {listing}"))
            .split('\t')
            .map(str::to_owned)
            .collect::<Vec<String>>()
    };
    let hei = row("hei");
    assert_eq!(hei[1], "LXGW WenKai");
    assert!(hei[2].ends_with("LXGWWenKai-Regular.ttf#0"), "{hei:?}");
    assert_eq!(hei[3], "(no bold face)");
    let song = row("song");
    assert_eq!(song[1], "Noto Serif CJK SC");
    assert!(song[3].ends_with("NotoSerifCJKsc-Bold.otf#0"), "{song:?}");
}

/// A content file outside any project uses the layouts paiban was built from, and reads
/// the files beside it: its images and chapters, in a build, a batch and `check`.
#[test]
fn a_document_outside_any_project_reads_the_files_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    assert!(!dir.path().starts_with(project_root()));
    let report = dir.path().join("report");
    std::fs::create_dir_all(report.join("images")).unwrap();
    std::fs::copy(
        project_root().join("content/images/shares.png"),
        report.join("images/shares.png"),
    )
    .unwrap();
    write(
        &report.join("report.yaml"),
        "title: 独立的报告\nbody:\n  - 正文。\n  - figure: images/shares.png\n    caption: 占比\n    alt: 饼图。\n  - include: parts/one.yaml\n",
    );
    write(
        &report.join("parts/one.yaml"),
        "- heading: 分章\n- 分章的正文。\n",
    );
    let other = dir.path().join("other");
    write(
        &other.join("memo.yaml"),
        "title: 另一份\nbody:\n  - figure: ../report/images/shares.png\n    alt: 饼图。\n",
    );

    let build = plain(
        &["build", "report.yaml", "--format", "pdf,epub", "-o", "out"],
        &report,
    );
    assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
    let text = poppler("pdftotext", &[], &report.join("out/report.pdf"));
    assert!(text.contains("分章的正文"), "{text}");
    // pdfimages lists two header lines, then one line per image.
    let images = poppler("pdfimages", &["-list"], &report.join("out/report.pdf"));
    assert_eq!(images.lines().count(), 3, "{images}");
    common::epubcheck(&report.join("out/report.epub"));
    let check = plain(&["check", "report.yaml"], &report);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));

    // Alone, a document reads only its own folder.
    let alone = plain(&["build", "memo.yaml", "-o", "out"], &other);
    assert_eq!(alone.status.code(), Some(1), "{}", stderr(&alone));
    assert!(
        stderr(&alone).contains("memo.yaml:3:13:") && stderr(&alone).contains("outside"),
        "{}",
        stderr(&alone)
    );
    // Built together, documents in different folders share the folder that holds both.
    let batch = plain(
        &[
            "build",
            "report/report.yaml",
            "other/memo.yaml",
            "-o",
            "out",
        ],
        dir.path(),
    );
    assert_eq!(batch.status.code(), Some(0), "{}", stderr(&batch));
    assert!(dir.path().join("out/memo.pdf").is_file());
}

#[test]
fn init_makes_a_project_that_builds_outside_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    assert!(!dir.path().starts_with(project_root()));
    for layout in ["whitepaper", "gongwen"] {
        let project = dir.path().join(layout);
        // Without --font-path: the project finds the bundled fonts itself.
        let init = Command::new(env!("CARGO_BIN_EXE_paiban"))
            .args(["init", layout, "--layout", layout])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(init.status.code(), Some(0), "{}", stderr(&init));
        assert!(project.join("paiban.toml").is_file());
        assert!(
            project
                .join(format!("layouts/{layout}/template.typ"))
                .is_file()
        );
        let build = Command::new(env!("CARGO_BIN_EXE_paiban"))
            .arg("build")
            .current_dir(&project)
            .output()
            .unwrap();
        assert_eq!(build.status.code(), Some(0), "{}", stderr(&build));
        let pdf = project.join("out/sample.pdf");
        assert!(font_names(&pdf).len() >= 2, "{layout}");
        common::epubcheck(&project.join("out/sample.epub"));
        let check = Command::new(env!("CARGO_BIN_EXE_paiban"))
            .args(["check", "content"])
            .current_dir(&project)
            .output()
            .unwrap();
        assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
        assert!(
            check.stdout.is_empty(),
            "{}",
            String::from_utf8_lossy(&check.stdout)
        );

        // A second init writes over nothing.
        let before = std::fs::read(project.join("paiban.toml")).unwrap();
        write(
            &project.join("paiban.toml"),
            "layout = \"gongwen\" # mine\n",
        );
        let again = Command::new(env!("CARGO_BIN_EXE_paiban"))
            .args(["init", layout])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
        assert_eq!(
            std::fs::read_to_string(project.join("paiban.toml")).unwrap(),
            "layout = \"gongwen\" # mine\n"
        );
        assert!(!before.is_empty());
    }
}

#[test]
fn the_cache_and_watch_follow_the_project_file() {
    let project = scratch_project();
    let root = project.path();
    write(&root.join("paiban.toml"), "paper = \"A5\"\n");
    write(&root.join("doc.yaml"), SONG_ONLY);
    let build = || paiban(&["build", "doc.yaml", "-o", "out"], root);
    assert_eq!(build().status.code(), Some(0));
    assert!(
        stderr(&build()).contains("up to date"),
        "a second build is cached"
    );
    write(&root.join("paiban.toml"), "paper = \"B5\"\n");
    let rebuilt = build();
    assert!(
        !stderr(&rebuilt).contains("up to date"),
        "{}",
        stderr(&rebuilt)
    );
    assert_eq!(page_size(&root.join("out/doc.pdf")), B5);

    let mut watch = Watch::start(root, "doc.yaml");
    watch.expect("→");
    save(&root.join("paiban.toml"), "paper = \"A5\"\n");
    watch.expect("→");
    assert_eq!(page_size(&root.join("out/doc.pdf")), A5);
    // A broken project file is a located error, and the last good PDF stays.
    save(&root.join("paiban.toml"), "paper = \"A9\"\n");
    let error = watch.expect("paiban.toml:1:9");
    assert!(error.contains("A9"), "{error}");
    assert_eq!(page_size(&root.join("out/doc.pdf")), A5);
}

#[test]
fn the_project_schema_names_every_key_the_file_takes() {
    let output = Command::new(env!("CARGO_BIN_EXE_paiban"))
        .args(["schema", "--project"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let keys: Vec<&str> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "layout",
        "paper",
        "output",
        "formats",
        "font-paths",
        "fonts",
        "lint",
        "bleed",
    ] {
        assert!(keys.contains(&key), "{key}: {keys:?}");
    }
    assert!(schema["properties"]["lint"]["properties"]["half-width-punctuation"].is_object());
    assert!(schema["properties"]["fonts"]["properties"]["fangsong"].is_object());
}
