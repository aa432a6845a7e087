//! Print production: trim sizes, bleed and crop marks, page boxes, PDF/A metadata,
//! reproducible bytes, front matter and two-sided furniture.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{poppler, project_root};

const MM: f64 = 72.0 / 25.4;

fn paiban(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_paiban"));
    command
        .args(args)
        .arg("--root")
        .arg(project_root())
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

#[track_caller]
fn assert_success(output: &Output) {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Builds the white paper with `line` added before its body, as `dir/<name>.yaml`; the
/// PDF's text.
fn white_paper_with(dir: &Path, name: &str, line: &str) -> String {
    let original = std::fs::read_to_string(project_root().join("content/whitepaper.yaml")).unwrap();
    let changed = original.replacen("\nbody:\n", &format!("\n{line}\nbody:\n"), 1);
    std::fs::write(dir.join(format!("{name}.yaml")), changed).unwrap();
    let output = paiban(&["build", &format!("{name}.yaml"), "-o", "out"], dir, &[]);
    assert_success(&output);
    poppler(
        "pdftotext",
        &["-enc", "UTF-8"],
        &dir.join(format!("out/{name}.pdf")),
    )
}

/// Builds the white paper with `args` into a fresh folder; the PDF's path.
fn build_white_paper(dir: &Path, args: &[&str]) -> PathBuf {
    let content = project_root().join("content/whitepaper.yaml");
    let mut all = vec!["build", content.to_str().unwrap(), "-o", "out", "--force"];
    all.extend_from_slice(args);
    let output = paiban(&all, dir, &[]);
    assert_success(&output);
    dir.join("out/whitepaper.pdf")
}

/// Every page's boxes from `pdfinfo -box`, in points: (name, [x0, y0, x1, y1]).
fn boxes(pdf: &Path) -> Vec<Vec<(String, [f64; 4])>> {
    (1..=page_count(pdf))
        .map(|page| {
            let page = page.to_string();
            poppler("pdfinfo", &["-box", "-f", &page, "-l", &page], pdf)
                .lines()
                .filter_map(|line| {
                    let (name, values) = line.split_once("Box:")?;
                    let name = name.rsplit(' ').next()?.to_owned() + "Box";
                    let v: Vec<f64> = values
                        .split_whitespace()
                        .map(|v| v.parse().unwrap())
                        .collect();
                    Some((name, [v[0], v[1], v[2], v[3]]))
                })
                .collect()
        })
        .collect()
}

fn page_count(pdf: &Path) -> usize {
    poppler("pdfinfo", &[], pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

fn size_mm(b: &[f64; 4]) -> (f64, f64) {
    ((b[2] - b[0]) / MM, (b[3] - b[1]) / MM)
}

fn find<'a>(page: &'a [(String, [f64; 4])], name: &str) -> &'a [f64; 4] {
    &page
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name}: {page:?}"))
        .1
}

#[track_caller]
fn assert_mm(actual: (f64, f64), expected: (f64, f64)) {
    assert!(
        (actual.0 - expected.0).abs() < 0.05 && (actual.1 - expected.1).abs() < 0.05,
        "{actual:?} mm, expected {expected:?} mm"
    );
}

#[test]
fn a5_with_bleed_and_crop_marks_has_every_box_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = build_white_paper(
        dir.path(),
        &["--paper", "A5", "--bleed", "3mm", "--crop-marks"],
    );
    let pages = boxes(&pdf);
    assert!(pages.len() > 10);
    for page in &pages {
        let (media, bleed, trim) = (
            find(page, "MediaBox"),
            find(page, "BleedBox"),
            find(page, "TrimBox"),
        );
        assert_mm(size_mm(trim), (148.0, 210.0));
        assert_mm(size_mm(bleed), (154.0, 216.0));
        // The slug outside the bleed holds the marks: 9 mm on every side.
        assert_mm(size_mm(media), (172.0, 234.0));
        for side in 0..2 {
            assert!(((trim[side] - bleed[side]) / MM - 3.0).abs() < 0.05);
            assert!(((bleed[side] - media[side]) / MM - 9.0).abs() < 0.05);
        }
    }

    // The marks are drawn, and only outside the bleed: on the title page (nothing else
    // near its edges) the band between trim and bleed edge is blank, the slug is not.
    let png = dir.path().join("page");
    let status = Command::new("pdftoppm")
        .args(["-r", "72", "-gray", "-f", "1", "-l", "1"])
        .arg(&pdf)
        .arg(&png)
        .status()
        .unwrap();
    assert!(status.success());
    let image = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pgm"))
        .expect("a PGM image");
    let (width, pixels) = read_pgm(&image);
    let dark = |x0: f64, y0: f64, x1: f64, y1: f64| {
        let (x0, y0, x1, y1) = (
            (x0 * MM) as usize,
            (y0 * MM) as usize,
            (x1 * MM) as usize,
            (y1 * MM) as usize,
        );
        (y0..y1)
            .flat_map(|y| (x0..x1).map(move |x| (x, y)))
            .filter(|&(x, y)| pixels[y * width + x] < 128)
            .count()
    };
    // Top-left corner, in mm from the media box corner: slug 0–9, bleed 9–12, trim 12–.
    assert_eq!(
        dark(9.5, 9.5, 40.0, 11.8),
        0,
        "bleed band above the trim is blank"
    );
    assert_eq!(
        dark(9.5, 9.5, 11.8, 40.0),
        0,
        "bleed band left of the trim is blank"
    );
    assert!(
        dark(0.0, 11.0, 9.0, 13.0) > 0,
        "a horizontal crop mark in the slug"
    );
    assert!(
        dark(11.0, 0.0, 13.0, 9.0) > 0,
        "a vertical crop mark in the slug"
    );
}

