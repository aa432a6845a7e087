//! Markdown manuscripts: CommonMark with GFM tables, footnotes and strikethrough, and a
//! YAML front matter block, read with pulldown-cmark into the document model.
//!
//! What Markdown has and the model lacks is kept as text and named in a warning with its
//! line and column (raw HTML, links to files), so that every character of
//! the manuscript is in the YAML or in a warning. Chinese conventions apply as in the
//! other readers: `一、` at the start of a heading is its number, a `专栏N` block is a
//! panel, `图 1 …` under an image is its caption.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{
    Alignment, CodeBlockKind, Event, HeadingLevel, MetadataBlockKind, Options as Extensions,
    Parser, Tag, TagEnd,
};

use super::{Image, Imported, Options, heading_number, new_document, panel_title, push_text};
use crate::diag::Diagnostic;
use crate::model::{
    Align, Block, Cell, Column, Counter, Figure, Heading, Inline, LanguageTag, Link, List,
    ListStyle, Note, Quote, Run, Sidebar, Table, Text,
};

/// Reads `text` (the manuscript `name`, whose images are found relative to it).
pub fn import(text: &str, name: &str, options: &Options) -> Result<Imported, Diagnostic> {
    let (divs, div_warnings) = fenced_divs(text);
    let text = divs.as_deref().unwrap_or(text);
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(text, extensions(true))
        .into_offset_iter()
        .collect();
    let mut reader = Reader {
        text,
        name,
        options,
        events,
        at: 0,
        notes: HashMap::new(),
        warnings: Vec::new(),
        images: Vec::new(),
        front: None,
        depth: 0,
        too_deep: None,
    };
    for (offset, message) in div_warnings {
        reader.warn(offset, message);
    }
    reader.collect_notes();
    reader.at = 0;
    let mut body = reader.blocks(None);
    if let Some(offset) = reader.too_deep {
        let (line, column) = crate::model::line_column_after(&text[..offset]);
        return Err(Diagnostic::error(
            name,
            format!("quotations, lists or emphasis nested deeper than {MAX_DEPTH} levels: no book sets that, and paiban does not import it"),
        )
        .at(line, column)
        .with_code("input"));
    }
    if body.is_empty() && reader.front.is_none() {
        return Err(Diagnostic::error(name, "the manuscript is empty: nothing to import").at(1, 1));
    }
    let title = reader.title(&mut body);
    let body = super::loose_panels_and_datelines(body, &mut |paragraph, message| {
        // Placed at the paragraph's first line in the manuscript, where it can be found.
        let first = paragraph.lines().next().unwrap_or_default();
        match text.find(first).filter(|_| !first.is_empty()) {
            Some(offset) => reader.warn(offset, message),
            None => reader.warnings.push(Diagnostic::warning(name, message)),
        }
    });
    let mut document = new_document(title, body);
    reader.apply_front_matter(&mut document);
    if let Some(title) = &options.title {
        document.title = title.clone();
    }
    let mut warnings = reader.warnings;
    warnings.sort_by_key(|w| (w.line, w.column));
    Ok(Imported {
        document,
        warnings,
        images: reader.images,
    })
}

