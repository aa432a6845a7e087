//! Readers turn other inputs into the document model: plain text, Word (.docx) and
//! Markdown. What they share lives here: the result, the images a manuscript carries, and
//! the conventions of Chinese manuscripts (heading numbers, 专栏 titles, 图/表 captions).

pub mod docx;
pub mod markdown;
pub mod plaintext;

use crate::diag::Diagnostic;
use crate::model::{Block, DEFAULT_LAYOUT, Document, Inline, LanguageTag, Run, Text};

/// A document read from another format, what the reader guessed or dropped, and the
/// images to write beside the content file.
pub struct Imported {
    pub document: Document,
    pub warnings: Vec<Diagnostic>,
    pub images: Vec<Image>,
}

/// An image of the manuscript, to be written at `path` (relative to the content file,
/// which names it so in its figure).
#[derive(Debug, Clone)]
pub struct Image {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What every reader takes besides its input.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The title to use whatever the input says.
    pub title: Option<String>,
    /// The folder, relative to the content file, that the manuscript's images go to.
    pub image_folder: String,
}

/// A document in the default layout and language, with nothing but a title and a body.
pub fn new_document(title: String, body: Vec<Block>) -> Document {
    Document {
        title,
        short_title: None,
        subtitle: None,
        authors: Vec::new(),
        date: None,
        lang: LanguageTag::default(),
        source: None,
        identifier: None,
        cover: None,
        layout: DEFAULT_LAYOUT.to_owned(),
        layout_from_content: false,
        paper: None,
        size: None,
        toc_depth: None,
        colophon: None,
        gongwen: None,
        markup: false,
        writing: Default::default(),
        parts: Vec::new(),
        body,
        warnings: Vec::new(),
        numbering: Default::default(),
    }
}

/// The first characters of a text, to say in a warning which paragraph is meant.
pub(crate) fn excerpt(text: &str) -> String {
    const CHARS: usize = 12;
    let text: String = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let text = text.trim();
    let mut out: String = text.chars().take(CHARS).collect();
    if text.chars().count() > CHARS {
        out.push('…');
    }
    out
}

/// A heading number written before a heading's text (`一、` `（一）` `1.` `（1）` `①`), as
/// the level its pattern stands for, the number, and the text after it.
pub(crate) fn heading_number(text: &str) -> Option<(u8, u32, &str)> {
    plaintext::numbered(text.trim_start()).filter(|(_, _, rest)| !rest.trim().is_empty())
}

/// `专栏4 title` (also `专栏４：title`): the panel's number and title (possibly empty).
pub(crate) fn panel_title(text: &str) -> Option<(u32, &str)> {
    let rest = text.trim().strip_prefix("专栏")?;
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || ('０'..='９').contains(&c)))
        .unwrap_or(rest.len());
    let digits: String = rest[..end]
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            c => c,
        })
        .collect();
    let number = digits.parse().ok().filter(|&n| n >= 1)?;
    let title = rest[end..].trim_start_matches([' ', '\u{3000}', '\t', '：', ':', '　']);
    Some((number, title.trim()))
}

/// Panels and datelines a manuscript gives away only by their words, as a converter
/// (pandoc writing an EPUB's `<aside>` to Word, say) leaves them: a paragraph reading
/// `专栏N title` followed by a paragraph, list or table is a panel holding that block, and a
/// paragraph reading `（新华社北京11月7日电）` is a dateline. The panel's extent is a guess,
/// so each is reported to `warn` with the paragraph's text (the message names the
/// paragraph by its first characters; a reader may place it too).
pub(crate) fn loose_panels_and_datelines(
    blocks: Vec<Block>,
    warn: &mut dyn FnMut(&str, String),
) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    let mut iter = blocks.into_iter().peekable();
    while let Some(block) = iter.next() {
        let Block::Paragraph(mut text) = block else {
            out.push(block);
            continue;
        };
        let plain = text.to_plain();
        if plaintext::is_dateline(plain.trim()) && text.notes().is_empty() {
            trim_text(&mut text);
            out.push(Block::Dateline(text));
            continue;
        }
        let title = panel_title(&plain).filter(|(_, title)| {
            !plain.contains('\n')
                && title.chars().count() <= 40
                && !title.ends_with(['。', '！', '？', '；', '.', '!', '?', ';', '，', ','])
        });
        let follows = matches!(
            iter.peek(),
            Some(Block::Paragraph(_) | Block::List(_) | Block::Table(_))
        );
        let (Some((number, title)), true) = (title, follows) else {
            out.push(Block::Paragraph(text));
            continue;
        };
        // The label is the layout's to print: what follows it is the title, formatting kept.
        let offset = (title.as_ptr() as usize)
            .saturating_sub(plain.as_ptr() as usize)
            .min(plain.len());
        let label = plain[..offset].chars().count();
        drop_leading_chars(&mut text, label);
        trim_text(&mut text);
        let content = iter.next().expect("peeked");
        warn(
            &plain,
            format!(
                "“{}”: a 专栏 title outside any box: taken as panel {number} holding the block \
             after it; move any further paragraphs of the panel into its body",
                excerpt(&plain)
            ),
        );
        out.push(Block::Sidebar(crate::model::Sidebar {
            title: text,
            number: Some(number),
            body: vec![content],
            resolved: 0,
        }));
    }
    out
}

