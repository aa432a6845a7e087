//! The `gongwen` layout's parts (GB/T 9704-2012) measured in the PDF: the 版头 (red
//! 发文机关标志 35 mm under the text block's top, 发文字号 two blank lines under it, the red
//! rule 4 mm under that), the title two lines under the rule, the 主送机关, 附件说明 and
//! signature, and the 版记 at the foot of the last page, an even one without a folio.
//! Positions come from `pdftotext -bbox` (words, in points) and from pages rendered by
//! `pdftoppm` (ink: the red of the 标志, the rules).

mod common;

use std::path::Path;
use std::process::Command;

use common::{Word, build_yaml, builder, poppler, project_root, words_of};

const MM: f64 = 72.0 / 25.4;
/// The text block: 37 mm from the top, 156 mm wide, 28 mm from the left on odd pages
/// (the binding side) and 26 mm on even ones; 22 lines of 225/22 mm; 28 cells of 156/28.
const TOP: f64 = 37.0;
const WIDTH: f64 = 156.0;
const PITCH: f64 = 225.0 / 22.0;
const CELL: f64 = 156.0 / 28.0;
const DPI: f64 = 300.0;

fn left(page: usize) -> f64 {
    if page.is_multiple_of(2) { 26.0 } else { 28.0 }
}

/// A word's position in millimetres: (left, top of the em box, right, foot of the em box).
fn mm(word: &Word) -> (f64, f64, f64, f64) {
    (
        word.x_min / MM,
        word.y_min / MM,
        word.x_max / MM,
        word.y_max / MM,
    )
}

/// The line of the grid (from 0) that a position `y` (mm from the page's top) falls in.
fn line_of(y: f64) -> i64 {
    ((y - TOP) / PITCH).floor() as i64
}

/// The line of the grid a word is set on: the one holding the middle of its em box.
fn word_line(word: &Word) -> i64 {
    let (_, top, _, foot) = mm(word);
    line_of((top + foot) / 2.0)
}

fn find<'a>(words: &'a [Word], starts: &str) -> &'a Word {
    words
        .iter()
        .find(|w| w.text.starts_with(starts))
        .unwrap_or_else(|| panic!("no word starting with {starts} in {words:#?}"))
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

/// Whether page `page` prints a folio (— 3 —).
fn has_folio(pdf: &Path, page: usize) -> bool {
    words_of(pdf, page).iter().any(|w| w.text == "—")
}

/// A page rendered at 300 dpi, RGB.
struct Image {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Image {
    fn render(pdf: &Path, page: usize) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let page_arg = page.to_string();
        let status = Command::new("pdftoppm")
            .args(["-r", "300", "-f", &page_arg, "-l", &page_arg, "-singlefile"])
            .arg(pdf)
            .arg(dir.path().join("page"))
            .status()
            .expect("pdftoppm (poppler-utils)");
        assert!(status.success());
        let image = common::read_netpbm(&std::fs::read(dir.path().join("page.ppm")).unwrap());
        assert_eq!(image.magic, "P6");
        Self {
            width: image.width,
            height: image.height,
            pixels: image.pixels,
        }
    }

    fn rgb(&self, x: usize, y: usize) -> (u8, u8, u8) {
        let i = (y * self.width + x) * 3;
        (self.pixels[i], self.pixels[i + 1], self.pixels[i + 2])
    }