fn read_pgm(path: &Path) -> (usize, Vec<u8>) {
    let image = common::read_netpbm(&std::fs::read(path).unwrap());
    assert_eq!(image.magic, "P5");
    (image.width, image.pixels)
}

#[test]
fn paper_presets_and_custom_sizes_set_the_trim() {
    let dir = tempfile::tempdir().unwrap();
    for (paper, size) in [
        ("A4", (210.0, 297.0)),
        ("B5", (176.0, 250.0)),
        ("16k", (185.0, 260.0)),
        ("32k-large", (140.0, 203.0)),
        ("32k", (130.0, 184.0)),
        ("150x230mm", (150.0, 230.0)),
    ] {
        let pdf = build_white_paper(dir.path(), &["--paper", paper]);
        let first = &boxes(&pdf)[0];
        assert_mm(size_mm(find(first, "MediaBox")), size);
    }
    let output = paiban(&["build", "x.yaml", "--paper", "A7"], dir.path(), &[]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "an unknown paper is a usage error"
    );
    let output = paiban(
        &["build", "x.yaml", "--pdf-standard", "a-2b,a-3b"],
        dir.path(),
        &[],
    );
    assert_eq!(
        output.status.code(),
        Some(2),
        "standards typst refuses together"
    );
}

#[test]
fn content_sets_paper_and_body_size_by_zihao() {
    let dir = tempfile::tempdir().unwrap();
    let body = "body:\n  - 正文正文正文正文正文正文。\n";
    let heights: Vec<f64> = ["五号", "小四"]
        .iter()
        .map(|size| {
            let name = format!("doc-{size}.yaml");
            std::fs::write(
                dir.path().join(&name),
                format!("title: 字号\npaper: A5\nsize: {size}\n{body}"),
            )
            .unwrap();
            let output = paiban(&["build", &name, "-o", "out"], dir.path(), &[]);
            assert_success(&output);
            let pdf = dir.path().join(format!("out/doc-{size}.pdf"));
            assert_mm(size_mm(find(&boxes(&pdf)[0], "MediaBox")), (148.0, 210.0));
            word_height(&pdf, "正文正文正文正文正文正文。")
        })
        .collect();
    let ratio = heights[1] / heights[0];
    assert!((ratio - 12.0 / 10.5).abs() < 0.02, "小四/五号 = {ratio}");
}

/// The height of `word`'s box in `pdftotext -bbox`, in points.
fn word_height(pdf: &Path, word: &str) -> f64 {
    let html = poppler("pdftotext", &["-bbox"], pdf);
    let line = html
        .lines()
        .find(|l| l.contains(&format!(">{word}<")))
        .unwrap_or_else(|| panic!("{word} not in {html}"));
    let attr = |name: &str| -> f64 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        line[start..].split('"').next().unwrap().parse().unwrap()
    };
    attr("yMax") - attr("yMin")
}