/// A date as a manuscript writes it: `2022-11-07` or `2022年11月7日`.
pub(crate) fn manuscript_date(text: &str) -> Option<crate::model::Date> {
    let text = text.trim();
    if let Some(date) = crate::model::Date::parse(text) {
        return Some(date);
    }
    let (year, rest) = text.split_once('年')?;
    let (month, rest) = rest.split_once('月')?;
    let day = rest.strip_suffix('日')?;
    crate::model::Date::new(
        year.trim().parse().ok()?,
        month.trim().parse().ok()?,
        day.trim().parse().ok()?,
    )
}

/// What a caption labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaptionKind {
    Figure,
    Table,
}

/// A caption as manuscripts type it: `图 1 三年数据对比`, `表2-1：各地数据`, `Figure 3.
/// Title`. The kind and the number of characters the label takes (with the space after),
/// which paiban prints itself.
pub(crate) fn caption_label(text: &str) -> Option<(CaptionKind, usize)> {
    let trimmed = text.trim_start();
    let lead = text.chars().count() - trimmed.chars().count();
    let (kind, word) = [
        (CaptionKind::Figure, "图"),
        (CaptionKind::Table, "表"),
        (CaptionKind::Figure, "Figure"),
        (CaptionKind::Table, "Table"),
    ]
    .into_iter()
    .find(|(_, word)| trimmed.starts_with(word))?;
    let rest = &trimmed[word.len()..];
    let spaces = |s: &str| {
        s.chars()
            .take_while(|c| [' ', '\u{3000}', '\t', '\u{a0}'].contains(c))
            .count()
    };
    let after_word = spaces(rest);
    let rest: String = rest.chars().skip(after_word).collect();
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let mut number = rest.chars().take_while(|&c| digit(c)).count();
    if number == 0 {
        return None;
    }
    // 2-1, 2.1
    let mut chars = rest.chars().skip(number);
    if let (Some('-' | '.' | '－' | '．'), Some(c)) = (chars.next(), chars.next())
        && digit(c)
    {
        number += 1 + rest
            .chars()
            .skip(number + 1)
            .take_while(|&c| digit(c))
            .count();
    }
    let after: String = rest.chars().skip(number).collect();
    let separator = after
        .chars()
        .take_while(|c| [' ', '\u{3000}', '\t', '\u{a0}', '：', ':', '.', '．'].contains(c))
        .count();
    // `图1` alone, or `图1所示` inside a sentence, is no caption.
    let title: String = after.chars().skip(separator).collect();
    if title.trim().is_empty() || (separator == 0 && word.is_ascii()) {
        return None;
    }
    if separator == 0 && !title.starts_with(|c: char| !c.is_ascii_punctuation()) {
        return None;
    }
    let sentence = title.contains(['。', '，']) || title.chars().count() > 60;
    if sentence || (separator == 0 && title.starts_with(['所', '中', '是', '为', '和', '的']))
    {
        return None;
    }
    Some((
        kind,
        lead + word.chars().count() + after_word + number + separator,
    ))
}

/// Drops the first `n` characters of `text` (a label the layout prints itself), and the
/// inlines they empty.
pub(crate) fn drop_leading_chars(text: &mut Text, mut n: usize) {
    let mut keep = Vec::new();
    for inline in std::mem::take(&mut text.0) {
        if n == 0 {
            keep.push(inline);
            continue;
        }
        match inline {
            Inline::Text(run) => {
                let count = run.text.chars().count();
                if count <= n {
                    n -= count;
                } else {
                    let rest: String = run.text.chars().skip(n).collect();
                    n = 0;
                    keep.push(Inline::Text(Run::new(rest, run.origin)));
                }
            }
            Inline::Strong(inner) => drop_from_formatted(inner, Inline::Strong, &mut n, &mut keep),
            Inline::Emphasis(inner) => {
                drop_from_formatted(inner, Inline::Emphasis, &mut n, &mut keep)
            }
            Inline::Underline(inner) => {
                drop_from_formatted(inner, Inline::Underline, &mut n, &mut keep)
            }
            Inline::Strike(inner) => drop_from_formatted(inner, Inline::Strike, &mut n, &mut keep),
            other => {
                n = 0;
                keep.push(other);
            }
        }
    }
    text.0 = keep;
}

