//! `paiban check`: located punctuation findings, glyph coverage, JSON, and `--fix` that
//! rewrites only the findings.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::project_root;
use serde_json::Value;

fn paiban(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paiban"))
        .args(args)
        .arg("--root")
        .arg(project_root())
        .current_dir(cwd)
        .output()
        .unwrap()
}

/// The findings `check --format json` prints for `file` (in `dir`), and its exit code.
fn json_findings(dir: &Path, file: &str) -> (Vec<Value>, Option<i32>) {
    let output = paiban(&["check", file, "--format", "json"], dir);
    let stdout = String::from_utf8(output.stdout).unwrap();
    let findings = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    (findings, output.status.code())
}

fn with_rule<'a>(findings: &'a [Value], rule: &str) -> Vec<&'a Value> {
    findings.iter().filter(|f| f["rule"] == rule).collect()
}

/// The character at a finding's 1-based line and column.
fn char_at(text: &str, finding: &Value) -> char {
    let line = finding["line"].as_u64().unwrap() as usize;
    let column = finding["column"].as_u64().unwrap() as usize;
    let line = text.lines().nth(line - 1).unwrap();
    line.chars().nth(column - 1).unwrap()
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn every_half_width_comma_of_the_seed_is_reported_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(project_root().join("content/whitepaper.yaml")).unwrap();
    write(dir.path(), "whitepaper.yaml", &original);
    let (findings, code) = json_findings(dir.path(), "whitepaper.yaml");
    assert_eq!(code, Some(0), "warnings alone do not fail a check");
    let seed = std::fs::read_to_string(project_root().join("tests/data/seed.txt")).unwrap();
    let commas: Vec<&Value> = with_rule(&findings, "half-width-punctuation")
        .into_iter()
        .filter(|f| f["suggestion"] == "，")
        .collect();
    assert_eq!(seed.matches(',').count(), 269);
    assert_eq!(
        commas.len(),
        269,
        "every comma of the seed is inside Chinese text"
    );
    for finding in &findings {
        assert_eq!(finding["file"], "whitepaper.yaml");
        assert_eq!(finding["severity"], "warning");
        assert!(finding["message"].is_string() && finding["suggestion"].is_string());
        assert_eq!(finding["code"], finding["rule"]);
    }
    for comma in &commas {
        assert_eq!(char_at(&original, comma), ',', "{comma}");
    }
    // The seed's 中国—东盟 uses the 一字线 connector, which GB/T 15834 allows.
    assert!(with_rule(&findings, "dash").is_empty());
}

#[test]
fn fix_normalises_the_seed_and_changes_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("whitepaper.yaml");
    let original = std::fs::read_to_string(project_root().join("content/whitepaper.yaml")).unwrap();
    std::fs::write(&path, &original).unwrap();
    let (before, _) = json_findings(dir.path(), "whitepaper.yaml");

    let output = paiban(&["check", "--fix", "whitepaper.yaml"], dir.path());
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("fixed {} findings", before.len())),
        "{stderr}"
    );

    let (after, code) = json_findings(dir.path(), "whitepaper.yaml");
    assert_eq!((after.len(), code), (0, Some(0)), "{after:?}");
    let fixed = std::fs::read_to_string(&path).unwrap();
    let lines_with_findings: std::collections::BTreeSet<u64> =
        before.iter().map(|f| f["line"].as_u64().unwrap()).collect();
    assert_eq!(original.lines().count(), fixed.lines().count());
    for (i, (was, now)) in original.lines().zip(fixed.lines()).enumerate() {
        if !lines_with_findings.contains(&(i as u64 + 1)) {
            assert_eq!(was, now, "line {} has no finding but changed", i + 1);
            continue;
        }
        // Apart from the marks themselves, a fixed line reads as before.
        let strip = |s: &str| -> String {
            s.chars()
                .filter(|c| !",;:()，；：（）".contains(*c) && *c != ' ' && *c != '\u{3000}')
                .collect()
        };
        assert_eq!(strip(was), strip(now), "line {}", i + 1);
    }
    assert!(fixed.contains("中坦（坦桑尼亚）"));
    assert!(
        fixed.contains("共筑数\u{3000}互利共赢"),
        "a deliberate gap becomes U+3000"
    );

    let built = common::builder().build_pdf(&path, dir.path());
    assert!(built.is_ok(), "the fixed content still builds");
}

