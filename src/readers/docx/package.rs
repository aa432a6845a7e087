//! The .docx package: a zip of XML parts tied together by relationships. Everything read
//! from it is bounded: a part's declared size and the bytes it really inflates to are
//! both checked, so a zip bomb is refused before it fills memory, and XML is parsed
//! without DTDs, so no entity (external or internal) is ever resolved.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use crate::diag::Diagnostic;

/// The most an XML part may inflate to. A 300-page manuscript's document.xml is a few MB.
pub const MAX_XML_BYTES: u64 = 64 << 20;
/// The most an image may inflate to.
pub const MAX_MEDIA_BYTES: u64 = 64 << 20;
/// The most all parts read from one package may inflate to.
pub const MAX_TOTAL_BYTES: u64 = 1 << 30;

pub struct Package {
    name: String,
    zip: zip::ZipArchive<Cursor<Vec<u8>>>,
    read_so_far: u64,
}

/// An OLE compound file's signature: a password-protected .docx or a binary .doc.
const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

impl Package {
    pub fn open(name: &str, bytes: Vec<u8>) -> Result<Self, Diagnostic> {
        let error = |message: String| Diagnostic::error(name, message).with_code("input");
        if bytes.starts_with(OLE) && is_encrypted_package(&bytes) {
            return Err(error(
                "the Word file is encrypted (password-protected): paiban cannot read it".to_owned(),
            )
            .with_hint(
                "open it in Word or LibreOffice, remove the password, save it as .docx and \
                 import that",
            ));
        }
        if bytes.starts_with(OLE) {
            return Err(error(
                "not a .docx but an OLE compound file: a password-protected Word file or an \
                 old binary .doc; paiban reads unencrypted .docx only"
                    .to_owned(),
            )
            .with_hint("open it in Word or LibreOffice and save it as .docx without a password"));
        }
        if !bytes.starts_with(b"PK") {
            return Err(error(
                "not a Word (.docx) file: it is not a zip archive".to_owned(),
            ));
        }
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            error(format!(
                "not a readable .docx: the zip archive is truncated or corrupt ({e})"
            ))
        })?;
        let mut package = Self {
            name: name.to_owned(),
            zip,
            read_so_far: 0,
        };
        if package.zip.by_name("word/document.xml").is_err() && package.main_part().is_none() {
            let what = if package.has("content.xml") {
                "an OpenDocument file (.odt): save it as .docx"
            } else if package.has("xl/workbook.xml") {
                "an Excel workbook"
            } else if package.has("ppt/presentation.xml") {
                "a PowerPoint presentation"
            } else {
                "a zip archive with no Word document in it (no word/document.xml)"
            };
            return Err(error(format!("not a Word (.docx) file: {what}")));
        }
        Ok(package)
    }

    pub fn has(&self, part: &str) -> bool {
        self.zip.index_for_name(part).is_some()
    }

    /// The main document part, as the package's relationships name it.
    pub fn main_part(&mut self) -> Option<String> {
        let rels = self.relationships("").ok()?;
        rels.values()
            .find(|r| r.kind.ends_with("/officeDocument"))
            .map(|r| r.target.clone())
            .filter(|t| self.has(t))
    }

    /// A part's bytes, if the package has it; an error if it is too large or corrupt.
    pub fn read(&mut self, part: &str, limit: u64) -> Result<Option<Vec<u8>>, Diagnostic> {
        let name = self.name.clone();
        let error = |message: String| {
            Diagnostic::error(&name, format!("{part}: {message}")).with_code("input")
        };
        let mut file = match self.zip.by_name(part) {
            Ok(file) => file,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(error(format!("cannot read it from the zip archive: {e}"))),
        };
        let refuse = |size: u64| {
            error(format!(
                "inflates to {size} bytes, more than the {} MB paiban reads (a zip bomb?)",
                limit >> 20
            ))
        };
        if file.size() > limit {
            return Err(refuse(file.size()));
        }
        let mut bytes = Vec::with_capacity(file.size() as usize);
        // The declared size may lie: stop one byte past the limit whatever it says.
        (&mut file)
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| error(format!("corrupt in the zip archive: {e}")))?;
        if bytes.len() as u64 > limit {
            return Err(refuse(bytes.len() as u64));
        }
        self.read_so_far += bytes.len() as u64;
        if self.read_so_far > MAX_TOTAL_BYTES {
            return Err(error(format!(
                "the package inflates to more than {} MB (a zip bomb?)",
                MAX_TOTAL_BYTES >> 20
            )));
        }
        Ok(Some(bytes))
    }

    /// A part's XML text, if the package has it.
    pub fn xml(&mut self, part: &str) -> Result<Option<String>, Diagnostic> {
        let Some(bytes) = self.read(part, MAX_XML_BYTES)? else {
            return Ok(None);
        };
        let text = decode_xml(&bytes).ok_or_else(|| {
            Diagnostic::error(
                &self.name,
                format!("{part}: the XML is not UTF-8 or UTF-16"),
            )
            .with_code("input")
        })?;
        Ok(Some(text))
    }

    /// The relationships of `part` (`""` for the package's own), by id.
    pub fn relationships(
        &mut self,
        part: &str,
    ) -> Result<HashMap<String, Relationship>, Diagnostic> {
        let (dir, file) = match part.rfind('/') {
            Some(slash) => (&part[..slash + 1], &part[slash + 1..]),
            None => ("", part),
        };
        let rels_part = format!("{dir}_rels/{file}.rels");
        let Some(text) = self.xml(&rels_part)? else {
            return Ok(HashMap::new());
        };
        let document = parse(&self.name, &rels_part, &text)?;
        Ok(document
            .root_element()
            .children()
            .filter(|n| n.has_tag_name("Relationship") || n.tag_name().name() == "Relationship")
            .filter_map(|n| {
                let external = n.attribute("TargetMode") == Some("External");
                let target = n.attribute("Target")?;
                Some((
                    n.attribute("Id")?.to_owned(),
                    Relationship {
                        kind: n.attribute("Type").unwrap_or_default().to_owned(),
                        target: if external {
                            target.to_owned()
                        } else {
                            resolve(dir, target)
                        },
                        external,
                    },
                ))
            })
            .collect())
    }
}

