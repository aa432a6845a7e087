//! A PDF that carries its own source: with `--embed-source`, the content file and every
//! file it reads (its figures' images and its cover) are attached to the PDF as associated
//! files, and `paiban extract` writes them back out.
//!
//! Each file is attached under its path from the deepest folder that holds them all (for
//! most documents, the content's own folder: `whitepaper.yaml`, `images/chart.svg`), so
//! the files written back stand as they stood, and the content, built again where they
//! were written (inside a project), reads the same images by the same relative paths.
//! Names never climb out of the folder they are extracted into.

use std::path::{Component, Path, PathBuf};

use lopdf::{Dictionary, Object};

use super::files::{refuse_overwriting_input, write_all_atomically};
use crate::diag::{Diagnostic, Failure};
use crate::model::{Block, Document};
use crate::writers::typst::Attachment;

/// Files served from memory: virtual path and bytes.
pub type Served = Vec<(String, Vec<u8>)>;

/// Where typst reads the attached files: paiban serves them from memory there.
const VIRTUAL_FOLDER: &str = "/.paiban-attached";

/// The attachments of `document` (read from `content`) for the markup, and the bytes to
/// serve at their virtual paths. Every file is read now, so the PDF carries exactly the
/// bytes of this build.
pub fn attachments(
    document: &Document,
    content: &Path,
    project_root: &Path,
) -> Result<(Vec<Attachment>, Served), Failure> {
    let name = content.display().to_string();
    let real = |path: &Path| {
        std::fs::canonicalize(path).map_err(|e| {
            Diagnostic::error(path.display().to_string(), format!("cannot read: {e}"))
                .with_code("input")
        })
    };
    let content_real = real(content)?;
    // The content first, then its chapters, then every image once, in the order of their project paths.
    let mut images: Vec<&str> = document
        .walk()
        .filter_map(|block| match block {
            Block::Figure(figure) => figure.project_path.as_deref(),
            _ => None,
        })
        .chain(
            document
                .cover
                .as_ref()
                .and_then(|cover| cover.project_path.as_deref()),
        )
        .collect();
    images.sort();
    images.dedup();
    let root = real(project_root)?;
    let mut files: Vec<(PathBuf, &'static str, String)> = vec![(
        content_real.clone(),
        "source",
        "application/yaml".to_owned(),
    )];
    // The chapter files a book includes, in the order it includes them.
    for part in &document.parts {
        files.push((real(part)?, "source", "application/yaml".to_owned()));
    }
    for project_path in images {
        let path = real(&root.join(project_path.trim_start_matches('/')))?;
        let bytes = std::fs::read(&path).map_err(|e| {
            Diagnostic::error(path.display().to_string(), format!("cannot read: {e}"))
        })?;
        let media_type =
            crate::engine::images::media_type(&bytes).unwrap_or("application/octet-stream");
        files.push((path, "data", media_type.to_owned()));
    }
    let base = common_folder(files.iter().map(|(path, ..)| path.as_path()));
    let mut attachments = Vec::new();
    let mut served = Vec::new();
    for (i, (path, relationship, mime_type)) in files.into_iter().enumerate() {
        let attached_name = relative_name(&path, &base).ok_or_else(|| {
            Diagnostic::error(
                &name,
                format!(
                    "{} cannot be attached: its path is not UTF-8",
                    path.display()
                ),
            )
        })?;
        let bytes = std::fs::read(&path).map_err(|e| {
            Diagnostic::error(path.display().to_string(), format!("cannot read: {e}"))
                .with_code("input")
        })?;
        let virtual_path = format!("{VIRTUAL_FOLDER}/{i}");
        let description = if relationship == "source" {
            format!(
                "The content this PDF was made from (paiban {}); `paiban extract` writes it back out",
                env!("CARGO_PKG_VERSION")
            )
        } else {
            "A file the content reads (an image it shows)".to_owned()
        };
        attachments.push(Attachment {
            name: attached_name,
            path: virtual_path.clone(),
            relationship,
            mime_type,
            description,
        });
        served.push((virtual_path, bytes));
    }
    Ok((attachments, served))
}

/// The deepest folder holding every one of `files`.
fn common_folder<'a>(files: impl Iterator<Item = &'a Path>) -> PathBuf {
    let mut base: Option<PathBuf> = None;
    for file in files {
        let folder = file.parent().unwrap_or(Path::new("/"));
        base = Some(match base {
            None => folder.to_path_buf(),
            Some(base) => base
                .components()
                .zip(folder.components())
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a)
                .collect(),
        });
    }
    base.unwrap_or_default()
}

/// `path` from `base`, with `/` between its parts.
fn relative_name(path: &Path, base: &Path) -> Option<String> {
    let relative = path.strip_prefix(base).ok()?;
    let parts: Option<Vec<&str>> = relative
        .components()
        .map(|c| match c {
            Component::Normal(part) => part.to_str(),
            _ => None,
        })
        .collect();
    Some(parts?.join("/"))
}

