//! Image files as typst reads them: a figure's file is decoded here, with typst's own
//! (memoised) decoders, before any markup is compiled, so that a missing, corrupt or
//! unsupported image is refused at its place in the content, not in generated markup;
//! and the compile that follows reuses the decoded image.

use typst::foundations::Bytes;
use typst::visualize::{ExchangeFormat, RasterImage, SvgImage};

/// What a build needs to know of an image file.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageInfo {
    /// The media type for the EPUB's manifest.
    pub media_type: &'static str,
    /// Pixels across and down; none for vector images.
    pub pixels: Option<(u32, u32)>,
}

/// Decodes `bytes` as an image typst can place: PNG, JPEG, GIF, WebP or SVG. Never
/// panics, whatever the bytes.
pub fn probe(bytes: &[u8]) -> Result<ImageInfo, String> {
    let bytes = bytes.to_vec();
    // The decoders are not expected to panic, but no image may take the build down.
    std::panic::catch_unwind(move || probe_bytes(Bytes::new(bytes)))
        .unwrap_or_else(|_| Err("the image cannot be decoded".to_owned()))
}

/// The media type of image bytes by their first bytes, without decoding them.
pub fn media_type(bytes: &[u8]) -> Option<&'static str> {
    match ExchangeFormat::detect(bytes) {
        Some(ExchangeFormat::Png) => Some("image/png"),
        Some(ExchangeFormat::Jpg) => Some("image/jpeg"),
        Some(ExchangeFormat::Gif) => Some("image/gif"),
        Some(ExchangeFormat::Webp) => Some("image/webp"),
        None => looks_like_svg(bytes).then_some("image/svg+xml"),
    }
}

/// Whether typst can read a file at `project_path` (`/content/a.png`).
pub fn is_readable_path(project_path: &str) -> bool {
    typst::syntax::VirtualPath::new(project_path).is_ok()
}

fn probe_bytes(data: Bytes) -> Result<ImageInfo, String> {
    if let Some(format) = ExchangeFormat::detect(&data) {
        let media_type = match format {
            ExchangeFormat::Png => "image/png",
            ExchangeFormat::Jpg => "image/jpeg",
            ExchangeFormat::Gif => "image/gif",
            ExchangeFormat::Webp => "image/webp",
        };
        let image = RasterImage::plain(data, format)
            .map_err(|e| format!("the {} image cannot be decoded: {e}", &media_type[6..]))?;
        return Ok(ImageInfo {
            media_type,
            pixels: Some((image.width(), image.height())),
        });
    }
    if looks_like_svg(&data) {
        SvgImage::new(data).map_err(|e| format!("the SVG image cannot be read: {e:?}"))?;
        return Ok(ImageInfo {
            media_type: "image/svg+xml",
            pixels: None,
        });
    }
    Err(unsupported(&data))
}

/// Whether `data` starts like an SVG document (after white space, a BOM or an XML
/// declaration, comments and a doctype).
fn looks_like_svg(data: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&data[..data.len().min(4096)]);
    head.contains("<svg")
}

/// Names the format of bytes typst cannot place, where it is a common one.
fn unsupported(data: &[u8]) -> String {
    let known: &[(&[u8], &str)] = &[
        (b"II*\0", "TIFF"),
        (b"MM\0*", "TIFF"),
        (b"BM", "BMP"),
        (b"%PDF", "PDF"),
        (b"\0\0\0\x1cftypavif", "AVIF"),
        (b"\0\0\0\x20ftypavif", "AVIF"),
        (b"\0\0\0\x18ftypheic", "HEIC"),
    ];
    match known.iter().find(|(magic, _)| data.starts_with(magic)) {
        Some((_, name)) => {
            format!("{name} images cannot be placed; convert it to PNG, JPEG, GIF, WebP or SVG")
        }
        None => "not an image paiban can place (PNG, JPEG, GIF, WebP or SVG)".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_bytes_give_an_answer_not_a_panic() {
        let png_header = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02";
        for bytes in [
            &b""[..],
            b"\x89PNG",
            png_header,
            b"\xff\xd8\xff\xe0garbage",
            b"GIF89a",
            b"RIFF\0\0\0\0WEBPVP8 ",
            b"<svg",
            b"II*\0",
            b"hello",
        ] {
            assert!(probe(bytes).is_err(), "{bytes:?}");
        }
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="5"/>"#;
        assert_eq!(probe(svg).unwrap().media_type, "image/svg+xml");
        assert!(probe(b"II*\0rest").unwrap_err().contains("TIFF"));
    }
}
