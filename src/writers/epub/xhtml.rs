//! XHTML content documents and the navigation document.
//!
//! The book is split into one content document per part: what comes before the first
//! level-1 heading, then each level-1 heading or appendix and what follows it. Notes go to
//! the end of their part's document as `aside` footnotes, each linked both ways, as
//! reading systems expect them (pandoc's way, which Kindle and Apple Books pop up).

use std::collections::HashMap;
use std::fmt::Write;

use super::pages::{Markers, Piece};
use crate::diag::Diagnostic;
use crate::model::pagelist::{BlockKey, PageList, Place, TextKey};
use crate::model::{
    Align, Block, Document, Figure, Gongwen, Heading, Id, Inline, List, ListStyle, Locale, Table,
    Text, Writing,
};
use crate::passes::numbering::circled;

/// One content document.
pub struct Chapter {
    /// Path inside the package, relative to the OPF: `text/ch01.xhtml`.
    pub href: String,
    pub xhtml: String,
}

/// A heading as the table of contents lists it.
pub struct TocEntry {
    pub level: u8,
    pub text: String,
    pub href: String,
}

/// Splits the document into parts and writes each. `images` maps a figure's project
/// path to its file in the package (`images/1-map.png`).
/// With a page list, each page of the print edition gets its marker where it begins;
/// the third value is the navigation document's page list for them.
pub fn chapters(
    document: &Document,
    stylesheets: &[&str],
    images: &HashMap<String, String>,
    page_list: Option<&PageList>,
) -> Result<(Vec<Chapter>, Vec<TocEntry>, String), Diagnostic> {
    let lang = document.lang.as_str();
    let locale = Locale::of(&document.lang);
    let mut parts: Vec<Vec<&Block>> = vec![Vec::new()];
    for block in &document.body {
        let starts_part = matches!(block, Block::Heading(h) if h.level == 1)
            || matches!(block, Block::Appendix(_));
        if starts_part && !parts.last().expect("one part").is_empty() {
            parts.push(Vec::new());
        }
        parts.last_mut().expect("one part").push(block);
    }
    let hrefs: Vec<String> = (0..parts.len())
        .map(|i| format!("text/ch{:02}.xhtml", i + 1))
        .collect();
    let anchors = Anchors::new(&parts, &hrefs);

    let mut writer = Writer {
        locale,
        anchors: &anchors,
        images,
        appendix_style: document.numbering.appendix,
        headings: 0,
        sidebars: 0,
        notes: Vec::new(),
        href: String::new(),
        toc: Vec::new(),
        vertical: document.writing == Writing::Vertical,
        markers: Markers::new(page_list),
    };
    // A 公文 closes its text (附件说明, 署名, 日期, 附注) before its first 附件, and ends
    // with its 版记.
    let closing_part = parts
        .iter()
        .position(|blocks| matches!(blocks.first(), Some(Block::Appendix(_))))
        .map_or(parts.len() - 1, |first| first.saturating_sub(1));
    let mut chapters = Vec::new();
    for (index, blocks) in parts.iter().enumerate() {
        writer.href = hrefs[index].clone();
        let mut body = String::new();
        if index == 0 {
            body.push_str(&writer.markers.at(Place::DocumentStart, &writer.href));
            if let Some(gongwen) = &document.gongwen {
                write_banhead(&mut body, gongwen, document, locale)?;
            }
            write_title_block(&mut body, document, locale)?;
            if let Some(addressee) = document.gongwen.as_ref().and_then(|g| g.addressee.as_ref()) {
                let _ = writeln!(
                    body,
                    "<p class=\"addressee\">{}</p>",
                    text(&addressee.text)?
                );
            }
        }
        let mut title = None;
        let mut kind = ("chapter", "doc-chapter");
        for block in blocks {
            writer.block(&mut body, block)?;
            match block {
                Block::Heading(h) if title.is_none() => title = Some(printed_heading(h, locale)),
                Block::Appendix(a) if title.is_none() => {
                    kind = ("appendix", "doc-appendix");
                    title = Some(format!(
                        "{}\u{3000}{}",
                        locale.appendix_label(a.resolved, writer.appendix_style),
                        a.title.to_plain()
                    ));
                }
                _ => {}
            }
        }
        if index == closing_part {
            body.push_str(&writer.markers.at(Place::Closing, &writer.href));
            if let Some(gongwen) = &document.gongwen {
                write_closing(&mut body, gongwen, document, locale)?;
            }
        }
        if index + 1 == parts.len() {
            body.push_str(&writer.markers.at(Place::Banji, &writer.href));
            if let Some(gongwen) = &document.gongwen {
                write_banji(&mut body, gongwen, locale)?;
            }
        }
        writer.write_notes(&mut body)?;
        if index + 1 == parts.len() {
            body.push_str(&writer.markers.at(Place::End, &writer.href));
        }
        let title = title.unwrap_or_else(|| document.title.clone());
        let xhtml = page(
            lang,
            &title,
            stylesheets,
            &format!(
                "<section epub:type=\"{}\" role=\"{}\">\n{body}</section>\n",
                kind.0, kind.1
            ),
        )?;
        chapters.push(Chapter {
            href: hrefs[index].clone(),
            xhtml,
        });
    }
    let page_list_nav = writer.markers.nav(locale.pages())?;
    Ok((chapters, writer.toc, page_list_nav))
}

