//! Every kind of loading error names the file, the line and column, and what was expected.

use paiban::model::{Block, load_file, load_str};

fn error(yaml: &str) -> (Option<usize>, Option<usize>, String) {
    let diagnostic = load_str(yaml, "doc.yaml").expect_err("should be refused");
    assert_eq!(diagnostic.file, "doc.yaml");
    (diagnostic.line, diagnostic.column, diagnostic.to_string())
}

#[test]
fn unknown_key_is_located_and_a_close_one_suggested() {
    let (line, column, message) = error("title: t\nbody:\n  - heading: x\n    levl: 2\n");
    assert_eq!((line, column), (Some(4), Some(5)));
    assert!(message.contains("unknown key `levl`"), "{message}");
    assert!(message.contains("did you mean `level`?"), "{message}");

    let (line, _, message) = error("title: t\nsubtitel: s\nbody: [a]\n");
    assert_eq!(line, Some(2));
    assert!(message.contains("did you mean `subtitle`?"), "{message}");

    let (_, _, message) = error("title: t\nbody: [a]\nzzz: 1\n");
    assert!(!message.contains("did you mean"), "{message}");
    assert!(message.contains("expected one of `title`"), "{message}");
}

#[test]
fn unquoted_colon_in_a_paragraph_gets_a_hint() {
    let (line, column, message) = error("title: t\nbody:\n  - 他说: 好\n");
    assert_eq!((line, column), (Some(3), Some(5)));
    assert!(message.contains("must be quoted"), "{message}");
}

#[test]
fn wrong_types_are_located_at_the_value() {
    let (line, column, message) = error("title: t\nbody:\n  - {heading: x, level: two}\n");
    assert_eq!((line, column), (Some(3), Some(25)));
    assert!(message.contains("expected a heading level"), "{message}");

    let (line, _, message) = error("title: [a, b]\nbody: [a]\n");
    assert_eq!(line, Some(1));
    assert!(message.contains("expected text"), "{message}");

    let (line, _, message) = error("title: t\nbody: 一段\n");
    assert_eq!(line, Some(2));
    assert!(message.contains("expected a list of blocks"), "{message}");

    let (line, _, message) = error("title: t\nbody:\n  - {2019: x}\n");
    assert_eq!(line, Some(3));
    assert!(message.contains("unknown key `2019`"), "{message}");

    let (_, _, message) = error("title: t\nbody:\n  - {heading: x, numbered: 0}\n");
    assert!(message.contains("numbered"), "{message}");
}

#[test]
fn missing_title_or_body() {
    let (line, _, message) = error("body: [a]\n");
    assert_eq!(line, Some(1));
    assert!(
        message.contains("missing required key `title`"),
        "{message}"
    );
    let (_, _, message) = error("title: t\n");
    assert!(message.contains("missing required key `body`"), "{message}");
    let (_, _, message) = error("title: t\nbody: []\n");
    assert!(message.contains("empty list"), "{message}");
}

#[test]
fn level_out_of_range() {
    for (level, column) in [("0", 12), ("6", 12), ("-1", 12), ("300", 12)] {
        let (line, col, message) = error(&format!(
            "title: t\nbody:\n  - heading: x\n    level: {level}\n"
        ));
        assert_eq!((line, col), (Some(4), Some(column)), "{message}");
        assert!(message.contains("expected 1 to 5"), "{message}");
    }
    let (_, _, message) = error("title: t\nbody:\n  - {sidebar: s, number: 0, body: [p]}\n");
    assert!(message.contains("number 0 is out of range"), "{message}");
}

#[test]
fn invalid_dates() {
    for date in [
        "2023-02-29",
        "2022-13-01",
        "yesterday",
        "2022/11/07",
        "22-11-07",
    ] {
        let (line, column, message) = error(&format!("title: t\ndate: {date}\nbody: [a]\n"));
        assert_eq!((line, column), (Some(2), Some(7)), "{message}");
        assert!(message.contains("invalid date"), "{message}");
        assert!(message.contains("YYYY-MM-DD"), "{message}");
    }
}

#[test]
fn invalid_language_and_layout_names() {
    let (line, _, message) = error("title: t\nlang: 中文\nbody: [a]\n");
    assert_eq!(line, Some(2));
    assert!(message.contains("BCP 47"), "{message}");
    let (line, _, message) = error("title: t\nlayout: ../x\nbody: [a]\n");
    assert_eq!(line, Some(2));
    assert!(message.contains("invalid layout name"), "{message}");
}