pub struct Relationship {
    pub kind: String,
    /// A part name in the package (resolved against the source part), or, for an external
    /// relationship, the address as written.
    pub target: String,
    pub external: bool,
}

/// A relationship's target as a part name: relative to the source part's folder, or
/// absolute from the package's root.
fn resolve(dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("{dir}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for piece in joined.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            piece => parts.push(piece),
        }
    }
    parts.join("/")
}

/// XML in UTF-8 (with or without a BOM) or UTF-16 with a BOM.
fn decode_xml(bytes: &[u8]) -> Option<String> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return encoding_rs::UTF_16LE
            .decode_without_bom_handling_and_without_replacement(rest)
            .map(|t| t.into_owned());
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return encoding_rs::UTF_16BE
            .decode_without_bom_handling_and_without_replacement(rest)
            .map(|t| t.into_owned());
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    std::str::from_utf8(bytes).ok().map(str::to_owned)
}

/// Whether an OLE compound file holds an `EncryptedPackage` stream: what Word and
/// LibreOffice write for a password-protected .docx (ECMA-376 part 2's encryption). The
/// stream names are UTF-16 in the file's directory.
fn is_encrypted_package(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(name.len()).any(|w| w == name)
}

/// Parses a part. DTDs are refused, so no entity is ever expanded or fetched.
pub fn parse<'a>(
    name: &str,
    part: &str,
    text: &'a str,
) -> Result<roxmltree::Document<'a>, Diagnostic> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| {
        let position = e.pos();
        let message = match e {
            roxmltree::Error::DtdDetected => {
                "the XML has a document type declaration (DTD), which Word never writes; \
                 paiban does not read it, so its entities are never resolved"
                    .to_owned()
            }
            e => format!("the XML is malformed: {e}"),
        };
        Diagnostic::error(
            name,
            format!("{part}:{}:{}: {message}", position.row, position.col),
        )
        .with_code("input")
    })
}
