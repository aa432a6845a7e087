//! Preflight: what a printer checks in a finished PDF. Page count and trim size, the page
//! boxes, every font with its embedded / subset / Unicode status, the standards claimed,
//! and the resolution of images.

use std::collections::BTreeMap;
use std::fmt::Write;

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
}

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
                for resources in dictionaries {
                    walk_resources(
                        &document,
                        resources,
                        *number as usize,
                        &mut fonts,
                        &mut images,
                        0,
                    );
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
                "image on page {}: {}×{} pixels (check its printed size for 300 ppi)",
                image.page, image.pixels.0, image.pixels.1
            );
        }
        out
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

/// Fonts and images of a resource dictionary, and of the form XObjects it uses.
fn walk_resources(
    document: &Document,
    resources: &Dictionary,
    page: usize,
    fonts: &mut BTreeMap<String, FontStatus>,
    images: &mut Vec<ImageStatus>,
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
        let Some(Object::Stream(stream)) = resolve(document, object) else {
            continue;
        };
        if name_at(document, &stream.dict, b"Subtype") == Some(b"Image") {
            let dimension = |key: &[u8]| {
                entry(document, &stream.dict, key)
                    .and_then(|v| v.as_i64().ok())
                    .unwrap_or(0)
            };
            images.push(ImageStatus {
                page,
                pixels: (dimension(b"Width"), dimension(b"Height")),
            });
        } else if depth <= 8
            && let Some(inner) = dictionary_at(document, &stream.dict, b"Resources")
        {
            walk_resources(document, inner, page, fonts, images, depth + 1);
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
