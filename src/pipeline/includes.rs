//! Books in many files: each `include:` block is replaced by the blocks of the file it
//! names, before numbering, so that everything after sees one body. Paths are relative
//! to the including file and must stay inside the project, as images' do; a missing
//! file, a file that includes itself through any chain, and a file included twice are
//! errors at the `include:` that names it.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use super::Builder;
use crate::diag::Failure;
use crate::model::{self, Block, Document, Origin};

/// Texts to use instead of what a file holds (`check --fix` reading back a rewrite).
pub type Overrides = HashMap<PathBuf, String>;

/// Replaces every `include:` of `document` (read from `content`) by the included file's
/// blocks, recording the files in `document.parts`.
pub fn assemble(
    document: &mut Document,
    content: &Path,
    project_root: &Path,
    overrides: &Overrides,
) -> Result<(), Failure> {
    if !has_includes(&document.body) {
        return Ok(());
    }
    let root = std::fs::canonicalize(project_root).unwrap_or_else(|_| project_root.into());
    let own = std::fs::canonicalize(content).unwrap_or_else(|_| content.into());
    let mut assembly = Assembly {
        root,
        overrides,
        chain: vec![(own.clone(), content.to_path_buf())],
        seen: HashMap::from([(own, None)]),
        parts: Vec::new(),
        warnings: Vec::new(),
        markup: document.markup,
        problem: None,
    };
    let body = std::mem::take(&mut document.body);
    let result = assembly.expand(body, content);
    document.parts = assembly.parts;
    document.warnings.extend(assembly.warnings);
    match (result, assembly.problem) {
        (Ok(body), None) => {
            document.body = body;
            Ok(())
        }
        (Err(failure), _) => Err(failure),
        (Ok(_), Some(problem)) => {
            Builder::refuse_problems(document, content, vec![problem])?;
            unreachable!("a problem is always refused")
        }
    }
}

/// The files `content` includes, directly or not, as paths joined from it; empty if it
/// includes none or cannot be read (the build says why).
pub fn included_files(content: &Path, project_root: &Path) -> Vec<PathBuf> {
    let Ok(mut document) = model::load_file(content) else {
        return Vec::new();
    };
    if assemble(&mut document, content, project_root, &Overrides::new()).is_err() {
        // What was assembled before the error still counts: those files are parts.
        return document.parts;
    }
    document.parts
}

fn has_includes(blocks: &[Block]) -> bool {
    blocks.iter().any(|b| matches!(b, Block::Include(_)))
}

struct Assembly<'a> {
    root: PathBuf,
    overrides: &'a Overrides,
    /// The files being included, from the book down: (real path, path as joined).
    chain: Vec<(PathBuf, PathBuf)>,
    /// Every file met, by real path, with the place that included it (none for the book).
    seen: HashMap<PathBuf, Option<Origin>>,
    parts: Vec<PathBuf>,
    warnings: Vec<(Origin, String)>,
    markup: bool,
    /// The first refusal at an `include:`, located once the parts are known.
    problem: Option<(Origin, String)>,
}

impl Assembly<'_> {
    /// `blocks` of the file at `from`, with their includes replaced.
    fn expand(&mut self, blocks: Vec<Block>, from: &Path) -> Result<Vec<Block>, Failure> {
        let mut out = Vec::with_capacity(blocks.len());
        for block in blocks {
            let Block::Include(include) = block else {
                out.push(block);
                continue;
            };
            match self.include(&include, from)? {
                Some(blocks) => out.extend(blocks),
                None => return Ok(out),
            }
        }
        Ok(out)
    }

    /// The blocks of the file `include` names; `None` after recording a problem.
    fn include(
        &mut self,
        include: &model::Include,
        from: &Path,
    ) -> Result<Option<Vec<Block>>, Failure> {
        let refuse = |this: &mut Self, message: String| {
            this.problem = Some((include.origin.clone(), message));
            Ok(None)
        };
        let written = include.path.as_str();
        let relative = Path::new(written);
        if relative.has_root()
            || relative
                .components()
                .any(|c| matches!(c, Component::Prefix(_)))
        {
            return refuse(
                self,
                format!(
                    "`{written}` is an absolute path; an included file's path is relative to the file that includes it, inside the project"
                ),
            );
        }
        let folder = from
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let joined = tidy(&folder.join(relative));
        let real = match std::fs::canonicalize(&joined) {
            Ok(real) => real,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return refuse(
                    self,
                    format!(
                        "the included file `{written}` does not exist ({})",
                        joined.display()
                    ),
                );
            }
            Err(e) => {
                return refuse(
                    self,
                    format!("cannot read the included file `{written}`: {e}"),
                );
            }
        };
        if !real.starts_with(&self.root) {
            return refuse(
                self,
                format!(
                    "the included file `{written}` is outside the project folder {}; a document may read only files inside it",
                    self.root.display()
                ),
            );
        }
        if real.is_dir() {
            return refuse(self, format!("`{written}` is a folder, not a content file"));
        }
        if let Some(at) = self.chain.iter().position(|(r, _)| *r == real) {
            let cycle: Vec<String> = self.chain[at..]
                .iter()
                .map(|(_, joined)| joined.display().to_string())
                .chain(std::iter::once(joined.display().to_string()))
                .collect();
            return refuse(
                self,
                format!("`{written}` includes itself: {}", cycle.join(" → ")),
            );
        }
        if self.seen.contains_key(&real) {
            return refuse(
                self,
                format!(
                    "`{written}` is already part of this book ({}); a file is included once",
                    joined.display()
                ),
            );
        }
        let name = joined.display().to_string();
        let text = match self.overrides.get(&joined) {
            Some(text) => text.clone(),
            None => model::read_utf8(&real, "content files")?,
        };
        self.parts.push(joined.clone());
        self.seen.insert(real.clone(), Some(include.origin.clone()));
        let file = u32::try_from(self.parts.len()).expect("fewer than 4 billion files");
        let part = model::load_part(&text, &name, file, self.markup).map_err(Failure::from)?;
        self.warnings.extend(part.warnings);
        self.chain.push((real, joined.clone()));
        let blocks = self.expand(part.blocks, &joined);
        self.chain.pop();
        let blocks = blocks?;
        Ok(self.problem.is_none().then_some(blocks))
    }
}

/// `path` without `.` components and with `a/..` folded, so that names read well in
/// messages (`content/chapters/01.yaml`, not `content/./chapters/../chapters/01.yaml`).
fn tidy(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