/// Divs, which CommonMark lacks: pandoc's fenced divs (`::: sidebar` … `:::`, also
/// `::: {.sidebar}`) and an HTML `<div class="sidebar">` … `</div>` on lines of their own.
/// A sidebar div becomes a fenced `sidebar` block (its fence longer than any inside it),
/// the fences of any other div blank lines, its content kept (with a warning). Lines
/// inside code blocks are left alone; every line keeps its number. `None` when the text
/// has no div; and the warnings, at byte offsets.
fn fenced_divs(text: &str) -> (Option<String>, Vec<(usize, String)>) {
    enum Fence {
        Open { sidebar: bool, title: String },
        Close,
    }
    let fence_of = |line: &str| -> Option<Fence> {
        let trimmed = line.trim_end();
        let indent = trimmed.len() - trimmed.trim_start_matches(' ').len();
        if indent > 3 {
            return None;
        }
        let trimmed = trimmed.trim_start();
        if trimmed == "</div>" {
            return Some(Fence::Close);
        }
        if let Some(attributes) = trimmed
            .strip_prefix("<div ")
            .and_then(|rest| rest.strip_suffix('>'))
        {
            let class = attributes
                .split_once("class=")
                .map(|(_, v)| v.trim_start_matches(['"', '\'']))
                .and_then(|v| v.split(['"', '\'']).next())?;
            return class
                .split_whitespace()
                .any(|c| c == "sidebar")
                .then(|| Fence::Open {
                    sidebar: true,
                    title: String::new(),
                });
        }
        let colons = trimmed.chars().take_while(|&c| c == ':').count();
        if colons < 3 {
            return None;
        }
        let rest = trimmed[colons..].trim().trim_end_matches(':').trim();
        if rest.is_empty() {
            return Some(Fence::Close);
        }
        let inner = rest.trim_start_matches('{').trim_end_matches('}');
        let mut words = inner.split_whitespace();
        let class = words.next().unwrap_or("").trim_start_matches('.');
        let sidebar = class == "sidebar" || class == "专栏";
        Some(Fence::Open {
            sidebar,
            // `::: sidebar 标题` names the title; `::: {.sidebar}` leaves it to 专栏N.
            title: match (sidebar, rest.starts_with('{')) {
                (true, false) => words.collect::<Vec<_>>().join(" "),
                (true, true) => String::new(),
                (false, _) => class.to_owned(),
            },
        })
    };

    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut pairs = Vec::new();
    let mut open: Vec<(usize, bool, String)> = Vec::new();
    let mut code_fence: Option<(char, usize)> = None;
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start_matches(' ');
        let run = |c: char| trimmed.chars().take_while(|&x| x == c).count();
        if let Some((c, n)) = code_fence {
            if run(c) >= n && trimmed[run(c)..].trim().is_empty() {
                code_fence = None;
            }
            continue;
        }
        if let Some(c) = ['`', '~'].into_iter().find(|&c| run(c) >= 3) {
            code_fence = Some((c, run(c)));
            continue;
        }
        match fence_of(line) {
            Some(Fence::Open { sidebar, title }) => open.push((i, sidebar, title)),
            Some(Fence::Close) => {
                if let Some((start, sidebar, title)) = open.pop() {
                    pairs.push((start, i, sidebar, title));
                }
            }
            None => {}
        }
    }
    if pairs.is_empty() {
        return (None, Vec::new());
    }
    let mut lines: Vec<String> = lines.into_iter().map(str::to_owned).collect();
    let mut warnings = Vec::new();
    // Innermost first, so an outer fence can be made longer than the fences inside it.
    pairs.sort_by_key(|&(start, end, ..)| end - start);
    for (start, end, sidebar, title) in pairs {
        let ending = |line: &str| if line.ends_with('\n') { "\n" } else { "" }.to_owned();
        if sidebar {
            let longest = lines[start + 1..end]
                .iter()
                .map(|l| {
                    l.trim_start_matches(' ')
                        .chars()
                        .take_while(|&c| c == '`')
                        .count()
                })
                .max()
                .unwrap_or(0);
            let fence = "`".repeat(longest.max(2) + 1);
            lines[start] =
                format!("{fence}sidebar {title}").trim_end().to_owned() + &ending(&lines[start]);
            lines[end] = fence + &ending(&lines[end]);
        } else {
            warnings.push((
                start,
                format!("a div `{title}` has no meaning in paiban: its fences are left out, its content kept"),
            ));
            lines[start] = ending(&lines[start]);
            lines[end] = ending(&lines[end]);
        }
    }
    // Offsets in the rewritten text, where the warnings are placed (every line kept).
    let starts: Vec<usize> = lines
        .iter()
        .scan(0, |offset, line| {
            let start = *offset;
            *offset += line.len();
            Some(start)
        })
        .collect();
    let warnings = warnings
        .into_iter()
        .map(|(line, message)| (starts[line], message))
        .collect();
    (Some(lines.concat()), warnings)
}

/// CommonMark with GFM tables, footnotes and strikethrough; YAML front matter only at the
/// top of a manuscript.
fn extensions(front_matter: bool) -> Extensions {
    let mut extensions =
        Extensions::ENABLE_TABLES | Extensions::ENABLE_FOOTNOTES | Extensions::ENABLE_STRIKETHROUGH;
    extensions.set(Extensions::ENABLE_YAML_STYLE_METADATA_BLOCKS, front_matter);
    extensions
}

struct Reader<'t> {
    text: &'t str,
    name: &'t str,
    options: &'t Options,
    events: Vec<(Event<'t>, Range<usize>)>,
    at: usize,
    /// Footnote definitions by label, read before the body so references find them.
    notes: HashMap<String, Vec<Inline>>,
    warnings: Vec<Diagnostic>,
    images: Vec<Image>,
    /// The front matter's text and where it starts.
    front: Option<(String, usize)>,
    /// How deep the blocks and inlines being read are nested, and where reading gave up
    /// for nesting too deep to be a book's (it would only exhaust the stack).
    depth: usize,
    too_deep: Option<usize>,
}

