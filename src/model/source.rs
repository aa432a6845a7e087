//! Where each rendered text of a content file sits in its YAML source, character by
//! character: for locating findings (`file:line:col`) and for rewriting them in place.
//!
//! serde_yaml gives positions only for errors, so the file is read a second time with an
//! event parser that reports each scalar's span (saphyr-parser). Each decoded character
//! is then aligned with the source characters that produced it, escapes and line folding
//! included. Callers compare the values with the loaded [`Document`](super::Document)
//! before trusting a position, so a disagreement between the two parsers is caught.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// One step from the root of a content file to a value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

/// Where a rendered text lives in the content, such as `body[3].heading`: in which file
/// of the document (0 for the content file itself, then its included files in the order
/// [`Document::parts`](super::Document::parts) lists them), and where in that file.
/// A lone `author` string counts as `author[0]`, as the model makes it a list of one.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextPath {
    pub file: u32,
    pub segments: Vec<PathSegment>,
}

impl TextPath {
    /// The root of file `file` of the document.
    pub fn in_file(file: u32) -> Self {
        Self {
            file,
            segments: Vec::new(),
        }
    }

    pub fn key(&self, key: &str) -> Self {
        let mut path = self.clone();
        path.segments.push(PathSegment::Key(key.to_owned()));
        path
    }

    pub fn index(&self, index: usize) -> Self {
        let mut path = self.clone();
        path.segments.push(PathSegment::Index(index));
        path
    }
}

impl fmt::Display for TextPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                PathSegment::Key(key) if i == 0 => write!(f, "{key}")?,
                PathSegment::Key(key) => write!(f, ".{key}")?,
                PathSegment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// A rendered text as the YAML source holds it.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub path: TextPath,
    /// The decoded value.
    pub value: String,
    /// Byte offset of the scalar (its opening quote, if quoted) in the file.
    pub start: usize,
    /// The scalar's text as written (inside its quotes) and its byte offset in the file,
    /// if it could be delimited.
    written: Option<(usize, String)>,
    style: ScalarStyle,
    /// A block scalar's indentation, which is not content.
    indent: Option<usize>,
    /// For each character of `value`, the bytes of the file that produced it; `None` if the
    /// alignment failed, in which case only `start` is known. Worked out when first asked
    /// for: most texts of a file are never located.
    spans: OnceCell<Option<Vec<Range<usize>>>>,
    /// Byte offset of a `#` comment right after an unquoted text on its last line: in
    /// `- 第 #1 号` YAML ends the text at `第`, which is rarely what the author meant.
    pub comment_after: Option<usize>,
}

impl SourceText {
    fn spans(&self) -> Option<&Vec<Range<usize>>> {
        self.spans
            .get_or_init(|| {
                let (offset, written) = self.written.as_ref()?;
                let spans = align(&self.value, written, self.style, self.indent)?;
                Some(
                    spans
                        .into_iter()
                        .map(|r| r.start + offset..r.end + offset)
                        .collect(),
                )
            })
            .as_ref()
    }

    /// The byte offset where character `index` of the value was written, or the scalar's
    /// start when that is not known.
    pub fn offset_of(&self, index: usize) -> usize {
        self.spans()
            .and_then(|spans| spans.get(index))
            .map_or(self.start, |span| span.start)
    }

    /// The bytes of the file that produced characters `chars` of the value, if known.
    pub fn byte_range(&self, chars: Range<usize>) -> Option<Range<usize>> {
        let spans = self.spans()?;
        let first = spans.get(chars.start)?;
        let last = spans.get(chars.end.checked_sub(1)?)?;
        Some(first.start..last.end.max(first.start))
    }
}

/// The rendered texts of one content file, with their places.
#[derive(Debug, Clone)]
pub struct SourceMap {
    pub texts: Vec<SourceText>,
    /// Byte offset of the `layout` value, if the file names one.
    pub layout_at: Option<usize>,
    /// By the path inside the file: a map knows one file, whichever its number.
    by_path: HashMap<Vec<PathSegment>, usize>,
    line_starts: Vec<usize>,
    text: String,
}