/// The cover page's place in the package.
pub const COVER_PAGE: &str = "text/cover.xhtml";

/// The cover page: the cover picture (`image`, its path in the package), described by the
/// title, subtitle and authors it shows.
pub fn cover(document: &Document, stylesheets: &[&str], image: &str) -> Result<String, Diagnostic> {
    let locale = Locale::of(&document.lang);
    let separator = match locale {
        Locale::Hans | Locale::Hant | Locale::Japanese => "\u{3000}",
        Locale::Korean | Locale::English => ", ",
    };
    let mut words = vec![document.title.as_str()];
    words.extend(document.subtitle.as_deref());
    words.extend(document.authors.iter().map(String::as_str));
    let body = format!(
        "<div class=\"cover\">\n<img src=\"../{}\" alt=\"{}\" epub:type=\"cover\" role=\"doc-cover\"/>\n</div>\n",
        escape(image),
        text(&words.join(separator))?
    );
    page(document.lang.as_str(), locale.cover(), stylesheets, &body)
}

/// The navigation document: the table of contents (nested by level) and landmarks.
/// `page_list` is the page list made with the chapters (or nothing); `cover` the cover
/// page's document, for the landmarks.
pub fn nav(
    document: &Document,
    toc: &[TocEntry],
    first_chapter: &str,
    stylesheets: &[&str],
    page_list: &str,
    cover: Option<&str>,
) -> Result<String, Diagnostic> {
    let locale = Locale::of(&document.lang);
    let mut out = format!(
        "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\">\n<h1>{}</h1>\n",
        text(locale.contents())?
    );
    // Each entry nests under the nearest earlier entry of a higher level (a smaller
    // number); a document that starts at level 3 still gives a valid list.
    let mut open: Vec<u8> = Vec::new();
    let mut depth = 0;
    for entry in toc {
        while open.last().is_some_and(|&level| level >= entry.level) {
            open.pop();
        }
        let target = open.len() + 1;
        open.push(entry.level);
        if target > depth {
            out.push_str("<ol>\n<li>");
            depth += 1;
        } else {
            out.push_str("</li>\n");
            while depth > target {
                out.push_str("</ol>\n</li>\n");
                depth -= 1;
            }
            out.push_str("<li>");
        }
        let _ = write!(
            out,
            "<a href=\"{}\">{}</a>",
            escape(&entry.href),
            text(&entry.text)?
        );
    }
    while depth > 0 {
        out.push_str("</li>\n</ol>\n");
        depth -= 1;
    }
    if toc.is_empty() {
        let _ = write!(
            out,
            "<ol>\n<li><a href=\"{}\">{}</a></li>\n</ol>\n",
            escape(first_chapter),
            text(&document.title)?
        );
    }
    out.push_str("</nav>\n");
    out.push_str(page_list);
    let cover = match cover {
        Some(href) => format!(
            "<li><a epub:type=\"cover\" href=\"{}\">{}</a></li>\n",
            escape(href),
            text(locale.cover())?
        ),
        None => String::new(),
    };
    let _ = write!(
        out,
        "<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\">\n<h2>{}</h2>\n<ol>\n\
         {cover}<li><a epub:type=\"toc\" href=\"nav.xhtml#toc\">{}</a></li>\n\
         <li><a epub:type=\"bodymatter\" href=\"{}\">{}</a></li>\n</ol>\n</nav>\n",
        text(locale.landmarks())?,
        text(locale.contents())?,
        escape(first_chapter),
        text(locale.body_matter())?,
    );
    page(document.lang.as_str(), locale.contents(), stylesheets, &out)
}

/// Where each id of the content lands: its part's document and the XHTML id it gets
/// (`id-3`: ids of the content are names, not XML ids, so they are numbered).
struct Anchors {
    by_name: HashMap<String, (String, String)>,
}

impl Anchors {
    fn new(parts: &[Vec<&Block>], hrefs: &[String]) -> Self {
        let mut declared: Vec<(String, usize)> = Vec::new();
        for (index, blocks) in parts.iter().enumerate() {
            let mut ids = Vec::new();
            for block in blocks {
                collect_ids(block, &mut ids);
            }
            declared.extend(ids.into_iter().map(|id| (id.name.clone(), index)));
        }
        let mut names: Vec<&String> = declared.iter().map(|(name, _)| name).collect();
        names.sort();
        names.dedup();
        let number: HashMap<&String, usize> = names
            .iter()
            .enumerate()
            .map(|(i, name)| (*name, i + 1))
            .collect();
        let by_name = declared
            .iter()
            .map(|(name, index)| {
                (
                    name.clone(),
                    (hrefs[*index].clone(), format!("id-{}", number[name])),
                )
            })
            .collect();
        Self { by_name }
    }

