//! XHTML content documents and the navigation document.

use std::fmt::Write;

use crate::diag::Diagnostic;
use crate::model::{Block, Document, Locale};

/// One content document: the blocks from one level-1 heading to the next.
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

/// Splits the document at level-1 headings and writes each part.
pub fn chapters(
    document: &Document,
    stylesheets: &[&str],
) -> Result<(Vec<Chapter>, Vec<TocEntry>), Diagnostic> {
    let lang = document.lang.as_str();
    let locale = Locale::of(&document.lang);
    let mut parts: Vec<Vec<&Block>> = vec![Vec::new()];
    for block in &document.body {
        let starts_part = matches!(block, Block::Heading(h) if h.level == 1);
        if starts_part && !parts.last().expect("one part").is_empty() {
            parts.push(Vec::new());
        }
        parts.last_mut().expect("one part").push(block);
    }

    let mut ids = Ids::default();
    let mut chapters = Vec::new();
    let mut toc = Vec::new();
    for (index, blocks) in parts.iter().enumerate() {
        let href = format!("text/ch{:02}.xhtml", index + 1);
        let mut body = String::new();
        if index == 0 {
            write_title_block(&mut body, document, locale)?;
        }
        let mut title = None;
        for block in blocks {
            write_block(&mut body, block, &href, locale, &mut ids, &mut toc)?;
            if let (None, Block::Heading(h)) = (&title, block) {
                title = Some(printed_heading(h, locale));
            }
        }
        let title = title.unwrap_or_else(|| document.title.clone());
        let xhtml = page(
            lang,
            &title,
            stylesheets,
            &format!("<section epub:type=\"chapter\" role=\"doc-chapter\">\n{body}</section>\n"),
        )?;
        chapters.push(Chapter { href, xhtml });
    }
    Ok((chapters, toc))
}

/// The navigation document: the table of contents (nested by level) and landmarks.
pub fn nav(
    document: &Document,
    toc: &[TocEntry],
    first_chapter: &str,
    stylesheets: &[&str],
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
    let _ = write!(
        out,
        "<nav epub:type=\"landmarks\" id=\"landmarks\" hidden=\"hidden\">\n<h2>{}</h2>\n<ol>\n\
         <li><a epub:type=\"toc\" href=\"nav.xhtml#toc\">{}</a></li>\n\
         <li><a epub:type=\"bodymatter\" href=\"{}\">{}</a></li>\n</ol>\n</nav>\n",
        text(locale.landmarks())?,
        text(locale.contents())?,
        escape(first_chapter),
        text(locale.body_matter())?,
    );
    page(document.lang.as_str(), locale.contents(), stylesheets, &out)
}

#[derive(Default)]
struct Ids {
    headings: usize,
    sidebars: usize,
}

fn printed_heading(heading: &crate::model::Heading, locale: Locale) -> String {
    format!(
        "{}{}",
        locale.heading_label(&heading.resolved).unwrap_or_default(),
        heading.text
    )
}

fn write_title_block(
    out: &mut String,
    document: &Document,
    locale: Locale,
) -> Result<(), Diagnostic> {
    out.push_str("<header class=\"title-block\">\n");
    let _ = writeln!(out, "<p class=\"title\">{}</p>", text(&document.title)?);
    if let Some(subtitle) = &document.subtitle {
        let _ = writeln!(out, "<p class=\"subtitle\">{}</p>", text(subtitle)?);
    }
    for author in &document.authors {
        let _ = writeln!(out, "<p class=\"author\">{}</p>", text(author)?);
    }
    if let Some(date) = document.date {
        let _ = writeln!(
            out,
            "<p class=\"date\"><time datetime=\"{date}\">{}</time></p>",
            text(&locale.date(date, false))?
        );
    }
    out.push_str("</header>\n");
    Ok(())
}

fn write_block(
    out: &mut String,
    block: &Block,
    href: &str,
    locale: Locale,
    ids: &mut Ids,
    toc: &mut Vec<TocEntry>,
) -> Result<(), Diagnostic> {
    match block {
        Block::Paragraph(paragraph) => {
            let _ = writeln!(
                out,
                "<p>{}</p>",
                with_breaks(paragraph.trim_end_matches('\n'))?
            );
        }
        Block::Heading(heading) => {
            ids.headings += 1;
            let id = format!("h{}", ids.headings);
            let number = match locale.heading_label(&heading.resolved) {
                Some(label) => format!("<span class=\"number\">{}</span>", text(&label)?),
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "<h{level} id=\"{id}\">{number}{}</h{level}>",
                text(&heading.text)?,
                level = heading.level
            );
            toc.push(TocEntry {
                level: heading.level,
                text: printed_heading(heading, locale),
                href: format!("{href}#{id}"),
            });
        }
        Block::Sidebar(sidebar) => {
            ids.sidebars += 1;
            let id = format!("panel{}", ids.sidebars);
            let _ = writeln!(
                out,
                "<aside class=\"sidebar\" aria-labelledby=\"{id}\">\n\
                 <p class=\"sidebar-title\" id=\"{id}\"><span class=\"number\">{}</span>{}{}</p>",
                text(&locale.sidebar_label(sidebar.resolved))?,
                locale.sidebar_separator(),
                text(&sidebar.title)?
            );
            for inner in &sidebar.body {
                write_block(out, inner, href, locale, ids, toc)?;
            }
            out.push_str("</aside>\n");
        }
        Block::Dateline(dateline) => {
            let _ = writeln!(out, "<p class=\"dateline\">{}</p>", with_breaks(dateline)?);
        }
    }
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
