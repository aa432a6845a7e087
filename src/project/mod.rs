//! Where a build finds its layouts and bundled fonts, and what the project's
//! `paiban.toml` says ([`settings`]); `paiban init` makes a new project ([`init`]).

pub mod init;
pub mod settings;

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::model::locale::AppendixStyle;
use crate::passes::numbering::NumberingStyle;

/// A project: the folder holding `layouts/` and, usually, `fonts/` and `paiban.toml`
/// (its home), and the folder its documents may read files from (its root: the Typst
/// root of every compile, which serves `/layouts/…` from the home). They are one folder,
/// except for a document outside any project: it reads its own folder, with the layouts
/// of the source tree paiban was built from.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub root: PathBuf,
    pub home: PathBuf,
    pub settings: settings::Settings,
}

/// The kinds of `check` finding that `[lint]` in `paiban.toml` may turn off or up.
pub fn finding_codes() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = crate::passes::lint::Rule::ALL
        .iter()
        .map(|rule| rule.name())
        .collect();
    codes.extend([
        "inline-syntax",
        "missing-alt",
        "yaml-comment",
        "document-number",
        "addressee-colon",
        "vertical-pdf",
    ]);
    codes
}

impl Project {
    /// The nearest ancestor of `start` (a content file or folder) that has `layouts/`,
    /// else the project paiban was built from, so an installed binary still finds its own.
    pub fn discover(start: &Path) -> Result<Self, Diagnostic> {
        let start = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        for dir in start.ancestors() {
            if dir.join("layouts").is_dir() {
                return Self::with_settings(dir.to_path_buf());
            }
        }
        let built_from = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        if built_from.join("layouts").is_dir() {
            // A document on its own reads the files beside it (its images, its chapters).
            let folder = match start.is_dir() {
                true => start.clone(),
                false => start
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or(start.clone()),
            };
            let mut project = Self::with_settings(built_from)?;
            project.root = std::fs::canonicalize(&folder).unwrap_or(folder);
            return Ok(project);
        }
        Err(Diagnostic::error(
            start.display().to_string(),
            "no `layouts/` folder found beside the content or in any folder above it",
        )
        .with_hint("pass --root DIR to name the project folder"))
    }