impl SourceMap {
    /// Parses `text` (a content file that the loader accepted). `Err` holds the parser's
    /// message if it refuses the file.
    pub fn parse(text: &str) -> Result<Self, String> {
        let char_offsets: Vec<usize> = text
            .char_indices()
            .map(|(offset, _)| offset)
            .chain(std::iter::once(text.len()))
            .collect();
        let mut events = Vec::new();
        for event in Parser::new_from_str(text) {
            let (event, span) = event.map_err(|e| e.to_string())?;
            events.push((event, span));
        }
        let mut reader = EventReader {
            events: events.into_iter().peekable(),
            anchors: HashMap::new(),
        };
        let root = reader.document().unwrap_or(Node::Other);
        let mut texts = Vec::new();
        let layout_at = collect_rendered(&root, text, &char_offsets, &mut texts);
        // YAML breaks lines at LF, CRLF and a lone CR.
        let bytes = text.as_bytes();
        let line_starts = std::iter::once(0)
            .chain((0..bytes.len()).filter_map(|i| match bytes[i] {
                b'\n' => Some(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => Some(i + 1),
                _ => None,
            }))
            .collect();
        let by_path = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (t.path.segments.clone(), i))
            .collect();
        Ok(Self {
            texts,
            layout_at,
            by_path,
            line_starts,
            text: text.to_owned(),
        })
    }

    pub fn get(&self, path: &TextPath) -> Option<&SourceText> {
        self.by_path.get(&path.segments).map(|&i| &self.texts[i])
    }

    /// The line and column of character `index` of the scalar at `path`, if known.
    pub fn locate(&self, path: &TextPath, index: usize) -> Option<(usize, usize)> {
        let source = self.get(path)?;
        Some(self.line_column(source.offset_of(index)))
    }

    /// 1-based line and column (in characters, a BOM not counted) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        let counted = self.text.get(line_start..offset).unwrap_or_default();
        let counted = counted.strip_prefix('\u{feff}').unwrap_or(counted);
        (line, counted.chars().count() + 1)
    }
}

/// The YAML tree, reduced to what locating needs.
#[derive(Clone)]
enum Node {
    Scalar {
        value: String,
        style: ScalarStyle,
        span: Span,
    },
    Sequence(Vec<Node>),
    Mapping(Vec<(Node, Node)>),
    Other,
}

struct EventReader<'a, I: Iterator<Item = (Event<'a>, Span)>> {
    events: std::iter::Peekable<I>,
    /// Anchored nodes by anchor id: an alias (`*p1`) stands for the text where its anchor
    /// (`&p1`) is written, which is where a finding in it is located and fixed.
    anchors: HashMap<usize, Node>,
}

impl<'a, I: Iterator<Item = (Event<'a>, Span)>> EventReader<'a, I> {
    /// The first document's root node.
    fn document(&mut self) -> Option<Node> {
        loop {
            match self.events.next()?.0 {
                Event::DocumentStart(_) => return self.node(),
                Event::StreamEnd => return None,
                _ => {}
            }
        }
    }

    fn node(&mut self) -> Option<Node> {
        let (event, span) = self.events.next()?;
        let anchor = match &event {
            Event::Scalar(_, _, anchor, _)
            | Event::SequenceStart(anchor, _)
            | Event::MappingStart(anchor, _) => *anchor,
            _ => 0,
        };
        let node = match event {
            Event::Scalar(value, style, ..) => Node::Scalar {
                value: value.into_owned(),
                style,
                span,
            },
            Event::Alias(id) => self.anchors.get(&id).cloned().unwrap_or(Node::Other),
            Event::SequenceStart(..) => {
                let mut items = Vec::new();
                while !matches!(self.events.peek(), Some((Event::SequenceEnd, _)) | None) {
                    items.push(self.node()?);
                }
                self.events.next();
                Node::Sequence(items)
            }
            Event::MappingStart(..) => {
                let mut entries = Vec::new();
                while !matches!(self.events.peek(), Some((Event::MappingEnd, _)) | None) {
                    let key = self.node()?;
                    let value = self.node()?;
                    entries.push((key, value));
                }
                self.events.next();
                Node::Mapping(entries)
            }
            _ => Node::Other,
        };
        // Anchor ids count from 1; 0 is none.
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        Some(node)
    }
}