#[test]
fn invalid_utf8_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.yaml");
    std::fs::write(&path, b"title: t\nbody:\n  - \"\xe4\xb8\xad\xff\"\n").unwrap();
    let diagnostic = load_file(&path).unwrap_err();
    assert_eq!((diagnostic.line, diagnostic.column), (Some(3), Some(7)));
    assert!(diagnostic.message.contains("invalid UTF-8"), "{diagnostic}");
    assert!(diagnostic.file.ends_with("bad.yaml"));
}

#[test]
fn empty_files() {
    for text in ["", "\n\n", "# only a comment\n", "---\n", "\u{feff}"] {
        let (line, _, message) = error(text);
        assert_eq!(line, Some(1));
        assert!(message.contains("the file is empty"), "{message}");
    }
    let (_, _, message) = error("- a\n- b\n");
    assert!(
        message.contains("a mapping with at least `title` and `body`"),
        "{message}"
    );
}

#[test]
fn yaml_syntax_errors_are_located_without_prose_positions() {
    let (line, column, message) = error("title: t\nbody: [a\n");
    assert_eq!((line, column), (Some(3), Some(1)));
    assert!(!message.contains(" at line "), "{message}");
}

#[test]
fn block_shapes_are_checked() {
    let (line, _, message) = error("title: t\nbody:\n  - {heading: x, sidebar: y}\n");
    assert_eq!(line, Some(3));
    assert!(message.contains("only one kind"), "{message}");
    let (_, _, message) = error("title: t\nbody:\n  - {level: 2}\n");
    assert!(message.contains("needs one of"), "{message}");
    let (_, _, message) = error("title: t\nbody:\n  - {sidebar: s}\n");
    assert!(
        message.contains("missing required key `body` in a sidebar"),
        "{message}"
    );
    let (_, _, message) = error("title: t\nbody:\n  - {dateline: d, level: 2}\n");
    assert!(
        message.contains("`level` does not apply to a dateline"),
        "{message}"
    );
    let (_, _, message) = error("title: t\nbody:\n  - {sidebar: s, body: [{heading: h}]}\n");
    assert!(
        message.contains("a panel cannot hold a heading"),
        "{message}"
    );
    let (line, _, message) = error("title: t\nbody:\n  - heading: x\n    heading: y\n");
    assert_eq!(line, Some(4));
    assert!(message.contains("duplicate key `heading`"), "{message}");
    let (_, _, message) = error("title: t\nbody:\n  - \"  \"\n");
    assert!(message.contains("empty paragraph"), "{message}");
}

#[test]
fn review_findings_stay_refused() {
    let (line, _, message) = error("title: t\nauthor: \"\"\nbody: [a]\n");
    assert_eq!(line, Some(2));
    assert!(message.contains("empty string"), "{message}");
    let (_, _, message) = error("title: t\nbody:\n  - {heading: x, numbered: false, number: 5}\n");
    assert!(message.contains("`number` does not apply"), "{message}");
    // Typst takes letter regions only; a numeric one (419) is left out, not passed on.
    let document = load_str("title: t\nlang: es-419\nbody: [a]\n", "d.yaml").unwrap();
    assert_eq!(document.lang.region(), None);
}