    fn anchor(&self, id: &Option<Id>) -> Option<&str> {
        let id = id.as_ref()?;
        self.by_name
            .get(&id.name)
            .map(|(_, anchor)| anchor.as_str())
    }
}

/// Every id declared in `block` and the blocks and texts inside it.
fn collect_ids<'a>(block: &'a Block, out: &mut Vec<&'a Id>) {
    let own = match block {
        Block::Heading(h) => h.id.as_ref(),
        Block::Figure(f) => f.id.as_ref(),
        Block::Table(t) => t.id.as_ref(),
        Block::Appendix(a) => a.id.as_ref(),
        _ => None,
    };
    out.extend(own);
    for text in crate::model::own_texts(block) {
        crate::model::visit(&text.0, &mut |inline| {
            if let Inline::Note(note) = inline {
                out.extend(note.id.as_ref());
            }
        });
    }
    for child in block.children() {
        collect_ids(child, out);
    }
}

/// Writes blocks and inlines into one part's document.
struct Writer<'a> {
    locale: Locale,
    anchors: &'a Anchors,
    images: &'a HashMap<String, String>,
    appendix_style: crate::model::locale::AppendixStyle,
    headings: usize,
    sidebars: usize,
    /// The notes of the part being written: XHTML id, the id of the mark that refers
    /// to it, the mark, and the content.
    notes: Vec<(String, String, String, String)>,
    href: String,
    toc: Vec<TocEntry>,
    /// Whether the book is set in vertical lines (short digit runs are then set upright).
    vertical: bool,
    /// The print edition's page-break markers, put where their pages begin.
    markers: Markers<'a>,
}