#[test]
fn pdf_a_2b_carries_its_metadata_and_builds_are_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "--pdf-standard",
        "a-2b",
        "--paper",
        "A5",
        "--bleed",
        "3mm",
        "--crop-marks",
    ];
    let first = std::fs::read(build_white_paper(dir.path(), &args)).unwrap();
    let second = std::fs::read(build_white_paper(dir.path(), &args)).unwrap();
    assert!(first == second, "two builds give the same bytes");

    let text = String::from_utf8_lossy(&first);
    let xmp_start = text.find("<x:xmpmeta").expect("an XMP packet");
    let xmp = &text[xmp_start..text[xmp_start..].find("</x:xmpmeta>").unwrap() + xmp_start];
    for expected in [
        "<pdfaid:part>2</pdfaid:part>",
        "<pdfaid:conformance>B</pdfaid:conformance>",
        "携手构建网络空间命运共同体",
        "中华人民共和国国务院新闻办公室",
        "<rdf:li>zh-CN</rdf:li>",
        "2022-11-07",
    ] {
        assert!(xmp.contains(expected), "{expected} not in the XMP:\n{xmp}");
    }
    // The content's date is the date: no clock time gets in.
    assert!(!text.contains("/CreationDate(D:2026"));

    // A document without a date needs SOURCE_DATE_EPOCH for PDF/A, and then uses it.
    std::fs::write(
        dir.path().join("nodate.yaml"),
        "title: 无日期\nbody:\n  - 正文。\n",
    )
    .unwrap();
    let refused = paiban(
        &["build", "nodate.yaml", "--pdf-standard", "a-2b"],
        dir.path(),
        &[],
    );
    assert_eq!(refused.status.code(), Some(1));
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("SOURCE_DATE_EPOCH"), "{message}");
    // Located in the content's header, not in generated markup the user never sees.
    assert!(
        message.contains("nodate.yaml:1:8: error[content]: PDF/A"),
        "{message}"
    );
    assert!(!message.contains(".typ"), "{message}");
    let dated = paiban(
        &["build", "nodate.yaml", "--pdf-standard", "a-2b"],
        dir.path(),
        &[("SOURCE_DATE_EPOCH", "1700000000")],
    );
    assert_success(&dated);
    let pdf = std::fs::read(dir.path().join("out/nodate.pdf")).unwrap();
    assert!(String::from_utf8_lossy(&pdf).contains("2023-11-14T22:13:20"));
}

#[test]
fn front_matter_title_page_contents_and_colophon() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = build_white_paper(dir.path(), &[]);
    let pages: Vec<String> = poppler("pdftotext", &["-enc", "UTF-8"], &pdf)
        .split('\u{c}')
        .map(str::to_owned)
        .collect();
    assert!(pages[0].contains("携手构建网络空间命运共同体"));
    assert!(pages[0].contains("中华人民共和国国务院新闻办公室"));
    assert!(pages[0].replace(" ", "").contains("2022年11月"));
    assert!(pages[1].contains("目") && pages[1].contains("录"));
    // Every 目录 entry's page number is the folio of the page that holds the heading.
    let entries: Vec<(String, String)> = pages[1]
        .lines()
        .filter_map(|line| {
            let (title, number) = line.rsplit_once(". ")?;
            let number = number.trim().trim_start_matches('\u{2060}');
            number.parse::<u32>().ok()?;
            Some((
                title.trim_end_matches([' ', '.']).replace(' ', ""),
                number.to_owned(),
            ))
        })
        .collect();
    assert!(entries.len() >= 10, "{entries:?}");
    for (title, number) in &entries {
        let page = pages
            .iter()
            .find(|p| p.trim_end().lines().last().map(str::trim) == Some(number.as_str()))
            .unwrap_or_else(|| panic!("no page with folio {number}"));
        assert!(
            page.replace(' ', "").contains(title.as_str()),
            "{title} not on page {number}"
        );
    }

    // A colophon goes on the back of the title page.
    let text = white_paper_with(dir.path(), "colophon", "colophon: 本书版权所有。");
    let second_page = text.split('\u{c}').nth(1).unwrap();
    assert!(second_page.contains("本书版权所有。"), "{second_page}");
}

