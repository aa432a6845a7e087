//! The emitted markup stands alone: the official typst CLI 0.15.1 compiles it, with the
//! project as root and only the bundled fonts, to the same pages paiban makes in-process.

mod common;

use std::path::Path;
use std::process::Command;

use common::{builder, poppler, project_root};

fn typst_cli() -> String {
    let typst = std::env::var("TYPST").unwrap_or_else(|_| "typst".to_owned());
    let version = Command::new(&typst)
        .arg("--version")
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run `{typst}` (install typst-cli 0.15.1; .ci/run does): {e}")
        });
    let version = String::from_utf8_lossy(&version.stdout).into_owned();
    assert!(
        version.starts_with("typst 0.15.1"),
        "need typst 0.15.1, found {version}"
    );
    typst
}

/// Every page rendered to grey pixels.
fn pixels(pdf: &Path, dir: &Path, prefix: &str) -> Vec<Vec<u8>> {
    let status = Command::new("pdftoppm")
        .args(["-r", "40", "-gray"])
        .arg(pdf)
        .arg(dir.join(prefix))
        .status()
        .expect("pdftoppm (poppler-utils)");
    assert!(status.success());
    let mut pages: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    pages.sort();
    pages.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

#[test]
fn the_typst_cli_compiles_the_emitted_markup_to_the_same_pages() {
    for name in [
        "whitepaper",
        "gongwen",
        "features",
        "chapter",
        "classical",
        "zh-tw",
        "ja",
    ] {
        same_pages_as_the_typst_cli(name);
    }
}

fn same_pages_as_the_typst_cli(name: &str) {
    let typst = typst_cli();
    let root = project_root();
    let scratch_parent = root.join("target-tests");
    std::fs::create_dir_all(&scratch_parent).unwrap();
    let dir = tempfile::tempdir_in(scratch_parent).unwrap();
    let content = root.join(format!("content/{name}.yaml"));

    let markup =
        paiban::pipeline::markup(&content, &builder().project, &Default::default()).unwrap();
    let typ = dir.path().join(format!("{name}.typ"));
    std::fs::write(&typ, markup).unwrap();
    let cli_pdf = dir.path().join("cli.pdf");
    let output = Command::new(&typst)
        .arg("compile")
        .arg("--root")
        .arg(&root)
        .arg("--font-path")
        .arg(root.join("fonts"))
        .arg("--ignore-system-fonts")
        .arg(&typ)
        .arg(&cli_pdf)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{name}: typst compile failed:\n{stderr}"
    );
    assert!(stderr.trim().is_empty(), "{name}: typst warned:\n{stderr}");

    let ours = builder().build_pdf(&content, dir.path()).unwrap().output;
    assert_eq!(
        poppler("pdftotext", &["-enc", "UTF-8"], &cli_pdf),
        poppler("pdftotext", &["-enc", "UTF-8"], &ours)
    );
    let theirs = pixels(&cli_pdf, dir.path(), "cli-page");
    let mine = pixels(&ours, dir.path(), "paiban-page");
    assert_eq!(theirs.len(), mine.len(), "{name}: page counts differ");
    for (i, (a, b)) in theirs.iter().zip(&mine).enumerate() {
        assert!(a == b, "{name}: page {} renders differently", i + 1);
    }
}