impl Writer<'_> {
    fn block(&mut self, out: &mut String, block: &Block) -> Result<(), Diagnostic> {
        out.push_str(
            &self
                .markers
                .at(Place::Block(BlockKey::of(block)), &self.href),
        );
        match block {
            // Code alone in a paragraph, over several lines, is a code block.
            Block::Paragraph(paragraph) if matches!(&paragraph.0[..], [Inline::Code(run)] if run.text.contains('\n')) =>
            {
                let _ = writeln!(
                    out,
                    "<pre class=\"code\">{}</pre>",
                    self.inline_trimmed(paragraph)?
                );
            }
            Block::Paragraph(paragraph) => {
                let _ = writeln!(out, "<p>{}</p>", self.inline_trimmed(paragraph)?);
            }
            Block::Heading(heading) => self.heading(out, heading)?,
            Block::Sidebar(sidebar) => {
                self.sidebars += 1;
                let id = format!("panel{}", self.sidebars);
                let _ = writeln!(
                    out,
                    "<aside class=\"sidebar\" aria-labelledby=\"{id}\">\n\
                     <p class=\"sidebar-title\" id=\"{id}\"><span class=\"number\">{}</span>{}{}</p>",
                    text(&self.locale.sidebar_label(sidebar.resolved))?,
                    self.locale.sidebar_separator(),
                    self.inline(&sidebar.title)?
                );
                for inner in &sidebar.body {
                    self.block(out, inner)?;
                }
                out.push_str("</aside>\n");
            }
            Block::Dateline(dateline) => {
                let _ = writeln!(
                    out,
                    "<p class=\"dateline\">{}</p>",
                    self.inline_trimmed(dateline)?
                );
            }
            Block::List(list) => self.list(out, BlockKey::of(block), list)?,
            Block::Quote(quote) => {
                out.push_str("<figure class=\"quote\">\n<blockquote>\n");
                for inner in &quote.body {
                    self.block(out, inner)?;
                }
                out.push_str("</blockquote>\n");
                if let Some(attribution) = &quote.attribution {
                    let _ = writeln!(
                        out,
                        "<figcaption class=\"attribution\">{}</figcaption>",
                        self.inline(attribution)?
                    );
                }
                out.push_str("</figure>\n");
            }
            Block::Verse(verse) => {
                out.push_str("<div class=\"verse\">\n");
                if let Some(title) = &verse.title {
                    let _ = writeln!(out, "<p class=\"verse-title\">{}</p>", self.inline(title)?);
                }
                if let Some(author) = &verse.author {
                    let _ = writeln!(
                        out,
                        "<p class=\"verse-author\">{}</p>",
                        self.inline(author)?
                    );
                }
                for stanza in &verse.stanzas {
                    out.push_str("<p class=\"stanza\">");
                    for line in stanza {
                        let _ = write!(out, "<span class=\"line\">{}</span>", self.inline(line)?);
                    }
                    out.push_str("</p>\n");
                }
                out.push_str("</div>\n");
            }
            Block::Table(table) => self.table(out, table)?,
            Block::Figure(figure) => self.figure(out, figure)?,
            Block::Divider => out.push_str("<hr class=\"divider\"/>\n"),
            Block::PageBreak => out.push_str("<div class=\"page-break\"></div>\n"),
            // Replaced by the included file's blocks before anything is written.
            Block::Include(_) => {}
            Block::Appendix(appendix) => {
                self.headings += 1;
                let id = self
                    .anchors
                    .anchor(&appendix.id)
                    .map_or_else(|| format!("h{}", self.headings), str::to_owned);
                let label = self
                    .locale
                    .appendix_label(appendix.resolved, self.appendix_style);
                let _ = writeln!(
                    out,
                    "<h1 id=\"{id}\" class=\"appendix\"><span class=\"number\">{}</span>\u{3000}{}</h1>",
                    text(&label)?,
                    self.inline(&appendix.title)?
                );
                self.toc.push(TocEntry {
                    level: 1,
                    text: format!("{label}\u{3000}{}", appendix.title.to_plain()),
                    href: format!("{}#{id}", self.href),
                });
            }
        }
        Ok(())
    }

    fn heading(&mut self, out: &mut String, heading: &Heading) -> Result<(), Diagnostic> {
        self.headings += 1;
        let id = self
            .anchors
            .anchor(&heading.id)
            .map_or_else(|| format!("h{}", self.headings), str::to_owned);
        let number = match self.locale.heading_label(&heading.resolved) {
            Some(label) => format!("<span class=\"number\">{}</span>", text(&label)?),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "<h{level} id=\"{id}\">{number}{}</h{level}>",
            self.inline(&heading.text)?,
            level = heading.level
        );
        self.toc.push(TocEntry {
            level: heading.level,
            text: printed_heading(heading, self.locale),
            href: format!("{}#{id}", self.href),
        });
        Ok(())
    }

    /// Numbered lists print the pass's labels, so they read as in print; each `li`
    /// carries its number for assistive technology.
    fn list(&mut self, out: &mut String, key: BlockKey, list: &List) -> Result<(), Diagnostic> {
        let numbered = !matches!(list.style, ListStyle::Bullet);
        let start = list.start.unwrap_or(1);
        out.push_str(if numbered {
            "<ol class=\"numbered\">\n"
        } else {
            "<ul>\n"
        });
        for (i, item) in list.items.iter().enumerate() {
            let markers = self.markers.at(Place::Item(key, i), &self.href);
            if numbered {
                let _ = write!(
                    out,
                    "<li value=\"{}\">{markers}<span class=\"label\">{}</span>",
                    start.saturating_add(i as u32),
                    text(list.labels.get(i).map_or("", String::as_str))?
                );
            } else {
                let _ = write!(out, "<li>{markers}");
            }
            // A one-paragraph item is its text; more blocks keep their own elements.
            match item.as_slice() {
                [paragraph @ Block::Paragraph(text)] => {
                    out.push_str(
                        &self
                            .markers
                            .at(Place::Block(BlockKey::of(paragraph)), &self.href),
                    );
                    out.push_str(&self.inline_trimmed(text)?);
                }
                blocks => {
                    out.push('\n');
                    for inner in blocks {
                        self.block(out, inner)?;
                    }
                }
            }
            out.push_str("</li>\n");
        }
        out.push_str(if numbered { "</ol>\n" } else { "</ul>\n" });
        Ok(())
    }

    fn table(&mut self, out: &mut String, table: &Table) -> Result<(), Diagnostic> {
        match self.anchors.anchor(&table.id) {
            Some(id) => {
                let _ = writeln!(out, "<table id=\"{id}\">");
            }
            None => out.push_str("<table>\n"),
        }
        if let (Some(caption), Some(number)) = (&table.caption, &table.resolved) {
            let _ = writeln!(
                out,
                "<caption><span class=\"number\">{}{}</span>\u{3000}{}</caption>",
                text(self.locale.table())?,
                text(number)?,
                self.inline(caption)?
            );
        }
        if table.columns.iter().any(|c| c.width.is_some()) {
            let total: f64 = table.columns.iter().map(|c| c.width.unwrap_or(1.0)).sum();
            out.push_str("<colgroup>");
            for column in &table.columns {
                let share = column.width.unwrap_or(1.0) / total * 100.0;
                let _ = write!(out, "<col style=\"width: {:.2}%\"/>", share);
            }
            out.push_str("</colgroup>\n");
        }
        for (i, row) in table.rows.iter().enumerate() {
            let header = i < table.header_rows;
            if i == 0 && header {
                out.push_str("<thead>\n");
            }
            if i == table.header_rows {
                out.push_str("<tbody>\n");
            }
            out.push_str("<tr>");
            let mut column = 0;
            for cell in row {
                // An empty cell of a header row heads nothing: a `th` must have text.
                let empty = cell.text.to_plain().trim().is_empty();
                let tag = if header && !empty { "th" } else { "td" };
                let mut attributes = String::new();
                if cell.colspan > 1 {
                    let _ = write!(attributes, " colspan=\"{}\"", cell.colspan);
                }
                if cell.rowspan > 1 {
                    let _ = write!(attributes, " rowspan=\"{}\"", cell.rowspan);
                }
                let align = cell
                    .align
                    .or_else(|| table.columns.get(column).and_then(|c| c.align));
                if let Some(align) = align {
                    let _ = write!(attributes, " class=\"{}\"", align_class(align));
                }
                let _ = write!(
                    out,
                    "<{tag}{attributes}>{}</{tag}>",
                    self.inline(&cell.text)?
                );
                column += cell.colspan as usize;
            }
            out.push_str("</tr>\n");
            if header && i + 1 == table.header_rows {
                out.push_str("</thead>\n");
            }
        }
        if table.header_rows < table.rows.len() {
            out.push_str("</tbody>\n");
        }
        out.push_str("</table>\n");
        Ok(())
    }

    fn figure(&mut self, out: &mut String, figure: &Figure) -> Result<(), Diagnostic> {
        match self.anchors.anchor(&figure.id) {
            Some(id) => {
                let _ = writeln!(out, "<figure class=\"image\" id=\"{id}\">");
            }
            None => out.push_str("<figure class=\"image\">\n"),
        }
        let source = figure
            .project_path
            .as_ref()
            .and_then(|path| self.images.get(path))
            .map_or_else(|| figure.path.clone(), |file| format!("../{file}"));
        let width = figure
            .width
            .map(|w| format!(" style=\"width: {}%\"", (w * 1000.0).round() / 10.0))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "<img src=\"{}\" alt=\"{}\"{width}/>",
            escape(&source),
            text(figure.alt.as_deref().unwrap_or(""))?
        );
        if let (Some(caption), Some(number)) = (&figure.caption, &figure.resolved) {
            let _ = writeln!(
                out,
                "<figcaption><span class=\"number\">{}{}</span>\u{3000}{}</figcaption>",
                text(self.locale.figure())?,
                text(number)?,
                self.inline(caption)?
            );
        }
        out.push_str("</figure>\n");
        Ok(())
    }

    fn inline(&mut self, content: &Text) -> Result<String, Diagnostic> {
        let mut out = String::new();
        self.inlines(&mut out, &content.0)?;
        Ok(out)
    }

    /// Inline content without the newline a YAML literal block ends its last run with,
    /// which is not part of the text.
    fn inline_trimmed(&mut self, content: &Text) -> Result<String, Diagnostic> {
        let mut out = String::new();
        match content.0.split_last() {
            Some((Inline::Text(run), rest)) => {
                self.inlines(&mut out, rest)?;
                let shown = run.text.trim_end_matches('\n');
                self.run(&mut out, &run.text, shown)?;
            }
            _ => self.inlines(&mut out, &content.0)?,
        }
        Ok(out)
    }

    /// `shown` (the text `whole`, or its start) as XHTML, with the page-break markers
    /// that stand in it.
    #[allow(clippy::ptr_arg)] // the `String` itself names the text (its address)
    fn run(&mut self, out: &mut String, whole: &String, shown: &str) -> Result<(), Diagnostic> {
        for piece in self.markers.split(TextKey::of(whole), shown, &self.href) {
            match piece {
                Piece::Marker(marker) => out.push_str(&marker),
                Piece::Text(part) if self.vertical => out.push_str(&upright_digits(part)?),
                Piece::Text(part) => out.push_str(&with_breaks(part)?),
            }
        }
        Ok(())
    }

    fn inlines(&mut self, out: &mut String, inlines: &[Inline]) -> Result<(), Diagnostic> {
        let mut after_mark = false;
        for inline in inlines {
            let marked = matches!(inline, Inline::ProperName(_) | Inline::BookTitle(_));
            // Two names marked side by side keep a gap between their lines, as in print.
            let mark_class = |name: &str| {
                if after_mark {
                    format!("{name} after-mark")
                } else {
                    name.to_owned()
                }
            };
            match inline {
                Inline::Text(run) => self.run(out, &run.text, &run.text)?,
                Inline::Strong(inner) => self.wrap(out, "strong", inner)?,
                Inline::Emphasis(inner) => self.wrap(out, "em", inner)?,
                Inline::Superscript(inner) => self.wrap(out, "sup", inner)?,
                Inline::Subscript(inner) => self.wrap(out, "sub", inner)?,
                Inline::Code(run) => {
                    out.push_str("<code>");
                    for piece in self
                        .markers
                        .split(TextKey::of(&run.text), &run.text, &self.href)
                    {
                        match piece {
                            Piece::Marker(marker) => out.push_str(&marker),
                            Piece::Text(part) => out.push_str(&with_breaks(part)?),
                        }
                    }
                    out.push_str("</code>");
                }
                Inline::Link(link) => {
                    let _ = write!(out, "<a href=\"{}\">", escape(&iri_to_uri(&link.target)));
                    if link.content.is_empty() {
                        self.literal(out, &link.target)?;
                    } else {
                        self.inlines(out, &link.content)?;
                    }
                    out.push_str("</a>");
                }
                Inline::Note(note) => {
                    let n = self.notes.len() + 1;
                    let (id, back) = match self.anchors.anchor(&note.id) {
                        Some(anchor) => (anchor.to_owned(), format!("{anchor}-ref")),
                        None => (format!("fn{n}"), format!("fnref{n}")),
                    };
                    let _ = write!(
                        out,
                        "<a href=\"#{id}\" id=\"{back}\" epub:type=\"noteref\" role=\"doc-noteref\" class=\"noteref\">{}</a>",
                        self.note_mark(note.resolved)
                    );
                    let mut content = String::new();
                    self.inlines(&mut content, &note.content)?;
                    let mark = self.note_mark(note.resolved);
                    self.notes.push((id, back, mark, content));
                }
                Inline::Ref(reference) => {
                    let Some(target) = &reference.resolved else {
                        continue;
                    };
                    let (href, anchor) = match self.anchors.by_name.get(&reference.id.name) {
                        Some(place) => place.clone(),
                        None => continue,
                    };
                    let words = &target.words;
                    let link = if href == self.href {
                        format!("#{anchor}")
                    } else {
                        format!("{}#{anchor}", href.trim_start_matches("text/"))
                    };
                    let _ = write!(out, "<a href=\"{}\" class=\"ref\">", escape(&link));
                    self.literal(out, words)?;
                    out.push_str("</a>");
                }
                Inline::Ruby(ruby) => {
                    // A page that begins at a character of the base begins before it: the
                    // ruby is closed there and opened again after the marker.
                    let key = TextKey::of(&ruby.base.text);
                    let mut open = false;
                    let mut from = 0;
                    for (base, annotation) in ruby.pairs() {
                        let length = base.chars().count();
                        let markers = self.markers.within(key, from..from + length, &self.href);
                        if !markers.is_empty() && open {
                            out.push_str("</ruby>");
                            open = false;
                        }
                        out.push_str(&markers);
                        if !open {
                            out.push_str("<ruby>");
                            open = true;
                        }
                        let _ = write!(
                            out,
                            "{}<rp>(</rp><rt>{}</rt><rp>)</rp>",
                            text(&base)?,
                            text(annotation)?
                        );
                        from += length;
                    }
                    if open {
                        out.push_str("</ruby>");
                    }
                }
                Inline::ProperName(inner) => {
                    let _ = write!(out, "<span class=\"{}\">", mark_class("proper-name"));
                    self.inlines(out, inner)?;
                    out.push_str("</span>");
                }
                Inline::BookTitle(inner) => {
                    let _ = write!(out, "<span class=\"{}\">", mark_class("book-title"));
                    self.inlines(out, inner)?;
                    out.push_str("</span>");
                }
                // <u>: a mark the text carries whose meaning the book does not say (as
                // pandoc and Word write an underline).
                Inline::Underline(inner) => self.wrap(out, "u", inner)?,
                Inline::Strike(inner) => self.wrap(out, "s", inner)?,
                Inline::Lang(lang) => {
                    let _ = write!(
                        out,
                        "<span lang=\"{tag}\" xml:lang=\"{tag}\">",
                        tag = escape(lang.tag.as_str())
                    );
                    self.inlines(out, &lang.content)?;
                    out.push_str("</span>");
                }
            }
            after_mark = marked;
        }
        Ok(())
    }

    /// A text paiban shows whole (a link's address, a reference's words), with the
    /// markers that stand in it.
    #[allow(clippy::ptr_arg)] // the `String` itself names the text (its address)
    fn literal(&mut self, out: &mut String, whole: &String) -> Result<(), Diagnostic> {
        for piece in self.markers.split(TextKey::of(whole), whole, &self.href) {
            match piece {
                Piece::Marker(marker) => out.push_str(&marker),
                Piece::Text(part) => out.push_str(&text(part)?),
            }
        }
        Ok(())
    }

    fn wrap(&mut self, out: &mut String, tag: &str, inner: &[Inline]) -> Result<(), Diagnostic> {
        let _ = write!(out, "<{tag}>");
        self.inlines(out, inner)?;
        let _ = write!(out, "</{tag}>");
        Ok(())
    }

    /// A note's mark: circled numbers in Chinese and Japanese books, else digits.
    fn note_mark(&self, number: u32) -> String {
        match self.locale {
            Locale::Hans | Locale::Hant | Locale::Japanese if number <= 50 => circled(number),
            _ => number.to_string(),
        }
    }

    /// The part's notes, at its end; each links back to where it is anchored.
    fn write_notes(&mut self, out: &mut String) -> Result<(), Diagnostic> {
        if self.notes.is_empty() {
            return Ok(());
        }
        out.push_str("<section class=\"footnotes\">\n");
        for (id, back, mark, content) in std::mem::take(&mut self.notes) {
            let _ = writeln!(
                out,
                "<aside epub:type=\"footnote\" role=\"doc-footnote\" id=\"{id}\"><p><a href=\"#{back}\" role=\"doc-backlink\" class=\"note-number\">{mark}</a>\u{3000}{content}</p></aside>"
            );
        }
        out.push_str("</section>\n");
        Ok(())
    }
}