#[test]
fn two_sided_print_puts_folios_outside_and_sections_in_recto_heads() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = build_white_paper(dir.path(), &["--two-sided"]);
    let html = poppler("pdftotext", &["-bbox"], &pdf);
    let width = 210.0 * MM;
    let mut checked = 0;
    for (index, page) in html.split("<page ").skip(1).enumerate() {
        let physical = index + 1;
        let words: Vec<(f64, f64, &str)> = page
            .lines()
            .filter_map(|l| {
                let x = l.split("xMin=\"").nth(1)?.split('"').next()?.parse().ok()?;
                let y = l.split("yMin=\"").nth(1)?.split('"').next()?.parse().ok()?;
                let word = l.split('>').nth(1)?.split('<').next()?;
                Some((x, y, word))
            })
            .collect();
        // The folio is the lowest word, and a number.
        let Some(&(x, _, folio)) = words.iter().max_by(|a, b| a.1.total_cmp(&b.1)) else {
            continue;
        };
        if folio.parse::<u32>().is_err() {
            continue;
        }
        if folio == "1" {
            assert_eq!(physical % 2, 1, "the body starts on a recto");
        }
        let outside_right = x > width / 2.0;
        assert_eq!(
            outside_right,
            physical % 2 == 1,
            "page {physical}: folio {folio} at x={x}"
        );
        checked += 1;
    }
    assert!(checked >= 8, "{checked} folios checked");
    // Rectos after the first level-1 heading name its section; versos the title.
    let text = poppler("pdftotext", &["-enc", "UTF-8"], &pdf);
    let heads: Vec<&str> = text
        .split('\u{c}')
        .filter_map(|p| p.lines().next())
        .collect();
    assert!(
        heads
            .iter()
            .any(|h| h.contains("构建更加紧密的网络空间命运共同体的中国主张")),
        "{heads:?}"
    );
    assert!(
        heads
            .iter()
            .any(|h| h.trim() == "携手构建网络空间命运共同体"),
        "{heads:?}"
    );
    // Page labels: none on the front matter, the blank verso before the body included;
    // the body is labelled 1, 2, … from its first page.
    let labels = page_labels(&pdf);
    let body = labels
        .iter()
        .position(|l| l == "1")
        .expect("a page labelled 1");
    assert_eq!(body % 2, 0, "the body starts on a recto: {labels:?}");
    assert!(labels[..body].iter().all(String::is_empty), "{labels:?}");
    for (i, label) in labels[body..].iter().enumerate() {
        assert_eq!(label, &(i + 1).to_string(), "{labels:?}");
    }
}

/// Each page's label as a viewer shows it: the decimal number, or empty for a page in a
/// range without a numbering style (the only styles paiban's layouts use).
fn page_labels(pdf: &Path) -> Vec<String> {
    let document = lopdf::Document::load(pdf).unwrap();
    let pages = document.get_pages().len();
    let catalog = document.catalog().unwrap();
    let nums = catalog.get(b"PageLabels").unwrap();
    let nums = document.dereference(nums).unwrap().1.as_dict().unwrap();
    let nums = nums.get(b"Nums").unwrap().as_array().unwrap();
    let mut ranges = Vec::new();
    for pair in nums.chunks(2) {
        let first = pair[0].as_i64().unwrap() as usize;
        let dict = document.dereference(&pair[1]).unwrap().1.as_dict().unwrap();
        let decimal = dict.get(b"S").is_ok_and(|s| s.as_name().unwrap() == b"D");
        let start = dict.get(b"St").map_or(1, |s| s.as_i64().unwrap()) as usize;
        assert!(dict.get(b"P").is_err(), "no prefixes expected");
        ranges.push((first, decimal, start));
    }
    (0..pages)
        .map(|page| {
            let &(first, decimal, start) = ranges.iter().rev().find(|r| r.0 <= page).unwrap();
            if decimal {
                (start + page - first).to_string()
            } else {
                String::new()
            }
        })
        .collect()
}