#[test]
fn the_documented_forms_load_with_their_meaning() {
    let yaml = "\u{feff}title: 标题\nsubtitle: 副标题\nauthor: [甲, 乙]\ndate: 2022-11-07\n\
        lang: zh-Hans-CN\nsource: 报纸\nlayout: whitepaper\nbody:\n\
        - 一个段落。\n\
        - heading: 主张\n  level: 2\n  number: 4\n\
        - heading: 结束语\n  numbered: false\n\
        - sidebar: 倡议\n  number: 4\n  body: [甲段, 乙段]\n\
        - dateline: （新华社北京11月7日电）\n";
    let document = load_str(yaml, "doc.yaml").unwrap();
    assert_eq!(document.title, "标题");
    assert_eq!(document.subtitle.as_deref(), Some("副标题"));
    assert_eq!(document.authors, ["甲", "乙"]);
    assert_eq!(document.date.unwrap().to_string(), "2022-11-07");
    assert_eq!(document.lang.region().as_deref(), Some("cn"));
    assert_eq!(document.source.as_deref(), Some("报纸"));
    assert_eq!(document.body.len(), 5);
    assert_eq!(document.body[0], Block::Paragraph("一个段落。".into()));
    let Block::Heading(heading) = &document.body[1] else {
        panic!()
    };
    assert_eq!(
        (heading.level, heading.number, heading.numbered),
        (2, Some(4), true)
    );
    let Block::Heading(closing) = &document.body[2] else {
        panic!()
    };
    assert_eq!((closing.level, closing.numbered), (1, false));
    let Block::Sidebar(sidebar) = &document.body[3] else {
        panic!()
    };
    assert_eq!((sidebar.number, sidebar.body.len()), (Some(4), 2));
    assert_eq!(
        document.body[4],
        Block::Dateline("（新华社北京11月7日电）".into())
    );

    let single = load_str("title: t\nauthor: 国务院新闻办公室\nbody: [a]\n", "d.yaml").unwrap();
    assert_eq!(single.authors, ["国务院新闻办公室"]);
    assert_eq!(single.lang.as_str(), "zh-CN");
    assert_eq!(single.layout, "whitepaper");
}

#[test]
fn numbers_and_truth_values_where_text_belongs_print_as_written() {
    // YAML reads these as numbers or truth values; the text keeps what the file says.
    for (written, expected) in [
        ("123", "123"),
        ("1.50", "1.50"),
        ("007", "007"),
        ("1e3", "1e3"),
        ("true", "true"),
        ("-0", "-0"),
    ] {
        let yaml = format!(
            "title: t\nbody:\n  - {written}\n  - list: [{written}]\n  - table:\n    rows: [[{written}]]\n"
        );
        let document = load_str(&yaml, "t.yaml").unwrap_or_else(|e| panic!("{written}: {e}"));
        let texts: Vec<String> = document
            .walk()
            .filter_map(|b| match b {
                Block::Paragraph(text) => Some(text.to_plain()),
                Block::Table(table) => Some(table.rows[0][0].text.to_plain()),
                _ => None,
            })
            .collect();
        assert_eq!(texts, [expected, expected, expected], "{written}");
    }
    // Where a name is expected, a number is refused with a hint to quote it.
    let diagnostic = load_str("title: t\nauthor: 2022\nbody: [a]\n", "t.yaml").unwrap_err();
    assert_eq!(diagnostic.column, Some(9));
    assert!(
        diagnostic.hints.iter().any(|h| h.contains("quotes")),
        "{diagnostic}"
    );
}

#[test]
fn private_use_and_grandfathered_language_tags_are_well_formed() {
    for tag in [
        "x-klingon",
        "i-klingon",
        "zh-Hant-TW",
        "zh-cmn-Hans-CN",
        "sr-Latn-RS",
        "en-GB-oed",
    ] {
        let document = load_str(&format!("title: t\nlang: {tag}\nbody: [a]\n"), "t.yaml")
            .unwrap_or_else(|e| panic!("{tag}: {e}"));
        assert_eq!(document.lang.as_str(), tag);
    }
    for tag in ["zh-", "x-", "abcdefghi", "zh--CN"] {
        assert!(
            load_str(&format!("title: t\nlang: {tag}\nbody: [a]\n"), "t.yaml").is_err(),
            "{tag}"
        );
    }
}