#[test]
fn fix_preserves_comments_order_quoting_and_untouched_text_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let before = "\u{feff}# 注释:保留,原样\r\n\
        body:  # the body first, title last\r\n\
        \x20 - 普通段落,含逗号;和分号:结束  # 注释,不改\r\n\
        \x20 - '单引号段落,里面有''撇号'''\r\n\
        \x20 - \"双引号段落\\\"引文\\\",\\u4E2D文(注)\"\r\n\
        \x20 - |\r\n\
        \x20   字面块,第一行\r\n\
        \x20     缩进的第二行...完\r\n\
        \x20 - >-\r\n\
        \x20   折叠块的第一行\r\n\
        \x20   和第二行--结束\r\n\
        \x20 - Numbers 1,500 and English, with (brackets); untouched!\r\n\
        \x20 - 网址https://example.com/a,b?x=1:2 不变\r\n\
        \x20 - 共1,500人参加\r\n\
        \x20 - {heading: \"标题,含逗号\", level: 1}\r\n\
        title:   \"标题\"   # 标题不变\r\n";
    let expected = "\u{feff}# 注释:保留,原样\r\n\
        body:  # the body first, title last\r\n\
        \x20 - 普通段落，含逗号；和分号：结束  # 注释,不改\r\n\
        \x20 - '单引号段落，里面有‘撇号’'\r\n\
        \x20 - \"双引号段落“引文”，\\u4E2D文（注）\"\r\n\
        \x20 - |\r\n\
        \x20   字面块，第一行\r\n\
        \x20     缩进的第二行……完\r\n\
        \x20 - >-\r\n\
        \x20   折叠块的第一行\r\n\
        \x20   和第二行——结束\r\n\
        \x20 - Numbers 1,500 and English, with (brackets); untouched!\r\n\
        \x20 - 网址https://example.com/a,b?x=1:2 不变\r\n\
        \x20 - 共1,500人参加\r\n\
        \x20 - {heading: \"标题，含逗号\", level: 1}\r\n\
        title:   \"标题\"   # 标题不变\r\n";
    let path = dir.path().join("doc.yaml");
    std::fs::write(&path, before).unwrap();
    let output = paiban(&["check", "--fix", "doc.yaml"], dir.path());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), expected);
    // The folded block's line break reads as a space between Han characters: reported,
    // with a suggestion, and never silently fixed by joining lines in the source.
    let (after, _) = json_findings(dir.path(), "doc.yaml");
    let rules: Vec<&str> = after.iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["space-between-han"], "{after:?}");
    assert_eq!(
        (after[0]["line"].as_u64(), after[0]["column"].as_u64()),
        (Some(10), Some(12))
    );
}