/// The deepest nesting of quotations, lists and inline markup paiban imports.
const MAX_DEPTH: usize = 32;

impl<'t> Reader<'t> {
    fn warn(&mut self, offset: usize, message: impl Into<String>) {
        let (line, column) = crate::model::line_column_after(&self.text[..offset]);
        self.warnings
            .push(Diagnostic::warning(self.name, message).at(line, column));
    }

    fn next(&mut self) -> Option<(Event<'t>, Range<usize>)> {
        let event = self.events.get(self.at).cloned();
        self.at += 1;
        event
    }

    /// Reads every footnote definition once, before the body.
    fn collect_notes(&mut self) {
        let mut i = 0;
        while i < self.events.len() {
            if let (Event::Start(Tag::FootnoteDefinition(label)), _) = &self.events[i] {
                let label = label.to_string();
                self.at = i + 1;
                let blocks = self.blocks(Some(TagEnd::FootnoteDefinition));
                let mut content = Vec::new();
                for (n, block) in blocks.into_iter().enumerate() {
                    if n > 0 {
                        push_text(&mut content, "\n");
                    }
                    content.extend(flatten(block));
                }
                self.notes.insert(label, content);
                i = self.at;
            } else {
                i += 1;
            }
        }
    }

    /// Blocks until the end tag `until` (or the end of the manuscript).
    fn blocks(&mut self, until: Option<TagEnd>) -> Vec<Block> {
        if !self.deeper() {
            if let Some(end) = until {
                self.skip_to(end);
            }
            return Vec::new();
        }
        let blocks = self.blocks_within(until);
        self.depth -= 1;
        blocks
    }

    /// One level deeper; false (and the place noted) past [`MAX_DEPTH`].
    fn deeper(&mut self) -> bool {
        if self.depth >= MAX_DEPTH {
            let offset = self
                .events
                .get(self.at.saturating_sub(1))
                .map_or(0, |(_, range)| range.start);
            self.too_deep.get_or_insert(offset);
            return false;
        }
        self.depth += 1;
        true
    }