    /// Bands of rows holding pixels that `ink` accepts (at least `min_run` mm of them
    /// across the row), top to bottom: (top, bottom, left, right, pixels), in mm.
    fn bands(&self, ink: impl Fn((u8, u8, u8)) -> bool, min_run: f64) -> Vec<Band> {
        let px = DPI / 25.4;
        let mut bands: Vec<Band> = Vec::new();
        for y in 0..self.height {
            let xs: Vec<usize> = (0..self.width).filter(|&x| ink(self.rgb(x, y))).collect();
            if xs.len() as f64 / px < min_run || xs.is_empty() {
                continue;
            }
            let (x0, x1) = (xs[0] as f64 / px, (xs[xs.len() - 1] + 1) as f64 / px);
            match bands.last_mut() {
                Some(band) if (y as f64 / px - band.bottom) < 0.2 => {
                    band.bottom = (y + 1) as f64 / px;
                    band.left = band.left.min(x0);
                    band.right = band.right.max(x1);
                    band.pixels += xs.len();
                }
                _ => bands.push(Band {
                    top: y as f64 / px,
                    bottom: (y + 1) as f64 / px,
                    left: x0,
                    right: x1,
                    pixels: xs.len(),
                }),
            }
        }
        bands
    }
}

#[derive(Debug, Clone, Copy)]
struct Band {
    top: f64,
    bottom: f64,
    left: f64,
    right: f64,
    pixels: usize,
}

impl Band {
    fn middle(&self) -> f64 {
        (self.top + self.bottom) / 2.0
    }
}

fn red((r, g, b): (u8, u8, u8)) -> bool {
    r > 200 && g < 90 && b < 90
}

fn black((r, g, b): (u8, u8, u8)) -> bool {
    r < 100 && g < 100 && b < 100
}

#[track_caller]
fn near(actual: f64, expected: f64, tolerance: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: {actual:.2}, expected {expected:.2} ± {tolerance}"
    );
}

