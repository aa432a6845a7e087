//! The files a document reads besides itself: its figures' images. Each is found
//! relative to the content file, must stay inside the project (the folder typst may
//! read), and must decode; every refusal is located at the figure's path in the content.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use crate::engine::images::{ImageInfo, is_readable_path, probe};
use crate::model::{Document, Origin};

/// An image file a document shows, read and decoded.
#[derive(Debug, Clone)]
pub struct ImageFile {
    /// Its path from the project root, as typst reads it: `/content/images/map.png`.
    pub project_path: String,
    pub bytes: Vec<u8>,
    pub info: ImageInfo,
}

/// Finds, reads and checks every figure's image, and records its project path in the
/// figure. Returns the images (each once) or the problems, at their places.
pub fn resolve_figures(
    document: &mut Document,
    content: &Path,
    project_root: &Path,
) -> Result<Vec<ImageFile>, Vec<(Origin, String)>> {
    let root = std::fs::canonicalize(project_root).unwrap_or_else(|_| project_root.into());
    // An image's path is relative to the file that names it: the book or a chapter.
    let files: Vec<&Path> = std::iter::once(content)
        .chain(document.parts.iter().map(|p| p.as_path()))
        .map(|file| {
            file.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
        })
        .collect();
    let mut images: BTreeMap<String, ImageFile> = BTreeMap::new();
    let mut problems = Vec::new();
    if let Some(cover) = &mut document.cover {
        // The cover is named in the header, so in the book file.
        match image(&cover.path, files[0], &root, &mut images) {
            Ok(project_path) => cover.project_path = Some(project_path),
            Err(message) => problems.push((cover.path_origin.clone(), message)),
        }
    }
    crate::model::walk::for_each_figure(&mut document.body, &mut |figure| match image(
        &figure.path,
        files[figure.path_origin.path.file as usize],
        &root,
        &mut images,
    ) {
        Ok(project_path) => figure.project_path = Some(project_path),
        Err(message) => problems.push((figure.path_origin.clone(), message)),
    });
    if problems.is_empty() {
        Ok(images.into_values().collect())
    } else {
        Err(problems)
    }
}

/// The project path of the image `written` names, read and decoded into `images` the
/// first time it is seen.
fn image(
    written: &str,
    folder: &Path,
    root: &Path,
    images: &mut BTreeMap<String, ImageFile>,
) -> Result<String, String> {
    let relative = Path::new(written);
    if relative.has_root()
        || relative
            .components()
            .any(|c| matches!(c, Component::Prefix(_)))
    {
        return Err(format!(
            "`{written}` is an absolute path; an image's path is relative to the content file, inside the project"
        ));
    }
    let joined = folder.join(relative);
    let real = std::fs::canonicalize(&joined).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!(
            "the image `{written}` does not exist ({})",
            joined.display()
        ),
        _ => format!("cannot read the image `{written}`: {e}"),
    })?;
    let inside = real.strip_prefix(root).map_err(|_| {
        format!(
            "the image `{written}` is outside the project folder {}; a document may read only files inside it",
            root.display()
        )
    })?;
    if real.is_dir() {
        return Err(format!("`{written}` is a folder, not an image file"));
    }
    let mut project_path = String::new();
    for component in inside.components() {
        let Component::Normal(part) = component else {
            return Err(format!("the image path `{written}` cannot be read"));
        };
        let part = part
            .to_str()
            .ok_or_else(|| format!("the image path `{written}` is not UTF-8"))?;
        project_path.push('/');
        project_path.push_str(part);
    }
    if !is_readable_path(&project_path) {
        return Err(format!(
            "the image path `{written}` cannot be read by typst"
        ));
    }
    if !images.contains_key(&project_path) {
        let bytes =
            std::fs::read(&real).map_err(|e| format!("cannot read the image `{written}`: {e}"))?;
        let info = probe(&bytes).map_err(|e| format!("`{written}`: {e}"))?;
        images.insert(
            project_path.clone(),
            ImageFile {
                project_path: project_path.clone(),
                bytes,
                info,
            },
        );
    }
    Ok(project_path)
}
