//! Preflight: what a printer checks in a finished PDF. Page count and trim size, the page
//! boxes, every font with its embedded / subset / Unicode status, the standards claimed,
//! and the resolution of images.

use std::collections::BTreeMap;
use std::fmt::Write;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object};

const POINTS_PER_MM: f64 = 72.0 / 25.4;

#[derive(Debug, Clone, PartialEq)]
pub struct FontStatus {
    pub name: String,
    pub embedded: bool,
    pub subset: bool,
    pub unicode: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImageStatus {
    pub page: usize,
    pub pixels: (i64, i64),
    /// The size it is printed at, in points.
    pub placed: (f64, f64),
}

impl ImageStatus {
    /// Pixels per inch at the printed size (the lower of the two directions).
    pub fn ppi(&self) -> f64 {
        let across = self.pixels.0 as f64 / (self.placed.0 / 72.0);
        let down = self.pixels.1 as f64 / (self.placed.1 / 72.0);
        across.min(down)
    }
}

/// Below this an image prints visibly soft.
pub const MIN_PPI: f64 = 300.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Preflight {
    pub pages: usize,
    /// For each kind of box, its size in mm and how many pages have it.
    pub boxes: BTreeMap<String, BTreeMap<String, usize>>,
    pub fonts: Vec<FontStatus>,
    /// `PDF/A-2B`, `PDF/UA-1`, from the XMP metadata.
    pub standards: Vec<String>,
    pub images: Vec<ImageStatus>,
}

impl Preflight {
    pub fn read(pdf: &[u8]) -> Result<Self, String> {
        let document = Document::load_mem(pdf).map_err(|e| format!("cannot read the PDF: {e}"))?;
        let pages = document.get_pages();
        let mut boxes: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        let mut fonts: BTreeMap<String, FontStatus> = BTreeMap::new();
        let mut images = Vec::new();
        for (number, id) in &pages {
            let page = document.get_dictionary(*id).map_err(|e| e.to_string())?;
            for name in ["MediaBox", "CropBox", "BleedBox", "TrimBox", "ArtBox"] {
                if let Ok(Object::Array(values)) = page.get(name.as_bytes()) {
                    let v: Vec<f64> = values.iter().filter_map(number_of).collect();
                    if let [x0, y0, x1, y1] = v[..] {
                        let size = format!(
                            "{:.1}×{:.1} mm",
                            (x1 - x0) / POINTS_PER_MM,
                            (y1 - y0) / POINTS_PER_MM
                        );
                        *boxes
                            .entry(name.to_owned())
                            .or_default()
                            .entry(size)
                            .or_default() += 1;
                    }
                }
            }
            if let Ok((direct, referenced)) = document.get_page_resources(*id) {
                let mut dictionaries: Vec<&Dictionary> = direct.into_iter().collect();
                dictionaries.extend(
                    referenced
                        .iter()
                        .filter_map(|id| document.get_dictionary(*id).ok()),
                );
                for resources in &dictionaries {
                    walk_resources(&document, resources, &mut fonts, 0);
                }
                if let Ok(content) = Content::decode(&document.get_page_content(*id)) {
                    let mut drawing = Drawing {
                        document: &document,
                        page: *number as usize,
                        images: &mut images,
                    };
                    drawing.run(&content.operations, &dictionaries, IDENTITY, 0);
                }
            }
        }
        Ok(Self {
            pages: pages.len(),
            boxes,
            fonts: fonts.into_values().collect(),
            standards: standards(pdf),
            images,
        })
    }

    /// What stops this PDF going to press: fonts not embedded, and when a bleed was asked
    /// for, pages without a BleedBox.
    pub fn problems(&self, bleed_expected: bool) -> Vec<String> {
        let mut problems: Vec<String> = self
            .fonts
            .iter()
            .filter(|f| !f.embedded)
            .map(|f| format!("font {} is not embedded", f.name))
            .collect();
        let with_bleed: usize = self.boxes.get("BleedBox").map_or(0, |b| b.values().sum());
        if bleed_expected && with_bleed < self.pages {
            problems.push(format!(
                "{} of {} pages have no BleedBox",
                self.pages - with_bleed,
                self.pages
            ));
        }
        problems
    }