fn align_class(align: Align) -> &'static str {
    match align {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
    }
}

/// A link target as a URI: characters outside ASCII percent-encoded (as UTF-8), so that
/// reading systems and EPUBCheck take it.
fn iri_to_uri(target: &str) -> String {
    let mut out = String::with_capacity(target.len());
    for c in target.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    out
}

fn printed_heading(heading: &Heading, locale: Locale) -> String {
    format!(
        "{}{}",
        locale.heading_label(&heading.resolved).unwrap_or_default(),
        heading.text.to_plain()
    )
}

/// The 公文's 版头: 份号, 密级, 紧急程度, the 发文机关标志, and the 发文字号 (with the
/// 签发人 of a 上行文), then the red rule as the header's border.
fn write_banhead(
    out: &mut String,
    gongwen: &Gongwen,
    document: &Document,
    locale: Locale,
) -> Result<(), Diagnostic> {
    let Some(mark) = gongwen.mark_text(document) else {
        return Ok(());
    };
    out.push_str("<header class=\"banhead\">\n");
    let corner = [
        ("copy-number", gongwen.copy_number_text()),
        ("secrecy", gongwen.secrecy.as_ref().map(|r| r.text.clone())),
        ("urgency", gongwen.urgency.as_ref().map(|r| r.text.clone())),
    ];
    for (class, value) in corner {
        if let Some(value) = value {
            let _ = writeln!(out, "<p class=\"{class}\">{}</p>", text(&value)?);
        }
    }
    let _ = writeln!(out, "<p class=\"mark\">{}</p>", text(&mark)?);
    let number = match &gongwen.number {
        Some(number) => text(&number.text)?,
        None => String::new(),
    };
    if gongwen.signers.is_empty() {
        if !number.is_empty() {
            let _ = writeln!(out, "<p class=\"doc-number\">{number}</p>");
        }
    } else {
        // A 上行文: the number left, the 签发人 right, on one line.
        let names = gongwen
            .signers
            .iter()
            .map(|signer| {
                Ok(format!(
                    "<span class=\"signer\">{}</span>",
                    text(&signer.text)?
                ))
            })
            .collect::<Result<Vec<String>, Diagnostic>>()?
            .join("\u{3000}");
        let _ = writeln!(
            out,
            "<p class=\"doc-number upward\"><span class=\"number\">{number}</span>\u{3000}<span class=\"signers\">{}{names}</span></p>",
            text(locale.gongwen_words().signers)?
        );
    }
    out.push_str("</header>\n");
    Ok(())
}