#[test]
fn lint_positives_and_negatives() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "doc.yaml",
        "title: 检查\n\
         body:\n\
         \x20 - 他说\"你好\"。\n\
         \x20 - 等等...还有\n\
         \x20 - 中国--世界\n\
         \x20 - 中古(古巴）\n\
         \x20 - 中文 ，好\n\
         \x20 - 真的?!不\n\
         \x20 - It's a test, with (brackets) -- and... more; ok?\n\
         \x20 - 访问https://example.com/a,b?x=1:2\n\
         \x20 - 共1,500人，时间10:30。\n\
         \x20 - 2020~2022年，见<<框架>>。\n\
         \x20 - 3~5 days, x << 2 >> 1\n",
    );
    let (findings, code) = json_findings(dir.path(), "doc.yaml");
    assert_eq!(code, Some(0));
    let summary: Vec<(u64, u64, &str, &str)> = findings
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["rule"].as_str().unwrap(),
                f["suggestion"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (3, 7, "straight-quotes", "“"),
            (3, 10, "straight-quotes", "”"),
            (4, 7, "ellipsis", "……"),
            (5, 7, "dash", "——"),
            (6, 7, "mixed-brackets", "（"),
            (7, 7, "space-between-han", ""),
            (8, 7, "half-width-punctuation", "？！"),
            (12, 9, "range-tilde", "～"),
            (12, 17, "book-title-marks", "《"),
            (12, 21, "book-title-marks", "》"),
        ]
    );
    // --deny-warnings makes the same findings fail the check.
    let output = paiban(&["check", "doc.yaml", "--deny-warnings"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    // --fix rewrites them, and a second check finds nothing.
    let fixed = paiban(&["check", "doc.yaml", "--fix"], dir.path());
    assert_eq!(fixed.status.code(), Some(0));
    let text = std::fs::read_to_string(dir.path().join("doc.yaml")).unwrap();
    assert!(
        text.contains("  - 2020～2022年，见《框架》。\n  - 3~5 days, x << 2 >> 1\n"),
        "{text}"
    );
    assert_eq!(json_findings(dir.path(), "doc.yaml").0, Vec::<Value>::new());
}

#[test]
fn missing_glyphs_are_located_and_stop_the_build_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "doc.yaml",
        "title: 字形\nbody:\n  - \"笑脸😀不在字库里。\"\n",
    );
    let (findings, code) = json_findings(dir.path(), "doc.yaml");
    assert_eq!(code, Some(1), "a missing glyph is an error");
    let missing = with_rule(&findings, "missing-glyph");
    assert_eq!(missing.len(), 1, "{findings:?}");
    assert_eq!(missing[0]["severity"], "error");
    assert!(missing[0]["message"].as_str().unwrap().contains("U+1F600"));
    assert_eq!(
        (missing[0]["line"].as_u64(), missing[0]["column"].as_u64()),
        (Some(3), Some(8))
    );

    let output = paiban(&["build", "doc.yaml", "-o", "out"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("doc.yaml:3:8: error[missing-glyph]: U+1F600"),
        "{stderr}"
    );
    assert!(stderr.contains("--allow-missing-glyphs"), "{stderr}");
    assert!(!dir.path().join("out/doc.pdf").exists());

    let output = paiban(
        &["build", "doc.yaml", "-o", "out", "--allow-missing-glyphs"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(0));
    assert!(dir.path().join("out/doc.pdf").exists());
}

#[test]
fn every_bundled_character_of_the_content_is_covered() {
    for name in [
        "whitepaper.yaml",
        "features.yaml",
        "classical.yaml",
        "zh-tw.yaml",
        "ja.yaml",
    ] {
        let path = project_root().join("content").join(name);
        let errors: Vec<_> = common::builder()
            .check(&path)
            .into_iter()
            .filter(|d| d.is_error())
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
}

#[test]
fn schema_errors_are_reported_and_fix_leaves_a_broken_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let broken = "title: 标题,逗号\nbody:\n  - heading: x\n    level: 9\n";
    write(dir.path(), "doc.yaml", broken);
    let (findings, code) = json_findings(dir.path(), "doc.yaml");
    assert_eq!(code, Some(1));
    assert_eq!(findings.len(), 1);
    assert_eq!(
        (findings[0]["line"].as_u64(), findings[0]["column"].as_u64()),
        (Some(4), Some(12))
    );
    let output = paiban(&["check", "--fix", "doc.yaml"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("doc.yaml")).unwrap(),
        broken
    );
}

#[test]
fn fix_handles_anchors_indented_blocks_folds_and_symlinks() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("real")).unwrap();
    let before = "title: &t 中国,美国\n\
        body:\n\
        \x20 - !!str 你好,世界\n\
        \x20 - |\n\
        \x20   第一行\n\
        \x20     (注)中文\n\
        \x20 - 这是一个很长的段落\n\
        \x20   ,接着写\n";
    std::fs::write(dir.path().join("real/doc.yaml"), before).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("real/doc.yaml", dir.path().join("link.yaml")).unwrap();
    #[cfg(not(unix))]
    std::fs::copy(
        dir.path().join("real/doc.yaml"),
        dir.path().join("link.yaml"),
    )
    .unwrap();

    let (findings, _) = json_findings(dir.path(), "link.yaml");
    let places: Vec<(u64, u64)> = findings
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()))
        .collect();
    // Each finding sits on its mark, past anchors, tags and block indentation.
    assert_eq!(
        places,
        [(1, 13), (3, 13), (6, 7), (6, 9), (8, 5)],
        "{findings:?}"
    );

    let output = paiban(&["check", "--fix", "link.yaml"], dir.path());
    assert_eq!(output.status.code(), Some(0));
    let after = "title: &t 中国，美国\n\
        body:\n\
        \x20 - !!str 你好，世界\n\
        \x20 - |\n\
        \x20   第一行\n\
        \x20     （注）中文\n\
        \x20 - 这是一个很长的段落\n\
        \x20   ，接着写\n";
    #[cfg(unix)]
    {
        assert!(
            std::fs::symlink_metadata(dir.path().join("link.yaml"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("real/doc.yaml")).unwrap(),
            after
        );
    }
    // The folded line break before the comma stays: a space next to `，` is left to the author.
    let (remaining, _) = json_findings(dir.path(), "link.yaml");
    let rules: Vec<&str> = remaining
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["space-between-han"], "{remaining:?}");
}

