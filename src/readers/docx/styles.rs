//! Word's styles (what a paragraph is: a heading, a caption, a quotation) and numbering
//! definitions (the 一、 （一） 1. Word generates, and list labels).

use std::collections::HashMap;

use roxmltree::Node;

use super::xml::{attr, child, is_on, val};
use crate::model::{Counter, ListStyle};

/// A style as the reader needs it, with what it inherits resolved.
#[derive(Debug, Clone, Default)]
pub struct Style {
    /// The style's name, lower-cased (`heading 1`, `标题 1`, `caption`).
    pub name: String,
    pub based_on: Option<String>,
    /// 0-based outline level (0 is a level-1 heading; 9 is body text).
    pub outline_level: Option<u8>,
    /// Numbering the style gives its paragraphs: numId and level.
    pub numbering: Option<(String, u8)>,
    /// A border around the paragraphs (a framed group).
    pub framed: bool,
    pub run: RunProps,
}

/// Run formatting the reader keeps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunProps {
    pub bold: Option<bool>,
    pub italic: Option<bool>,
    pub underline: Option<bool>,
    pub strike: Option<bool>,
    pub vert: Option<Vert>,
    /// 着重号 (`w:em`): emphasis in Chinese.
    pub emphasis_mark: Option<bool>,
    /// A monospaced character style (pandoc's `Verbatim Char`, `Source Text`).
    pub code: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vert {
    Super,
    Sub,
    Baseline,
}

impl RunProps {
    /// Reads a `w:rPr`.
    pub fn read(rpr: Node) -> Self {
        let flag = |local: &str| child(rpr, local).map(is_on);
        Self {
            bold: flag("b"),
            italic: flag("i"),
            underline: child(rpr, "u").map(|u| !matches!(val(u), Some("none") | Some("0"))),
            strike: flag("strike").or(flag("dstrike")),
            vert: child(rpr, "vertAlign").map(|v| match val(v) {
                Some("superscript") => Vert::Super,
                Some("subscript") => Vert::Sub,
                _ => Vert::Baseline,
            }),
            emphasis_mark: child(rpr, "em").map(|e| val(e).is_some_and(|v| v != "none")),
            code: false,
        }
    }

    /// `self` over `base`: what `self` sets wins.
    pub fn over(self, base: Self) -> Self {
        Self {
            bold: self.bold.or(base.bold),
            italic: self.italic.or(base.italic),
            underline: self.underline.or(base.underline),
            strike: self.strike.or(base.strike),
            vert: self.vert.or(base.vert),
            emphasis_mark: self.emphasis_mark.or(base.emphasis_mark),
            code: self.code || base.code,
        }
    }
}

#[derive(Default)]
pub struct Styles {
    styles: HashMap<String, Style>,
    /// The default paragraph style's id.
    pub default_paragraph: Option<String>,
    /// The language the document's defaults set (`w:lang`, East Asian first).
    pub language: Option<String>,
}

/// Names of monospaced character styles.
const CODE_STYLES: &[&str] = &[
    "verbatim char",
    "source text",
    "html code",
    "code",
    "inline code",
    "html typewriter",
];

impl Styles {
    pub fn read(root: Node) -> Self {
        let mut styles = Styles::default();
        if let Some(defaults) = child(root, "docDefaults")
            && let Some(lang) = child(defaults, "rPrDefault")
                .and_then(|r| child(r, "rPr"))
                .and_then(|r| child(r, "lang"))
        {
            styles.language = attr(lang, "eastAsia")
                .or_else(|| val(lang))
                .map(str::to_owned);
        }
        for node in root.children().filter(|n| n.tag_name().name() == "style") {
            let Some(id) = attr(node, "styleId") else {
                continue;
            };
            let name = child(node, "name")
                .and_then(val)
                .unwrap_or(id)
                .to_lowercase();
            let ppr = child(node, "pPr");
            let mut run = child(node, "rPr").map(RunProps::read).unwrap_or_default();
            run.code = CODE_STYLES.contains(&name.as_str());
            let style = Style {
                based_on: child(node, "basedOn").and_then(val).map(str::to_owned),
                outline_level: ppr
                    .and_then(|p| child(p, "outlineLvl"))
                    .and_then(val)
                    .and_then(|v| v.parse().ok()),
                numbering: ppr.and_then(numbering_of),
                framed: ppr.and_then(|p| child(p, "pBdr")).is_some_and(has_border),
                name,
                run,
            };
            if attr(node, "type") == Some("paragraph") && attr(node, "default").is_some_and(on) {
                styles.default_paragraph = Some(id.to_owned());
            }
            styles.styles.insert(id.to_owned(), style);
        }
        // Resolve inheritance once (a chain is short; a loop is cut).
        let ids: Vec<String> = styles.styles.keys().cloned().collect();
        let mut resolved = HashMap::new();
        for id in ids {
            let mut chain = vec![id.clone()];
            while let Some(parent) = styles
                .styles
                .get(chain.last().unwrap())
                .and_then(|s| s.based_on.clone())
            {
                // A loop, a chain too long, or a parent the file does not define (pandoc
                // writes `basedOn` to styles it leaves out) ends the chain.
                if chain.contains(&parent)
                    || chain.len() > 20
                    || !styles.styles.contains_key(&parent)
                {
                    break;
                }
                chain.push(parent);
            }
            let mut style = styles.styles[&id].clone();
            for parent in &chain[1..] {
                let parent = &styles.styles[parent];
                style.outline_level = style.outline_level.or(parent.outline_level);
                style.numbering = style.numbering.clone().or(parent.numbering.clone());
                style.framed |= parent.framed;
                style.run = style.run.over(parent.run);
            }
            resolved.insert(id, style);
        }
        styles.styles = resolved;
        styles
    }

