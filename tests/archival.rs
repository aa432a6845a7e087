//! Archival outputs: the print edition's page numbers inside the EPUB (every marker
//! begins the page it names), the accessibility metadata of the book as built, a cover in
//! every EPUB, and a PDF that carries its own source and gives it back byte for byte.

mod common;

use std::path::{Path, PathBuf};

use common::{entries, entry_text, epubcheck, project_root};

use common::project::{plain as paiban, stderr};

/// Builds `content` (a path from the project root) with `args` into a fresh folder; the
/// folder (kept alive) and the PDF and EPUB paths.
fn build(content: &str, args: &[&str]) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let mut all = vec![
        "build",
        content,
        "-o",
        out.path().to_str().unwrap(),
        "--force",
    ];
    all.extend_from_slice(args);
    let output = paiban(&all, &project_root());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let stem = Path::new(content).file_stem().unwrap().to_str().unwrap();
    let pdf = out.path().join(format!("{stem}.pdf"));
    let epub = out.path().join(format!("{stem}.epub"));
    (out, pdf, epub)
}

/// Han characters only: what a page begins with, free of the running head's spacing,
/// note marks (numbered per page in the PDF, per chapter in the EPUB), pinyin set above
/// a line, and digits in a chart.
fn han(text: &str) -> String {
    text.chars()
        .filter(|c| matches!(*c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}'))
        .collect()
}

/// A page-break marker: the physical page its id names, its label, and the text of the
/// book that follows it.
#[derive(Debug)]
struct Marker {
    physical: usize,
    label: String,
    after: String,
}

/// The spine's XHTML documents, in reading order.
fn spine(files: &[(String, Vec<u8>)]) -> Vec<String> {
    let opf = entry_text(files, "EPUB/package.opf");
    let href_of = |id: &str| {
        let at = opf.find(&format!("<item id=\"{id}\" href=\"")).unwrap();
        let rest = &opf[at..];
        let start = rest.find("href=\"").unwrap() + 6;
        rest[start..start + rest[start..].find('"').unwrap()].to_owned()
    };
    opf.split("<itemref idref=\"")
        .skip(1)
        .map(|rest| href_of(&rest[..rest.find('"').unwrap()]))
        .filter(|href| href.ends_with(".xhtml") && href != "nav.xhtml")
        .map(|href| entry_text(files, &format!("EPUB/{href}")))
        .collect()
}

/// Every marker of the EPUB in reading order, with the text that follows it (ruby
/// annotations and their parentheses left out, as a reader sees the base).
fn markers(epub: &Path) -> Vec<Marker> {
    let files = entries(epub);
    let mut book = String::new();
    for xhtml in spine(&files) {
        let body = &xhtml[xhtml.find("<body").unwrap()..];
        book.push_str(body);
    }
    let mut found = Vec::new();
    for (at, _) in book.match_indices("<span epub:type=\"pagebreak\"") {
        let tag = &book[at..at + book[at..].find("/>").unwrap()];
        let attribute = |name: &str| {
            let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            tag[start..start + tag[start..].find('"').unwrap()].to_owned()
        };
        assert!(tag.contains("role=\"doc-pagebreak\""), "{tag}");
        let id = attribute("id");
        let mut following = book[at..].to_owned();
        for (open, close) in [("<rt>", "</rt>"), ("<rp>", "</rp>")] {
            while let Some(start) = following.find(open) {
                let end = following[start..].find(close).unwrap() + start + close.len();
                following.replace_range(start..end, "");
            }
        }
        found.push(Marker {
            physical: id.trim_start_matches("page-").parse().unwrap(),
            label: attribute("aria-label"),
            after: common::xhtml_text(&following).chars().take(400).collect(),
        });
    }
    found
}

/// The text of one page of `pdf`.
fn page_text(pdf: &Path, physical: usize) -> String {
    let page = physical.to_string();
    common::poppler("pdftotext", &["-f", &page, "-l", &page, "-layout"], pdf)
}

/// Every marker begins the page it names: the first Han characters after it are among
/// the first of that page (after its running head); the page's folio is the label; every
/// numbered page has one; and the page list links them all, in order.
fn assert_page_list(content: &str, args: &[&str]) {
    let (_out, pdf, epub) = build(content, &[&["--format", "pdf,epub"], args].concat());
    let found = markers(&epub);
    assert!(!found.is_empty(), "{content}: no markers");
    let mut folios = 0;
    for marker in &found {
        let after = han(&marker.after);
        let want: String = after.chars().take(6).collect();
        assert!(want.chars().count() >= 2, "{content}: {marker:?}");
        let page = page_text(&pdf, marker.physical);
        let begins: String = han(&page).chars().take(40).collect();
        assert!(
            begins.contains(&want),
            "{content} {args:?}: the marker of page {} ({}) is followed by {want:?}, the page begins {begins:?}",
            marker.physical,
            marker.label
        );
        // The folio the page prints, if it prints one (a 公文's 版记 page has none), is
        // the label.
        let lines: Vec<&str> = page
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let folio = |line: &str| {
            let bare = line.trim_matches(|c: char| c == '—' || c == '-' || c.is_whitespace());
            (!bare.is_empty() && bare.chars().all(|c| c.is_ascii_digit())).then(|| bare.to_owned())
        };
        let printed = lines
            .last()
            .and_then(|l| folio(l))
            .or_else(|| lines.first().and_then(|l| folio(l)));
        if let Some(printed) = &printed {
            assert_eq!(
                printed, &marker.label,
                "{content}: page {}",
                marker.physical
            );
        }
        folios += usize::from(printed.is_some());
    }
    assert!(
        folios * 2 > found.len(),
        "{content}: most pages print their folio"
    );
    // Pages are in order, each once, and end with the PDF's last page.
    let physical: Vec<usize> = found.iter().map(|m| m.physical).collect();
    assert!(
        physical.windows(2).all(|w| w[1] == w[0] + 1),
        "{physical:?}"
    );
    let info = common::poppler("pdfinfo", &[], &pdf);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(physical.last(), Some(&pages), "{content}");

    let files = entries(&epub);
    let nav = entry_text(&files, "EPUB/nav.xhtml");
    let list = &nav[nav.find("epub:type=\"page-list\"").expect("a page list")..];
    let list = &list[..list.find("</nav>").unwrap()];
    let linked: Vec<String> = list
        .split("#page-")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
        .collect();
    let ids: Vec<String> = physical.iter().map(usize::to_string).collect();
    assert_eq!(
        linked, ids,
        "{content}: the page list links every marker in order"
    );
    let opf = entry_text(&files, "EPUB/package.opf");
    for feature in ["pageBreakMarkers", "pageNavigation"] {
        assert!(
            opf.contains(&format!(">{feature}</meta>")),
            "{content}: {feature}"
        );
    }
    assert!(opf.contains("<meta property=\"pageBreakSource\">"), "{opf}");
    epubcheck(&epub);
}

#[test]
fn the_white_papers_markers_begin_their_pages_on_a4() {
    assert_page_list("content/whitepaper.yaml", &[]);
}

#[test]
fn the_white_papers_markers_begin_their_pages_on_a5() {
    assert_page_list("content/whitepaper.yaml", &["--paper", "A5"]);
}

#[test]
fn the_longest_samples_markers_begin_their_pages() {
    // 25 pages of A5: notes, a table that crosses pages, figures, lists, verse.
    assert_page_list("content/chapter.yaml", &[]);
    assert_page_list("content/gongwen.yaml", &[]);
    assert_page_list("content/book.yaml", &[]);
}

#[test]
fn the_page_source_names_the_edition_and_an_epub_alone_has_the_same_pages() {
    let (_a, _, together) = build("content/whitepaper.yaml", &["--format", "pdf,epub"]);
    let (_b, _, alone) = build("content/whitepaper.yaml", &["--format", "epub"]);
    let marks = |epub: &Path| -> Vec<(usize, String)> {
        markers(epub)
            .into_iter()
            .map(|m| (m.physical, m.label))
            .collect()
    };
    assert_eq!(marks(&together), marks(&alone));
    let (_c, _, a5) = build(
        "content/whitepaper.yaml",
        &["--format", "epub", "--paper", "A5"],
    );
    assert_ne!(marks(&a5), marks(&alone), "an A5 print has other pages");
    let opf = entry_text(&entries(&a5), "EPUB/package.opf");
    let source = opf
        .split("<meta property=\"pageBreakSource\">")
        .nth(1)
        .unwrap();
    assert!(source.starts_with("携手构建网络空间命运共同体"), "{source}");
    assert!(
        source[..source.find("</meta>").unwrap()].contains("A5"),
        "{source}"
    );

    // --page-list none: no markers, no page list, and the metadata does not claim them.
    let (_d, _, none) = build(
        "content/whitepaper.yaml",
        &["--format", "epub", "--page-list", "none"],
    );
    assert!(markers(&none).is_empty());
    let files = entries(&none);
    assert!(!entry_text(&files, "EPUB/nav.xhtml").contains("page-list"));
    let opf = entry_text(&files, "EPUB/package.opf");
    assert!(!opf.contains("pageBreakMarkers") && !opf.contains("pageBreakSource"));
    epubcheck(&none);
}

#[test]
fn every_epub_has_a_cover_the_title_page_or_the_contents_image() {
    let check = |epub: &Path, media: &str| {
        let files = entries(epub);
        let opf = entry_text(&files, "EPUB/package.opf");
        let item = opf
            .lines()
            .find(|l| l.contains("properties=\"cover-image\""))
            .unwrap_or_else(|| panic!("no cover image: {opf}"));
        assert!(item.contains(&format!("media-type=\"{media}\"")), "{item}");
        let first = opf.split("<itemref idref=\"").nth(1).unwrap();
        assert!(
            first.starts_with("cover\""),
            "the cover page opens the spine: {opf}"
        );
        let href = item
            .split("href=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let (_, bytes) = files
            .iter()
            .find(|(name, _)| *name == format!("EPUB/{href}"))
            .unwrap();
        let page = entry_text(&files, "EPUB/text/cover.xhtml");
        assert!(page.contains(&format!("../{href}")), "{page}");
        epubcheck(epub);
        bytes.clone()
    };
    // The title page, rendered: a PNG 1600 px high.
    let (_a, _, epub) = build("content/whitepaper.yaml", &["--format", "epub"]);
    let png = check(&epub, "image/png");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!(height, 1600);

    // The content's own cover image, by the rules of a figure's path.
    let dir = tempfile::tempdir_in(project_root().join("target-tests")).unwrap_or_else(|_| {
        std::fs::create_dir_all(project_root().join("target-tests")).unwrap();
        tempfile::tempdir_in(project_root().join("target-tests")).unwrap()
    });
    std::fs::copy(
        project_root().join("content/images/shares.png"),
        dir.path().join("front.png"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("covered.yaml"),
        "title: 有封面的书\ncover: front.png\nbody:\n  - 正文。\n",
    )
    .unwrap();
    let content = dir.path().join("covered.yaml");
    let (_b, _, epub) = build(content.to_str().unwrap(), &["--format", "epub"]);
    let image = check(&epub, "image/png");
    assert_eq!(image, std::fs::read(dir.path().join("front.png")).unwrap());

    // A cover that is not there is a located error.
    std::fs::write(
        dir.path().join("uncovered.yaml"),
        "title: 无封面\ncover: missing.png\nbody:\n  - 正文。\n",
    )
    .unwrap();
    let output = paiban(
        &["build", "uncovered.yaml", "--format", "epub", "-o", "out"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("uncovered.yaml:2:8"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.path().join("out/uncovered.epub").exists());
}

#[test]
fn a_pdf_that_carries_its_source_gives_it_back_and_builds_the_same_bytes() {
    let work = tempfile::tempdir().unwrap();
    // A document with an image, outside the repository's own content folder.
    let project = work.path().join("project");
    copy_tree(&project_root().join("layouts"), &project.join("layouts"));
    std::fs::create_dir_all(project.join("doc/images")).unwrap();
    std::fs::copy(
        project_root().join("content/images/shares.png"),
        project.join("doc/images/shares.png"),
    )
    .unwrap();
    std::fs::write(
        project.join("doc/report.yaml"),
        "title: 带源文件的报告\ndate: 2026-12-05\nbody:\n  - 正文。\n  - figure: images/shares.png\n    alt: 份额图\n    caption: 份额\n",
    )
    .unwrap();
    let fonts = project_root().join("fonts");
    let fonts = fonts.to_str().unwrap();
    let build_in = |dir: &Path, out: &str| {
        let output = paiban(
            &[
                "build",
                "report.yaml",
                "-o",
                out,
                "--embed-source",
                "--pdf-standard",
                "a-3b",
                "--font-path",
                fonts,
            ],
            dir,
        );
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        std::fs::read(dir.join(out).join("report.pdf")).unwrap()
    };
    let original = build_in(&project.join("doc"), "out");
    let pdf = project.join("doc/out/report.pdf");
    let listing = common::poppler("pdfdetach", &["-list"], &pdf);
    assert!(
        listing.contains("report.yaml") && listing.contains("shares.png"),
        "{listing}"
    );

    // Extracted into a copy of the project, the source builds the same bytes.
    let copy = work.path().join("copy");
    copy_tree(&project.join("layouts"), &copy.join("layouts"));
    let output = paiban(
        &[
            "extract",
            pdf.to_str().unwrap(),
            "-o",
            copy.join("doc").to_str().unwrap(),
        ],
        work.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        std::fs::read(copy.join("doc/report.yaml")).unwrap(),
        std::fs::read(project.join("doc/report.yaml")).unwrap()
    );
    assert_eq!(
        std::fs::read(copy.join("doc/images/shares.png")).unwrap(),
        std::fs::read(project.join("doc/images/shares.png")).unwrap()
    );
    let rebuilt = build_in(&copy.join("doc"), "out");
    assert!(rebuilt == original, "the rebuilt PDF differs");

    // PDF/A-2 forbids attachments: a usage error before any build.
    let output = paiban(
        &[
            "build",
            "report.yaml",
            "-o",
            "a2",
            "--embed-source",
            "--pdf-standard",
            "a-2b",
        ],
        &project.join("doc"),
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(!project.join("doc/a2").exists());
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
fn a_book_carries_its_chapter_files_and_builds_again_from_them() {
    let work = tempfile::tempdir().unwrap();
    let project = work.path().join("project");
    copy_tree(&project_root().join("layouts"), &project.join("layouts"));
    copy_tree(
        &project_root().join("content/book"),
        &project.join("doc/book"),
    );
    std::fs::copy(
        project_root().join("content/book.yaml"),
        project.join("doc/book.yaml"),
    )
    .unwrap();
    let fonts = project_root().join("fonts");
    let build_in = |dir: &Path| {
        let args = [
            "build",
            "book.yaml",
            "-o",
            "out",
            "--embed-source",
            "--font-path",
            fonts.to_str().unwrap(),
        ];
        let output = paiban(&args, dir);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        std::fs::read(dir.join("out/book.pdf")).unwrap()
    };
    let original = build_in(&project.join("doc"));
    let listing = common::poppler("pdfdetach", &["-list"], &project.join("doc/out/book.pdf"));
    for chapter in [
        "book.yaml",
        "book/01-xueer.yaml",
        "book/05-gongyechang.yaml",
        "ages.svg",
    ] {
        assert!(listing.contains(chapter), "{chapter}: {listing}");
    }
    let copy = work.path().join("copy");
    copy_tree(&project.join("layouts"), &copy.join("layouts"));
    let pdf = project.join("doc/out/book.pdf");
    let output = paiban(
        &[
            "extract",
            pdf.to_str().unwrap(),
            "-o",
            copy.join("doc").to_str().unwrap(),
        ],
        work.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        build_in(&copy.join("doc")) == original,
        "the rebuilt book differs"
    );
}
