//! `paiban import`: plain text to content, on the seed and on synthetic texts.

mod common;

use std::process::Command;

use common::{printed_text, project_root, squeeze};
use paiban::diag::Diagnostic;
use paiban::model::{Block, Document, load_str};
use paiban::passes::numbering::{heading_label, number};
use paiban::readers::plaintext::import;

/// What must agree between two documents: block kinds, levels, numbers and texts.
fn structure(document: &Document) -> Vec<String> {
    let mut document = document.clone();
    let _ = number(&mut document);
    document
        .walk()
        .map(|block| match block {
            Block::Paragraph(t) => format!("p {t}"),
            Block::Dateline(t) => format!("dateline {t}"),
            Block::Heading(h) => format!(
                "h{} {}{}",
                h.level,
                heading_label(&h.resolved).unwrap_or_default(),
                h.text
            ),
            Block::Sidebar(s) => format!("panel {} {}", s.resolved, s.title),
            other => format!("{other:?}"),
        })
        .collect()
}

/// Imports, writes YAML and reads it back, as `paiban import` then `paiban build` would.
fn round_trip(text: &str) -> (Document, Vec<Diagnostic>) {
    let imported = import(text, "input.txt", Some("标题".to_owned())).unwrap();
    let yaml = paiban::writers::yaml::write(&imported.document, "test");
    (load_str(&yaml, "imported.yaml").unwrap(), imported.warnings)
}

#[test]
fn the_seed_imports_as_the_curated_white_paper() {
    let seed = std::fs::read_to_string(project_root().join("tests/data/seed.txt")).unwrap();
    let curated =
        paiban::model::load_file(&project_root().join("content/whitepaper.yaml")).unwrap();
    let (imported, warnings) = round_trip(&seed);

    // The curated file's one editorial call: the banner line 携手构建网络空间命运共同体
    // (line 18) is newspaper page furniture, which the text alone cannot tell from an
    // unnumbered heading. The importer reports it, and the curated file leaves it out.
    let banner = "h1 携手构建网络空间命运共同体";
    assert!(
        warnings
            .iter()
            .any(|w| w.line == Some(18) && w.message.contains("unnumbered heading"))
    );
    let mut imported_structure = structure(&imported);
    let position = imported_structure
        .iter()
        .position(|b| b == banner)
        .expect("banner");
    imported_structure.remove(position);
    assert_eq!(imported_structure, structure(&curated));

    // The page-break joins are reported with their line numbers.
    for line in [48, 86] {
        assert!(
            warnings
                .iter()
                .any(|w| w.line == Some(line) && w.message.contains("joined")),
            "no join warning for line {line}"
        );
    }
    assert_eq!(imported.source.as_deref(), Some("（上接第十版）"));
}

#[test]
fn every_character_ends_up_in_the_body_or_the_metadata() {
    let seed = std::fs::read_to_string(project_root().join("tests/data/seed.txt")).unwrap();
    let (imported, _) = round_trip(&seed);
    let mut numbered = imported.clone();
    number(&mut numbered);
    let mut text = numbered.source.clone().unwrap_or_default();
    for block in numbered.walk() {
        text.push_str(&match block {
            // The seed writes panels as 专栏4 followed by the title.
            Block::Sidebar(s) => format!("专栏{}{}", s.resolved, s.title),
            other => printed_text(other),
        });
    }
    assert_eq!(squeeze(&text), squeeze(&seed));
}

