//! CJK beyond Simplified Chinese: regional glyph forms per language, ruby, 专名号 and
//! 书名号 marks, emphasis by language, run-level languages, and vertical EPUBs. Marks are
//! tested where they land: text read back with `pdftotext`, positions with its boxes, and
//! lines and dots in the rendered pixels.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{Word, entries, entry_text, epubcheck, poppler, project_root, squeeze, words_of};
use paiban::model::{Document, load_str};

/// A grey-scale rendering of one page: `pdftoppm -gray` writes binary PGM.
struct Gray {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
    /// Pixels per point.
    scale: f64,
}

impl Gray {
    fn render(pdf: &Path, page: usize, dpi: u32) -> Self {
        let page = page.to_string();
        let output = Command::new("pdftoppm")
            .args(["-gray", "-r", &dpi.to_string(), "-f", &page, "-l", &page])
            .arg(pdf)
            .output()
            .expect("pdftoppm (poppler-utils)");
        assert!(output.status.success());
        let image = common::read_netpbm(&output.stdout);
        assert_eq!(image.magic, "P5");
        Self {
            width: image.width,
            height: image.height,
            pixels: image.pixels,
            scale: f64::from(dpi) / 72.0,
        }
    }

    fn dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.height && self.pixels[y * self.width + x] < 128
    }

    /// The dark pixels in a box given in points, as (column, row) pairs in pixels.
    fn dark_in(&self, x: (f64, f64), y: (f64, f64)) -> Vec<(usize, usize)> {
        let px = |pt: f64| (pt * self.scale).round().max(0.0) as usize;
        let mut out = Vec::new();
        for row in px(y.0)..px(y.1) {
            for column in px(x.0)..px(x.1) {
                if self.dark(column, row) {
                    out.push((column, row));
                }
            }
        }
        out
    }
}

/// The runs of consecutive columns among `pixels`, as (first, last) column.
fn column_runs(pixels: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut columns: Vec<usize> = pixels.iter().map(|&(c, _)| c).collect();
    columns.sort_unstable();
    columns.dedup();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for column in columns {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == column => *last = column,
            _ => runs.push((column, column)),
        }
    }
    runs
}

fn paiban(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paiban"))
        .args(args)
        .arg("--root")
        .arg(project_root())
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Builds a document of one paragraph, in `lang`, written in the inline syntax; the PDF.
fn paragraph_pdf(dir: &Path, name: &str, lang: &str, paragraph: &str) -> PathBuf {
    paragraphs_pdf(dir, name, lang, &[paragraph])
}

/// Builds a document of `paragraphs`, in `lang`, written in the inline syntax; the PDF.
fn paragraphs_pdf(dir: &Path, name: &str, lang: &str, paragraphs: &[&str]) -> PathBuf {
    let mut yaml = format!("title: t\nlang: {lang}\ntoc-depth: 0\ninline: markup\nbody:\n");
    for paragraph in paragraphs {
        yaml.push_str(&format!("  - {}\n", common::yaml_quote(paragraph)));
    }
    let content = dir.join(format!("{name}.yaml"));
    std::fs::write(&content, yaml).unwrap();
    common::builder()
        .build_pdf(&content, dir)
        .unwrap_or_else(|failure| panic!("{name}: {failure}"))
        .output
}

/// The word of `words` whose text is `text`.
fn word<'a>(words: &'a [Word], text: &str) -> &'a Word {
    words
        .iter()
        .find(|w| w.text == text)
        .unwrap_or_else(|| panic!("no word `{text}` in {words:?}"))
}