#[test]
fn the_sample_has_the_distances_of_gb_t_9704() {
    let dir = tempfile::tempdir().unwrap();
    let content = project_root().join("content/gongwen.yaml");
    let pdf = builder().build_pdf(&content, dir.path()).unwrap().output;

    // 版头: the red 发文机关标志, then the red rule.
    let page = Image::render(&pdf, 1);
    let reds = page.bands(red, 0.0);
    assert_eq!(
        reds.len(),
        2,
        "the 标志 and the rule are the page's red: {reds:?}"
    );
    let (mark, rule) = (reds[0], reds[1]);
    assert!(mark.pixels > 20_000, "the 标志 is printed red: {mark:?}");
    near(
        mark.top,
        72.0,
        1.0,
        "top of the 标志's glyphs, mm from the page's top",
    );
    assert!(mark.left >= 28.0 && mark.right <= 28.0 + WIDTH, "{mark:?}");
    near(
        (mark.left + mark.right) / 2.0,
        28.0 + WIDTH / 2.0,
        0.5,
        "the 标志 is centred",
    );
    near(
        rule.right - rule.left,
        WIDTH,
        0.3,
        "the rule is as wide as the text block",
    );
    near(
        rule.left,
        28.0,
        0.2,
        "the rule starts at the text block's edge",
    );
    assert!(
        rule.bottom - rule.top < 1.0,
        "a rule, not a block: {rule:?}"
    );

    let words = words_of(&pdf, 1);
    // 份号 (six digits), 密级和保密期限 and 紧急程度, flush left on the first three lines.
    for (i, text) in ["000001", "机密★1年", "特急"].into_iter().enumerate() {
        let word = find(&words, text);
        near(mm(word).0, 28.0, 0.05, text);
        assert_eq!(word_line(word), i as i64, "{text}");
    }
    // The 发文字号: centred, on the line after two blank ones under the 标志.
    let number = find(&words, "示档发〔2026〕5号");
    let (x0, number_top, x1, number_foot) = mm(number);
    near(
        (x0 + x1) / 2.0,
        28.0 + WIDTH / 2.0,
        0.5,
        "the 发文字号 is centred",
    );
    assert_eq!(
        word_line(number),
        line_of(mark.bottom) + 3,
        "two blank lines between the 标志 and the 发文字号"
    );
    near(
        (number_top - TOP) / PITCH,
        word_line(number) as f64 + (16.0 - 0.88 * 16.0) / 72.0 * 25.4 / PITCH,
        0.01,
        "the 发文字号 is on a line of the grid",
    );
    near(
        rule.middle() - number_foot,
        4.0,
        0.5,
        "the rule is 4 mm under the 发文字号",
    );

    // The title: two blank lines under the rule (its first line starts a line of the
    // grid two lines under it), each of its lines on a line of the grid.
    let title: Vec<&Word> = words
        .iter()
        .filter(|w| (w.size() - 22.0).abs() < 0.01)
        .collect();
    assert_eq!(title.len(), 2, "{title:#?}");
    let first_title_line = word_line(title[0]);
    near(
        TOP + first_title_line as f64 * PITCH - rule.middle(),
        2.0 * PITCH,
        0.5,
        "the title is two lines under the rule",
    );
    assert_eq!(word_line(title[1]), first_title_line + 1);
    // The 主送机关: a blank line under the title, flush left.
    let addressee = find(&words, "各区县档案局，市直各单位：");
    near(mm(addressee).0, 28.0, 0.05, "the 主送机关 is flush left");
    assert_eq!(word_line(addressee), first_title_line + 3, "one blank line");

    // The 版记 on the last page, an even one with no folio; the page before has its own.
    let pages = page_count(&pdf);
    assert!(pages.is_multiple_of(2), "the 版记's page is even");
    assert!(!has_folio(&pdf, pages), "no folio on the 版记's page");
    assert!(has_folio(&pdf, pages - 1));
    let rules = Image::render(&pdf, pages).bands(black, 100.0);
    assert_eq!(rules.len(), 3, "thick, thin, thick: {rules:?}");
    for rule in &rules {
        near(
            rule.left,
            left(pages),
            0.2,
            "版记 rules start at the text block",
        );
        near(
            rule.right - rule.left,
            WIDTH,
            0.3,
            "版记 rules are as wide as the text block",
        );
    }
    let thickness = |band: &Band| band.bottom - band.top;
    assert!(thickness(&rules[0]) > thickness(&rules[1]));
    assert!(thickness(&rules[2]) > thickness(&rules[1]));
    near(
        rules[2].middle(),
        TOP + 225.0,
        0.3,
        "the last rule is the text block's foot",
    );
    let words = words_of(&pdf, pages);
    let one = 14.0 / MM; // a 四号 character
    let copies = find(&words, "抄送：");
    near(
        mm(copies).0,
        left(pages) + one,
        0.05,
        "抄送 is one 四号 character in",
    );
    assert!((copies.size() - 14.0).abs() < 0.01, "四号: {copies:?}");
    let wrapped = words
        .iter()
        .find(|w| w.y_min > copies.y_max && w.text.ends_with("。"))
        .expect("the 抄送 list wraps");
    near(
        mm(wrapped).0,
        left(pages) + 4.0 * one,
        0.05,
        "wrapped organs stand under the first",
    );
    let by = find(&words, "示例市档案局办公室");
    near(
        mm(by).0,
        left(pages) + one,
        0.05,
        "印发机关 is one character in",
    );
    let on = find(&words, "2026年11月21日印发");
    near(
        mm(on).2,
        left(pages) + WIDTH - one,
        0.05,
        "印发日期 is one character from the right",
    );
    assert!(mm(copies).1 > rules[0].bottom && mm(copies).3 < rules[1].top);
    assert!(mm(by).1 > rules[1].bottom && mm(by).3 < rules[2].top);
}

/// A 公文 of `paragraphs` one-line paragraphs (the title takes the first two lines of the
/// grid) with a 版记.
fn with_banji(paragraphs: usize) -> String {
    let mut yaml = String::from(
        "title: 关于版记位置的通知\nlayout: gongwen\ngongwen:\n  copies-to: [市委办公厅, 市政府办公厅]\n  printed-by: 示例市档案局办公室\n  printed-on: 2026-11-21\nbody:\n",
    );
    for i in 0..paragraphs {
        yaml.push_str(&format!("  - 第{i}段。\n"));
    }
    yaml
}

