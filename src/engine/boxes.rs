//! Page boxes typst does not write: the BleedBox (trim + bleed), added to every page of
//! the finished PDF. Typst writes the MediaBox (trim + bleed + slug) and the TrimBox.

use lopdf::{Document, Object};

const POINTS_PER_MM: f64 = 72.0 / 25.4;

/// Adds `/BleedBox` = TrimBox grown by `bleed_mm` on every side to every page.
pub fn add_bleed_box(pdf: &[u8], bleed_mm: f64) -> Result<Vec<u8>, String> {
    let mut document = Document::load_mem(pdf).map_err(|e| format!("cannot read the PDF: {e}"))?;
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
    let mut out = Vec::with_capacity(pdf.len() + 1024);
    document
        .save_to(&mut out)
        .map_err(|e| format!("cannot write the PDF: {e}"))?;
    Ok(out)
}
