//! The EPUB 3 writer: the same numbered model as the PDF, as XHTML in an OCF package.

pub mod css;
mod fonts;
mod package;
mod xhtml;

use std::collections::HashMap;
use std::fmt::Write;

pub use fonts::{EmbeddedFont, FontSource};
use xhtml::{escape, text};

use crate::diag::Diagnostic;
use crate::model::{Date, Document, Locale, Writing};

pub struct EpubOptions<'a> {
    /// The layout's stylesheet (`layouts/<name>/epub.css`).
    pub stylesheet: &'a str,
    /// Faces to embed, each subset to the characters the book uses.
    pub fonts: Vec<FontSource<'a>>,
    /// Seconds since 1970 for `dcterms:modified` and the zip times (SOURCE_DATE_EPOCH);
    /// without it, the content's date, else 2000-01-01: never the wall clock.
    pub source_date_epoch: Option<i64>,
    /// The figures' image files, by project path (`/content/images/map.png`).
    pub images: Vec<Image>,
}

/// An image file the book shows.
pub struct Image {
    pub project_path: String,
    pub bytes: Vec<u8>,
    /// `image/png`, `image/jpeg`, `image/gif`, `image/webp`, `image/svg+xml`.
    pub media_type: &'static str,
}

/// The glyph forms the book's embedded faces must keep: those of every language its
/// text is in, and vertical ones for a vertical book.
fn wanted_forms(document: &Document) -> fonts::Forms {
    let mut languages: std::collections::BTreeSet<_> =
        fonts::Forms::language_system(&document.lang)
            .into_iter()
            .collect();
    for block in document.walk() {
        for text in crate::model::own_texts(block) {
            crate::model::visit(&text.0, &mut |inline| {
                if let crate::model::Inline::Lang(lang) = inline {
                    languages.extend(fonts::Forms::language_system(&lang.tag));
                }
            });
        }
    }
    fonts::Forms {
        languages,
        vertical: document.writing == Writing::Vertical,
    }
}

/// Writes the whole book as EPUB bytes.
pub fn write(document: &Document, options: &EpubOptions) -> Result<Vec<u8>, Diagnostic> {
    let mut sheets = Vec::new();
    if !options.fonts.is_empty() {
        sheets.push("../css/fonts.css");
    }
    sheets.push("../css/book.css");
    // Images in the package by their order, keeping a readable, ASCII name.
    let mut image_files: HashMap<String, String> = HashMap::new();
    for (i, image) in options.images.iter().enumerate() {
        let name: String = image
            .project_path
            .rsplit('/')
            .next()
            .unwrap_or("image")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        image_files.insert(
            image.project_path.clone(),
            format!("images/{}-{name}", i + 1),
        );
    }
    let (chapters, toc) = xhtml::chapters(document, &sheets, &image_files)?;
    let nav_sheets: Vec<&str> = sheets.iter().map(|s| s.trim_start_matches("../")).collect();
    let nav = xhtml::nav(document, &toc, &chapters[0].href, &nav_sheets)?;
    let used: std::collections::BTreeSet<char> = chapters
        .iter()
        .flat_map(|c| c.xhtml.chars())
        .chain(nav.chars())
        .filter(|c| !c.is_control())
        .collect();
    let fonts = options
        .fonts
        .iter()
        .map(|source| fonts::embed(source, &used, &wanted_forms(document)))
        .collect::<Result<Vec<EmbeddedFont>, Diagnostic>>()?;

    let mut package = Manifest::default();
    // The landmarks link to the table of contents, so it must be in the spine; it stays out
    // of the linear reading order, which the chapters make.
    let mut spine = String::from("<itemref idref=\"nav\" linear=\"no\"/>\n");
    package.add(
        "nav",
        "nav.xhtml",
        "application/xhtml+xml",
        Some("nav"),
        nav.into_bytes(),
    );
    let stylesheet = options.stylesheet.as_bytes().to_vec();
    package.add("css", "css/book.css", "text/css", None, stylesheet);
    if !fonts.is_empty() {
        let mut css = String::new();
        let mut names = std::collections::BTreeSet::new();
        for (i, mut font) in fonts.into_iter().enumerate() {
            // Two faces of one collection file share its stem: number the later ones.
            if !names.insert(font.file_name.clone()) {
                font.file_name = format!("{}-{}", i + 1, font.file_name);
                names.insert(font.file_name.clone());
            }
            let _ = writeln!(
                css,
                "@font-face {{ font-family: \"{}\"; font-weight: {}; font-style: normal; src: url(\"../fonts/{}\"); }}",
                font.family, font.weight, font.file_name
            );
            let href = format!("fonts/{}", font.file_name);
            package.add(
                &format!("font{}", i + 1),
                &href,
                font.media_type,
                None,
                font.data,
            );
        }
        package.add(
            "fonts-css",
            "css/fonts.css",
            "text/css",
            None,
            css.into_bytes(),
        );
    }
    for (i, image) in options.images.iter().enumerate() {
        let href = &image_files[&image.project_path];
        package.add(
            &format!("img{}", i + 1),
            href,
            image.media_type,
            None,
            image.bytes.clone(),
        );
    }
    for (i, chapter) in chapters.into_iter().enumerate() {
        let id = format!("ch{:02}", i + 1);
        let _ = writeln!(spine, "<itemref idref=\"{id}\"/>");
        let xhtml = chapter.xhtml.into_bytes();
        package.add(&id, &chapter.href, "application/xhtml+xml", None, xhtml);
    }

    let modified = modified_time(document.date, options.source_date_epoch);
    let opf = package_document(document, &package.items, &spine, &modified)?;
    package
        .files
        .insert(0, ("package.opf".to_owned(), opf.into_bytes()));
    Ok(package::zip(&package.files, modified.zip))
}