#[test]
fn the_banji_stands_at_the_foot_of_an_even_page() {
    let banji_page = |pdf: &Path| -> Vec<usize> {
        (1..=page_count(pdf))
            .filter(|&p| {
                words_of(pdf, p)
                    .iter()
                    .any(|w| w.text.starts_with("抄送："))
            })
            .collect()
    };
    let foot = |pdf: &Path, page: usize| {
        let rules = Image::render(pdf, page).bands(black, 100.0);
        rules.last().map(Band::middle)
    };

    // The text ends on page 1: the 版记 goes to page 2, alone, without a folio.
    let (_dir, pdf) = build_yaml(&with_banji(5), "odd");
    assert_eq!(page_count(&pdf), 2);
    assert_eq!(banji_page(&pdf), [2]);
    assert!(has_folio(&pdf, 1) && !has_folio(&pdf, 2));
    near(foot(&pdf, 2).unwrap(), TOP + 225.0, 0.3, "the 版记's foot");

    // The text ends high on page 2: the 版记 shares it, and the page keeps its folio.
    let (_dir, pdf) = build_yaml(&with_banji(25), "even");
    assert_eq!(page_count(&pdf), 2);
    assert_eq!(banji_page(&pdf), [2]);
    assert!(has_folio(&pdf, 1) && has_folio(&pdf, 2));
    near(foot(&pdf, 2).unwrap(), TOP + 225.0, 0.3, "the 版记's foot");

    // The text fills page 2 to its last line: a blank page 3, and the 版记 on page 4,
    // neither with a folio.
    let (_dir, pdf) = build_yaml(&with_banji(20 + 22), "full");
    let last = words_of(&pdf, 2)
        .into_iter()
        .filter(|w| (w.size() - 16.0).abs() < 0.01)
        .map(|w| word_line(&w))
        .max();
    assert_eq!(last, Some(21), "the text reaches page 2's last line");
    assert_eq!(page_count(&pdf), 4);
    assert_eq!(banji_page(&pdf), [4]);
    assert!(words_of(&pdf, 3).is_empty(), "page 3 is blank");
    assert!(has_folio(&pdf, 2) && !has_folio(&pdf, 3) && !has_folio(&pdf, 4));
    near(foot(&pdf, 4).unwrap(), TOP + 225.0, 0.3, "the 版记's foot");
}

#[test]
fn an_upward_document_sets_its_number_left_and_its_signers_right() {
    let (_dir, pdf) = build_yaml(
        "title: 关于档案工作的请示\nauthor: 示例市档案局\nlayout: gongwen\ngongwen:\n  number: 示档〔2026〕7号\n  signers: [张三, 李四, 王五]\nbody: [正文。]\n",
        "upward",
    );
    let words = words_of(&pdf, 1);
    // The default 标志: the issuer's name and 文件.
    assert!(
        words.iter().any(|w| w.text == "示例市档案局文件"),
        "{words:#?}"
    );
    let number = find(&words, "示档〔2026〕7号");
    near(
        mm(number).0,
        28.0 + CELL,
        0.05,
        "the 发文字号 is one cell in",
    );
    let label = find(&words, "签发人：");
    let last = words.iter().find(|w| w.text.contains("王五")).unwrap();
    assert_eq!(
        word_line(last),
        word_line(number),
        "the number is on the last 签发人's line"
    );
    assert_eq!(word_line(label), word_line(number) - 1, "two names a line");
    let first_row_right = words
        .iter()
        .filter(|w| word_line(w) == word_line(label))
        .map(|w| mm(w).2)
        .fold(0.0, f64::max);
    near(
        first_row_right,
        28.0 + WIDTH - CELL,
        0.1,
        "the 签发人 are one cell from the right",
    );
    let second = words.iter().find(|w| w.text.contains("李四")).unwrap();
    assert!(!second.text.contains("王五"));
    near(
        mm(last).0,
        mm(label).0 + 4.0 * CELL,
        0.1,
        "王五 stands under 张三, after the four cells of 签发人：",
    );
    // The rule: 4 mm under the number.
    let rule = Image::render(&pdf, 1).bands(red, 100.0);
    assert_eq!(rule.len(), 1, "{rule:?}");
    near(
        rule[0].middle() - mm(number).3,
        4.0,
        0.5,
        "the rule is 4 mm under the 发文字号",
    );
}

