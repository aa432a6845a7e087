//! What typst does not write into the PDF, added to the finished file in one pass (with
//! lopdf): the BleedBox (trim + bleed) of every page, and the document's whole language
//! tag, since typst knows only language and region (`zh-TW` for `zh-Hant-TW`).

use lopdf::{Document, Object};

const POINTS_PER_MM: f64 = 72.0 / 25.4;

/// Changes to make to a finished PDF.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Amendments {
    /// Add `/BleedBox` = TrimBox grown by this much on every side, to every page.
    pub bleed_mm: Option<f64>,
    /// The catalog's `/Lang`, when it must say more than typst wrote.
    pub language: Option<String>,
}

impl Amendments {
    /// The amendments `pdf` needs: the bleed box if asked for; the language if the PDF
    /// does not already declare exactly `language`.
    pub fn needed(pdf: &[u8], bleed_mm: Option<f64>, language: &str) -> Self {
        let declared = format!("/Lang({})", language);
        let has_language = memchr::memmem::find(pdf, declared.as_bytes()).is_some();
        Self {
            bleed_mm,
            language: (!has_language).then(|| language.to_owned()),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.bleed_mm.is_none() && self.language.is_none()
    }
}

/// `pdf` with `amendments` made.
pub fn amend(pdf: &[u8], amendments: &Amendments) -> Result<Vec<u8>, String> {
    let mut document = Document::load_mem(pdf).map_err(|e| format!("cannot read the PDF: {e}"))?;
    if let Some(bleed_mm) = amendments.bleed_mm {
        add_bleed_box(&mut document, bleed_mm)?;
    }
    if let Some(language) = &amendments.language {
        let catalog = document
            .catalog_mut()
            .map_err(|e| format!("the PDF has no catalog: {e}"))?;
        catalog.set(
            "Lang",
            Object::String(language.as_bytes().to_vec(), lopdf::StringFormat::Literal),
        );
    }
    let mut out = Vec::with_capacity(pdf.len() + 1024);
    document
        .save_to(&mut out)
        .map_err(|e| format!("cannot write the PDF: {e}"))?;
    Ok(out)
}

fn add_bleed_box(document: &mut Document, bleed_mm: f64) -> Result<(), String> {
    let bleed = bleed_mm * POINTS_PER_MM;
    let pages: Vec<_> = document.get_pages().into_values().collect();
    for id in pages {
        let page = document
            .get_object_mut(id)
            .and_then(Object::as_dict_mut)
            .map_err(|e| format!("page {id:?}: {e}"))?;
        let trim = match page.get(b"TrimBox").or_else(|_| page.get(b"MediaBox")) {
            Ok(Object::Array(values)) => values
                .iter()
                .map(|v| v.as_float().or_else(|_| v.as_i64().map(|i| i as f32)))
                .collect::<Result<Vec<f32>, _>>()
                .map_err(|e| format!("page {id:?}: {e}"))?,
            _ => return Err(format!("page {id:?} has no TrimBox")),
        };
        let [x0, y0, x1, y1] = trim[..] else {
            return Err(format!("page {id:?}: a TrimBox needs four numbers"));
        };
        let grown = [
            f64::from(x0) - bleed,
            f64::from(y0) - bleed,
            f64::from(x1) + bleed,
            f64::from(y1) + bleed,
        ];
        let rounded = grown.map(|v| Object::Real(((v * 1000.0).round() / 1000.0) as f32));
        page.set("BleedBox", Object::Array(rounded.to_vec()));
    }
    Ok(())
}
