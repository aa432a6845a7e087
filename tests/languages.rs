//! The document's language chooses paiban's own words and numbers: 目录, 专栏, heading
//! labels, dates. The PDF and the EPUB say the same thing in every language.

mod common;

use std::path::Path;
use std::process::Command;

use common::{entries, entry_text, poppler, project_root, squeeze, xhtml_text};

/// Builds `yaml` as PDF and EPUB in `dir`; the PDF's text and the EPUB's text (every
/// XHTML file, tags removed).
fn build(dir: &Path, name: &str, yaml: &str) -> (String, String) {
    std::fs::write(dir.join(format!("{name}.yaml")), yaml).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_paiban"))
        .args([
            "build",
            &format!("{name}.yaml"),
            "-o",
            "out",
            "--format",
            "pdf,epub",
        ])
        .arg("--root")
        .arg(project_root())
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let pdf = poppler(
        "pdftotext",
        &["-enc", "UTF-8"],
        &dir.join(format!("out/{name}.pdf")),
    );
    let files = entries(&dir.join(format!("out/{name}.epub")));
    let mut epub = String::new();
    for (file, _) in files.iter().filter(|(f, _)| f.ends_with(".xhtml")) {
        epub.push_str(&xhtml_text(&entry_text(&files, file)));
    }
    (pdf, epub)
}

const BODY: &str = "body:\n\
    \x20 - heading: 甲\n\
    \x20 - heading: 乙\n\
    \x20   level: 2\n\
    \x20   number: 19999\n\
    \x20 - heading: 丙\n\
    \x20   level: 2\n\
    \x20 - heading: 丁\n\
    \x20   level: 3\n\
    \x20 - sidebar: 戊\n\
    \x20   number: 4\n\
    \x20   body: [己。]\n";

#[test]
fn each_language_has_its_own_words_in_pdf_and_epub_alike() {
    let dir = tempfile::tempdir().unwrap();
    for (lang, words) in [
        (
            "zh-CN",
            &[
                "目录",
                "2022年11月",
                "一、甲",
                "（一万九千九百九十九）乙",
                "（二万）丙",
                "1.丁",
                "专栏4",
            ][..],
        ),
        (
            "zh-Hant-TW",
            &[
                "目錄",
                "一、甲",
                "（一萬九千九百九十九）乙",
                "（二萬）丙",
                "1.丁",
                "專欄4",
            ][..],
        ),
        (
            "ja",
            &[
                "目次",
                "第１甲",
                "１９９９９乙",
                "２００００丙",
                "（１）丁",
                "コラム４",
            ][..],
        ),
        (
            "en",
            &[
                "Contents",
                "November2022",
                "1甲",
                "1.19999乙",
                "1.20000丙",
                "1.20000.1丁",
                "Box4:戊",
            ][..],
        ),
    ] {
        let yaml = format!("title: 标题\ndate: 2022-11-07\nlang: {lang}\n{BODY}");
        let (pdf, epub) = build(dir.path(), &lang.to_ascii_lowercase(), &yaml);
        let (pdf, epub) = (squeeze(&pdf), squeeze(&epub));
        for word in words {
            let word = squeeze(word);
            assert!(
                pdf.contains(&word),
                "{lang}: `{word}` not in the PDF:\n{pdf}"
            );
            assert!(
                epub.contains(&word),
                "{lang}: `{word}` not in the EPUB:\n{epub}"
            );
        }
        if lang != "zh-CN" {
            for chinese in ["目录", "专栏"] {
                assert!(!pdf.contains(chinese), "{lang}: {chinese} in the PDF");
                assert!(!epub.contains(chinese), "{lang}: {chinese} in the EPUB");
            }
        }
    }
}