/// The words of a one-page 公文 with the given issuers, `sealed` and attachments; its
/// text is one line long.
fn closing(authors: &[&str], sealed: bool, attachments: &[&str]) -> Vec<Word> {
    let yaml = format!(
        "title: 关于落款的通知\nauthor: [{}]\ndate: 2026-11-20\nlayout: gongwen\ngongwen:\n  sealed: {sealed}\n  note: 此件公开发布\n{}body: [只有一行正文。]\n",
        authors.join(", "),
        if attachments.is_empty() {
            String::new()
        } else {
            format!("  attachments: [{}]\n", attachments.join(", "))
        }
    );
    let (_dir, pdf) = build_yaml(&yaml, "closing");
    assert_eq!(page_count(&pdf), 1);
    words_of(&pdf, 1)
}

#[test]
fn the_signature_follows_the_seal_and_no_seal_rules() {
    let right = 28.0 + WIDTH;
    // No seal, the date longer than the issuer: the date 右空二字, the issuer two cells
    // left of it; a blank line above; the 附注 on the next line, two cells in.
    let words = closing(&["示例市档案局"], false, &[]);
    let text = find(&words, "只有一行正文。");
    let issuer = find(&words, "示例市档案局");
    let date = find(&words, "2026年11月20日");
    near(
        mm(date).2,
        right - 2.0 * CELL,
        0.1,
        "the date is two cells from the right",
    );
    near(
        mm(date).0 - mm(issuer).0,
        2.0 * CELL,
        0.1,
        "the date starts two cells right",
    );
    assert_eq!(word_line(issuer), word_line(text) + 2, "one blank line");
    assert_eq!(word_line(date), word_line(issuer) + 1);
    let note = find(&words, "（此件公开发布）");
    assert_eq!(word_line(note), word_line(date) + 1);
    near(
        mm(note).0,
        28.0 + 2.0 * CELL,
        0.05,
        "the 附注 is two cells in",
    );

    // No seal, a long issuer: the issuer 右空二字, the date two cells right of its start.
    let long = "示例市档案数字化工作领导小组办公室";
    let words = closing(&[long], false, &[]);
    let issuer = find(&words, long);
    let date = find(&words, "2026年11月20日");
    near(
        mm(issuer).2,
        right - 2.0 * CELL,
        0.1,
        "the issuer is two cells from the right",
    );
    near(
        mm(date).0 - mm(issuer).0,
        2.0 * CELL,
        0.1,
        "the date starts two cells right",
    );

    // A seal: the date 右空四字, the issuer centred over it, two blank lines above.
    let words = closing(&["示例市档案局"], true, &[]);
    let text = find(&words, "只有一行正文。");
    let issuer = find(&words, "示例市档案局");
    let date = find(&words, "2026年11月20日");
    near(
        mm(date).2,
        right - 4.0 * CELL,
        0.1,
        "the date is four cells from the right",
    );
    let centre = |w: &Word| (mm(w).0 + mm(w).2) / 2.0;
    near(
        centre(issuer),
        centre(date),
        0.2,
        "the issuer is centred over the date",
    );
    assert_eq!(word_line(issuer), word_line(text) + 3, "room for the seal");

    // 附件说明: a blank line under the text, two cells in; names under one another.
    let words = closing(&["示例市档案局"], false, &["甲表", "乙表"]);
    let text = find(&words, "只有一行正文。");
    let first = find(&words, "附件：1.甲表");
    let second = find(&words, "2.乙表");
    near(mm(first).0, 28.0 + 2.0 * CELL, 0.05, "附件 is two cells in");
    near(
        mm(second).0,
        28.0 + 5.0 * CELL,
        0.05,
        "the names stand under one another",
    );
    assert_eq!(word_line(first), word_line(text) + 2, "one blank line");
    assert_eq!(word_line(second), word_line(first) + 1);
    let issuer = find(&words, "示例市档案局");
    assert_eq!(
        word_line(issuer),
        word_line(second) + 2,
        "the signature follows it"
    );
    let words = closing(&["示例市档案局"], false, &["甲表"]);
    assert!(words.iter().any(|w| w.text == "附件：甲表"), "{words:#?}");
}