    fn blocks_within(&mut self, until: Option<TagEnd>) -> Vec<Block> {
        let mut blocks = Vec::new();
        while let Some((event, range)) = self.next() {
            match event {
                Event::End(end) if Some(end) == until => break,
                Event::Start(Tag::Paragraph) => {
                    let (inlines, figures) = self.inlines(TagEnd::Paragraph);
                    if !is_blank(&inlines) {
                        blocks.push(Block::Paragraph(Text(inlines)));
                    }
                    self.place_figures(&mut blocks, figures);
                }
                // Headings stand in the body only (one inside a quotation, list item or
                // panel would cut it in two): deeper, a heading is a bold paragraph.
                Event::Start(Tag::Heading { level, .. }) if self.depth > 1 => {
                    self.warn(
                        range.start,
                        "a heading inside a quotation, list item or panel is kept as a bold paragraph: headings stand in the body",
                    );
                    let (inlines, figures) = self.inlines(TagEnd::Heading(level));
                    blocks.push(Block::Paragraph(Text(vec![Inline::Strong(inlines)])));
                    self.place_figures(&mut blocks, figures);
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    let (inlines, figures) = self.inlines(TagEnd::Heading(level));
                    blocks.push(heading(inlines, level));
                    self.place_figures(&mut blocks, figures);
                }
                Event::Start(Tag::BlockQuote(_)) => {
                    let body = self.blocks(Some(TagEnd::BlockQuote(None)));
                    blocks.push(quote_or_panel(body));
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let info = match &kind {
                        CodeBlockKind::Fenced(info) => info.to_string(),
                        CodeBlockKind::Indented => String::new(),
                    };
                    let code = self.code_text();
                    blocks.push(self.code_block(&info, code, range.start));
                }
                Event::Start(Tag::List(start)) => {
                    blocks.push(self.list(start));
                }
                Event::Start(Tag::Table(aligns)) => {
                    blocks.push(self.table(&aligns));
                }
                Event::Start(Tag::FootnoteDefinition(_)) => {
                    // Read before the body; skip it here.
                    self.skip_to(TagEnd::FootnoteDefinition);
                }
                Event::Start(Tag::MetadataBlock(kind)) => {
                    let mut yaml = String::new();
                    while let Some((event, _)) = self.next() {
                        match event {
                            Event::Text(text) => yaml.push_str(&text),
                            Event::End(TagEnd::MetadataBlock(_)) => break,
                            _ => {}
                        }
                    }
                    if kind == MetadataBlockKind::YamlStyle {
                        self.front = Some((yaml, range.start));
                    }
                }
                Event::Start(Tag::HtmlBlock) => {
                    let mut html = String::new();
                    while let Some((event, _)) = self.next() {
                        match event {
                            Event::Html(text) | Event::Text(text) => html.push_str(&text),
                            Event::End(TagEnd::HtmlBlock) => break,
                            _ => {}
                        }
                    }
                    let html = html.trim_end_matches('\n').to_owned();
                    if is_comment(&html) {
                        // An author's note to the editor, not text of the book.
                        self.warn(
                            range.start,
                            format!("an HTML comment is left out: {}", html.trim()),
                        );
                    } else if !html.trim().is_empty() {
                        self.warn(
                            range.start,
                            "raw HTML is kept as text: paiban's content has no HTML",
                        );
                        blocks.push(Block::Paragraph(Text(vec![Inline::Text(Run::new(
                            html,
                            Default::default(),
                        ))])));
                    }
                }
                Event::Rule => blocks.push(Block::Divider),
                Event::Start(Tag::DefinitionList) => {
                    let body = self.blocks(Some(TagEnd::DefinitionList));
                    blocks.extend(body);
                }
                Event::Start(Tag::DefinitionListTitle | Tag::DefinitionListDefinition) => {}
                Event::End(_) => {}
                // Inline content outside a paragraph (a tight list item's text).
                Event::Text(_)
                | Event::Code(_)
                | Event::InlineHtml(_)
                | Event::FootnoteReference(_)
                | Event::SoftBreak
                | Event::HardBreak
                | Event::InlineMath(_)
                | Event::DisplayMath(_)
                | Event::TaskListMarker(_)
                | Event::Html(_)
                | Event::Start(_) => {
                    self.at -= 1;
                    let before = self.at;
                    let (inlines, figures) = self.loose_inlines();
                    // Always onwards: an event no reader takes (or one nested too deep)
                    // is passed over, never read again.
                    if self.at == before {
                        self.at += 1;
                    }
                    if !is_blank(&inlines) {
                        blocks.push(Block::Paragraph(Text(inlines)));
                    }
                    self.place_figures(&mut blocks, figures);
                }
            }
        }
        blocks
    }

    fn skip_to(&mut self, end: TagEnd) {
        let mut depth = 0;
        while let Some((event, _)) = self.next() {
            match event {
                Event::Start(_) => depth += 1,
                Event::End(e) if depth == 0 && e == end => return,
                Event::End(_) => depth -= 1,
                _ => {}
            }
        }
    }

    /// Inline content up to `end`, and the images found in it (as figures).
    fn inlines(&mut self, end: TagEnd) -> (Vec<Inline>, Vec<Figure>) {
        let mut figures = Vec::new();
        let inlines = self.inline_run(Some(end), &mut figures);
        (inlines, figures)
    }

    /// Inline content that stands in a tight list item: up to the next block.
    fn loose_inlines(&mut self) -> (Vec<Inline>, Vec<Figure>) {
        let mut figures = Vec::new();
        let inlines = self.inline_run(None, &mut figures);
        (inlines, figures)
    }

    fn inline_run(&mut self, end: Option<TagEnd>, figures: &mut Vec<Figure>) -> Vec<Inline> {
        if !self.deeper() {
            if let Some(end) = end {
                self.skip_to(end);
            }
            return Vec::new();
        }
        let inlines = self.inline_run_within(end, figures);
        self.depth -= 1;
        inlines
    }