    pub fn get(&self, id: &str) -> Option<&Style> {
        self.styles.get(id)
    }
}

fn on(value: &str) -> bool {
    matches!(value, "1" | "true" | "on")
}

/// A `w:numPr` in a `w:pPr`: numId and level. numId 0 means "no numbering".
pub fn numbering_of(ppr: Node) -> Option<(String, u8)> {
    let numpr = child(ppr, "numPr")?;
    let id = child(numpr, "numId").and_then(val)?.to_owned();
    let level = child(numpr, "ilvl")
        .and_then(val)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Some((id, level))
}

/// The heading level a style's name says (`heading 2`, `标题 2`, `Überschrift 2`,
/// `見出し 2`): Word writes built-in names in English, other programs in their UI language.
pub fn heading_level_of_name(name: &str) -> Option<u8> {
    const WORDS: &[&str] = &[
        "heading",
        "标题",
        "標題",
        "見出し",
        "제목",
        "überschrift",
        "titre",
        "título",
        "titolo",
        "kop",
        "заголовок",
    ];
    let name = name.trim();
    let word = WORDS.iter().find(|w| name.starts_with(*w))?;
    let rest = name[word.len()..].trim();
    let level: u8 = rest.parse().ok()?;
    (1..=9).contains(&level).then_some(level)
}

/// One level of a numbering definition.
#[derive(Debug, Clone)]
pub struct Level {
    pub start: u32,
    /// `decimal`, `chineseCounting`, `bullet`, …
    pub format: String,
    /// `%1、`, `（%1）`, `%1.%2.`, `•`.
    pub text: String,
}

#[derive(Default)]
pub struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    /// numId → abstractNumId and its start overrides by level.
    nums: HashMap<String, (String, HashMap<u8, u32>)>,
    /// Counters: by abstract definition (lists sharing one continue each other), or by
    /// numId where it restarts the count.
    counters: HashMap<String, [u32; 9]>,
    /// Whether a counter has counted anything yet.
    started: HashMap<String, [bool; 9]>,
}

impl Numbering {
    pub fn read(root: Node) -> Self {
        let mut numbering = Numbering::default();
        for node in root.children() {
            match node.tag_name().name() {
                "abstractNum" => {
                    let Some(id) = attr(node, "abstractNumId") else {
                        continue;
                    };
                    let mut levels = vec![
                        Level {
                            start: 1,
                            format: "decimal".into(),
                            text: String::new(),
                        };
                        9
                    ];
                    for lvl in node.children().filter(|n| n.tag_name().name() == "lvl") {
                        let Some(i) = attr(lvl, "ilvl").and_then(|v| v.parse::<usize>().ok())
                        else {
                            continue;
                        };
                        if i < 9 {
                            levels[i] = Level {
                                start: child(lvl, "start")
                                    .and_then(val)
                                    .and_then(|v| v.parse().ok())
                                    .unwrap_or(1),
                                format: child(lvl, "numFmt")
                                    .and_then(val)
                                    .unwrap_or("decimal")
                                    .to_owned(),
                                text: child(lvl, "lvlText")
                                    .and_then(val)
                                    .unwrap_or_default()
                                    .to_owned(),
                            };
                        }
                    }
                    numbering.abstracts.insert(id.to_owned(), levels);
                }
                "num" => {
                    let (Some(id), Some(abstract_id)) = (
                        attr(node, "numId"),
                        child(node, "abstractNumId").and_then(val),
                    ) else {
                        continue;
                    };
                    let overrides = node
                        .children()
                        .filter(|n| n.tag_name().name() == "lvlOverride")
                        .filter_map(|o| {
                            let level = attr(o, "ilvl")?.parse().ok()?;
                            let start = child(o, "startOverride")
                                .and_then(val)
                                .and_then(|v| v.parse().ok())?;
                            Some((level, start))
                        })
                        .collect();
                    numbering
                        .nums
                        .insert(id.to_owned(), (abstract_id.to_owned(), overrides));
                }
                _ => {}
            }
        }
        numbering
    }

    /// The level definition a numbered paragraph uses.
    pub fn level(&self, num_id: &str, level: u8) -> Option<&Level> {
        let (abstract_id, _) = self.nums.get(num_id)?;
        self.abstracts.get(abstract_id)?.get(usize::from(level))
    }