#[test]
fn the_parts_print_literally() {
    let traps = [
        ("mark", "#panic(\"标志\")"),
        ("number", "示档发〔2026〕5号 $x$"),
        ("addressee", "各单位*：_"),
        ("note", "]#[ 附注 @ref"),
        ("printed-by", "<办公室>"),
    ];
    let mut yaml = String::from("title: 字面\nlayout: gongwen\ngongwen:\n");
    for (key, value) in traps {
        yaml.push_str(&format!("  {key}: '{value}'\n"));
    }
    yaml.push_str(
        "  attachments: ['/* 甲 */', '// 乙']\n  copies-to: ['\\\\丙']\nbody: [正文。]\n",
    );
    let (_dir, pdf) = build_yaml(&yaml, "traps");
    let text: String = poppler("pdftotext", &["-enc", "UTF-8"], &pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for expected in [
        "#panic(\"标志\")",
        "示档发〔2026〕5号 $x$",
        "各单位*：_",
        "（]#[ 附注 @ref）",
        "<办公室>",
        "/* 甲 */",
        "// 乙",
        "\\\\丙。",
    ] {
        assert!(
            text.contains(expected),
            "`{expected}` is not in the PDF:\n{text}"
        );
    }
}

#[test]
fn issuer_and_date_are_never_parted_by_a_page_break() {
    // Eighteen lines of text after the title end on line 20 of 22: the issuer would fit
    // on the last line, the date would not.
    let mut yaml = String::from(
        "title: 关于落款的通知\nauthor: 示例市档案局\ndate: 2026-11-20\nlayout: gongwen\ngongwen: {}\nbody:\n",
    );
    for i in 0..18 {
        yaml.push_str(&format!("  - 第{i}段。\n"));
    }
    let (_dir, pdf) = build_yaml(&yaml, "parted");
    assert_eq!(page_count(&pdf), 2);
    let page_of = |text: &str| {
        (1..=2)
            .find(|&p| words_of(&pdf, p).iter().any(|w| w.text == text))
            .unwrap_or_else(|| panic!("{text} is not printed"))
    };
    assert_eq!(page_of("第17段。"), 1);
    assert_eq!(page_of("示例市档案局"), 2);
    assert_eq!(page_of("2026年11月20日"), 2);
}

#[test]
fn a_long_mark_is_narrowed_to_the_text_block() {
    let (_dir, pdf) = build_yaml(
        "title: 关于联合开展档案检查的通知\nlayout: gongwen\ngongwen:\n  mark: 中华人民共和国国家档案局中华人民共和国财政部文件\n  number: 档发〔2026〕3号\nbody: [正文。]\n",
        "long",
    );
    let reds = Image::render(&pdf, 1).bands(red, 0.0);
    let mark = reds[0];
    assert!(
        mark.left >= 28.0 && mark.right <= 28.0 + WIDTH,
        "within the text block: {mark:?}"
    );
    assert!(
        mark.right - mark.left > WIDTH - 5.0,
        "and fills it: {mark:?}"
    );
    near(mark.top, 72.0, 1.0, "top of the 标志's glyphs");
}