#[test]
fn synthetic_text_with_every_pattern() {
    let text = "\u{feff}前言\r\n\
        这是前言的正文。\r\n\
        \r\n\
        一、总体要求\r\n\
        （一）指导思想\r\n\
        １．坚持原则\r\n\
        这一段在版面上被\r\n\
        切断了。\r\n\
        2、第二条\r\n\
        （1）细目\r\n\
        ①圆圈细目\r\n\
        ②圆圈编号的一句话。\r\n\
        专栏７　示例专栏\r\n\
        专栏的正文。\r\n\
        专栏之后的正文。\r\n\
        1.5亿人受益，这不是标题。\r\n\
        （下转第2版）\r\n\
        十一、第十一部分\r\n\
        （新华社北京11月7日电）\r\n";
    let (document, warnings) = round_trip(text);
    assert_eq!(
        structure(&document),
        [
            "h1 前言",
            "p 这是前言的正文。",
            "h1 一、总体要求",
            "h2 （一）指导思想",
            "h3 1.坚持原则",
            "p 这一段在版面上被切断了。",
            "h3 2.第二条",
            "h4 （1）细目",
            // ① and ② follow each other and ② is a sentence: list items, not headings.
            "p ①圆圈细目",
            "p ②圆圈编号的一句话。",
            "panel 7 示例专栏",
            "p 专栏的正文。",
            "p 专栏之后的正文。",
            "p 1.5亿人受益，这不是标题。",
            "h1 十一、第十一部分",
            "dateline （新华社北京11月7日电）",
        ]
    );
    let Block::Sidebar(panel) = &document.body[10] else {
        panic!("{:?}", document.body[10])
    };
    assert_eq!(panel.body, [Block::Paragraph("专栏的正文。".into())]);
    assert_eq!(document.source.as_deref(), Some("（下转第2版）"));
    let lines_warned: Vec<usize> = warnings.iter().filter_map(|w| w.line).collect();
    assert!(lines_warned.contains(&1), "前言 is a guess: {warnings:?}");
    assert!(
        lines_warned.contains(&8),
        "the join is reported: {warnings:?}"
    );
    assert!(
        lines_warned.contains(&12),
        "a circled number before a sentence is reported: {warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.line == Some(11) && w.message.contains("list item")),
        "{warnings:?}"
    );
}

#[test]
fn numbers_start_at_one_and_labels_lose_their_space() {
    let (document, _) = round_trip("0. 不是标题\n1. 总则\n一、 甲\n（1） 乙\n");
    assert_eq!(
        structure(&document),
        ["p 0. 不是标题", "h3 1.总则", "h1 一、甲", "h4 （1）乙"]
    );
    let long = format!("{}、", "九千".repeat(500_000));
    assert!(paiban::passes::numbering::parse_chinese_numeral(&long[..long.len() - 3]).is_none());
    assert!(import("正文。", "t.txt", Some(" ".to_owned())).is_err());
}

#[test]
fn an_empty_text_is_refused() {
    for text in ["", "\n \n\u{3000}\n", "（上接第十版）\n"] {
        let error = import(text, "empty.txt", None).err().expect("refused");
        assert!(
            error
                .to_string()
                .starts_with("empty.txt:1:1: error: the text is empty"),
            "{error}"
        );
    }
}

#[test]
fn blank_line_separated_and_line_per_paragraph_inputs_agree() {
    let compact = "一、甲\n第一段。\n第二段。\n";
    let spaced = "一、甲\n\n第一段。\n\n\n第二段。\n";
    assert_eq!(
        structure(&round_trip(compact).0),
        structure(&round_trip(spaced).0)
    );
}

fn paiban(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_paiban"))
        .args(args)
        .current_dir(project_root())
        .output()
        .unwrap()
}