/// What closes a 公文's text: the 附件说明, the issuers and date (the signature), the 附注.
fn write_closing(
    out: &mut String,
    gongwen: &Gongwen,
    document: &Document,
    locale: Locale,
) -> Result<(), Diagnostic> {
    let words = locale.gongwen_words();
    match gongwen.attachments.as_slice() {
        [] => {}
        [one] => {
            let _ = writeln!(
                out,
                "<div class=\"attachments\">\n<p><span class=\"label\">{}</span>{}</p>\n</div>",
                text(words.attachments)?,
                text(&one.text)?
            );
        }
        many => {
            let _ = writeln!(
                out,
                "<div class=\"attachments\">\n<p class=\"label\">{}</p>\n<ol>",
                text(words.attachments)?
            );
            for (i, name) in many.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "<li value=\"{n}\"><span class=\"label\">{n}.</span>{}</li>",
                    text(&name.text)?,
                    n = i + 1
                );
            }
            out.push_str("</ol>\n</div>\n");
        }
    }
    if !document.authors.is_empty() || document.date.is_some() {
        let class = if gongwen.sealed {
            "signature sealed"
        } else {
            "signature"
        };
        let _ = writeln!(out, "<div class=\"{class}\">");
        for author in &document.authors {
            let _ = writeln!(out, "<p class=\"issuer\">{}</p>", text(author)?);
        }
        if let Some(date) = document.date {
            let _ = writeln!(
                out,
                "<p class=\"date\"><time datetime=\"{date}\">{}</time></p>",
                text(&locale.date(date, true))?
            );
        }
        out.push_str("</div>\n");
    }
    if let Some(note) = gongwen.note_text() {
        let _ = writeln!(out, "<p class=\"gongwen-note\">{}</p>", text(&note)?);
    }
    Ok(())
}