/// Drops the first `n` characters of a formatted run (`wrap` makes it again): all of it
/// if it has no more, else the rest keeps its formatting.
fn drop_from_formatted(
    inner: Vec<Inline>,
    wrap: fn(Vec<Inline>) -> Inline,
    n: &mut usize,
    keep: &mut Vec<Inline>,
) {
    let mut text = Text(inner);
    let count = text.to_plain().chars().count();
    if *n >= count {
        *n -= count;
        return;
    }
    drop_leading_chars(&mut text, *n);
    *n = 0;
    keep.push(wrap(text.0));
}

/// Whitespace at the start and end of a paragraph (the full-width indent typed by hand, a
/// space before the paragraph mark) is layout, not text.
pub(crate) fn trim_text(text: &mut Text) {
    const SPACE: &[char] = &[' ', '\u{3000}', '\t', '\u{a0}'];
    while let Some(Inline::Text(run)) = text.0.first_mut() {
        let trimmed = run.text.trim_start_matches(SPACE).trim_start_matches('\n');
        if trimmed.is_empty() {
            text.0.remove(0);
        } else {
            run.text = trimmed.to_owned();
            break;
        }
    }
    while let Some(Inline::Text(run)) = text.0.last_mut() {
        let trimmed = run.text.trim_end_matches(SPACE).trim_end_matches('\n');
        if trimmed.is_empty() {
            text.0.pop();
        } else {
            run.text = trimmed.to_owned();
            break;
        }
    }
}

/// Appends literal text, joined to the run before it.
pub(crate) fn push_text(inlines: &mut Vec<Inline>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Inline::Text(run)) = inlines.last_mut() {
        run.text.push_str(text);
    } else {
        inlines.push(Inline::Text(Run::new(text, Default::default())));
    }
}

/// The image formats paiban prints, by their first bytes; `None` for any other.
pub(crate) fn image_format(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG") {
        Some("png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else if bytes.starts_with(b"GIF8") {
        Some("gif")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]);
        (head.contains("<svg") || head.trim_start().starts_with("<?xml") && head.contains("svg"))
            .then_some("svg")
    }
}

/// A file name for an image in the image folder, unique among `taken` (`image1.png`,
/// then `image1-2.png`), of ASCII letters, digits, `-`, `_` and `.` only.
pub(crate) fn image_name(wanted: &str, taken: &[Image]) -> String {
    let base = wanted.rsplit(['/', '\\']).next().unwrap_or(wanted);
    let clean: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let clean = if clean.trim_matches(['.', '_']).is_empty() {
        "image".to_owned()
    } else {
        clean
    };
    let (stem, ext) = match clean.rfind('.') {
        Some(dot) if dot > 0 => (&clean[..dot], &clean[dot..]),
        _ => (clean.as_str(), ""),
    };
    let used = |name: &str| {
        taken
            .iter()
            .any(|i| i.path.rsplit('/').next() == Some(name))
    };
    let mut name = clean.clone();
    let mut n = 2;
    while used(&name) {
        name = format!("{stem}-{n}{ext}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_and_panel_titles() {
        assert_eq!(
            caption_label("图 1 三年数据对比"),
            Some((CaptionKind::Figure, 4))
        );
        assert_eq!(
            caption_label("表2-1：各地数据"),
            Some((CaptionKind::Table, 5))
        );
        assert_eq!(caption_label("图1所示的数据"), None);
        assert_eq!(caption_label("图1"), None);
        assert_eq!(caption_label("表明，数据增长。"), None);
        assert_eq!(
            caption_label("Figure 3. Growth"),
            Some((CaptionKind::Figure, 10))
        );
        assert_eq!(panel_title("专栏3 数字经济"), Some((3, "数字经济")));
        assert_eq!(panel_title("专栏１２：标题"), Some((12, "标题")));
        assert_eq!(panel_title("专栏4"), Some((4, "")));
        assert_eq!(panel_title("专栏文章"), None);
    }
}