    /// Counts a paragraph numbered `num_id` at `level`, and returns its number and the
    /// label Word prints for it (`（三）`, `2.1.`, `•`).
    pub fn count(&mut self, num_id: &str, level: u8) -> Option<(u32, String)> {
        let (abstract_id, overrides) = self.nums.get(num_id)?;
        let levels = self.abstracts.get(abstract_id)?.clone();
        let level = usize::from(level.min(8));
        let key = if overrides.is_empty() {
            format!("a{abstract_id}")
        } else {
            format!("n{num_id}")
        };
        let starts: Vec<u32> = (0..9)
            .map(|l| {
                overrides
                    .get(&(l as u8))
                    .copied()
                    .unwrap_or(levels[l].start)
            })
            .collect();
        let counters = self.counters.entry(key.clone()).or_insert([0; 9]);
        let started = self.started.entry(key).or_insert([false; 9]);
        counters[level] = if started[level] {
            counters[level] + 1
        } else {
            starts[level]
        };
        started[level] = true;
        // A deeper level starts again under a new item.
        for deeper in started.iter_mut().skip(level + 1) {
            *deeper = false;
        }
        let mut label = levels[level].text.clone();
        for (l, lvl) in levels.iter().enumerate().take(level + 1) {
            let value = if started[l] { counters[l] } else { starts[l] };
            label = label.replace(&format!("%{}", l + 1), &render(value, &lvl.format));
        }
        Some((counters[level], label))
    }
}

/// A number in a Word number format.
fn render(value: u32, format: &str) -> String {
    match counter_of(format) {
        Some(Counter::Arabic) | None => match format {
            "decimalFullWidth" | "decimalFullWidth2" => value
                .to_string()
                .chars()
                .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
                .collect(),
            "decimalZero" if value < 10 => format!("0{value}"),
            _ => value.to_string(),
        },
        Some(Counter::Chinese) => crate::passes::numbering::chinese_numeral(value),
        Some(Counter::Circled) => crate::passes::numbering::circled(value),
        Some(Counter::LowerLatin) => latin(value, b'a'),
        Some(Counter::UpperLatin) => latin(value, b'A'),
    }
}

fn latin(mut value: u32, base: u8) -> String {
    let mut out = Vec::new();
    while value > 0 {
        value -= 1;
        out.push(base + (value % 26) as u8);
        value /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The model's counter for a Word number format.
fn counter_of(format: &str) -> Option<Counter> {
    Some(match format {
        "decimal" | "decimalFullWidth" | "decimalFullWidth2" | "decimalHalfWidth"
        | "decimalZero" => Counter::Arabic,
        "chineseCounting"
        | "chineseCountingThousand"
        | "ideographTraditional"
        | "chineseLegalSimplified"
        | "japaneseCounting"
        | "ideographDigital"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand" => Counter::Chinese,
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => Counter::Circled,
        "lowerLetter" => Counter::LowerLatin,
        "upperLetter" => Counter::UpperLatin,
        _ => return None,
    })
}

/// The list style a numbering level prints, and whether the model carries it exactly
/// (a multi-level label such as `2.1.` or a roman numeral is carried approximately).
pub fn list_style(level: &Level, ilvl: u8) -> (ListStyle, bool) {
    if level.format == "bullet" || level.format == "none" {
        return (ListStyle::Bullet, level.format == "bullet");
    }
    let own = format!("%{}", ilvl + 1);
    let Some(at) = level.text.find(&own) else {
        return (ListStyle::Bullet, false);
    };
    let prefix = &level.text[..at];
    let suffix = &level.text[at + own.len()..];
    let counter = counter_of(&level.format);
    let exact = counter.is_some() && !prefix.contains('%') && !suffix.contains('%');
    (
        ListStyle::Numbered {
            prefix: if prefix.contains('%') {
                String::new()
            } else {
                prefix.to_owned()
            },
            counter: counter.unwrap_or(Counter::Arabic),
            suffix: if suffix.contains('%') {
                ".".to_owned()
            } else {
                suffix.to_owned()
            },
        },
        exact,
    )
}

/// Whether a `w:pBdr` draws a line: Word writes `nil` or `none` sides to take one away.
pub fn has_border(pbdr: Node) -> bool {
    pbdr.children()
        .filter(|n| n.is_element())
        .any(|side| !matches!(val(side), Some("nil" | "none") | None))
}

#[cfg(test)]
mod based_on_tests {
    use super::*;

    #[test]
    fn a_style_based_on_a_style_the_file_leaves_out_still_reads() {
        // pandoc's reference styles name parents that are not in the file.
        let xml = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
            <w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>
              <w:basedOn w:val="Missing"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
          </w:styles>"#;
        let document = roxmltree::Document::parse(xml).unwrap();
        let styles = Styles::read(document.root_element());
        assert_eq!(
            styles.get("Heading1").and_then(|s| s.outline_level),
            Some(0)
        );
    }
}