    pub fn report(&self) -> String {
        let mut out = String::new();
        let trim = self
            .boxes
            .get("TrimBox")
            .or_else(|| self.boxes.get("MediaBox"))
            .map(|sizes| sizes.keys().cloned().collect::<Vec<_>>().join(", "))
            .unwrap_or_default();
        let _ = writeln!(out, "pages: {}; trim: {trim}", self.pages);
        for (name, sizes) in &self.boxes {
            let list: Vec<String> = sizes
                .iter()
                .map(|(size, count)| format!("{size} on {count} pages"))
                .collect();
            let _ = writeln!(out, "{name}: {}", list.join("; "));
        }
        for font in &self.fonts {
            let yes = |b: bool| if b { "yes" } else { "NO" };
            let _ = writeln!(
                out,
                "font {}: embedded {}, subset {}, Unicode {}",
                font.name,
                yes(font.embedded),
                yes(font.subset),
                yes(font.unicode)
            );
        }
        let standards = if self.standards.is_empty() {
            "none".to_owned()
        } else {
            self.standards.join(", ")
        };
        let _ = writeln!(out, "standards claimed: {standards}");
        if self.images.is_empty() {
            let _ = writeln!(out, "images: none");
        }
        for image in &self.images {
            let _ = writeln!(
                out,
                "image on page {}: {}×{} pixels at {:.1}×{:.1} mm: {:.0} ppi{}",
                image.page,
                image.pixels.0,
                image.pixels.1,
                image.placed.0 / POINTS_PER_MM,
                image.placed.1 / POINTS_PER_MM,
                image.ppi(),
                if image.ppi() < MIN_PPI {
                    " (below 300)"
                } else {
                    ""
                }
            );
        }
        out
    }