#[test]
fn preflight_reports_boxes_fonts_and_standards() {
    let dir = tempfile::tempdir().unwrap();
    let content = project_root().join("content/whitepaper.yaml");
    let args = [
        "build",
        content.to_str().unwrap(),
        "-o",
        "out",
        "--paper",
        "A5",
        "--bleed",
        "3mm",
        "--crop-marks",
        "--pdf-standard",
        "a-2b",
        "--preflight",
    ];
    let output = paiban(&args, dir.path(), &[]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("trim: 148.0×210.0 mm"), "{stderr}");
    assert!(stderr.contains("BleedBox: 154.0×216.0 mm on"), "{stderr}");
    assert!(stderr.contains("standards claimed: PDF/A-2b"), "{stderr}");
    let fonts: Vec<&str> = stderr
        .lines()
        .filter(|l| l.trim_start().starts_with("font "))
        .collect();
    assert_eq!(fonts.len(), 4, "{stderr}");
    for font in fonts {
        assert!(
            font.ends_with("embedded yes, subset yes, Unicode yes"),
            "{font}"
        );
    }
}

/// The lines of 三号 text (the grid's 16 pt) of page `page` as (xMin, yMin, xMax, text),
/// from `pdftotext -bbox`: not the 版头's 标志, the title, tables, folios or the 版记.
fn lines_of(pdf: &Path, page: usize) -> Vec<(f64, f64, f64, String)> {
    common::words_of(pdf, page)
        .into_iter()
        .filter(|word| (word.size() - 16.0).abs() < 0.01)
        .map(|word| (word.x_min, word.y_min, word.x_max, word.text))
        .collect()
}

#[test]
fn gongwen_sets_22_lines_of_28_characters() {
    let dir = tempfile::tempdir().unwrap();
    let content = project_root().join("content/gongwen.yaml");
    let output = paiban(
        &["build", content.to_str().unwrap(), "-o", "out"],
        dir.path(),
        &[],
    );
    assert_success(&output);
    let pdf = dir.path().join("out/gongwen.pdf");
    let pages = page_count(&pdf);
    assert!(pages >= 3, "the sample fills at least two full pages");
    let fonts = poppler("pdffonts", &[], &pdf);
    assert!(fonts.contains("FandolFang-Regular"), "{fonts}");

    // The text block is 156 × 225 mm from the top margin of 37 mm; the outside margin
    // (left on even pages) is 26 mm, the binding side (left on odd pages) 28 mm.
    let (top, width) = (37.0 * MM, 156.0 * MM);
    let cell = width / 28.0;
    let pitch = 225.0 * MM / 22.0;
    let mut full_pages = 0;
    let mut full = 0;
    for page in 1..=pages {
        let left = if page % 2 == 0 { 26.0 } else { 28.0 } * MM;
        let lines: Vec<_> = lines_of(&pdf, page)
            .into_iter()
            .filter(|(_, y, _, _)| *y < (297.0 - 35.0) * MM)
            .collect();
        assert!(lines.len() <= 22, "page {page}: {lines:?}");
        // Every line of 三号 text sits on a line of the grid: the first page's, with the
        // 版头 (份号, 密级, 紧急程度, 发文字号) and the 主送机关, and the 附件' included.
        for (_, y, _, text) in &lines {
            let phase = (y - top) / pitch;
            assert!(
                (phase - phase.round()).abs() * pitch < 2.5,
                "off the grid lines: {text}"
            );
        }
        if page == 1 || lines.len() < 22 {
            continue; // the title page, and pages a heading or the end leaves short
        }
        full_pages += 1;
        // pdftotext puts a line's top at the font's ascender, a little below the em box.
        assert!(
            (lines[0].1 - top).abs() < 2.5,
            "the first line starts the text block"
        );
        for pair in lines.windows(2) {
            assert!(
                (pair[1].1 - pair[0].1 - pitch).abs() < 0.05,
                "pitch: {pair:?}"
            );
        }
        for (x_min, _, x_max, text) in &lines {
            let chars = text.chars().count();
            // Every line starts on the grid: at the margin, or two cells in.
            let offset = ((x_min - left) / cell).round();
            assert!(
                (x_min - left - offset * cell).abs() < 0.05,
                "off the grid: {text}"
            );
            let cells = offset as usize + chars;
            if (x_max - (left + width)).abs() < 0.5 {
                assert_eq!(cells, 28, "a full line holds 28 cells: {text}");
                full += 1;
            } else {
                assert!(
                    *x_max < left + width && cells < 28,
                    "within the grid: {text}"
                );
            }
        }
    }
    assert!(full_pages >= 2, "{full_pages} full pages of 22 lines");
    assert!(full >= 12, "{full} full lines");
}