#[test]
fn each_language_takes_its_own_glyph_forms() {
    // Which languages draw each character alike (Noto CJK's `locl` forms): a character
    // whose forms all matched would show the language was ignored. 说 is the control:
    // one form everywhere, so the pages differ by the glyph alone.
    let expected: [(&str, &[&[&str]]); 7] = [
        ("骨", &[&["zh-CN"], &["zh-TW"], &["zh-HK", "ja", "ko"]]),
        ("直", &[&["zh-CN", "zh-TW"], &["zh-HK"], &["ja", "ko"]]),
        ("今", &[&["zh-CN"], &["zh-TW", "zh-HK"], &["ja", "ko"]]),
        ("角", &[&["zh-CN"], &["zh-TW", "zh-HK", "ja", "ko"]]),
        // The full stop sits in the corner in mainland and Japanese text, centred in
        // Taiwan and Hong Kong.
        ("。", &[&["zh-CN", "ja", "ko"], &["zh-TW", "zh-HK"]]),
        ("；", &[&["zh-CN"], &["zh-TW", "zh-HK", "ja", "ko"]]),
        ("说", &[&["zh-CN", "zh-TW", "zh-HK", "ja", "ko"]]),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (character, groups) in expected {
        let mut by_pixels: BTreeMap<Vec<u8>, Vec<&str>> = BTreeMap::new();
        for lang in ["zh-CN", "zh-TW", "zh-HK", "ja", "ko"] {
            let name = format!("{lang}-{}", character.chars().next().unwrap() as u32);
            let pdf = paragraph_pdf(dir.path(), &name, lang, &format!("甲{character}"));
            by_pixels
                .entry(Gray::render(&pdf, 2, 100).pixels)
                .or_default()
                .push(lang);
        }
        let mut found: Vec<Vec<&str>> = by_pixels.into_values().collect();
        found.sort();
        let mut expected: Vec<Vec<&str>> = groups.iter().map(|g| g.to_vec()).collect();
        expected.sort();
        assert_eq!(found, expected, "{character}: languages that draw it alike");
    }
}

#[test]
fn punctuation_alone_after_markup_keeps_its_regional_form() {
    // `。` right after bold text is a run of its own; typst gives such a run no script
    // and the font's Taiwanese form is lost (typst #7396) unless paiban guards it.
    let dir = tempfile::tempdir().unwrap();
    let render = |lang: &str| {
        let pdf = paragraph_pdf(dir.path(), lang, lang, "**甲**。");
        Gray::render(&pdf, 2, 100).pixels
    };
    assert_ne!(render("zh-CN"), render("zh-TW"), "the 。 after bold text");
}

#[test]
fn a_run_in_another_language_takes_that_language_s_forms() {
    let dir = tempfile::tempdir().unwrap();
    let render = |name: &str, yaml_runs: &str| {
        let content = dir.path().join(format!("{name}.yaml"));
        std::fs::write(
            &content,
            format!("title: t\nlang: zh-CN\ntoc-depth: 0\nbody:\n  - {yaml_runs}\n"),
        )
        .unwrap();
        let pdf = common::builder()
            .build_pdf(&content, dir.path())
            .unwrap()
            .output;
        Gray::render(&pdf, 2, 100).pixels
    };
    let chinese = render("cn", "[甲, 骨角今]");
    let japanese = render("ja", "[甲, {lang: ja, text: 骨角今}]");
    let also_chinese = render("cn2", "[甲, {lang: zh-Hans, text: 骨角今}]");
    assert_ne!(chinese, japanese);
    assert_eq!(chinese, also_chinese);
}

#[test]
fn ruby_sits_centred_over_its_base_which_reads_whole() {
    let dir = tempfile::tempdir().unwrap();
    // Spaces around each ruby make its base a word of its own for pdftotext's boxes.
    let pdf = paragraph_pdf(
        dir.path(),
        "ruby",
        "zh-CN",
        "甲 {汉字|hànzì} 乙 {中国|zhōng|guó} 丙 {中|zhōngguórénmín} 丁",
    );
    let words = words_of(&pdf, 2);
    let centre = |w: &Word| (w.x_min + w.x_max) / 2.0;
    let base = word(&words, "汉字");
    let annotation = word(&words, "hànzì");
    let size = base.size();
    assert!(
        (centre(annotation) - centre(base)).abs() < 0.05 * size,
        "centred: {annotation:?} over {base:?}"
    );
    assert!(
        annotation.y_max <= base.y_min + 0.1 * size,
        "above: {annotation:?} over {base:?}"
    );
    assert!(annotation.size() < 0.6 * size, "half size: {annotation:?}");

    // Mono ruby: each annotation over its own character, clear of the next.
    let (zhong, guo) = (word(&words, "zhōng"), word(&words, "guó"));
    assert!(zhong.x_max < guo.x_min, "{zhong:?} runs into {guo:?}");
    let base = words
        .iter()
        .find(|w| w.text.starts_with('中') && w.y_min > zhong.y_max - 0.1 * size)
        .unwrap();
    assert!(
        (centre(zhong) - (base.x_min + size / 2.0)).abs() < 0.1 * size,
        "{zhong:?} over the first character of {base:?}"
    );

    // An annotation wider than its base widens it: the neighbours keep clear of it.
    let long = word(&words, "zhōngguórénmín");
    let (bing, ding) = (word(&words, "丙"), word(&words, "丁"));
    assert!(
        long.x_min >= bing.x_max && long.x_max <= ding.x_min,
        "{long:?} overlaps {bing:?} or {ding:?}"
    );
    let lone = words
        .iter()
        .find(|w| w.text == "中" && w.x_min > bing.x_max)
        .unwrap();
    assert!((centre(long) - centre(lone)).abs() < 0.05 * size);

    // The text reads in order, each base whole, the annotations apart from it.
    let pdf = paragraph_pdf(
        dir.path(),
        "reading",
        "zh-CN",
        "今天学习{汉字|hànzì}和{朝花夕拾|zhāo huā xī shí}这本书。",
    );
    let text = poppler("pdftotext", &["-f", "2", "-l", "2"], &pdf);
    assert!(text.contains("朝花夕拾"), "{text}");
    assert!(
        squeeze(&text).contains("今天学习汉字和朝花夕拾这本书。"),
        "{text}"
    );
}

/// The ink below the text line of `word` (from its em box's foot down a quarter em):
/// where a 专名号 or 书名号 is drawn.
fn ink_below(gray: &Gray, word: &Word) -> Vec<(usize, usize)> {
    gray.dark_in(
        (word.x_min - word.size(), word.x_max + word.size()),
        (word.y_max, word.y_max + 0.3 * word.size()),
    )
}

#[test]
fn proper_name_and_book_title_lines_stand_under_their_characters_with_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = paragraphs_pdf(
        dir.path(),
        "marks",
        "zh-CN",
        &[
            "甲乙__颜渊____季路__丙丁",
            "甲乙~~诗~~~~书~~丙丁",
            "甲乙__孔子__丙丁",
        ],
    );
    let gray = Gray::render(&pdf, 2, 300);
    let words = words_of(&pdf, 2);
    let line = |text: &str| word(&words, text);
    let px = |pt: f64| pt * gray.scale;
    for (text, names) in [
        ("甲乙颜渊季路丙丁", 2),
        ("甲乙诗书丙丁", 2),
        ("甲乙孔子丙丁", 1),
    ] {
        let word = line(text);
        let size = word.size();
        let ink = ink_below(&gray, word);
        let runs = column_runs(&ink);
        assert_eq!(runs.len(), names, "{text}: one line per name: {runs:?}");
        // Under the names only: not under 甲乙 before them nor 丙丁 after them.
        let first = px(word.x_min + 2.0 * size);
        let last = px(word.x_max - 2.0 * size);
        for &(start, end) in &runs {
            assert!(
                start as f64 >= first && end as f64 <= last,
                "{text}: a line from {start} to {end} outside {first}–{last}"
            );
        }
        // Two names side by side: a visible gap between their lines.
        if names == 2 {
            assert!(runs[1].0 - runs[0].1 >= 3, "{text}: gap {runs:?}");
        }
        // Straight for names, wavy for titles: how far the line's top edge moves.
        let mut tops: BTreeMap<usize, usize> = BTreeMap::new();
        for &(column, row) in &ink {
            let top = tops.entry(column).or_insert(row);
            *top = (*top).min(row);
        }
        let spread = tops.values().max().unwrap() - tops.values().min().unwrap();
        if text.contains('诗') {
            assert!(spread >= 3, "{text}: the 书名号 is not wavy ({spread} px)");
        } else {
            assert!(
                spread <= 1,
                "{text}: the 专名号 is not straight ({spread} px)"
            );
        }
    }
}