#[test]
fn gongwen_values_are_checked_where_they_are_written() {
    // Each bad value, the column where it starts on line 4, and what the message says.
    for (value, column, says) in [
        ("copy-number: 1234567", 16, "invalid 份号 `1234567`"),
        ("copy-number: 0", 16, "not all zeros"),
        ("copy-number: 12a", 16, "1 to 6 digits"),
        ("secrecy: 内部", 12, "expected 绝密, 机密 or 秘密"),
        ("secrecy: 机密*1年", 12, "write the star as ★"),
        ("secrecy: 机密★", 12, "no 保密期限"),
        ("urgency: 急件", 12, "expected 特急 or 加急"),
        ("mark: ''", 9, "empty string"),
        ("mark: [甲, 乙]", 9, "expected text"),
        ("number: {a: b}", 11, "expected text"),
        ("signers: []", 12, "empty list"),
        ("signers: [张三, '']", 17, "empty string"),
        ("addressee: ' '", 14, "empty string"),
        ("attachments: [甲, [乙]]", 20, "expected text"),
        ("sealed: yes", 11, "`sealed` is true"),
        ("sealed: 1", 11, "`sealed` is true"),
        ("note:", 8, "empty"),
        ("copies-to: {甲: 乙}", 14, "an organ's name or a list"),
        ("printed-by: ''", 15, "empty string"),
        ("printed-on: 2026-02-30", 15, "invalid date"),
        ("printed-on: 2026年11月21日", 15, "YYYY-MM-DD"),
    ] {
        let yaml = format!("title: t\nlayout: gongwen\ngongwen:\n  {value}\nbody: [a]\n");
        let (line, col, message) = error(&yaml);
        assert_eq!((line, col), (Some(4), Some(column)), "{value}: {message}");
        assert!(message.contains(says), "{value}: {message}");
    }
    // An unknown key, with the closest known one.
    let (line, col, message) = error("title: t\ngongwen:\n  copy-to: [甲]\nbody: [a]\n");
    assert_eq!((line, col), (Some(3), Some(3)), "{message}");
    assert!(message.contains("did you mean `copies-to`?"), "{message}");
    let (line, _, message) = error("title: t\ngongwen: 甲\nbody: [a]\n");
    assert_eq!(line, Some(2));
    assert!(message.contains("the parts of a 公文"), "{message}");
    // A 版头 needs a 标志: a `mark`, or an author to make one; else the error is at the
    // 版头's first part.
    let (line, col, message) =
        error("title: t\ngongwen:\n  addressee: 各单位：\n  number: 示发〔2026〕1号\nbody: [a]\n");
    assert_eq!((line, col), (Some(4), Some(11)), "{message}");
    assert!(message.contains("no 发文机关标志"), "{message}");
}

#[test]
fn gongwen_parts_load_with_their_meaning() {
    let yaml = "title: t\nauthor: 示例市档案局\ndate: 2026-11-20\nlayout: gongwen\ngongwen:\n  copy-number: '000012'\n  secrecy: 秘密\n  urgency: 加急\n  number: 示档发〔2026〕5号\n  signers: 张三\n  addressee: 各单位：\n  attachments: 工作方案\n  sealed: true\n  note: 此件公开发布\n  copies-to: [市委办公厅, 市政府办公厅]\n  printed-by: 示例市档案局办公室\n  printed-on: 2026-11-21\nbody: [a]\n";
    let document = load_str(yaml, "d.yaml").unwrap();
    let gongwen = document.gongwen.as_ref().unwrap();
    assert_eq!(gongwen.copy_number, Some(12));
    assert_eq!(gongwen.copy_number_text().as_deref(), Some("000012"));
    assert_eq!(gongwen.secrecy.as_ref().unwrap().text, "秘密");
    assert_eq!(
        gongwen.mark_text(&document).as_deref(),
        Some("示例市档案局文件")
    );
    assert_eq!(gongwen.signers.len(), 1);
    assert_eq!(gongwen.attachments[0].text, "工作方案");
    assert!(gongwen.sealed);
    assert_eq!(gongwen.note_text().as_deref(), Some("（此件公开发布）"));
    assert_eq!(
        gongwen.copies_to_text().as_deref(),
        Some("市委办公厅，市政府办公厅。")
    );
    assert_eq!(
        gongwen
            .printed_on_text(paiban::model::Locale::Hans)
            .as_deref(),
        Some("2026年11月21日印发")
    );
    // Numbers where text belongs keep what the file says; the 份号 may be a number.
    let document = load_str(
        "title: t\ngongwen:\n  copy-number: 7\n  mark: 1.50\n  number: 007\nbody: [a]\n",
        "d.yaml",
    )
    .unwrap();
    let gongwen = document.gongwen.unwrap();
    assert_eq!(gongwen.copy_number_text().as_deref(), Some("000007"));
    assert_eq!(gongwen.mark.unwrap().text, "1.50");
    assert_eq!(gongwen.number.unwrap().text, "007");
    // Without a 版头 part, no 标志 is needed, and an empty map is a map.
    assert!(
        load_str(
            "title: t\ngongwen: {addressee: 各单位：}\nbody: [a]\n",
            "d.yaml"
        )
        .is_ok()
    );
    let empty = load_str("title: t\ngongwen: {}\nbody: [a]\n", "d.yaml").unwrap();
    assert_eq!(empty.gongwen, Some(Default::default()));
}