/// The 版记: 抄送机关, then 印发机关 and 印发日期.
fn write_banji(out: &mut String, gongwen: &Gongwen, locale: Locale) -> Result<(), Diagnostic> {
    if !gongwen.has_banji() {
        return Ok(());
    }
    out.push_str("<footer class=\"banji\">\n");
    if let Some(copies) = gongwen.copies_to_text() {
        let _ = writeln!(
            out,
            "<p class=\"copies-to\"><span class=\"label\">{}</span>{}</p>",
            text(locale.gongwen_words().copies_to)?,
            text(&copies)?
        );
    }
    let printed_on = gongwen.printed_on_text(locale);
    if gongwen.printed_by.is_some() || printed_on.is_some() {
        out.push_str("<p class=\"printed\">");
        if let Some(by) = &gongwen.printed_by {
            let _ = write!(out, "<span class=\"printed-by\">{}</span>", text(&by.text)?);
        }
        if gongwen.printed_by.is_some() && printed_on.is_some() {
            out.push('\u{3000}');
        }
        if let Some(on) = printed_on {
            let _ = write!(out, "<span class=\"printed-on\">{}</span>", text(&on)?);
        }
        out.push_str("</p>\n");
    }
    out.push_str("</footer>\n");
    Ok(())
}

/// The title block: title, subtitle, issuers and date (month); a 公文's holds the title
/// and subtitle alone, since it signs at the end of its text.
fn write_title_block(
    out: &mut String,
    document: &Document,
    locale: Locale,
) -> Result<(), Diagnostic> {
    // A 公文's 版头 is its header; its title block is then a part like the others (one
    // banner landmark a document).
    let element = if document
        .gongwen
        .as_ref()
        .is_some_and(|g| g.mark_text(document).is_some())
    {
        "div"
    } else {
        "header"
    };
    let _ = writeln!(out, "<{element} class=\"title-block\">");
    let _ = writeln!(out, "<p class=\"title\">{}</p>", text(&document.title)?);
    if let Some(subtitle) = &document.subtitle {
        let _ = writeln!(out, "<p class=\"subtitle\">{}</p>", text(subtitle)?);
    }
    if document.gongwen.is_some() {
        let _ = writeln!(out, "</{element}>");
        return Ok(());
    }
    for author in &document.authors {
        let _ = writeln!(out, "<p class=\"author\">{}</p>", text(author)?);
    }
    if let Some(date) = document.date {
        let words = locale.date(date, false);
        let words = match document.writing {
            Writing::Vertical => upright_digits(&words)?,
            Writing::Horizontal => text(&words)?,
        };
        let _ = writeln!(
            out,
            "<p class=\"date\"><time datetime=\"{date}\">{words}</time></p>"
        );
    }
    let _ = writeln!(out, "</{element}>");
    Ok(())
}