/// A manuscript's underline and strikethrough (a Word file's, Markdown's `~~`): the line
/// under the underlined characters only, below their em box; the strike through the
/// middle of the struck ones only; the same in the EPUB, and through YAML unchanged.
#[test]
fn underline_and_strike_mark_their_characters_only() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = "title: t\nlang: zh-CN\ntoc-depth: 0\nbody:\n  - [甲乙, {underline: 丙丁}, 戊己]\n  - [庚辛, {strike: 壬癸}, 子丑]\n";
    let content = dir.path().join("lines.yaml");
    std::fs::write(&content, yaml).unwrap();
    let document = load_str(yaml, "lines.yaml").unwrap();
    let written = paiban::writers::yaml::write(&document, "t");
    assert!(
        written.contains(r#"{underline: ["丙丁"]}"#) && written.contains(r#"{strike: ["壬癸"]}"#),
        "{written}"
    );
    assert_eq!(load_str(&written, "w.yaml").unwrap().body, document.body);

    let pdf = common::builder()
        .build_pdf(&content, dir.path())
        .unwrap()
        .output;
    let gray = Gray::render(&pdf, 2, 300);
    let words = words_of(&pdf, 2);
    let px = |pt: f64| pt * gray.scale;

    let under = word(&words, "甲乙丙丁戊己");
    let size = under.size();
    let runs = column_runs(&ink_below(&gray, under));
    assert_eq!(runs.len(), 1, "one underline: {runs:?}");
    let (start, end) = runs[0];
    assert!(
        (start as f64 - px(under.x_min + 2.0 * size)).abs() <= px(0.1 * size)
            && (end as f64 - px(under.x_min + 4.0 * size)).abs() <= px(0.1 * size),
        "the underline runs {start}–{end}, not under 丙丁 ({}–{})",
        px(under.x_min + 2.0 * size),
        px(under.x_min + 4.0 * size)
    );

    // A row of ink across both struck characters and the space between them, in the
    // middle of the line, and none such across the others.
    let struck = word(&words, "庚辛壬癸子丑");
    let size = struck.size();
    let full_row = |from: f64, to: f64| {
        let x = (
            struck.x_min + from * size + 0.1 * size,
            struck.x_min + to * size - 0.1 * size,
        );
        let band = gray.dark_in(x, (struck.y_min + 0.3 * size, struck.y_min + 0.7 * size));
        let width = (px(x.1) - px(x.0)).round() as usize;
        let mut per_row: BTreeMap<usize, usize> = BTreeMap::new();
        for (_, row) in band {
            *per_row.entry(row).or_default() += 1;
        }
        per_row.values().any(|&n| n + 1 >= width)
    };
    assert!(full_row(2.0, 4.0), "no strike through 壬癸");
    assert!(
        !full_row(0.0, 2.0) && !full_row(4.0, 6.0),
        "a strike outside 壬癸"
    );

    let output = paiban(
        &["build", "lines.yaml", "-o", "out", "--format", "epub"],
        dir.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let epub = dir.path().join("out/lines.epub");
    let xhtml = entry_text(&entries(&epub), "EPUB/text/ch01.xhtml");
    assert!(
        xhtml.contains("甲乙<u>丙丁</u>戊己") && xhtml.contains("庚辛<s>壬癸</s>子丑"),
        "{xhtml}"
    );
    epubcheck(&epub);
}

#[test]
fn emphasis_dots_go_under_chinese_and_sesame_dots_over_japanese() {
    let dir = tempfile::tempdir().unwrap();
    for (lang, text, above) in [("zh-CN", "甲*强调*乙", false), ("ja", "甲*強調*乙", true)]
    {
        let pdf = paragraph_pdf(dir.path(), lang, lang, text);
        let gray = Gray::render(&pdf, 2, 300);
        // The line's words (pdftotext may split it where the marks are), not the marks.
        let words: Vec<Word> = words_of(&pdf, 2)
            .into_iter()
            .filter(|w| w.size() > 8.0 && w.y_min < 200.0)
            .collect();
        let word = Word {
            x_min: words.iter().map(|w| w.x_min).fold(f64::MAX, f64::min),
            x_max: words.iter().map(|w| w.x_max).fold(f64::MIN, f64::max),
            ..words[0].clone()
        };
        let size = word.size();
        // Over and under the two emphasised characters (the second and third em).
        let x = (word.x_min + 1.0 * size, word.x_min + 3.0 * size);
        let over = gray.dark_in(x, (word.y_min - 0.45 * size, word.y_min));
        let under = gray.dark_in(x, (word.y_max, word.y_max + 0.3 * size));
        let (marked, clear) = if above {
            (&over, &under)
        } else {
            (&under, &over)
        };
        assert_eq!(column_runs(marked).len(), 2, "{lang}: a mark per character");
        assert!(clear.is_empty(), "{lang}: marks on the wrong side");
        // None over or under the characters not emphasised.
        let outside = gray.dark_in(
            (word.x_min, word.x_min + 0.9 * size),
            (word.y_min - 0.45 * size, word.y_min),
        );
        assert!(outside.is_empty(), "{lang}: a mark on 甲");
    }
}

/// The same marks written as runs and in the inline syntax.
const MARKS_RUNS: &str = r#"title: t
lang: zh-CN
body:
  - [{ruby: 汉字, rt: hànzì}, {ruby: 中国, rt: [zhōng, guó]}, {proper-name: 孔子}, {proper-name: 颜渊}, 与, {book-title: 论语}, {lang: ja, text: 漢字}]
"#;

const MARKS_MARKUP: &str = r#"title: t
lang: zh-CN
inline: markup
body:
  - ["{汉字|hànzì}{中国|zhōng|guó}__孔子____颜渊__与~~论语~~", {lang: ja, text: 漢字}]
"#;

#[test]
fn marks_read_alike_in_both_forms_and_round_trip_through_yaml() {
    let runs = load_str(MARKS_RUNS, "a.yaml").unwrap();
    let markup = load_str(MARKS_MARKUP, "b.yaml").unwrap();
    assert_eq!(runs.body, markup.body);
    let written = paiban::writers::yaml::write(&runs, "t");
    let read: Document = load_str(&written, "c.yaml").unwrap();
    assert_eq!(read.body, runs.body, "{written}");
}

#[test]
fn epub_marks_ruby_names_titles_and_languages() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("marks.yaml"), MARKS_MARKUP).unwrap();
    let output = paiban(
        &["build", "marks.yaml", "-o", "out", "--format", "epub"],
        dir.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let epub = dir.path().join("out/marks.epub");
    let files = entries(&epub);
    let xhtml = entry_text(&files, "EPUB/text/ch01.xhtml");
    for expected in [
        "<ruby>汉字<rp>(</rp><rt>hànzì</rt><rp>)</rp></ruby>",
        "<ruby>中<rp>(</rp><rt>zhōng</rt><rp>)</rp>国<rp>(</rp><rt>guó</rt><rp>)</rp></ruby>",
        "<span class=\"proper-name\">孔子</span><span class=\"proper-name after-mark\">颜渊</span>与<span class=\"book-title\">论语</span>",
        "<span lang=\"ja\" xml:lang=\"ja\">漢字</span>",
    ] {
        assert!(xhtml.contains(expected), "{expected} not in:\n{xhtml}");
    }
    let css = entry_text(&files, "EPUB/css/book.css");
    assert!(css.contains("text-decoration-style: wavy"), "{css}");
    assert!(css.starts_with("@charset \"UTF-8\";"));
    assert_eq!(css.matches("@charset").count(), 1);
    assert!(!css.contains("vertical-rl"), "a horizontal book");
    let opf = entry_text(&files, "EPUB/package.opf");
    assert!(!opf.contains("page-progression-direction"));
    epubcheck(&epub);
}