#[test]
fn the_cli_imports_and_the_output_builds() {
    let dir = tempfile::tempdir_in({
        let parent = project_root().join("target-tests");
        std::fs::create_dir_all(&parent).unwrap();
        parent
    })
    .unwrap();
    let yaml = dir.path().join("seed.yaml");
    let output = paiban(&[
        "import",
        "tests/data/seed.txt",
        "-o",
        yaml.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The newspaper's banner above the part is the first standalone short line: the title.
    assert!(
        stderr.contains(
            "seed.txt:18: warning: taken as the document's title: 携手构建网络空间命运共同体"
        ),
        "{stderr}"
    );
    let written = std::fs::read_to_string(&yaml).unwrap();
    assert!(
        written.contains("\ntitle: 携手构建网络空间命运共同体\n"),
        "{written}"
    );
    assert!(
        written.contains("  - heading: 构建更加紧密的网络空间命运共同体的中国主张\n"),
        "{written}"
    );
    assert!(!written.contains("\\u"), "characters as characters");
    let build = paiban(&[
        "build",
        yaml.to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(
        build.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(dir.path().join("seed.pdf").exists());
}

#[test]
fn encodings() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, b"\xe4\xb8\x80\xe3\x80\x81\xe7\x94\xb2\n\xff\n").unwrap();
    let output = paiban(&["import", bad.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("bad.txt:2:1: error[input]: invalid UTF-8"),
        "{stderr}"
    );

    let gb = dir.path().join("gb.txt");
    let (bytes, _, _) = encoding_rs::GB18030.encode("一、总则\n正文。\n");
    std::fs::write(&gb, &bytes).unwrap();
    let output = paiban(&[
        "import",
        gb.to_str().unwrap(),
        "--encoding",
        "gb18030",
        "--title",
        "国标",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let yaml = String::from_utf8(output.stdout).unwrap();
    assert!(
        yaml.contains("title: 国标\n")
            && yaml.contains("- heading: 总则\n")
            && yaml.contains("- 正文。\n"),
        "{yaml}"
    );
}

#[test]
fn encoding_errors_name_the_encoding_and_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let import_file = |file: &str, bytes: &[u8], args: &[&str]| {
        let path = dir.path().join(file);
        std::fs::write(&path, bytes).unwrap();
        let mut all = vec!["import", path.to_str().unwrap(), "--title", "题"];
        all.extend_from_slice(args);
        let output = paiban(&all);
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };

    // GB18030 read as UTF-8: the message reads as a sentence and says what to do.
    let (gb, _, _) = encoding_rs::GB18030.encode("正文。\n第二行：国务院\n");
    let (code, _, stderr) = import_file("gbk.txt", &gb, &[]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains(
            "gbk.txt:1:1: error[input]: invalid UTF-8 (byte 0xD5 at offset 0); the file is \
             not UTF-8: if it is GB18030/GBK, pass --encoding gb18030"
        ),
        "{stderr}"
    );

    // Malformed GB18030: line, column and byte offset of the bad sequence.
    let mut bad_gb = encoding_rs::GB18030.encode("一、总则\n正文").0.into_owned();
    bad_gb.extend_from_slice(b"\x81\x7f\xd5\xfd\n");
    let (code, _, stderr) = import_file("bad-gb.txt", &bad_gb, &["--encoding", "gb18030"]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains(
            "bad-gb.txt:2:3: error[input]: invalid GB18030 text: malformed sequence 0x81 \
             at byte offset 13"
        ),
        "{stderr}"
    );

    // UTF-16 with a byte-order mark is decoded, either byte order.
    for (file, bom, encode) in [
        (
            "le.txt",
            [0xFF, 0xFE],
            u16::to_le_bytes as fn(u16) -> [u8; 2],
        ),
        ("be.txt", [0xFE, 0xFF], u16::to_be_bytes),
    ] {
        let mut bytes = bom.to_vec();
        for unit in "一、总则\r\n正文。\r\n".encode_utf16() {
            bytes.extend_from_slice(&encode(unit));
        }
        let (code, yaml, stderr) = import_file(file, &bytes, &[]);
        assert_eq!(code, Some(0), "{stderr}");
        assert!(
            yaml.contains("- heading: 总则\n") && yaml.contains("- 正文。\n"),
            "{yaml}"
        );
    }
    // … and malformed UTF-16 is named as UTF-16.
    let (code, _, stderr) = import_file("lone.txt", b"\xff\xfeA\x00\x00\xd8B\x00", &[]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("lone.txt:1:2: error[input]: invalid UTF-16LE text"),
        "{stderr}"
    );
    // UTF-16 without a mark is recognised, not read as NULs.
    let unmarked: Vec<u8> = "Notice 1\nText.\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let (code, _, stderr) = import_file("unmarked.txt", &unmarked, &[]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("looks like UTF-16 (little-endian) without a byte-order mark"),
        "{stderr}"
    );
}

#[test]
fn form_feeds_are_page_breaks_and_control_characters_are_dropped() {
    let text = "第一段内容。\u{c}第二段。\n\
        各地要认真落实安全生产责任，\u{c}\n\
        切实\u{0}防范重大事故。\n\
        \u{c}本通知自印发\u{1b}之日起施行\u{7f}。\u{85}\n\
        附件：检查表\n";
    let (document, warnings) = round_trip(text);
    assert_eq!(
        structure(&document),
        [
            "p 第一段内容。",
            "p 第二段。",
            "p 各地要认真落实安全生产责任，切实防范重大事故。",
            "p 本通知自印发之日起施行。",
            "p 附件：检查表",
        ]
    );
    let located: Vec<(Option<usize>, Option<usize>, &str)> = warnings
        .iter()
        .filter(|w| w.message.contains("control character"))
        .map(|w| (w.line, w.column, w.message.as_str()))
        .collect();
    assert_eq!(
        located,
        [
            (
                Some(3),
                Some(3),
                "dropped the control character U+0000 (NUL)"
            ),
            (
                Some(4),
                Some(8),
                "dropped the control character U+001B (ESC)"
            ),
            (
                Some(4),
                Some(14),
                "dropped the control character U+007F (DEL)"
            ),
            (Some(4), Some(16), "dropped the control character U+0085"),
        ]
    );
    // The page break cut a sentence, so the join is reported like any other.
    assert!(
        warnings
            .iter()
            .any(|w| w.line == Some(3) && w.message.contains("joined")),
        "{warnings:?}"
    );

    // Past twenty, one warning counts the rest.
    let noisy = format!("{}正文。\n", "\u{0}".repeat(23) + &"\u{1}".repeat(2));
    let (document, warnings) = round_trip(&noisy);
    assert_eq!(structure(&document), ["p 正文。"]);
    assert_eq!(
        warnings
            .iter()
            .filter(|w| w.message.starts_with("dropped the control"))
            .count(),
        20
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.message == "dropped 5 more control characters: U+0000 ×3, U+0001 ×2"),
        "{warnings:?}"
    );
}

/// Four newspaper pages: a running head on each, folios in four styles, and paragraphs
/// cut by the page breaks.
const PAGES: &str = "人民日报 2022年11月8日 星期二\n\
\n\
网络空间是人类共同的活动空间，网络空间前途命运应由世界各国共同掌握。各国应该加强沟通、扩大共识、深化合作，共同构建网络空间命运共同体。\n\
\n\
近年来，我国积极参与网络空间国际治理，推动全球互联网治理体系改革，为\n\
\n\
— 1 —\n\
\u{c}人民日报 2022年11月8日 星期二\n\
\n\
构建和平、安全、开放、合作、有序的网络空间贡献中国智慧。\n\
\n\
数字技术正以新理念、新业态、新模式全面融入人类经济、政治、文化、社会、生态文明建设各领域和全过程，给人类生产生活带来广泛而深刻的影响。\n\
\n\
各国应当坚持以人为本、科技向善，缩小数字鸿沟，实现共同繁荣。中国愿同各方一道推动\n\
- 2 -\n\
人民日报 2022年11月8日 星期二\n\
全球数字治理\n\
\n\
规则的制定，让数字化发展成果更多更公平惠及各国人民。\n\
\n\
中国始终把自身命运与世界各国人民命运紧密相连，致力于做全球网络空间发展的建设者、贡献者和维护者，积极参与网络扶贫国际合作。\n\
第 3 页\n\
人民日报 2022年11月8日 星期二\n\
打造网上文化交流平台，促进文明交流互鉴。中国积极推动网络文化交流，与世界各国分享数字化发展经验。\n\
\n\
互联网是人类共同的家园。无论数字技术如何创新发展，无论网络空间如何演变，各国都应\n\
\n\
4\n\
\n\
携手应对风险挑战，共同推动网络空间的和平与繁荣。\n";

#[test]
fn running_heads_and_folios_go_to_the_source_and_cut_paragraphs_are_joined() {
    let (document, warnings) = round_trip(PAGES);
    assert_eq!(
        structure(&document),
        [
            "p 网络空间是人类共同的活动空间，网络空间前途命运应由世界各国共同掌握。各国应该加强沟通、扩大共识、深化合作，共同构建网络空间命运共同体。",
            "p 近年来，我国积极参与网络空间国际治理，推动全球互联网治理体系改革，为构建和平、安全、开放、合作、有序的网络空间贡献中国智慧。",
            "p 数字技术正以新理念、新业态、新模式全面融入人类经济、政治、文化、社会、生态文明建设各领域和全过程，给人类生产生活带来广泛而深刻的影响。",
            "p 各国应当坚持以人为本、科技向善，缩小数字鸿沟，实现共同繁荣。中国愿同各方一道推动全球数字治理规则的制定，让数字化发展成果更多更公平惠及各国人民。",
            "p 中国始终把自身命运与世界各国人民命运紧密相连，致力于做全球网络空间发展的建设者、贡献者和维护者，积极参与网络扶贫国际合作。",
            "p 打造网上文化交流平台，促进文明交流互鉴。中国积极推动网络文化交流，与世界各国分享数字化发展经验。",
            "p 互联网是人类共同的家园。无论数字技术如何创新发展，无论网络空间如何演变，各国都应携手应对风险挑战，共同推动网络空间的和平与繁荣。",
        ]
    );
    assert_eq!(
        document.source.as_deref(),
        Some("人民日报 2022年11月8日 星期二；— 1 —；- 2 -；第 3 页；4")
    );
    let at = |line: usize, needle: &str| {
        warnings
            .iter()
            .any(|w| w.line == Some(line) && w.message.contains(needle))
    };
    assert!(
        at(1, "running head moved to `source` (lines 1, 8, 16, 23)"),
        "{warnings:?}"
    );
    for line in [7, 15, 22, 28] {
        assert!(at(line, "folio moved to `source`"), "{line}: {warnings:?}");
    }
    for line in [10, 17, 19, 30] {
        assert!(at(line, "joined"), "{line}: {warnings:?}");
    }
    assert!(
        !warnings.iter().any(|w| w.message.contains("heading")),
        "{warnings:?}"
    );
}

#[test]
fn lines_that_repeat_close_together_or_only_twice_are_no_running_heads() {
    // A slogan repeated at the top of a short notice, and the issuer and date that close
    // three letters.
    let letter = "各地的同志们：\n来信收悉。这封信的正文写给各地的同志们，请认真阅读并转达有关要求，\
        做好各项工作，确保取得实效。各地要结合实际，细化工作措施，明确责任分工，及时报告进展情况。\n某某办公室\n2022年11月7日\n";
    let text = format!(
        "坚持人民至上\n坚持人民至上\n坚持人民至上\n全文如下。\n{}",
        letter.repeat(3)
    );
    let text = text.as_str();
    let (document, warnings) = round_trip(text);
    assert_eq!(document.body.len(), 2 + 3 * 4, "{:?}", document.body);
    assert!(document.source.is_none(), "{:?}", document.source);
    assert!(
        !warnings.iter().any(|w| w.message.contains("source")),
        "{warnings:?}"
    );
}

#[test]
fn tables_typed_with_spaces_keep_their_rows() {
    let text = "2022年前三季度主要产品产量和销售额如下：\n\
        项目          产量（万吨）    金额（亿元）    同比增长\n\
        粮食          12000           3500            2.1%\n\
        钢材          8000            4200            -1.5%\n\
        \n\
        合计          20000           7700            0.6%\n\
        以上数据均为初步核算数，最终数据以统计年鉴为准。\n\
        \n\
        各地报送情况\n\
        地区\t报送单位\t完成情况\n\
        北京市\t12\t已完成\n\
        上海市\t9\t部分完成\n\
        联系人：张三    电话：010-12345678\n";
    let (document, warnings) = round_trip(text);
    assert_eq!(
        structure(&document),
        [
            "p 2022年前三季度主要产品产量和销售额如下：",
            "p 项目          产量（万吨）    金额（亿元）    同比增长\n\
             粮食          12000           3500            2.1%\n\
             钢材          8000            4200            -1.5%\n\
             合计          20000           7700            0.6%",
            "p 以上数据均为初步核算数，最终数据以统计年鉴为准。",
            "p 各地报送情况",
            "p 地区\t报送单位\t完成情况\n北京市\t12\t已完成\n上海市\t9\t部分完成",
            "p 联系人：张三    电话：010-12345678",
        ]
    );
    let tables: Vec<(Option<usize>, &str)> = warnings
        .iter()
        .filter(|w| w.message.contains("table"))
        .map(|w| (w.line, w.message.as_str()))
        .collect();
    assert_eq!(
        tables,
        [
            (
                Some(2),
                "lines 2–6 look like a table typed with spaces: kept as one paragraph, a row a line"
            ),
            (
                Some(10),
                "lines 10–12 look like a table typed with spaces: kept as one paragraph, a row a line"
            ),
        ]
    );
}

#[test]
fn numbered_runs_that_read_as_lists_stay_paragraphs_and_every_guess_is_reported() {
    let text = "为进一步做好安全生产工作，现提出以下要求。\n\
        主要措施包括以下几项：\n\
        1. 加强组织领导\n\
        2. 完善规章制度\n\
        3. 强化监督检查\n\
        各地要结合实际，认真抓好落实。\n\
        一、总体要求\n\
        （1）坚持人民至上\n\
        （2）坚持系统观念\n\
        二、主要任务\n\
        （1）加快发展数字经济\n\
        各地要加大投入，推动数字技术和实体经济深度融合。\n\
        （2）推进产业转型升级\n\
        要加快传统产业改造提升。\n\
        三、工作要求\n\
        （一）提高认识\n\
        1.统一思想\n\
        2.狠抓落实，确保各项任务按期完成。\n\
        现将有关事项通知如下：\n\
        四、保障措施\n\
        各有关部门要密切配合。\n";
    let (document, warnings) = round_trip(text);
    assert_eq!(
        structure(&document),
        [
            "p 为进一步做好安全生产工作，现提出以下要求。",
            "p 主要措施包括以下几项：",
            "p 1. 加强组织领导",
            "p 2. 完善规章制度",
            "p 3. 强化监督检查",
            "p 各地要结合实际，认真抓好落实。",
            "h1 一、总体要求",
            "p （1）坚持人民至上",
            "p （2）坚持系统观念",
            "h1 二、主要任务",
            "h4 （1）加快发展数字经济",
            "p 各地要加大投入，推动数字技术和实体经济深度融合。",
            "h4 （2）推进产业转型升级",
            "p 要加快传统产业改造提升。",
            "h1 三、工作要求",
            "h2 （一）提高认识",
            "p 1.统一思想",
            "p 2.狠抓落实，确保各项任务按期完成。",
            "p 现将有关事项通知如下：",
            "h1 四、保障措施",
            "p 各有关部门要密切配合。",
        ]
    );
    let at = |line: usize, needle: &str| {
        warnings
            .iter()
            .any(|w| w.line == Some(line) && w.message.contains(needle))
    };
    for line in [3, 4, 5] {
        assert!(
            at(line, "may be a list item (after a line ending in ：)"),
            "{line}: {warnings:?}"
        );
    }
    for line in [8, 9] {
        assert!(
            at(
                line,
                "may be a list item (level 4 under the level-1 heading of line 7)"
            ),
            "{line}: {warnings:?}"
        );
    }
    assert!(at(
        11,
        "an orphan level: a level-4 heading under the level-1 heading of line 10"
    ));
    assert!(at(13, "an orphan level"), "{warnings:?}");
    for line in [17, 18] {
        assert!(
            at(line, "may be a list item (its run holds sentences)"),
            "{warnings:?}"
        );
    }
    assert!(at(20, "though the line before ends in ："), "{warnings:?}");
}

#[test]
fn notices_keep_title_addressee_and_closing_apart() {
    // One line per paragraph, as notices are often published.
    let notice = "国务院办公厅关于印发某某管理办法的通知\n\
        国办发〔2022〕38号\n\
        各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n\
        《某某管理办法》已经国务院同意，现印发给你们，请认真贯彻执行。\n\
        各地要按照党中央、国务院决策部署，认真做好以下\n\
        工作：\n\
        一是压实责任。二是加强督查。\n\
        国务院办公厅\n\
        2022年11月7日\n\
        （此件公开发布）\n";
    let (document, warnings) = round_trip(notice);
    assert_eq!(
        structure(&document),
        [
            "p 国务院办公厅关于印发某某管理办法的通知",
            "p 国办发〔2022〕38号",
            "p 各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
            "p 《某某管理办法》已经国务院同意，现印发给你们，请认真贯彻执行。",
            // Broken off mid-sentence, so the line ending in ： goes on with it.
            "p 各地要按照党中央、国务院决策部署，认真做好以下工作：",
            "p 一是压实责任。二是加强督查。",
            "p 国务院办公厅",
            "p 2022年11月7日",
            "p （此件公开发布）",
        ]
    );
    let at = |line: usize, needle: &str| {
        warnings
            .iter()
            .any(|w| w.line == Some(line) && w.message.contains(needle))
    };
    assert!(at(1, "the document's title"), "{warnings:?}");
    assert!(
        at(8, "lines 8–9 taken as the closing (issuer and date)"),
        "{warnings:?}"
    );
    assert!(at(6, "joined"), "{warnings:?}");

    // Blank lines between paragraphs, two issuers, and a date in Chinese numerals.
    let spaced = "各市、县人民政府，省政府各部门：\n\n\
        现将有关事项通知如下：\n\n\
        一、切实保障群众生活\n\n\
        各地要做好困难群众基本生活保障工作。\n\n\
        附件：值班安排表\n\n\
        省应急管理厅\n\n\
        省财政厅\n\n\
        二〇二二年十二月二十日\n";
    let (document, warnings) = round_trip(spaced);
    assert_eq!(
        structure(&document),
        [
            "p 各市、县人民政府，省政府各部门：",
            "p 现将有关事项通知如下：",
            "h1 一、切实保障群众生活",
            "p 各地要做好困难群众基本生活保障工作。",
            "p 附件：值班安排表",
            "p 省应急管理厅",
            "p 省财政厅",
            "p 二〇二二年十二月二十日",
        ]
    );
    assert!(
        !warnings
            .iter()
            .any(|w| w.message.contains("unnumbered heading")),
        "{warnings:?}"
    );

    // A date is never a heading, wherever it stands.
    let (document, _) = round_trip("会议纪要\n\n2022年11月7日 星期一\n\n会议听取了汇报。\n");
    assert_eq!(
        structure(&document),
        [
            "h1 会议纪要",
            "p 2022年11月7日 星期一",
            "p 会议听取了汇报。"
        ]
    );
}

#[test]
fn the_first_title_like_line_names_the_document() {
    let imported = |text: &str| import(text, "notice.txt", None).unwrap();

    // A notice: the title line, then a document number and the addressee.
    let notice = imported(
        "国务院办公厅关于印发某某管理办法的通知\n\
         国办发〔2022〕38号\n\
         各省、自治区、直辖市人民政府：\n\
         现印发给你们，请认真贯彻执行。\n",
    );
    assert_eq!(
        notice.document.title,
        "国务院办公厅关于印发某某管理办法的通知"
    );
    assert_eq!(notice.document.subtitle, None);
    assert_eq!(
        structure(&notice.document),
        [
            "p 国办发〔2022〕38号",
            "p 各省、自治区、直辖市人民政府：",
            "p 现印发给你们，请认真贯彻执行。",
        ]
    );
    assert!(
        notice
            .warnings
            .iter()
            .any(|w| w.line == Some(1) && w.message.contains("taken as the document's title")),
        "{:?}",
        notice.warnings
    );
    assert!(
        !notice
            .warnings
            .iter()
            .any(|w| w.message.contains("no title"))
    );

    // A newspaper article: title and subtitle, each standing alone.
    let article = imported(
        "\n携手构建网络空间命运共同体\n\n——写在第五届世界互联网大会召开之际\n\n\
         互联网是人类的共同家园。\n\n一、总体要求\n\n正文。\n",
    );
    assert_eq!(article.document.title, "携手构建网络空间命运共同体");
    assert_eq!(
        article.document.subtitle.as_deref(),
        Some("——写在第五届世界互联网大会召开之际")
    );
    assert_eq!(
        structure(&article.document),
        ["p 互联网是人类的共同家园。", "h1 一、总体要求", "p 正文。"]
    );
    let yaml = paiban::writers::yaml::write(&article.document, "t");
    assert!(
        yaml.contains("\nsubtitle: ——写在第五届世界互联网大会召开之际\n"),
        "{yaml}"
    );

    // A title set on two lines is one title.
    let two =
        imported("国务院关于印发\n“十四五”数字经济发展规划的通知\n国发〔2021〕29号\n正文。\n");
    assert_eq!(
        two.document.title,
        "国务院关于印发“十四五”数字经济发展规划的通知"
    );
    assert_eq!(structure(&two.document), ["p 国发〔2021〕29号", "p 正文。"]);

    // The first standalone short line before any numbered heading, also after text
    // that goes on from another page (a newspaper names the document above its next part).
    let newspaper = imported(
        "（上接第十版）\n上一版接续的正文。\n\n携手构建网络空间命运共同体\n\n一、总则\n正文。\n",
    );
    assert_eq!(newspaper.document.title, "携手构建网络空间命运共同体");
    assert_eq!(
        structure(&newspaper.document),
        ["p 上一版接续的正文。", "h1 一、总则", "p 正文。"]
    );

    // No title line: a section name first, a numbered heading before any short line, or
    // a single line. The file name is the title then.
    for text in ["前言\n这是前言。\n", "一、总则\n正文。\n", "只有一行标题\n"] {
        let document = imported(text);
        assert_eq!(document.document.title, "notice", "{text}");
        assert!(
            document
                .warnings
                .iter()
                .any(|w| w.message.contains("no title")),
            "{text}"
        );
    }

    // --title wins, and the title line stays in the body.
    let given = import(
        "某某办法的通知\n各有关单位：\n",
        "n.txt",
        Some("另一个标题".into()),
    )
    .unwrap();
    assert_eq!(given.document.title, "另一个标题");
    assert_eq!(
        structure(&given.document),
        ["p 某某办法的通知", "p 各有关单位："]
    );
}

#[test]
fn a_printed_notice_with_every_defect_imports_and_builds() {
    let dir = tempfile::tempdir_in({
        let parent = project_root().join("target-tests");
        std::fs::create_dir_all(&parent).unwrap();
        parent
    })
    .unwrap();
    let text = "关于进一步加强安全生产工作的通知\r\n\
        各区人民政府，市政府各部门：\r\n\
        为切实做好安全生产工作，\u{0}现将有关事项通知如下：\r\n\
        一、总体要求\r\n\
        （1）坚持安全第一\r\n\
        （2）坚持预防为主\r\n\
        二、重点任务\r\n\
        各区要全面排查整治重大事故隐患，建立健全隐患排查治理\r\n\
        — 2 —\u{c}\r\n\
        台账，做到责任、措施、资金、时限和预案“五落实”。\r\n\
        主要指标如下：\r\n\
        区域    检查次数    整改率\r\n\
        东城区    120    98%\r\n\
        西城区    95    96%\r\n\
        某某市人民政府办公厅\r\n\
        2022年11月7日\r\n";
    let input = dir.path().join("notice.txt");
    std::fs::write(&input, text).unwrap();
    let yaml = dir.path().join("notice.yaml");
    let output = paiban(&[
        "import",
        input.to_str().unwrap(),
        "-o",
        yaml.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let written = std::fs::read_to_string(&yaml).unwrap();
    for expected in [
        "title: 关于进一步加强安全生产工作的通知\n",
        "source: — 2 —\n",
        "  - 各区人民政府，市政府各部门：\n",
        "  - 为切实做好安全生产工作，现将有关事项通知如下：\n",
        "  - （1）坚持安全第一\n",
        "  - 各区要全面排查整治重大事故隐患，建立健全隐患排查治理台账，做到责任、措施、资金、时限和预案“五落实”。\n",
        "  - \"区域    检查次数    整改率\\n东城区    120    98%\\n西城区    95    96%\"\n",
        "  - 某某市人民政府办公厅\n  - 2022年11月7日\n",
    ] {
        assert!(written.contains(expected), "{expected}\n{written}");
    }
    for warned in [
        "notice.txt:1: warning: taken as the document's title",
        "notice.txt:3:13: warning: dropped the control character U+0000 (NUL)",
        "notice.txt:5: warning: may be a list item",
        "notice.txt:9: warning: folio moved to `source`: — 2 —",
        "notice.txt:12: warning: lines 12–14 look like a table",
        "notice.txt:15: warning: lines 15–16 taken as the closing",
    ] {
        assert!(stderr.contains(warned), "{warned}\n{stderr}");
    }
    let build = paiban(&[
        "build",
        yaml.to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(
        build.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
}