/// Writes every file attached to `pdf` into `out_dir`, under its name: all of them, or
/// (on any error) none. Returns the paths written.
pub fn extract(pdf: &Path, out_dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    let name = pdf.display().to_string();
    let fail = |message: String| Diagnostic::error(&name, message);
    let bytes =
        std::fs::read(pdf).map_err(|e| fail(format!("cannot read: {e}")).with_code("input"))?;
    let document = lopdf::Document::load_mem(&bytes)
        .map_err(|e| fail(format!("not a PDF paiban can read: {e}")).with_code("input"))?;
    let attached = attached_files(&document).map_err(fail)?;
    if attached.is_empty() {
        return Err(fail(
            "the PDF carries no files; build it with --embed-source to attach its source"
                .to_owned(),
        )
        .into());
    }
    let mut outputs = Vec::new();
    for (file_name, _) in &attached {
        let relative = safe_relative(file_name).ok_or_else(|| {
            fail(format!(
                "the attached file `{file_name}` has a name that would leave the output folder; nothing was written"
            ))
        })?;
        let output = out_dir.join(relative);
        refuse_overwriting_input(pdf, &output)?;
        if outputs.contains(&output) {
            return Err(fail(format!(
                "two attached files are named `{file_name}`; nothing was written"
            ))
            .into());
        }
        outputs.push(output);
    }
    let files: Vec<(&Path, &[u8])> = outputs
        .iter()
        .zip(&attached)
        .map(|(path, (_, data))| (path.as_path(), data.as_slice()))
        .collect();
    write_all_atomically(&files)?;
    Ok(outputs)
}

/// A relative path made of plain names only (no root, no `..`, no `.`), or none.
fn safe_relative(name: &str) -> Option<PathBuf> {
    if name.is_empty() || name.contains('\\') || name.contains('\0') {
        return None;
    }
    let path = Path::new(name);
    let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
    (plain && path.components().count() > 0).then(|| path.to_path_buf())
}

/// The files in a PDF's `EmbeddedFiles` name tree: their names and decoded bytes.
fn attached_files(document: &lopdf::Document) -> Result<Vec<(String, Vec<u8>)>, String> {
    let catalog = document
        .catalog()
        .map_err(|e| format!("the PDF has no catalog: {e}"))?;
    let Ok(names) = catalog
        .get(b"Names")
        .and_then(|n| resolve_dict(document, n))
    else {
        return Ok(Vec::new());
    };
    let Ok(tree) = names
        .get(b"EmbeddedFiles")
        .and_then(|t| resolve_dict(document, t))
    else {
        return Ok(Vec::new());
    };
    let mut specs = Vec::new();
    collect_names(document, tree, &mut specs, 0)?;
    specs
        .into_iter()
        .map(|spec| file_of(document, spec))
        .collect()
}

fn resolve_dict<'a>(
    document: &'a lopdf::Document,
    object: &'a Object,
) -> lopdf::Result<&'a Dictionary> {
    match object {
        Object::Reference(id) => document.get_dictionary(*id),
        other => other.as_dict(),
    }
}

/// The file specifications of a name tree node and its kids.
fn collect_names<'a>(
    document: &'a lopdf::Document,
    node: &'a Dictionary,
    out: &mut Vec<&'a Dictionary>,
    depth: usize,
) -> Result<(), String> {
    if depth > 32 {
        return Err("the PDF's list of attached files nests too deeply".to_owned());
    }
    if let Ok(Object::Array(pairs)) = node.get(b"Names") {
        for pair in pairs.chunks(2) {
            if let [_, spec] = pair {
                out.push(
                    resolve_dict(document, spec)
                        .map_err(|e| format!("an attached file cannot be read: {e}"))?,
                );
            }
        }
    }
    if let Ok(Object::Array(kids)) = node.get(b"Kids") {
        for kid in kids {
            let kid = resolve_dict(document, kid)
                .map_err(|e| format!("the list of attached files cannot be read: {e}"))?;
            collect_names(document, kid, out, depth + 1)?;
        }
    }
    Ok(())
}

/// A file specification's name (`/UF`, else `/F`) and its embedded stream's bytes.
fn file_of(document: &lopdf::Document, spec: &Dictionary) -> Result<(String, Vec<u8>), String> {
    let name = spec
        .get(b"UF")
        .or_else(|_| spec.get(b"F"))
        .ok()
        .and_then(|object| match object {
            Object::String(bytes, _) => Some(text_string(bytes)),
            _ => None,
        })
        .ok_or("an attached file has no name")?;
    let stream = spec
        .get(b"EF")
        .and_then(|ef| resolve_dict(document, ef))
        .and_then(|ef| ef.get(b"F"))
        .and_then(|f| match f {
            Object::Reference(id) => document.get_object(*id),
            other => Ok(other),
        })
        .and_then(Object::as_stream)
        .map_err(|e| format!("the attached file `{name}` has no data: {e}"))?;
    let data = if stream.dict.get(b"Filter").is_ok() {
        stream
            .decompressed_content()
            .map_err(|e| format!("the attached file `{name}` cannot be decoded: {e}"))?
    } else {
        stream.content.clone()
    };
    Ok((name, data))
}

/// A PDF text string: UTF-16BE after a byte-order mark, UTF-8 after its mark, else
/// PDFDocEncoding (read as Latin-1, which it is for the characters file names use).
fn text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|pair| u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_never_leave_the_folder() {
        for bad in [
            "",
            "/etc/passwd",
            "../x.yaml",
            "a/../../x",
            "./x",
            "a\\..\\x",
        ] {
            assert!(safe_relative(bad).is_none(), "{bad}");
        }
        assert_eq!(
            safe_relative("images/a.png"),
            Some(PathBuf::from("images/a.png"))
        );
    }

    #[test]
    fn the_common_folder_of_files() {
        let files = [
            Path::new("/p/content/a.yaml"),
            Path::new("/p/content/images/x.png"),
            Path::new("/p/shared/y.png"),
        ];
        assert_eq!(common_folder(files.into_iter()), PathBuf::from("/p"));
        assert_eq!(
            relative_name(files[1], Path::new("/p")).as_deref(),
            Some("content/images/x.png")
        );
    }
}