/// The files of the package and their `<item>` lines, in the same order.
#[derive(Default)]
struct Manifest {
    files: Vec<(String, Vec<u8>)>,
    items: String,
}

impl Manifest {
    fn add(&mut self, id: &str, href: &str, media: &str, properties: Option<&str>, bytes: Vec<u8>) {
        let properties = properties
            .map(|p| format!(" properties=\"{p}\""))
            .unwrap_or_default();
        let _ = writeln!(
            self.items,
            "<item id=\"{id}\" href=\"{}\" media-type=\"{media}\"{properties}/>",
            escape(href)
        );
        self.files.push((href.to_owned(), bytes));
    }
}

struct Modified {
    iso: String,
    zip: zip::DateTime,
}

fn modified_time(date: Option<Date>, source_date_epoch: Option<i64>) -> Modified {
    let (y, mo, d, h, mi, s) = match (source_date_epoch, date) {
        (Some(epoch), _) => {
            let days = epoch.div_euclid(86_400);
            let secs = epoch.rem_euclid(86_400);
            let (y, mo, d) = crate::model::civil_from_days(days);
            (
                y,
                mo,
                d,
                (secs / 3600) as u8,
                (secs / 60 % 60) as u8,
                (secs % 60) as u8,
            )
        }
        (None, Some(date)) => (i32::from(date.year), date.month, date.day, 0, 0, 0),
        (None, None) => (2000, 1, 1, 0, 0, 0),
    };
    // Zip times start in 1980 and stop in 2107.
    let zip = zip::DateTime::from_date_and_time(y.clamp(1980, 2107) as u16, mo, d, h, mi, s)
        .unwrap_or_default();
    Modified {
        iso: format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"),
        zip,
    }
}

/// The content's own identifier, else a UUID v5 of what identifies the work.
fn identifier(document: &Document) -> String {
    if let Some(identifier) = &document.identifier {
        return identifier.clone();
    }
    let mut name = format!("paiban:{}", document.title);
    for author in &document.authors {
        name.push('\u{1f}');
        name.push_str(author);
    }
    if let Some(date) = document.date {
        let _ = write!(name, "\u{1f}{date}");
    }
    format!(
        "urn:uuid:{}",
        uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, name.as_bytes())
    )
}

fn package_document(
    document: &Document,
    manifest: &str,
    spine: &str,
    modified: &Modified,
) -> Result<String, Diagnostic> {
    let lang = escape(document.lang.as_str());
    // Vertical lines are read right to left, so the pages turn the other way.
    let direction = match document.writing {
        Writing::Vertical => " page-progression-direction=\"rtl\"",
        Writing::Horizontal => "",
    };
    let mut meta = String::new();
    let _ = writeln!(
        meta,
        "<dc:identifier id=\"book-id\">{}</dc:identifier>",
        text(&identifier(document))?
    );
    let _ = writeln!(meta, "<dc:title>{}</dc:title>", text(&document.title)?);
    for author in &document.authors {
        let _ = writeln!(meta, "<dc:creator>{}</dc:creator>", text(author)?);
    }
    if let Some(date) = document.date {
        let _ = writeln!(meta, "<dc:date>{date}</dc:date>");
    }
    let _ = writeln!(meta, "<dc:language>{lang}</dc:language>");
    if let Some(source) = &document.source {
        let _ = writeln!(meta, "<dc:source>{}</dc:source>", text(source)?);
    }
    let _ = writeln!(
        meta,
        "<meta property=\"dcterms:modified\">{}</meta>",
        modified.iso
    );
    meta.push_str(
        "<meta property=\"schema:accessMode\">textual</meta>\n\
         <meta property=\"schema:accessModeSufficient\">textual</meta>\n\
         <meta property=\"schema:accessibilityFeature\">structuralNavigation</meta>\n\
         <meta property=\"schema:accessibilityFeature\">tableOfContents</meta>\n\
         <meta property=\"schema:accessibilityFeature\">readingOrder</meta>\n\
         <meta property=\"schema:accessibilityHazard\">none</meta>\n",
    );
    let _ = writeln!(
        meta,
        "<meta property=\"schema:accessibilitySummary\">{}</meta>",
        text(&Locale::of(&document.lang).accessibility_summary())?
    );
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"book-id\" xml:lang=\"{lang}\">\n\
         <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n{meta}</metadata>\n\
         <manifest>\n{manifest}</manifest>\n<spine{direction}>\n{spine}</spine>\n</package>\n"
    ))
}