/// A `#` after a space ends an unquoted text in YAML, silently. `check` warns where that
/// looks like an accident, and leaves comments written on purpose (`# note`), quoted texts
/// and block texts alone.
#[test]
fn a_comment_that_cuts_a_text_short_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let text = "title: 测试 #标题\nbody:\n  - 第 #1 号文件。\n  - 正文。 # 作者的注释\n  - heading: 标题 #2\n    level: 1\n  - \"引号\" #3\n  - |\n    块 #4\n  - 第#5号\n  - 多行\n    文本 #6\n";
    write(dir.path(), "c.yaml", text);
    let (findings, code) = json_findings(dir.path(), "c.yaml");
    assert_eq!(code, Some(0), "a warning alone does not fail a check");
    let cut = with_rule(&findings, "yaml-comment");
    let places: Vec<(u64, u64)> = cut
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(places, [(1, 11), (3, 7), (5, 17), (12, 8)], "{findings:?}");
    for finding in &cut {
        assert_eq!(char_at(text, finding), '#');
        assert_eq!(finding["severity"], "warning");
    }
    assert!(cut[1]["message"].as_str().unwrap().contains("ends at `第`"));
    let denied = paiban(&["check", "c.yaml", "--deny-warnings"], dir.path());
    assert_eq!(denied.status.code(), Some(1));
}