fn key_of(node: &Node) -> Option<&str> {
    match node {
        Node::Scalar { value, .. } => Some(value),
        _ => None,
    }
}

/// Every scalar of the file, by its path (keys of maps and indices of lists from the
/// root), whatever the content format makes of it: the loader records the same paths in
/// the model, so the two meet without this module knowing the format's shape. A lone
/// `author` string counts as `author[0]`, as the model makes it a list of one.
/// Returns where the `layout` value starts, for locating an unknown layout.
fn collect_rendered(
    root: &Node,
    text: &str,
    char_offsets: &[usize],
    out: &mut Vec<SourceText>,
) -> Option<usize> {
    let mut layout_at = None;
    if let Node::Mapping(entries) = root {
        for (key, value) in entries {
            let path = TextPath::default();
            match (key_of(key), value) {
                (Some("author"), Node::Scalar { .. }) => {
                    push_scalar(value, path.key("author").index(0), text, char_offsets, out);
                }
                (Some("layout"), Node::Scalar { span, .. }) => {
                    layout_at = char_offsets.get(span.start.index()).copied();
                }
                (Some(name), value) => collect(value, path.key(name), text, char_offsets, out),
                (None, _) => {}
            }
        }
    }
    // An included file may be a list of blocks alone.
    if let Node::Sequence(_) = root {
        collect(root, TextPath::default(), text, char_offsets, out);
    }
    layout_at
}

fn collect(
    node: &Node,
    path: TextPath,
    text: &str,
    char_offsets: &[usize],
    out: &mut Vec<SourceText>,
) {
    match node {
        Node::Scalar { .. } => push_scalar(node, path, text, char_offsets, out),
        Node::Sequence(items) => {
            for (i, item) in items.iter().enumerate() {
                collect(item, path.index(i), text, char_offsets, out);
            }
        }
        Node::Mapping(entries) => {
            for (key, value) in entries {
                if let Some(name) = key_of(key) {
                    collect(value, path.key(name), text, char_offsets, out);
                }
            }
        }
        Node::Other => {}
    }
}

fn push_scalar(
    node: &Node,
    path: TextPath,
    text: &str,
    char_offsets: &[usize],
    out: &mut Vec<SourceText>,
) {
    let Node::Scalar { value, style, span } = node else {
        return;
    };
    let byte = |index: usize| char_offsets.get(index).copied().unwrap_or(text.len());
    // The span starts at the node's properties (`&anchor`, `!!tag`), if it has any.
    let start = skip_properties(text, byte(span.start.index()));
    // The parser's end mark of a quoted scalar can run past the closing quote (over a
    // trailing comment), so the quotes are matched here.
    let body = match style {
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => text
            .get(start + 1..)
            .and_then(|rest| quoted_len(rest, *style).map(|len| start + 1..start + 1 + len)),
        _ => Some(start..byte(span.end.index())),
    };
    // A block scalar's lines are indented as far as its first line (saphyr's span starts
    // after that indentation); the alignment skips that much at every line start.
    let indent = match style {
        ScalarStyle::Literal | ScalarStyle::Folded => Some(span.start.col()),
        _ => None,
    };
    let written = body.and_then(|body| Some((body.start, text.get(body)?.to_owned())));
    let comment_after = match style {
        ScalarStyle::Plain => comment_after(text, byte(span.end.index())),
        _ => None,
    };
    out.push(SourceText {
        path,
        value: value.clone(),
        start,
        written,
        style: *style,
        indent,
        spans: OnceCell::new(),
        comment_after,
    });
}

