//! The EPUB 3 writer: the same numbered model as the PDF, as XHTML in an OCF package.

pub mod css;
mod fonts;
mod package;
mod pages;
mod xhtml;

use std::collections::HashMap;
use std::fmt::Write;

pub use fonts::{EmbeddedFont, FontSource};
use xhtml::{escape, text};

use crate::diag::Diagnostic;
use crate::model::locale::AccessibilityFacts;
use crate::model::pagelist::PageList;
use crate::model::{Block, Date, Document, Locale, Writing};

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
    /// The print edition's pages, to mark where each begins and list them.
    pub page_list: Option<&'a PageList>,
    /// The cover: the content's cover image, or the title page as a picture.
    pub cover: Option<Cover>,
}

/// The book's cover picture.
pub struct Cover {
    pub bytes: Vec<u8>,
    /// A media type a reading system shows (PNG, JPEG, GIF, WebP, SVG).
    pub media_type: &'static str,
}

impl Cover {
    /// The cover's file name in the package.
    fn file_name(&self) -> String {
        let extension = match self.media_type {
            "image/jpeg" => "jpg",
            "image/gif" => "gif",
            "image/webp" => "webp",
            "image/svg+xml" => "svg",
            _ => "png",
        };
        format!("images/cover.{extension}")
    }
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
    let (chapters, toc, page_list_nav) =
        xhtml::chapters(document, &sheets, &image_files, options.page_list)?;
    let nav_sheets: Vec<&str> = sheets.iter().map(|s| s.trim_start_matches("../")).collect();
    let cover_page = match &options.cover {
        Some(cover) => Some(xhtml::cover(document, &sheets, &cover.file_name())?),
        None => None,
    };
    let nav = xhtml::nav(
        document,
        &toc,
        &chapters[0].href,
        &nav_sheets,
        &page_list_nav,
        cover_page.as_ref().map(|_| xhtml::COVER_PAGE),
    )?;
    let used: std::collections::BTreeSet<char> = chapters
        .iter()
        .flat_map(|c| c.xhtml.chars())
        .chain(nav.chars())
        .chain(cover_page.iter().flat_map(|c| c.chars()))
        .filter(|c| !c.is_control())
        .collect();
    let fonts = options
        .fonts
        .iter()
        .map(|source| fonts::embed(source, &used, &wanted_forms(document)))
        .collect::<Result<Vec<EmbeddedFont>, Diagnostic>>()?;

    let mut package = Manifest::default();
    // The cover first; the landmarks link to the table of contents, so it must be in the
    // spine; it stays out of the linear reading order, which the chapters make.
    let mut spine = String::new();
    if let (Some(cover), Some(page)) = (&options.cover, cover_page) {
        spine.push_str("<itemref idref=\"cover\"/>\n");
        package.add(
            "cover",
            xhtml::COVER_PAGE,
            "application/xhtml+xml",
            None,
            page.into_bytes(),
        );
        package.add(
            "cover-image",
            &cover.file_name(),
            cover.media_type,
            Some("cover-image"),
            cover.bytes.clone(),
        );
    }
    spine.push_str("<itemref idref=\"nav\" linear=\"no\"/>\n");
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
    let opf = package_document(document, options, &package.items, &spine, &modified)?;
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
    options: &EpubOptions,
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
    accessibility(&mut meta, document, options)?;
    if options.cover.is_some() {
        // For reading systems that look for the cover as EPUB 2 named it.
        meta.push_str("<meta name=\"cover\" content=\"cover-image\"/>\n");
    }
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"book-id\" xml:lang=\"{lang}\">\n\
         <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n{meta}</metadata>\n\
         <manifest>\n{manifest}</manifest>\n<spine{direction}>\n{spine}</spine>\n</package>\n"
    ))
}

/// The accessibility metadata of the book as built: what it holds (text, and images if
/// it has figures), what helps to read it (alternative text only when every figure has
/// it, page navigation only with a page list), and the conformance claim only when the
/// book meets it: every figure described, and the print edition's pages marked (EPUB
/// Accessibility 1.1 asks for page navigation when a print edition exists, as the PDF
/// does). The rest of the claim rests on what paiban writes for every book and what CI
/// checks on every sample with Ace by DAISY and EPUBCheck.
fn accessibility(
    meta: &mut String,
    document: &Document,
    options: &EpubOptions,
) -> Result<(), Diagnostic> {
    let mut facts = AccessibilityFacts::default();
    let mut headings = false;
    for block in document.walk() {
        match block {
            Block::Figure(figure) => {
                facts.figures += 1;
                if figure
                    .alt
                    .as_deref()
                    .is_some_and(|alt| !alt.trim().is_empty())
                {
                    facts.described += 1;
                }
            }
            Block::Sidebar(_) => facts.panels = true,
            Block::Heading(_) | Block::Appendix(_) => headings = true,
            _ => {}
        }
    }
    facts.print_edition = options.page_list.map(|list| list.edition.clone());
    facts.conforms = facts.described == facts.figures && options.page_list.is_some();
    let mut line = |property: &str, value: &str| {
        let _ = writeln!(meta, "<meta property=\"{property}\">{value}</meta>");
    };
    line("schema:accessMode", "textual");
    if facts.figures > 0 {
        line("schema:accessMode", "visual");
    }
    if facts.described == facts.figures {
        line("schema:accessModeSufficient", "textual");
    }
    if facts.figures > 0 {
        line("schema:accessModeSufficient", "textual,visual");
    }
    if headings {
        line("schema:accessibilityFeature", "structuralNavigation");
    }
    line("schema:accessibilityFeature", "tableOfContents");
    line("schema:accessibilityFeature", "readingOrder");
    if facts.figures > 0 && facts.described == facts.figures {
        line("schema:accessibilityFeature", "alternativeText");
    }
    if options.page_list.is_some() {
        line("schema:accessibilityFeature", "pageBreakMarkers");
        line("schema:accessibilityFeature", "pageNavigation");
    }
    // An animated GIF may flash; paiban does not look inside one.
    let gif = options
        .images
        .iter()
        .any(|image| image.media_type == "image/gif");
    if gif {
        line("schema:accessibilityHazard", "unknownFlashingHazard");
        line("schema:accessibilityHazard", "noMotionSimulationHazard");
        line("schema:accessibilityHazard", "noSoundHazard");
    } else {
        line("schema:accessibilityHazard", "none");
    }
    line(
        "schema:accessibilitySummary",
        &text(&Locale::of(&document.lang).accessibility_summary(&facts))?,
    );
    if let Some(list) = options.page_list {
        line("pageBreakSource", &text(&list.source)?);
    }
    if facts.conforms {
        line(
            "dcterms:conformsTo",
            "EPUB Accessibility 1.1 - WCAG 2.2 Level AA",
        );
    }
    Ok(())
}