    fn inline_run_within(&mut self, end: Option<TagEnd>, figures: &mut Vec<Figure>) -> Vec<Inline> {
        let mut out: Vec<Inline> = Vec::new();
        while let Some((event, range)) = self.next() {
            match event {
                Event::End(e) if Some(e) == end => break,
                Event::Text(text) => push_text(&mut out, &text),
                Event::Code(code) => {
                    out.push(Inline::Code(Run::new(code.to_string(), Default::default())))
                }
                Event::SoftBreak => {
                    // A line break in the source: nothing between Han characters (Chinese
                    // has no spaces), a space between words.
                    let before = self.text[..range.start].chars().next_back();
                    let after = self.text[range.end..].chars().next();
                    if !(before.is_some_and(is_cjk) || after.is_some_and(is_cjk)) {
                        push_text(&mut out, " ");
                    }
                }
                Event::HardBreak => push_text(&mut out, "\n"),
                Event::Start(Tag::Emphasis) => {
                    let inner = self.inline_run(Some(TagEnd::Emphasis), figures);
                    out.push(Inline::Emphasis(inner));
                }
                Event::Start(Tag::Strong) => {
                    let inner = self.inline_run(Some(TagEnd::Strong), figures);
                    out.push(Inline::Strong(inner));
                }
                Event::Start(Tag::Superscript) => {
                    let inner = self.inline_run(Some(TagEnd::Superscript), figures);
                    out.push(Inline::Superscript(inner));
                }
                Event::Start(Tag::Subscript) => {
                    let inner = self.inline_run(Some(TagEnd::Subscript), figures);
                    out.push(Inline::Subscript(inner));
                }
                Event::Start(Tag::Strikethrough) => {
                    let inner = self.inline_run(Some(TagEnd::Strikethrough), figures);
                    out.push(Inline::Strike(inner));
                }
                Event::Start(Tag::Link { dest_url, .. }) => {
                    let inner = self.inline_run(Some(TagEnd::Link), figures);
                    let target = dest_url.to_string();
                    let web = ["http://", "https://", "mailto:"]
                        .iter()
                        .any(|scheme| target.to_ascii_lowercase().starts_with(scheme));
                    if web {
                        out.push(Inline::Link(Link {
                            target,
                            target_origin: Default::default(),
                            content: inner,
                        }));
                    } else {
                        self.warn(
                            range.start,
                            format!("a link to `{target}` is kept as its text: links go to web addresses (http, https, mailto)"),
                        );
                        out.extend(inner);
                    }
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    let alt_inlines = self.inline_run(Some(TagEnd::Image), figures);
                    let alt = Text(alt_inlines).to_plain();
                    if let Some(figure) = self.image(&dest_url, &alt, range.start) {
                        figures.push(figure);
                    } else {
                        push_text(&mut out, &self.text[range.clone()]);
                    }
                }
                Event::FootnoteReference(label) => match self.notes.get(label.as_ref()) {
                    Some(content) => out.push(Inline::Note(Note {
                        content: content.clone(),
                        id: None,
                        resolved: 0,
                    })),
                    None => {
                        self.warn(
                            range.start,
                            format!("the footnote `[^{label}]` has no definition: kept as text"),
                        );
                        push_text(&mut out, &self.text[range.clone()]);
                    }
                },
                Event::InlineHtml(html) | Event::Html(html) if is_comment(&html) => {
                    self.warn(
                        range.start,
                        format!("an HTML comment is left out: {}", html.trim()),
                    );
                }
                Event::InlineHtml(html) | Event::Html(html) => {
                    self.warn(
                        range.start,
                        "inline HTML is kept as text: the content has no HTML",
                    );
                    push_text(&mut out, &html);
                }
                Event::InlineMath(math) | Event::DisplayMath(math) => push_text(&mut out, &math),
                Event::TaskListMarker(done) => push_text(&mut out, if done { "☑ " } else { "☐ " }),
                // A block begins: the loose text before it ends here.
                Event::Start(_) | Event::End(_) | Event::Rule if end.is_none() => {
                    self.at -= 1;
                    break;
                }
                Event::Start(_) | Event::End(_) | Event::Rule => {}
            }
        }
        merge_text_runs(out)
    }