/// The offset of the `#` if a comment follows `end` on the same line (YAML needs white
/// space before it).
fn comment_after(text: &str, end: usize) -> Option<usize> {
    let rest = text.get(end..)?;
    let gap = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    (gap > 0 && rest[gap..].starts_with('#')).then_some(end + gap)
}

/// The offset after any `&anchor` and `!tag` properties (and the space after them) at `start`.
fn skip_properties(text: &str, mut start: usize) -> usize {
    while let Some(rest) = text.get(start..)
        && (rest.starts_with('&') || rest.starts_with('!'))
    {
        let token = rest.find(is_yaml_white).unwrap_or(rest.len());
        let after = &rest[token..];
        start += token + (after.len() - after.trim_start_matches(is_yaml_white).len());
    }
    start
}

/// The length in bytes of a quoted scalar's text up to its closing quote.
fn quoted_len(rest: &str, style: ScalarStyle) -> Option<usize> {
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match (style, c) {
            (ScalarStyle::DoubleQuoted, '\\') => {
                chars.next();
            }
            (ScalarStyle::DoubleQuoted, '"') => return Some(i),
            (ScalarStyle::SingleQuoted, '\'') => {
                if chars.peek().is_some_and(|&(_, next)| next == '\'') {
                    chars.next();
                } else {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn is_yaml_white(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// For each character of `value`, the byte range of `raw` (the scalar's text inside its
/// quotes) that produced it. Characters that folding or indentation removed are skipped;
/// a character that folding produced (a line break read as a space) gets the whole run of
/// white space it replaced. `None` if the two cannot be matched up.
fn align(
    value: &str,
    raw: &str,
    style: ScalarStyle,
    indent: Option<usize>,
) -> Option<Vec<Range<usize>>> {
    let decoded: Vec<char> = value.chars().collect();
    let mut spans = Vec::with_capacity(decoded.len());
    let mut at = 0;
    for (i, &wanted) in decoded.iter().enumerate() {
        let next_is_white = decoded.get(i + 1).is_none_or(|&c| is_yaml_white(c));
        loop {
            // At a block scalar's line start, the indentation is not content.
            if let Some(indent) = indent
                && at > 0
                && matches!(raw.as_bytes()[at - 1], b'\n' | b'\r')
            {
                at += raw[at..]
                    .bytes()
                    .take(indent)
                    .take_while(|&b| b == b' ')
                    .count();
            }
            let Some(found) = raw[at..].chars().next() else {
                if is_yaml_white(wanted) {
                    spans.push(at..at);
                    break;
                }
                return None;
            };
            if style == ScalarStyle::DoubleQuoted && found == '\\' {
                let (escaped, len) = escape_at(&raw[at..])?;
                match escaped {
                    Some(c) if c == wanted => {
                        spans.push(at..at + len);
                        at += len;
                        break;
                    }
                    // An escaped line break joins the lines and drops the next one's indent.
                    None => {
                        at += len;
                        at += raw[at..]
                            .chars()
                            .take_while(|&c| c == ' ' || c == '\t')
                            .count();
                        continue;
                    }
                    Some(_) if is_yaml_white(wanted) => {
                        spans.push(at..at);
                        break;
                    }
                    Some(_) => return None,
                }
            }
            // A CRLF line break reads as one line feed.
            if wanted == '\n' && raw[at..].starts_with("\r\n") {
                let mut end = at + 2;
                if !next_is_white {
                    end += white_run(&raw[end..]);
                }
                spans.push(at..end);
                at = end;
                break;
            }
            if found == wanted {
                let mut end = at + found.len_utf8();
                if style == ScalarStyle::SingleQuoted && found == '\'' {
                    if !raw[end..].starts_with('\'') {
                        return None;
                    }
                    end += 1;
                }
                // White space before a fold collapses into this one character.
                if is_yaml_white(found) && !next_is_white {
                    end += white_run(&raw[end..]);
                }
                spans.push(at..end);
                at = end;
                break;
            }
            if is_yaml_white(found) {
                if is_yaml_white(wanted) {
                    // A line break folded into a space (or a space from indentation).
                    let end = at + white_run(&raw[at..]);
                    spans.push(at..end);
                    at = end;
                    break;
                }
                at += found.len_utf8();
                continue;
            }
            return None;
        }
    }
    // Only white space (and, for a plain scalar, a comment) may follow the text.
    let rest = raw[at..].trim_start_matches(is_yaml_white);
    (rest.is_empty() || rest.starts_with('#')).then_some(spans)
}

fn white_run(text: &str) -> usize {
    text.chars()
        .take_while(|&c| is_yaml_white(c))
        .map(char::len_utf8)
        .sum()
}

/// The character a double-quoted escape at the start of `text` stands for (`None` for an
/// escaped line break) and the escape's length in bytes.
fn escape_at(text: &str) -> Option<(Option<char>, usize)> {
    let mut chars = text.chars();
    chars.next(); // the backslash
    let code = chars.next()?;
    let simple = match code {
        '0' => Some('\0'),
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        't' | '\t' => Some('\t'),
        'n' => Some('\n'),
        'v' => Some('\u{b}'),
        'f' => Some('\u{c}'),
        'r' => Some('\r'),
        'e' => Some('\u{1b}'),
        ' ' => Some(' '),
        '"' => Some('"'),
        '/' => Some('/'),
        '\\' => Some('\\'),
        'N' => Some('\u{85}'),
        '_' => Some('\u{a0}'),
        'L' => Some('\u{2028}'),
        'P' => Some('\u{2029}'),
        _ => None,
    };
    if let Some(c) = simple {
        return Some((Some(c), 1 + code.len_utf8()));
    }
    if code == '\n' {
        return Some((None, 2));
    }
    if code == '\r' {
        let len = if text[2..].starts_with('\n') { 3 } else { 2 };
        return Some((None, len));
    }
    let digits = match code {
        'x' => 2,
        'u' => 4,
        'U' => 8,
        _ => return None,
    };
    let hex = text.get(2..2 + digits)?;
    let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
    Some((Some(c), 2 + digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn located(yaml: &str, path: &str) -> SourceText {
        let map = SourceMap::parse(yaml).unwrap();
        map.texts
            .into_iter()
            .find(|t| t.path.to_string() == path)
            .unwrap_or_else(|| panic!("no text at {path}"))
    }

    /// The source bytes behind each character must read back as that character.
    #[track_caller]
    fn assert_every_char_located(yaml: &str, path: &str) {
        let text = located(yaml, path);
        let spans = text.spans().expect("aligned");
        assert_eq!(spans.len(), text.value.chars().count());
        for (span, c) in spans.iter().zip(text.value.chars()) {
            let raw = &yaml[span.clone()];
            if !is_yaml_white(c) {
                assert!(
                    raw.starts_with(c) || raw.starts_with('\\') || raw == "''",
                    "{c:?} located at {raw:?}"
                );
            }
        }
    }

    #[test]
    fn every_style_is_aligned() {
        let yaml = concat!(
            "title: \"中文\\\"x\\u4E2D\\\n  next\"\n",
            "subtitle: 'it''s 中文'\n",
            "author: 某人\n",
            "body:\n",
            "  - 中国,美国 plain\n    folded line\n",
            "  - |\n    literal 中\n      more\n",
            "  - >-\n    folded 中\n    next\n",
            "  - {heading: 标题, level: 1}\n",
            "  - sidebar: 栏\n    body:\n      - 段落\n",
        );
        for path in [
            "title",
            "subtitle",
            "author[0]",
            "body[0]",
            "body[1]",
            "body[2]",
            "body[3].heading",
            "body[4].sidebar",
            "body[4].body[0]",
        ] {
            assert_every_char_located(yaml, path);
        }
        assert_every_char_located(&yaml.replace('\n', "\r\n"), "body[1]");
        let map = SourceMap::parse(yaml).unwrap();
        let title = located(yaml, "title");
        assert_eq!(title.value, "中文\"x中next");
        // `\u4E2D` is the 5th character and starts at line 1, column 14.
        assert_eq!(map.line_column(title.offset_of(4)), (1, 14));
        assert_eq!(&yaml[title.byte_range(4..5).unwrap()], "\\u4E2D");
        let folded = located(yaml, "body[0]");
        // The folded line break is the space between `plain` and `folded`.
        let space = folded.value.find(" folded").unwrap();
        let space = folded.value[..space].chars().count();
        assert_eq!(
            &yaml[folded.byte_range(space..space + 1).unwrap()],
            "\n    "
        );
    }

    #[test]
    fn properties_indentation_and_line_breaks() {
        let yaml = "title: &t 中国,美国\nbody:\n  - !!str 你好,世界\n  - &p \"引号,锚点\"\n  - |\n    第一行\n      (注)中文\n";
        let map = SourceMap::parse(yaml).unwrap();
        let comma = |path: &str| {
            let text = located(yaml, path);
            let index = text
                .value
                .chars()
                .position(|c| c == ',' || c == '(')
                .unwrap();
            map.line_column(text.offset_of(index))
        };
        assert_eq!(comma("title"), (1, 13));
        assert_eq!(comma("body[0]"), (3, 13));
        assert_eq!(comma("body[1]"), (4, 11));
        assert_eq!(comma("body[2]"), (7, 7));
        assert_every_char_located(yaml, "body[2]");

        let cr_only = "title: 测试\rbody:\r  - 你好,世界\r";
        let map = SourceMap::parse(cr_only).unwrap();
        let text = map.get(&TextPath::default().key("body").index(0)).unwrap();
        assert_eq!(map.line_column(text.offset_of(2)), (3, 7));

        let bom = "\u{feff}title: 中国,美国\nbody: [x]\n";
        let map = SourceMap::parse(bom).unwrap();
        let text = map.get(&TextPath::default().key("title")).unwrap();
        assert_eq!(map.line_column(text.offset_of(2)), (1, 10));
    }

    #[test]
    fn a_comment_after_an_unquoted_text_is_found() {
        let at = |yaml: &str| located(yaml, "body[0]").comment_after;
        assert_eq!(at("title: t\nbody:\n  - 第 #1\n"), Some(23));
        assert_eq!(at("title: t\nbody:\n  - 第\t  #1\n"), Some(25));
        assert_eq!(
            at("title: t\nbody:\n  - 第#1\n"),
            None,
            "no space: not a comment"
        );
        assert_eq!(at("title: t\nbody:\n  - '第' #1\n"), None, "quoted");
        assert_eq!(at("title: t\nbody:\n  - 第\n  # 下一行的注释\n"), None);
    }

    #[test]
    fn every_scalar_is_listed_by_its_path() {
        let yaml = "title: T\ndate: 2022-11-07\nsource: S\nbody:\n  - {heading: H, level: 1, number: 3}\n  - [a, {strong: b}]\n";
        let map = SourceMap::parse(yaml).unwrap();
        let paths: Vec<String> = map.texts.iter().map(|t| t.path.to_string()).collect();
        assert_eq!(
            paths,
            [
                "title",
                "date",
                "source",
                "body[0].heading",
                "body[0].level",
                "body[0].number",
                "body[1][0]",
                "body[1][1].strong"
            ]
        );
    }
}