    pub fn at(root: &Path) -> Result<Self, Diagnostic> {
        if root.join("layouts").is_dir() {
            Self::with_settings(std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf()))
        } else {
            Err(Diagnostic::error(
                root.display().to_string(),
                "this project root has no `layouts/` folder",
            ))
        }
    }

    fn with_settings(root: PathBuf) -> Result<Self, Diagnostic> {
        let settings = settings::Settings::read(&root, &finding_codes())?;
        Ok(Self {
            home: root.clone(),
            root,
            settings,
        })
    }

    /// Whether the documents read files outside the home (a document outside any project).
    pub fn is_standalone(&self) -> bool {
        self.root != self.home
    }

    /// Widens a standalone project's root to the folder that holds both it and `other`'s
    /// (a batch of documents outside any project, in different folders).
    pub fn widen_to(&mut self, other: &Path) {
        if let Some(common) = self.root.ancestors().find(|dir| other.starts_with(dir)) {
            self.root = common.to_path_buf();
        }
    }

    /// The folder of the layouts.
    pub fn layouts_dir(&self) -> PathBuf {
        self.home.join("layouts")
    }

    /// What the project's settings give a document that does not say: its layout.
    pub fn apply_defaults(&self, document: &mut crate::model::Document) {
        if !document.layout_from_content
            && let Some(layout) = &self.settings.layout
        {
            document.layout = layout.clone();
        }
    }

    /// The print settings a build of `document` uses: `print` (the command line's, with
    /// the project's fallbacks) and the families the project maps to the font roles for
    /// the document's language.
    pub fn print_settings(
        &self,
        document: &crate::model::Document,
        print: &crate::model::PrintSettings,
    ) -> crate::model::PrintSettings {
        crate::model::PrintSettings {
            fonts: self.settings.roles_for(&document.lang),
            ..print.clone()
        }
    }

    /// The project's settings file, whether or not it exists.
    pub fn settings_file(&self) -> PathBuf {
        self.home.join(settings::FILE_NAME)
    }

    pub fn fonts_dir(&self) -> PathBuf {
        self.home.join("fonts")
    }

    /// The folders fonts are found in, in order: the project's `fonts/`, the folders its
    /// `paiban.toml` names, then the fonts paiban bundles (the `fonts/` of the source
    /// tree it was built from, which `cargo install --path .` leaves in place), so that
    /// a project made by `paiban init` builds without copying them.
    pub fn font_dirs(&self) -> Vec<PathBuf> {
        let mut dirs = vec![self.fonts_dir()];
        dirs.extend(self.settings.font_paths.iter().cloned());
        let bundled = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fonts"));
        let same = |a: &Path, b: &Path| {
            std::fs::canonicalize(a)
                .ok()
                .is_some_and(|a| std::fs::canonicalize(b).ok() == Some(a))
        };
        if bundled.is_dir() && !dirs.iter().any(|dir| same(dir, &bundled)) {
            dirs.push(bundled);
        }
        dirs
    }

    /// The layout's template, as the Typst path the generated markup imports.
    pub fn template_import(layout: &str) -> String {
        format!("/layouts/{layout}/template.typ")
    }

    /// The layout's EPUB stylesheet.
    pub fn epub_stylesheet(&self, layout: &str) -> PathBuf {
        self.layouts_dir().join(layout).join("epub.css")
    }

    /// The stylesheet every layout's EPUB starts with.
    pub fn epub_common_stylesheet(&self) -> PathBuf {
        self.layouts_dir().join("common").join("epub.css")
    }

    /// The stylesheet every layout's EPUB adds for vertical writing.
    pub fn epub_vertical_stylesheet(&self) -> PathBuf {
        self.layouts_dir().join("common").join("epub-vertical.css")
    }

    /// Checks that the named layout exists (listing the ones that do when it does not),
    /// and reads how it numbers figures, tables and appendices from its `layout.yaml`.
    pub fn check_layout(
        &self,
        layout: &str,
        content_file: &str,
    ) -> Result<NumberingStyle, Diagnostic> {
        self.check_layout_from(layout, content_file).map_err(|d| {
            match (&self.settings.file, self.settings.layout_at) {
                // The project's default layout: the error is the project file's.
                (Some(file), Some((line, column)))
                    if self.settings.layout.as_deref() == Some(layout) =>
                {
                    Diagnostic {
                        file: file.display().to_string(),
                        ..d
                    }
                    .at(line, column)
                }
                _ => d,
            }
        })
    }

    fn check_layout_from(
        &self,
        layout: &str,
        content_file: &str,
    ) -> Result<NumberingStyle, Diagnostic> {
        let folder = self.layouts_dir().join(layout);
        let template = folder.join("template.typ");
        if template.is_file() {
            return read_layout_file(&folder.join("layout.yaml"));
        }
        let mut available: Vec<String> = std::fs::read_dir(self.layouts_dir())
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().join("template.typ").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        available.sort();
        Err(Diagnostic::error(
            content_file,
            format!(
                "unknown layout `{layout}`: {} does not exist",
                template.display()
            ),
        )
        .with_hint(format!("available layouts: {}", available.join(", "))))
    }
}

/// What a layout's `layout.yaml` says of its numbering; each key is optional.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LayoutFile {
    /// `document` (图3, the default) or `chapter` (图2-1).
    figures: Option<FigureNumbering>,
    /// `lettered` (附录A, the default) or `numbered` (附件1).
    appendix: Option<AppendixNumbering>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum FigureNumbering {
    Document,
    Chapter,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum AppendixNumbering {
    Lettered,
    Numbered,
}

/// A layout's numbering style from its `layout.yaml`; the defaults if it has none.
fn read_layout_file(path: &Path) -> Result<NumberingStyle, Diagnostic> {
    let name = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(NumberingStyle::default()),
        Err(e) => {
            return Err(Diagnostic::error(&name, format!("cannot read: {e}")).with_code("input"));
        }
    };
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(NumberingStyle::default());
    }
    let file: LayoutFile = serde_yaml::from_str(&text).map_err(|e| {
        let diagnostic = Diagnostic::error(&name, e.to_string()).with_code("content");
        match e.location() {
            Some(at) => diagnostic.at(at.line(), at.column()),
            None => diagnostic,
        }
    })?;
    Ok(NumberingStyle {
        figures_by_chapter: matches!(file.figures, Some(FigureNumbering::Chapter)),
        appendix: match file.appendix {
            Some(AppendixNumbering::Numbered) => AppendixStyle::Numbered,
            _ => AppendixStyle::Lettered,
        },
    })
}