    /// The text of a code block up to its end.
    fn code_text(&mut self) -> String {
        let mut code = String::new();
        while let Some((event, _)) = self.next() {
            match event {
                Event::Text(text) => code.push_str(&text),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        code.trim_end_matches('\n').to_owned()
    }

    /// A fenced block marked `sidebar` (its title after the word, or its first line
    /// `专栏N title`) is a panel; any other code block is code, kept verbatim.
    fn code_block(&mut self, info: &str, code: String, offset: usize) -> Block {
        let mut words = info.split_whitespace();
        let kind = words.next().unwrap_or("").trim_matches(['{', '}', '.']);
        if kind == "sidebar" || kind == "专栏" {
            let title: Vec<&str> = words.collect();
            let mut body = self.nested_blocks(&code, offset);
            let mut sidebar = Sidebar {
                title: Text(vec![Inline::Text(Run::new(
                    title.join(" "),
                    Default::default(),
                ))]),
                number: None,
                body: Vec::new(),
                resolved: 0,
            };
            if let Some(Block::Paragraph(first) | Block::Heading(Heading { text: first, .. })) =
                body.first()
                && let Some((number, rest)) = panel_title(&first.to_plain())
            {
                sidebar.number = Some(number);
                if title.is_empty() {
                    sidebar.title = Text(vec![Inline::Text(Run::new(rest, Default::default()))]);
                }
                body.remove(0);
            }
            sidebar.body = body;
            return Block::Sidebar(sidebar);
        }
        if code.is_empty() {
            self.warn(offset, "an empty code block is left out");
        }
        Block::Paragraph(Text(vec![Inline::Code(Run::new(code, Default::default()))]))
    }

    /// The blocks of Markdown nested in this manuscript (a sidebar block's content, which
    /// starts on the line after the fence at `fence`): read as body blocks (no title, no
    /// front matter), at this depth, with the images of the whole manuscript (so names stay
    /// unique), their warnings placed on the manuscript's lines.
    fn nested_blocks(&mut self, code: &str, fence: usize) -> Vec<Block> {
        let (fence_line, _) = crate::model::line_column_after(&self.text[..fence]);
        let mut inner = Reader {
            text: code,
            name: self.name,
            options: self.options,
            events: Parser::new_ext(code, extensions(false))
                .into_offset_iter()
                .collect(),
            at: 0,
            notes: HashMap::new(),
            warnings: Vec::new(),
            images: std::mem::take(&mut self.images),
            front: None,
            depth: self.depth,
            too_deep: None,
        };
        inner.collect_notes();
        inner.at = 0;
        let blocks = inner.blocks(None);
        self.images = inner.images;
        if inner.too_deep.is_some() {
            self.too_deep.get_or_insert(fence);
        }
        for mut warning in inner.warnings {
            warning.line = warning.line.map(|line| line + fence_line);
            self.warnings.push(warning);
        }
        blocks
    }

    fn list(&mut self, start: Option<u64>) -> Block {
        let mut items = Vec::new();
        while let Some((event, _)) = self.next() {
            match event {
                Event::Start(Tag::Item) => items.push(self.blocks(Some(TagEnd::Item))),
                Event::End(TagEnd::List(_)) => break,
                _ => {}
            }
        }
        let style = match start {
            Some(_) => ListStyle::Numbered {
                prefix: String::new(),
                counter: Counter::Arabic,
                suffix: ".".to_owned(),
            },
            None => ListStyle::Bullet,
        };
        Block::List(List {
            style,
            start: start
                .filter(|&n| n != 1)
                .map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
            items,
            labels: Vec::new(),
        })
    }

    fn table(&mut self, aligns: &[Alignment]) -> Block {
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let mut header_rows = 0;
        let mut figures = Vec::new();
        while let Some((event, _)) = self.next() {
            match event {
                Event::Start(Tag::TableHead) => {
                    rows.push(Vec::new());
                    header_rows = 1;
                }
                Event::Start(Tag::TableRow) => rows.push(Vec::new()),
                Event::Start(Tag::TableCell) => {
                    let inlines = self.inline_run(Some(TagEnd::TableCell), &mut figures);
                    if let Some(row) = rows.last_mut() {
                        row.push(Cell {
                            text: Text(inlines),
                            colspan: 1,
                            rowspan: 1,
                            align: None,
                        });
                    }
                }
                Event::End(TagEnd::Table) => break,
                _ => {}
            }
        }
        for figure in figures {
            self.warn(
                0,
                format!("an image in a table cell is left out: {}", figure.path),
            );
        }
        Block::Table(Table {
            caption: None,
            id: None,
            columns: aligns
                .iter()
                .map(|align| Column {
                    width: None,
                    align: match align {
                        Alignment::None => None,
                        Alignment::Left => Some(Align::Left),
                        Alignment::Center => Some(Align::Center),
                        Alignment::Right => Some(Align::Right),
                    },
                })
                .collect(),
            header_rows,
            rows,
            resolved: None,
        })
    }

    /// A figure for the image at `url` (relative to the manuscript), its file copied into
    /// the image folder; `None` (the text kept, with a warning) for one that cannot be read.
    fn image(&mut self, url: &str, alt: &str, offset: usize) -> Option<Figure> {
        if url.contains("://") {
            self.warn(
                offset,
                format!(
                    "the image `{url}` is on the web: paiban prints local files only; kept as text"
                ),
            );
            return None;
        }
        let folder = std::path::Path::new(self.name)
            .parent()
            .unwrap_or(std::path::Path::new(""));
        let path = folder.join(url);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                self.warn(
                    offset,
                    format!("cannot read the image `{url}` ({e}): kept as text"),
                );
                return None;
            }
        };
        if super::image_format(&bytes).is_none() {
            self.warn(
                offset,
                format!(
                    "`{url}` is no image paiban prints (PNG, JPEG, GIF, WebP, SVG): kept as text"
                ),
            );
            return None;
        }
        let name = super::image_name(url, &self.images);
        let relative = format!("{}/{name}", self.options.image_folder);
        self.images.push(Image {
            path: relative.clone(),
            bytes,
        });
        if alt.trim().is_empty() {
            self.warn(
                offset,
                format!("the image `{url}` has no alt text: describe it in the YAML"),
            );
        }
        Some(Figure {
            path: relative,
            path_origin: Default::default(),
            project_path: None,
            caption: None,
            alt: (!alt.trim().is_empty()).then(|| alt.trim().to_owned()),
            alt_origin: Default::default(),
            width: None,
            id: None,
            resolved: None,
        })
    }