fn page(lang: &str, title: &str, stylesheets: &[&str], body: &str) -> Result<String, Diagnostic> {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\"",
    );
    let _ = write!(
        out,
        " lang=\"{lang}\" xml:lang=\"{lang}\">\n<head>\n<meta charset=\"UTF-8\"/>\n<title>{}</title>\n",
        text(title)?,
        lang = escape(lang)
    );
    for sheet in stylesheets {
        let _ = writeln!(
            out,
            "<link rel=\"stylesheet\" type=\"text/css\" href=\"{}\"/>",
            escape(sheet)
        );
    }
    let _ = write!(out, "</head>\n<body>\n{body}</body>\n</html>\n");
    Ok(out)
}

/// Paragraph text for vertical writing: as [`with_breaks`], with each run of one or two
/// ASCII digits (or `!`, `?`) that stands alone set upright in one em (縦中横); longer
/// runs and Latin words stay rotated, as vertical books set them.
fn upright_digits(content: &str) -> Result<String, Diagnostic> {
    let chars: Vec<char> = content.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let combinable = |c: char| c.is_ascii_digit() || c == '!' || c == '?';
        let run = chars[i..].iter().take_while(|&&c| combinable(c)).count();
        if run == 0 {
            let next = chars[i..]
                .iter()
                .position(|&c| combinable(c))
                .map_or(chars.len(), |k| i + k);
            out.push_str(&with_breaks(&chars[i..next].iter().collect::<String>())?);
            i = next;
            continue;
        }
        let piece: String = chars[i..i + run].iter().collect();
        let latin = |c: Option<&char>| {
            c.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ','))
        };
        let alone =
            !latin(i.checked_sub(1).and_then(|k| chars.get(k))) && !latin(chars.get(i + run));
        if run <= 2 && alone {
            let _ = write!(out, "<span class=\"upright\">{}</span>", escape(&piece));
        } else {
            out.push_str(&escape(&piece));
        }
        i += run;
    }
    Ok(out)
}

/// Paragraph text as XHTML: escaped, its line breaks as `<br/>`.
fn with_breaks(content: &str) -> Result<String, Diagnostic> {
    Ok(text(content)?.replace('\n', "<br/>"))
}

/// Content text as XML character data, for any element. Characters XML cannot carry at
/// all are refused rather than dropped.
pub fn text(content: &str) -> Result<String, Diagnostic> {
    if let Some(bad) = content.chars().find(|&c| !is_xml_char(c)) {
        return Err(Diagnostic::error(
            "epub",
            format!(
                "the character U+{:04X} cannot be written to EPUB (XHTML allows no such character)",
                bad as u32
            ),
        )
        .with_code("control-character"));
    }
    Ok(escape(content))
}

pub fn escape(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    for c in content.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && !matches!(c, '\u{7f}'..='\u{9f}')
}