    /// What a printer would want to know but that does not stop the press: images
    /// printed at less than 300 pixels per inch.
    pub fn warnings(&self) -> Vec<String> {
        self.images
            .iter()
            .filter(|image| image.ppi() < MIN_PPI)
            .map(|image| {
                format!(
                    "the image on page {} ({}×{} pixels) prints at {:.1}×{:.1} mm, {:.0} ppi: below 300 ppi it prints soft; use a larger image or print it smaller",
                    image.page,
                    image.pixels.0,
                    image.pixels.1,
                    image.placed.0 / POINTS_PER_MM,
                    image.placed.1 / POINTS_PER_MM,
                    image.ppi()
                )
            })
            .collect()
    }
}

/// A transformation matrix [a b c d e f], as PDF writes them.
type Matrix = [f64; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n`: the matrix of drawing with `m` inside a space transformed by `n`.
fn concat(m: Matrix, n: Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

/// Follows a page's drawing operators to find where each image is drawn and how large:
/// an image fills the unit square of the transformation in force when it is drawn.
struct Drawing<'a> {
    document: &'a Document,
    page: usize,
    images: &'a mut Vec<ImageStatus>,
}

impl Drawing<'_> {
    fn run(
        &mut self,
        operations: &[Operation],
        resources: &[&Dictionary],
        start: Matrix,
        depth: usize,
    ) {
        let mut ctm = start;
        let mut saved = Vec::new();
        for operation in operations {
            match operation.operator.as_str() {
                "q" => saved.push(ctm),
                "Q" => ctm = saved.pop().unwrap_or(start),
                "cm" => {
                    let v: Vec<f64> = operation.operands.iter().filter_map(number_of).collect();
                    if let [a, b, c, d, e, f] = v[..] {
                        ctm = concat([a, b, c, d, e, f], ctm);
                    }
                }
                "Do" => {
                    let Some(name) = operation.operands.first().and_then(|o| o.as_name().ok())
                    else {
                        continue;
                    };
                    self.draw(name, resources, ctm, depth);
                }
                _ => {}
            }
        }
    }

    fn draw(&mut self, name: &[u8], resources: &[&Dictionary], ctm: Matrix, depth: usize) {
        let stream = resources.iter().find_map(|resources| {
            let objects = dictionary_at(self.document, resources, b"XObject")?;
            match resolve(self.document, objects.get(name).ok()?)? {
                Object::Stream(stream) => Some(stream),
                _ => None,
            }
        });
        let Some(stream) = stream else { return };
        match name_at(self.document, &stream.dict, b"Subtype") {
            Some(b"Image") => {
                let dimension = |key: &[u8]| {
                    entry(self.document, &stream.dict, key)
                        .and_then(|v| v.as_i64().ok())
                        .unwrap_or(0)
                };
                let width = ctm[0].hypot(ctm[1]);
                let height = ctm[2].hypot(ctm[3]);
                if width > 0.0 && height > 0.0 {
                    self.images.push(ImageStatus {
                        page: self.page,
                        pixels: (dimension(b"Width"), dimension(b"Height")),
                        placed: (width, height),
                    });
                }
            }
            Some(b"Form") if depth < 8 => {
                let matrix = entry(self.document, &stream.dict, b"Matrix")
                    .and_then(|m| m.as_array().ok())
                    .map(|m| m.iter().filter_map(number_of).collect::<Vec<f64>>())
                    .and_then(|m| <[f64; 6]>::try_from(m).ok())
                    .unwrap_or(IDENTITY);
                let inner: Vec<&Dictionary> =
                    match dictionary_at(self.document, &stream.dict, b"Resources") {
                        Some(own) => vec![own],
                        None => resources.to_vec(),
                    };
                if let Ok(data) = stream
                    .decompressed_content()
                    .or_else(|_| Ok::<_, ()>(stream.content.clone()))
                    && let Ok(content) = Content::decode(&data)
                {
                    self.run(&content.operations, &inner, concat(matrix, ctm), depth + 1);
                }
            }
            _ => {}
        }
    }
}

fn number_of(object: &Object) -> Option<f64> {
    match object {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

fn resolve<'a>(document: &'a Document, object: &'a Object) -> Option<&'a Object> {
    match object {
        Object::Reference(id) => document.get_object(*id).ok(),
        other => Some(other),
    }
}

/// The value of `key` in `dictionary`, following a reference.
fn entry<'a>(document: &'a Document, dictionary: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    resolve(document, dictionary.get(key).ok()?)
}

fn dictionary_at<'a>(
    document: &'a Document,
    dictionary: &'a Dictionary,
    key: &[u8],
) -> Option<&'a Dictionary> {
    entry(document, dictionary, key)?.as_dict().ok()
}

fn name_at<'a>(document: &'a Document, dictionary: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    entry(document, dictionary, key)?.as_name().ok()
}

/// Fonts of a resource dictionary, and of the form XObjects it uses.
fn walk_resources(
    document: &Document,
    resources: &Dictionary,
    fonts: &mut BTreeMap<String, FontStatus>,
    depth: usize,
) {
    if let Some(font_resources) = dictionary_at(document, resources, b"Font") {
        for (_, font) in font_resources.iter() {
            if let Some(Object::Dictionary(font)) = resolve(document, font) {
                let status = font_status(document, font);
                fonts.insert(status.name.clone(), status);
            }
        }
    }
    let Some(objects) = dictionary_at(document, resources, b"XObject") else {
        return;
    };
    for (_, object) in objects.iter() {
        if let Some(Object::Stream(stream)) = resolve(document, object)
            && name_at(document, &stream.dict, b"Subtype") != Some(b"Image")
            && depth <= 8
            && let Some(inner) = dictionary_at(document, &stream.dict, b"Resources")
        {
            walk_resources(document, inner, fonts, depth + 1);
        }
    }
}

fn font_status(document: &Document, font: &Dictionary) -> FontStatus {
    let name = name_at(document, font, b"BaseFont")
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .unwrap_or_else(|| "(unnamed)".to_owned());
    // A composite font keeps its descriptor on the descendant CIDFont.
    let descendant = entry(document, font, b"DescendantFonts")
        .and_then(|o| o.as_array().ok())
        .and_then(|a| a.first())
        .and_then(|o| resolve(document, o))
        .and_then(|o| o.as_dict().ok());
    let descriptor = dictionary_at(document, descendant.unwrap_or(font), b"FontDescriptor");
    let embedded = descriptor.is_some_and(|d| {
        [&b"FontFile"[..], b"FontFile2", b"FontFile3"]
            .iter()
            .any(|key| d.has(key))
    }) || name_at(document, font, b"Subtype") == Some(b"Type3");
    let subset = name.len() > 7
        && name.as_bytes()[6] == b'+'
        && name.as_bytes()[..6].iter().all(u8::is_ascii_uppercase);
    FontStatus {
        name,
        embedded,
        subset,
        unicode: font.has(b"ToUnicode"),
    }
}

/// The standards the XMP packet claims (typst writes it uncompressed, as PDF/A asks).
fn standards(pdf: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(pdf);
    let field = |tag: &str| -> Option<String> {
        let start = text.find(&format!("<{tag}>"))? + tag.len() + 2;
        let end = text[start..].find('<')? + start;
        Some(text[start..end].trim().to_owned())
    };
    let mut out = Vec::new();
    if let Some(part) = field("pdfaid:part") {
        let conformance = field("pdfaid:conformance").unwrap_or_default();
        out.push(format!("PDF/A-{part}{}", conformance.to_ascii_lowercase()));
    }
    if let Some(part) = field("pdfuaid:part") {
        out.push(format!("PDF/UA-{part}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    /// A one-page PDF that uses Helvetica without embedding it.
    fn unembedded_font_pdf() -> Vec<u8> {
        let mut doc = Document::with_version("1.7");
        let pages_id = doc.new_object_id();
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        });
        let resources_id = doc.add_object(dictionary! {
            "Font" => dictionary! { "F1" => font_id },
        });
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            }),
        );
        let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog_id);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn a_font_that_is_not_embedded_is_a_problem() {
        let preflight = Preflight::read(&unembedded_font_pdf()).unwrap();
        assert_eq!(preflight.pages, 1);
        assert_eq!(
            preflight.fonts,
            [FontStatus {
                name: "Helvetica".into(),
                embedded: false,
                subset: false,
                unicode: false
            }]
        );
        assert_eq!(
            preflight.problems(false),
            ["font Helvetica is not embedded"]
        );
        assert_eq!(preflight.problems(true)[1], "1 of 1 pages have no BleedBox");
        assert!(
            preflight
                .report()
                .contains("MediaBox: 209.9×297.0 mm on 1 pages")
        );
    }
}