#[test]
fn toc_depth_and_accessible_standards() {
    let dir = tempfile::tempdir().unwrap();
    let text = white_paper_with(dir.path(), "shallow", "toc-depth: 1");
    let contents = text.split('\u{c}').nth(1).unwrap();
    let entries: Vec<&str> = contents.lines().filter(|l| l.contains(". .")).collect();
    assert_eq!(entries.len(), 2, "level 1 only: {entries:?}");
    assert!(entries[0].starts_with("四、") && entries[1].starts_with("结束语"));

    // PDF/UA-1 where the content allows it: the 公文 sample starts at level 1.
    let gongwen = project_root().join("content/gongwen.yaml");
    let output = paiban(
        &[
            "build",
            gongwen.to_str().unwrap(),
            "-o",
            "out",
            "--pdf-standard",
            "a-2b,ua-1",
        ],
        dir.path(),
        &[],
    );
    assert_success(&output);
    let pdf = String::from_utf8_lossy(&std::fs::read(dir.path().join("out/gongwen.pdf")).unwrap())
        .into_owned();
    assert!(pdf.contains("<pdfuaid:part>1</pdfuaid:part>"));
    assert!(pdf.contains("<pdfaid:part>2</pdfaid:part>"));
    // The white paper excerpt starts at level 2, which PDF/UA-1 refuses, with a reason.
    let content = project_root().join("content/whitepaper.yaml");
    let output = paiban(
        &[
            "build",
            content.to_str().unwrap(),
            "-o",
            "out",
            "--pdf-standard",
            "ua-1",
        ],
        dir.path(),
        &[],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("start at level 1"));
}

#[test]
fn running_heads_keep_to_one_line_and_take_a_short_title() {
    let dir = tempfile::tempdir().unwrap();
    let long = "关于进一步加强和改进新时代档案数字化与长期保存工作推动档案事业高质量发展的若干意见及其实施细则的通知".repeat(2);
    let body = format!("  - \"{}\"\n", "正文内容很长，需要多页。".repeat(60)).repeat(8);
    let head_of = |yaml: &str, name: &str| -> Vec<String> {
        std::fs::write(dir.path().join(format!("{name}.yaml")), yaml).unwrap();
        let output = paiban(
            &["build", &format!("{name}.yaml"), "-o", "out"],
            dir.path(),
            &[],
        );
        assert_success(&output);
        let pdf = dir.path().join(format!("out/{name}.pdf"));
        // The running head of the body's second page: the lines before the first gap.
        let page = poppler("pdftotext", &["-enc", "UTF-8", "-f", "4", "-l", "4"], &pdf);
        page.lines()
            .take_while(|l| !l.trim().is_empty())
            .map(str::to_owned)
            .collect()
    };
    let head = head_of(&format!("title: {long}\nbody:\n{body}"), "long");
    assert_eq!(head.len(), 1, "one line: {head:?}");
    assert!(head[0].ends_with("……"), "{head:?}");
    assert!(long.starts_with(head[0].trim_end_matches('…')), "{head:?}");

    let head = head_of(
        &format!("title: {long}\nshort-title: 档案数字化意见\nbody:\n{body}"),
        "short",
    );
    assert_eq!(head, ["档案数字化意见"]);
}

#[test]
fn the_pdf_declares_the_whole_language_tag() {
    let dir = tempfile::tempdir().unwrap();
    for (tag, declared) in [
        ("zh-CN", "zh-CN"),
        ("zh-Hant-TW", "zh-Hant-TW"),
        ("zh-Hans", "zh-Hans"),
        ("x-klingon", "x-klingon"),
    ] {
        let name = tag.to_ascii_lowercase();
        std::fs::write(
            dir.path().join(format!("{name}.yaml")),
            format!("title: 语言\nlang: {tag}\nbody:\n  - 正文。\n"),
        )
        .unwrap();
        let output = paiban(
            &["build", &format!("{name}.yaml"), "-o", "out"],
            dir.path(),
            &[],
        );
        assert_success(&output);
        let pdf = std::fs::read(dir.path().join(format!("out/{name}.pdf"))).unwrap();
        let document = lopdf::Document::load_mem(&pdf).unwrap();
        let lang = document
            .catalog()
            .unwrap()
            .get(b"Lang")
            .unwrap()
            .as_str()
            .unwrap()
            .to_vec();
        assert_eq!(String::from_utf8(lang).unwrap(), declared, "{tag}");
    }
}