    /// Images of a paragraph become figures after it; a paragraph right after that reads
    /// `图 1 …` becomes the figure's caption.
    fn place_figures(&mut self, blocks: &mut Vec<Block>, figures: Vec<Figure>) {
        for figure in figures {
            blocks.push(Block::Figure(figure));
        }
        self.take_caption(blocks);
    }

    /// A caption paragraph (`图 1 …`) right after a figure: it is the figure's caption.
    fn take_caption(&mut self, blocks: &mut [Block]) {
        let Some((event, _)) = self.events.get(self.at).cloned() else {
            return;
        };
        if !matches!(event, Event::Start(Tag::Paragraph)) {
            return;
        }
        let Some(Block::Figure(figure)) = blocks.last_mut() else {
            return;
        };
        if figure.caption.is_some() {
            return;
        }
        let saved = self.at;
        self.at += 1;
        let (mut inlines, more) = self.inlines(TagEnd::Paragraph);
        let plain = Text(inlines.clone()).to_plain();
        match super::caption_label(&plain) {
            Some((super::CaptionKind::Figure, label)) if more.is_empty() => {
                let mut text = Text(std::mem::take(&mut inlines));
                super::drop_leading_chars(&mut text, label);
                figure.caption = Some(text);
            }
            _ => self.at = saved,
        }
    }

    /// The title: the front matter's, else a first-level heading that opens the
    /// manuscript and is its only one (the other headings then move up a level), else
    /// the file's name.
    fn title(&mut self, body: &mut Vec<Block>) -> String {
        let front_title = self.front.as_ref().and_then(|(yaml, _)| {
            serde_yaml::from_str::<serde_yaml::Value>(yaml)
                .ok()?
                .get("title")?
                .as_str()
                .map(str::to_owned)
        });
        if let Some(title) = front_title {
            return title;
        }
        let level_ones = body
            .iter()
            .filter(|b| matches!(b, Block::Heading(h) if h.level == 1))
            .count();
        if level_ones == 1
            && let Some(Block::Heading(first)) = body.first()
            && first.level == 1
            && first.number.is_none()
        {
            let title = first.text.to_plain();
            body.remove(0);
            for block in body.iter_mut() {
                if let Block::Heading(heading) = block {
                    heading.level = heading.level.saturating_sub(1).max(1);
                }
            }
            return title;
        }
        std::path::Path::new(self.name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "untitled".to_owned())
    }