#[test]
fn a_vertical_book_turns_its_epub_and_says_its_pdf_stays_horizontal() {
    let dir = tempfile::tempdir().unwrap();
    let content = project_root().join("content/zh-tw.yaml");
    let output = paiban(
        &[
            "build",
            content.to_str().unwrap(),
            "-o",
            "out",
            "--format",
            "pdf,epub",
            "--epub-embed-fonts",
        ],
        dir.path(),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let message = stderr(&output);
    let line = std::fs::read_to_string(&content)
        .unwrap()
        .lines()
        .position(|l| l.starts_with("writing:"))
        .unwrap()
        + 1;
    assert!(
        message.contains(&format!("zh-tw.yaml:{line}:10: warning[vertical-pdf]")),
        "{message}"
    );
    assert_eq!(message.matches("vertical-pdf").count(), 1, "{message}");
    let epub = dir.path().join("out/zh-tw.epub");
    let files = entries(&epub);
    let opf = entry_text(&files, "EPUB/package.opf");
    assert!(
        opf.contains("<spine page-progression-direction=\"rtl\">"),
        "{opf}"
    );
    let css = entry_text(&files, "EPUB/css/book.css");
    assert!(css.contains("writing-mode: vertical-rl"), "{css}");
    assert!(css.contains("text-combine-upright: all"), "{css}");
    let chapter = entry_text(&files, "EPUB/text/ch02.xhtml");
    assert!(
        chapter
            .contains("民國<span class=\"upright\">76</span>年<span class=\"upright\">12</span>月"),
        "{chapter}"
    );
    // Four digits lie in the line; no digit of a longer number stands upright.
    assert!(chapter.contains("「1987」"), "{chapter}");
    // The embedded faces keep their vertical and Taiwanese forms (a `GSUB` with `vert`
    // and `locl`), which a subset face would otherwise lose.
    let (_, face) = files
        .iter()
        .find(|(name, _)| name.ends_with("NotoSerifCJKsc-Regular.otf"))
        .expect("the embedded Song face");
    let face = write_fonts::read::FontRef::new(face).unwrap();
    let gsub = write_fonts::read::TableProvider::gsub(&face).expect("a GSUB");
    let features = gsub.feature_list().unwrap();
    let tags: Vec<String> = features
        .feature_records()
        .iter()
        .map(|r| r.feature_tag().to_string())
        .collect();
    assert!(
        tags.contains(&"vert".to_owned()) && tags.contains(&"locl".to_owned()),
        "{tags:?}"
    );
    epubcheck(&epub);

    // Warnings denied: nothing is written.
    let denied = paiban(
        &[
            "build",
            content.to_str().unwrap(),
            "-o",
            "denied",
            "--deny-warnings",
        ],
        dir.path(),
    );
    assert_eq!(denied.status.code(), Some(1), "{}", stderr(&denied));
    assert!(!dir.path().join("denied/zh-tw.pdf").exists());
}

#[test]
fn bad_ruby_is_refused_at_its_place() {
    let dir = tempfile::tempdir().unwrap();
    for (yaml, place, words) in [
        (
            "title: t\nbody:\n  - [甲, {ruby: 中国, rt: [zhōng, guó, rén]}]\n",
            "t.yaml:3:",
            "2 characters but 3 annotations",
        ),
        (
            "title: t\nbody:\n  - [甲, {ruby: 中国}]\n",
            "t.yaml:3:",
            "missing required key `rt`",
        ),
        (
            "title: t\nbody:\n  - [甲, {rt: zhōng}]\n",
            "t.yaml:3:",
            "only `ruby` has an `rt`",
        ),
        (
            "title: t\nbody:\n  - [甲, {lang: 日本語, text: 漢字}]\n",
            "t.yaml:3:",
            "invalid language tag",
        ),
        (
            "title: t\ninline: markup\nbody:\n  - 甲{中国|zhōng|guó|rén}乙\n",
            "t.yaml:4:7:",
            "2 characters but 3 annotations",
        ),
        (
            "title: t\nwriting: sideways\nbody:\n  - 甲\n",
            "t.yaml:2:",
            "unknown writing direction",
        ),
    ] {
        std::fs::write(dir.path().join("t.yaml"), yaml).unwrap();
        let output = paiban(&["build", "t.yaml", "-o", "out"], dir.path());
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{yaml}: {message}");
        assert!(message.contains(place), "{yaml}: {message}");
        assert!(message.contains(words), "{yaml}: {message}");
        assert!(!dir.path().join("out/t.pdf").exists());
    }
}

#[test]
fn check_reads_each_language_by_its_own_rules() {
    let dir = tempfile::tempdir().unwrap();
    let check = |yaml: &str| {
        std::fs::write(dir.path().join("c.yaml"), yaml).unwrap();
        let output = paiban(&["check", "c.yaml"], dir.path());
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            stderr(&output)
        )
    };
    // Japanese text is not read by the Chinese rules; a Chinese quotation in it is.
    let report = check(
        r#"title: t
lang: ja
body:
  - ["漢字,かな\"引用\"です。", {lang: zh-CN, text: "中文,句子"}]
"#,
    );
    assert_eq!(report.matches("warning[").count(), 1, "{report}");
    assert!(report.contains("c.yaml:4:"), "{report}");
    assert!(report.contains("suggestion: `，`"), "{report}");
    // Nor is a Japanese quotation in a Chinese book.
    let report =
        check("title: t\nlang: zh-CN\nbody:\n  - [中文, {lang: ja, text: \"漢字,かな\"}]\n");
    assert!(report.contains("0 warnings"), "{report}");
    // Taiwanese text quotes in 「」 and 『』: those are no findings, straight quotes become them.
    let report = check("title: t\nlang: zh-TW\nbody:\n  - 他說「『好』」。他說\"好\"。\n");
    assert_eq!(
        report.matches("warning[straight-quotes]").count(),
        2,
        "{report}"
    );
    assert!(
        report.contains("suggestion: `「`") && report.contains("suggestion: `」`"),
        "{report}"
    );
    // Ruby annotations are checked for glyphs like any text.
    let report = check("title: t\nbody:\n  - [{ruby: 甲, rt: \"\u{10FFFD}\"}]\n");
    assert!(report.contains("c.yaml:3:"), "{report}");
    assert!(report.contains("error["), "{report}");
}

#[test]
fn samples_look_as_their_languages_expect() {
    // The three samples build, read back as written, and keep their marks apart from
    // their text.
    let dir = tempfile::tempdir().unwrap();
    for (name, expected) in [
        ("classical", "子曰：“学而时习之，不亦说乎？"),
        ("zh-tw", "「檢字」是活版印刷的第一步。"),
        ("ja", "日本語の文章では、読みにくい漢字に振り仮名を付ける。"),
    ] {
        let content = project_root().join(format!("content/{name}.yaml"));
        let pdf = common::builder()
            .build_pdf(&content, dir.path())
            .unwrap()
            .output;
        let text = squeeze(&poppler("pdftotext", &[], &pdf));
        assert!(text.contains(&squeeze(expected)), "{name}: {text}");
        for font in poppler("pdffonts", &[], &pdf).lines().skip(2) {
            assert!(font.contains(" yes "), "{name}: not embedded: {font}");
        }
    }
}