#[test]
fn control_characters_are_located_errors_that_stop_the_build_before_any_output() {
    let dir = tempfile::tempdir().unwrap();
    // BEL, a form feed, DEL and a C1 control, written as YAML escapes, in the body, a
    // heading and the metadata the EPUB carries.
    let text = "title: 测试\n\
        source: \"来源\\x01\"\n\
        body:\n\
        \x20 - \"铃\\a声。\"\n\
        \x20 - heading: \"标\\x7F题\"\n\
        \x20 - \"换页\\f之后，\\u0085下一行。\"\n\
        \x20 - \"制表\\t和换行\\n照常。\"\n";
    write(dir.path(), "doc.yaml", text);
    let (findings, code) = json_findings(dir.path(), "doc.yaml");
    assert_eq!(code, Some(1), "control characters are errors: {findings:?}");
    let found: Vec<(u64, u64)> = with_rule(&findings, "control-character")
        .iter()
        .map(|f| {
            assert_eq!(f["severity"], "error");
            (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap())
        })
        .collect();
    // Each at the backslash of its escape.
    assert_eq!(
        found,
        [(2, 12), (4, 7), (5, 16), (6, 8), (6, 13)],
        "{findings:?}"
    );

    // The build refuses the same characters, located, before writing anything.
    let output = paiban(
        &["build", "doc.yaml", "-o", "out", "--format", "pdf,epub"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("doc.yaml:4:7: error[control-character]"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists(), "nothing is written");
}

#[test]
fn fix_leaves_a_tab_between_han_characters_to_the_author() {
    let dir = tempfile::tempdir().unwrap();
    let text = "title: 测试\nbody:\n  - \"集智聚力\\t共筑数 互利共赢,同发展\"\n";
    write(dir.path(), "doc.yaml", text);
    let output = paiban(&["check", "--fix", "doc.yaml"], dir.path());
    assert_eq!(output.status.code(), Some(0));
    let fixed = std::fs::read_to_string(dir.path().join("doc.yaml")).unwrap();
    assert_eq!(
        fixed,
        "title: 测试\nbody:\n  - \"集智聚力\\t共筑数\u{3000}互利共赢，同发展\"\n"
    );
}

#[test]
fn a_finding_in_an_aliased_text_is_located_at_its_anchor_and_fixed_once() {
    let dir = tempfile::tempdir().unwrap();
    let text = "title: 测试\nbody:\n  - &p1 中文,英文\n  - 另一段。\n  - *p1\n";
    write(dir.path(), "doc.yaml", text);
    let (findings, _) = json_findings(dir.path(), "doc.yaml");
    let commas = with_rule(&findings, "half-width-punctuation");
    assert_eq!(commas.len(), 2, "{findings:?}");
    for comma in commas {
        assert_eq!(
            (comma["line"].as_u64(), comma["column"].as_u64()),
            (Some(3), Some(11))
        );
        assert_eq!(char_at(text, comma), ',');
    }
    let output = paiban(&["check", "--fix", "doc.yaml"], dir.path());
    assert_eq!(output.status.code(), Some(0));
    let fixed = std::fs::read_to_string(dir.path().join("doc.yaml")).unwrap();
    assert_eq!(fixed, text.replace(',', "，"));
}

#[test]
fn findings_inside_markup_runs_notes_cells_and_captions_are_located_and_fixed() {
    let dir = tempfile::tempdir().unwrap();
    // Markup around and between the marks, an escape before one, runs that split a
    // sentence, and every kind of text: note, cell, caption, alt, verse, attribution.
    let text = "title: 测试\n\
        inline: markup\n\
        body:\n\
        \x20 - \"**中文,英文**\\\\*星号,逗号^[注释,内容]。\"\n\
        \x20 - [中文, {strong: 重点}, \",英文\"]\n\
        \x20 - table: 表题,说明\n\
        \x20   rows: [[\"单元格,内容\"]]\n\
        \x20 - verse: [\"诗行,一\"]\n\
        \x20 - quote: 引文,二\n\
        \x20   attribution: 作者,三\n";
    write(dir.path(), "doc.yaml", text);
    let (findings, _) = json_findings(dir.path(), "doc.yaml");
    let commas = with_rule(&findings, "half-width-punctuation");
    assert_eq!(commas.len(), 9, "{findings:#?}");
    for comma in &commas {
        assert_eq!(char_at(text, comma), ',', "{comma}");
    }
    let output = paiban(&["check", "--fix", "doc.yaml"], dir.path());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let fixed = std::fs::read_to_string(dir.path().join("doc.yaml")).unwrap();
    // Only the marks in the texts change, not YAML's own commas between runs.
    let expected = text
        .replace("中文,英文", "中文，英文")
        .replace("星号,逗号", "星号，逗号")
        .replace("注释,内容", "注释，内容")
        .replace("\",英文\"", "\"，英文\"")
        .replace("表题,说明", "表题，说明")
        .replace("单元格,内容", "单元格，内容")
        .replace("诗行,一", "诗行，一")
        .replace("引文,二", "引文，二")
        .replace("作者,三", "作者，三");
    assert_eq!(fixed, expected);
    // A character no font has, in a note: located there.
    write(
        dir.path(),
        "glyph.yaml",
        "title: 测试\nbody:\n  - [正文, {note: \"注释\u{1F600}\"}]\n",
    );
    let (findings, code) = json_findings(dir.path(), "glyph.yaml");
    assert_eq!(code, Some(1));
    let missing = with_rule(&findings, "missing-glyph");
    assert_eq!(
        (missing[0]["line"].as_u64(), missing[0]["column"].as_u64()),
        (Some(3), Some(20))
    );
}

#[test]
fn the_gongwen_parts_are_checked_where_they_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let text = "title: 关于某事的通知\nauthor: 示例市档案局\nlayout: gongwen\ngongwen:\n  number: 示档发[2026]第05号\n  addressee: 各区县档案局, 市直各单位\n  attachments: [\"工作方案(试行)\"]\n  copies-to: [市委办公厅, 市政府办公厅...]\nbody:\n  - 正文。\n";
    write(dir.path(), "notice.yaml", text);
    let (findings, code) = json_findings(dir.path(), "notice.yaml");
    assert_eq!(code, Some(0), "warnings alone do not fail a check");
    // The half-width comma of the 主送机关, at its own line and column.
    let commas = with_rule(&findings, "half-width-punctuation");
    let comma = commas
        .iter()
        .find(|f| f["line"] == 6)
        .unwrap_or_else(|| panic!("{findings:#?}"));
    assert_eq!(
        (comma["line"].as_u64(), comma["column"].as_u64()),
        (Some(6), Some(20))
    );
    assert_eq!(char_at(text, comma), ',');
    assert_eq!(comma["suggestion"], "，");
    // The attachments' and 抄送's texts are linted too.
    assert!(
        commas
            .iter()
            .any(|f| f["line"] == 7 && char_at(text, f) == '(')
    );
    let ellipsis = with_rule(&findings, "ellipsis");
    assert_eq!(ellipsis.len(), 1, "{findings:#?}");
    assert_eq!(ellipsis[0]["line"], 8);
    // The 主送机关 ends with a colon.
    let colon = with_rule(&findings, "addressee-colon");
    assert_eq!(colon.len(), 1, "{findings:#?}");
    assert_eq!(
        (colon[0]["line"].as_u64(), colon[0]["column"].as_u64()),
        (Some(6), Some(26))
    );
    // The 发文字号: 〔〕 for the year, no 第, no leading zeros; each at its character.
    let number = with_rule(&findings, "document-number");
    let at: Vec<char> = number.iter().map(|f| char_at(text, f)).collect();
    assert_eq!(at, ['[', '第', '0'], "{number:#?}");
    assert!(
        number
            .iter()
            .all(|f| f["suggestion"] == "示档发〔2026〕5号")
    );

    // --fix mends the punctuation and leaves the 发文字号 to the author.
    let output = paiban(&["check", "--fix", "notice.yaml"], dir.path());
    assert!(output.status.code().is_some());
    let fixed = std::fs::read_to_string(dir.path().join("notice.yaml")).unwrap();
    assert!(
        fixed.contains("  addressee: 各区县档案局，市直各单位\n"),
        "{fixed}"
    );
    assert!(fixed.contains("工作方案（试行）"), "{fixed}");
    assert!(fixed.contains("市政府办公厅……"), "{fixed}");
    assert!(fixed.contains("  number: 示档发[2026]第05号\n"), "{fixed}");
}