    /// The front matter's header keys (title is read with the title); any other key is
    /// named in a warning, its value kept nowhere else.
    fn apply_front_matter(&mut self, document: &mut crate::model::Document) {
        let Some((yaml, offset)) = self.front.clone() else {
            return;
        };
        let value: serde_yaml::Value = match serde_yaml::from_str(&yaml) {
            Ok(value) => value,
            Err(e) => {
                self.warn(
                    offset,
                    format!("the front matter is not YAML ({e}): left out"),
                );
                return;
            }
        };
        let Some(map) = value.as_mapping() else {
            self.warn(
                offset,
                format!(
                    "the front matter is not a map of header keys: left out: {}",
                    yaml.trim()
                ),
            );
            return;
        };
        let string = |v: &serde_yaml::Value| match v {
            serde_yaml::Value::String(s) => Some(s.clone()),
            serde_yaml::Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        for (key, value) in map {
            let key = key.as_str().unwrap_or_default();
            match key {
                "title" => {}
                "subtitle" => document.subtitle = string(value),
                "author" | "authors" => {
                    document.authors = match value {
                        serde_yaml::Value::Sequence(list) => {
                            list.iter().filter_map(string).collect()
                        }
                        other => string(other).into_iter().collect(),
                    };
                }
                "date" => match string(value).as_deref().map(crate::model::Date::parse) {
                    Some(Some(date)) => document.date = Some(date),
                    _ => self.warn(
                        offset,
                        "the front matter's `date` is not a date (YYYY-MM-DD): left out",
                    ),
                },
                "lang" => match string(value).as_deref().and_then(LanguageTag::parse) {
                    Some(tag) => document.lang = tag,
                    None => self.warn(
                        offset,
                        "the front matter's `lang` is not a language tag: left out",
                    ),
                },
                "identifier" => document.identifier = string(value),
                other => {
                    let shown = serde_yaml::to_string(value).unwrap_or_default();
                    self.warn(
                        offset,
                        format!(
                            "the front matter's `{other}: {}` has no place in paiban's header: left out",
                            shown.trim_end()
                        ),
                    );
                }
            }
        }
    }
}

/// A heading; a leading `一、` `（一）` `1.` in its text is its number.
fn heading(mut inlines: Vec<Inline>, level: HeadingLevel) -> Block {
    let level = level as u8;
    let plain = Text(inlines.clone()).to_plain();
    let mut number = None;
    if let Some((_, n, rest)) = heading_number(&plain) {
        let label = plain.chars().count() - rest.chars().count();
        let mut text = Text(std::mem::take(&mut inlines));
        super::drop_leading_chars(&mut text, label);
        super::trim_text(&mut text);
        inlines = text.0;
        number = Some(n);
    }
    Block::Heading(Heading {
        text: Text(inlines),
        level: level.min(5),
        number,
        numbered: true,
        id: None,
        resolved: Vec::new(),
    })
}

/// A block quotation; one whose first line reads `专栏N title` is a panel.
fn quote_or_panel(mut body: Vec<Block>) -> Block {
    if let Some(Block::Paragraph(first) | Block::Heading(Heading { text: first, .. })) =
        body.first()
        && let Some((number, title)) = panel_title(first.to_plain().lines().next().unwrap_or(""))
    {
        let title = title.to_owned();
        let first_line_only = first.to_plain().lines().count() <= 1;
        if first_line_only {
            body.remove(0);
        } else if let Some(Block::Paragraph(text)) = body.first_mut() {
            let skip = text
                .to_plain()
                .lines()
                .next()
                .map_or(0, |l| l.chars().count() + 1);
            super::drop_leading_chars(text, skip);
        }
        return Block::Sidebar(Sidebar {
            title: Text(vec![Inline::Text(Run::new(title, Default::default()))]),
            number: Some(number),
            body,
            resolved: 0,
        });
    }
    Block::Quote(Quote {
        body,
        attribution: None,
    })
}

/// The inline content of a block, for a footnote (which holds inline content only):
/// the texts of a list, quotation or table one after another, a line apart.
fn flatten(block: Block) -> Vec<Inline> {
    let mut out = Vec::new();
    let add = |inlines: Vec<Inline>, out: &mut Vec<Inline>| {
        if !out.is_empty() && !inlines.is_empty() {
            push_text(out, "\n");
        }
        out.extend(inlines);
    };
    match block {
        Block::Paragraph(text) | Block::Dateline(text) => return text.0,
        Block::Heading(heading) => return heading.text.0,
        Block::List(list) => {
            for item in list.items {
                for block in item {
                    add(flatten(block), &mut out);
                }
            }
        }
        Block::Quote(Quote { body, .. }) | Block::Sidebar(Sidebar { body, .. }) => {
            for block in body {
                add(flatten(block), &mut out);
            }
        }
        Block::Table(table) => {
            for cell in table.rows.into_iter().flatten() {
                add(cell.text.0, &mut out);
            }
        }
        _ => {}
    }
    out
}

/// Whether raw HTML is one comment (`<!-- … -->`).
fn is_comment(html: &str) -> bool {
    let html = html.trim();
    html.starts_with("<!--")
        && html.ends_with("-->")
        && html[4..].find("-->") == Some(html.len() - 7)
}

/// Whether inline content is only white space (a line with nothing on it); a code span
/// of spaces is content.
fn is_blank(inlines: &[Inline]) -> bool {
    inlines
        .iter()
        .all(|inline| matches!(inline, Inline::Text(run) if run.text.trim().is_empty()))
}

/// Neighbouring plain runs as one (a link kept as its text, struck-through text).
fn merge_text_runs(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines {
        match inline {
            Inline::Text(run) => push_text(&mut out, &run.text),
            other => out.push(other),
        }
    }
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2e80}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}'
        | '\u{20000}'..='\u{3134f}')
}
