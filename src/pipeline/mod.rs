//! The stages strung together: load → passes → markup → compile → PDF on disk; and
//! `check`, which runs the passes that judge content without writing output.

mod batch;
mod cache;
mod check;
mod files;
pub mod includes;
pub mod memory;
pub mod resources;
pub mod source;
mod text;
pub mod watch;

pub use batch::{
    BatchOptions, Formats, Job, Outcome, collect_jobs, content_files, leave_out_parts, parts_among,
    refuse_outputs_over_inputs, shard,
};
pub use cache::Cache;
pub use check::Fixed;
pub use files::{
    USAGE, is_usage_error, output_path, real_path, refuse_overwriting_input, same_file, stem,
    write_all_atomically, write_atomically, write_replaceable,
};

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::diag::{Diagnostic, Failure};
use crate::engine::{FontOptions, Fonts, PaibanWorld, PdfSettings, StageTimings, Typeset};
use crate::model::print::Role;
use crate::model::{self, Document, PrintSettings, TextPath};
use crate::passes;
use crate::project::Project;
use crate::writers;

/// Loads a content file and runs every pass over it, numbering in the default style.
pub fn prepare(path: &Path) -> Result<Document, Failure> {
    let mut document = model::load_file(path)?;
    let problems = passes::numbering::number(&mut document);
    Builder::refuse_problems(&document, path, problems)?;
    Ok(document)
}

/// Loads a content file, checks that its layout exists, runs every pass in the layout's
/// style, and checks that its texts hold nothing no output can print.
pub fn load(path: &Path, project: &Project) -> Result<Document, Failure> {
    let mut document = model::load_file(path)?;
    project.apply_defaults(&mut document);
    includes::assemble(&mut document, path, &project.root, &Default::default())?;
    let style = project
        .check_layout(&document.layout, &path.display().to_string())
        .map_err(|d| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            at_layout_key(&text, d)
        })?;
    let problems = passes::numbering::number_with(&mut document, style);
    Builder::refuse_problems(&document, path, problems)?;
    Builder::refuse_control_characters(&document, path)?;
    if let Err(problems) = resources::resolve_figures(&mut document, path, &project.root) {
        Builder::refuse_problems(&document, path, problems)?;
    }
    Ok(document)
}

/// The files a loaded `document` was made from besides its content file: the files it
/// includes and its images, for the cache and for watch.
pub fn inputs(document: &Document, project_root: &Path) -> Vec<PathBuf> {
    let mut files = document.parts.clone();
    for block in document.walk() {
        if let model::Block::Figure(figure) = block
            && let Some(path) = &figure.project_path
        {
            files.push(project_root.join(path.trim_start_matches('/')));
        }
    }
    files.sort();
    files.dedup();
    files
}

/// The Typst markup for a content file.
pub fn markup(path: &Path, project: &Project, print: &PrintSettings) -> Result<String, Failure> {
    let document = load(path, project)?;
    Ok(writers::typst::write(
        &document,
        &path.display().to_string(),
        &project.print_settings(&document, print),
    ))
}

/// The warning that a vertical document's PDF is horizontal, at its `writing:` value.
pub(crate) fn vertical_pdf_warning(name: &str, text: &str) -> Diagnostic {
    let warning = Diagnostic::warning(
        name,
        "`writing: vertical` applies to the EPUB only: the PDF is set in horizontal lines, as typst 0.15 cannot set vertical text",
    )
    .with_code("vertical-pdf");
    let place = model::SourceMap::parse(text)
        .ok()
        .and_then(|map| map.locate(&TextPath::default().key("writing"), 0));
    match place {
        Some((line, column)) => warning.at(line, column),
        None => warning,
    }
}

/// An unknown-layout error, placed at the content's `layout:` value.
pub(crate) fn at_layout_key(text: &str, diagnostic: Diagnostic) -> Diagnostic {
    let diagnostic = diagnostic.with_code("content");
    match model::SourceMap::parse(text) {
        Ok(map) => match map.layout_at {
            Some(offset) => {
                let (line, column) = map.line_column(offset);
                diagnostic.at(line, column)
            }
            None => diagnostic,
        },
        Err(_) => diagnostic,
    }
}

/// `SOURCE_DATE_EPOCH`, the reproducible-builds convention for "the time of this build".
pub fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}

/// What a build produced.
#[derive(Debug)]
pub struct Built {
    pub output: PathBuf,
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
    pub timings: StageTimings,
}

impl Built {
    fn new(output: PathBuf, compiled: crate::engine::CompileOutput) -> Self {
        Self {
            output,
            pages: compiled.pages,
            warnings: compiled.warnings,
            timings: compiled.timings,
        }
    }
}

/// The outputs of one document, each written only if every format succeeded.
#[derive(Debug)]
pub struct Written {
    pub pdf: Option<Built>,
    pub epub: Option<PathBuf>,
}

/// The project's font folders, then the command line's, each once (the bundled fonts may
/// be both).
fn font_folders(project: &Project, extra: &[PathBuf]) -> Vec<PathBuf> {
    let mut dirs = project.font_dirs();
    let real = |dir: &Path| std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut seen: Vec<PathBuf> = dirs.iter().map(|dir| real(dir)).collect();
    for dir in extra {
        if !seen.contains(&real(dir)) {
            seen.push(real(dir));
            dirs.push(dir.clone());
        }
    }
    dirs
}

/// The faces that serve a font role: `None` where no font folder has one.
pub struct RoleFaces<'a> {
    pub role: Role,
    pub family: String,
    pub regular: Option<&'a crate::engine::fonts::FaceSlot>,
    pub bold: Option<&'a crate::engine::fonts::FaceSlot>,
}

/// Settings shared by every document of one invocation; fonts are found once, when a
/// build first needs them (an EPUB without embedded fonts never does).
pub struct Builder {
    pub project: Project,
    /// Build PDFs even when some characters are in no font (they print as empty boxes).
    pub allow_missing_glyphs: bool,
    /// Fail a build that has warnings, writing nothing.
    pub deny_warnings: bool,
    /// Trim size, bleed, crop marks, two-sided print.
    pub print: PrintSettings,
    /// PDF standards to conform to (`a-2b`, `ua-1`, …), as typst names them.
    pub pdf_standards: Vec<String>,
    /// Give the EPUB the PDF's page numbers (a page list); off with `--page-list none`.
    pub page_list: bool,
    /// Attach the content and every file it reads to the PDF (`--embed-source`).
    pub embed_source: bool,
    font_options: FontOptions,
    /// The command line's font folders, searched after the project's.
    extra_font_dirs: Vec<PathBuf>,
    fonts: OnceLock<Arc<Fonts>>,
}

impl Builder {
    /// Fonts come from the project's `fonts/`, then `extra_font_dirs`, then the system's
    /// only if `system_fonts`.
    pub fn new(project: Project, extra_font_dirs: &[PathBuf], system_fonts: bool) -> Self {
        // Absolute, so that watch can match the absolute paths file events carry.
        let extra_font_dirs: Vec<PathBuf> = extra_font_dirs
            .iter()
            .map(|d| std::path::absolute(d).unwrap_or_else(|_| d.clone()))
            .collect();
        let dirs = font_folders(&project, &extra_font_dirs);
        Self {
            extra_font_dirs,
            project,
            allow_missing_glyphs: false,
            deny_warnings: false,
            print: PrintSettings::default(),
            pdf_standards: Vec::new(),
            page_list: true,
            embed_source: false,
            font_options: FontOptions {
                dirs,
                system: system_fonts,
            },
            fonts: OnceLock::new(),
        }
    }

    /// The same settings, with fonts to be found again (after the font folders changed).
    pub fn with_fresh_fonts(&self) -> Self {
        Self {
            project: self.project.clone(),
            allow_missing_glyphs: self.allow_missing_glyphs,
            deny_warnings: self.deny_warnings,
            print: self.print.clone(),
            pdf_standards: self.pdf_standards.clone(),
            page_list: self.page_list,
            embed_source: self.embed_source,
            font_options: self.font_options.clone(),
            extra_font_dirs: self.extra_font_dirs.clone(),
            fonts: OnceLock::new(),
        }
    }

    /// Takes the project's settings as read again (watch, after `paiban.toml` changed);
    /// fonts are found again when its font folders changed. Whether they did.
    pub fn set_project_settings(&mut self, settings: crate::project::settings::Settings) -> bool {
        self.project.settings = settings;
        let dirs = font_folders(&self.project, &self.extra_font_dirs);
        let changed = dirs != self.font_options.dirs;
        if changed {
            self.font_options.dirs = dirs;
            self.fonts = OnceLock::new();
        }
        changed
    }

    /// The folders fonts are found in (for `--system-fonts`, the usual system folders).
    pub fn font_dirs(&self) -> Vec<PathBuf> {
        let mut dirs = self.font_options.dirs.clone();
        if self.font_options.system {
            dirs.extend(["/usr/share/fonts", "/usr/local/share/fonts"].map(PathBuf::from));
            if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
                dirs.push(home.join(".fonts"));
                dirs.push(home.join(".local/share/fonts"));
            }
        }
        dirs
    }

    pub fn fonts(&self) -> &Arc<Fonts> {
        self.fonts
            .get_or_init(|| Arc::new(Fonts::discover(&self.font_options)))
    }

    /// Which face serves each font role for a document in `lang`: regular and bold.
    pub fn role_faces(&self, lang: &model::LanguageTag) -> Vec<RoleFaces<'_>> {
        let roles = self.project.settings.roles_for(lang);
        let fonts = self.fonts();
        Role::ALL
            .into_iter()
            .map(|role| {
                let family = roles.family(role).to_owned();
                RoleFaces {
                    role,
                    regular: fonts.face_of(&family, 400),
                    bold: fonts.face_of(&family, 700),
                    family,
                }
            })
            .collect()
    }

    /// Errors at every family `paiban.toml` maps a role to that no font folder has, so
    /// that a house style never silently prints in a fallback face.
    pub fn check_font_roles(&self) -> Result<(), Failure> {
        let settings = &self.project.settings;
        let Some(file) = &settings.file else {
            return Ok(());
        };
        if settings.mapped.is_empty() {
            return Ok(());
        }
        let fonts = self.fonts();
        let families = fonts.families();
        let folders: Vec<String> = self
            .font_dirs()
            .iter()
            .map(|dir| dir.display().to_string())
            .collect();
        let errors: Vec<Diagnostic> = settings
            .mapped
            .iter()
            .filter(|mapped| !fonts.has_family(&mapped.family))
            .map(|mapped| {
                let table = match &mapped.language {
                    Some(lang) => format!("[fonts.{lang}]"),
                    None => "[fonts]".to_owned(),
                };
                let near = crate::project::settings::closest(&mapped.family, &families)
                    .map(|family| format!("did you mean `{family}`? "))
                    .unwrap_or_default();
                Diagnostic::error(
                    file.display().to_string(),
                    format!(
                        "no font folder has the family `{}` that {table} gives the `{}` role",
                        mapped.family, mapped.role
                    ),
                )
                .at(mapped.line, mapped.column)
                .with_code("project")
                .with_hint(format!(
                    "{near}the folders searched: {}; add one with `font-paths` or --font-path (`paiban fonts` lists the families found)",
                    folders.join(", ")
                ))
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Failure(errors))
        }
    }

    /// Builds `content` into `out_dir/<stem>.pdf`.
    ///
    /// The PDF is written to a temporary file in `out_dir` and renamed into place, so a
    /// failed build never leaves a partial file or replaces a previous good one.
    pub fn build_pdf(&self, content: &Path, out_dir: &Path) -> Result<Built, Failure> {
        self.write_pdf(&load(content, &self.project)?, content, out_dir)
    }

    /// Writes an already loaded `document` (read from `content`) as `out_dir/<stem>.pdf`.
    pub fn write_pdf(
        &self,
        document: &Document,
        content: &Path,
        out_dir: &Path,
    ) -> Result<Built, Failure> {
        let unsupported = self.unsupported_in_pdf(document, content)?;
        let (markup, _, attachments) = self.markup(document, content)?;
        let mut world = self.world(content, markup);
        world.set_overlay(attachments);
        let mut compiled = self.compile(&world, document.lang.as_str())?;
        compiled.warnings.splice(0..0, unsupported);
        let output = output_path(out_dir, content, "pdf");
        write_atomically(&output, &compiled.pdf)?;
        Ok(Built::new(output, compiled))
    }

    /// Builds `document` (read from `content`) into every format of `formats` in memory,
    /// then writes them all into `out_dir`: a document that fails in any format writes
    /// nothing and leaves every previous output in place. `world` is the World to compile
    /// the PDF in, if the caller keeps one (watch); else a new one is made.
    ///
    /// The EPUB's page list and its cover (when the content gives none) come from the
    /// PDF's pages: the document is laid out first (in memory only, for an EPUB built
    /// alone), with the same print settings, and the EPUB made from the model and those
    /// pages. An EPUB that needs no pages is made first, and the model dropped before
    /// typst compiles, so that the compile, which needs most of the memory, does not share
    /// it with the model.
    pub fn write_formats(
        &self,
        document: Document,
        content: &Path,
        out_dir: &Path,
        formats: Formats,
        epub_embed_fonts: bool,
        world: Option<&mut Option<PaibanWorld>>,
    ) -> Result<Written, Failure> {
        let needs_pages = formats.epub && self.epub_needs_pages(&document);
        let mut epub = None;
        if formats.epub && !needs_pages {
            epub = Some(self.epub_bytes(&document, content, epub_embed_fonts, None)?);
        }
        if !formats.pdf && !needs_pages {
            return self.write_outputs(content, out_dir, None, epub, Vec::new());
        }
        let unsupported = if formats.pdf {
            self.unsupported_in_pdf(&document, content)?
        } else {
            Vec::new()
        };
        let (markup, anchors, attachments) = if formats.pdf {
            self.markup(&document, content)?
        } else {
            // Laid out for the EPUB only: the PDF's own checks do not apply.
            let (markup, anchors) = writers::typst::write_with_anchors(
                &document,
                &content.display().to_string(),
                &self.project.print_settings(&document, &self.print),
                &[],
            );
            (markup, anchors, Vec::new())
        };
        let language = document.lang.as_str().to_owned();
        let document = needs_pages.then_some(document);
        let kept = world.is_some();
        let mut fresh = None;
        let world = match world {
            Some(slot) => match slot {
                Some(world) => {
                    world.set_markup(&markup);
                    world
                }
                None => slot.insert(self.world(content, markup)),
            },
            None => fresh.insert(self.world(content, markup)),
        };
        world.set_overlay(attachments);
        let outcome = self.typeset(world).and_then(|typeset| {
            let world = &*world;
            // The EPUB's pages (the page list, the cover rendered) and the PDF's export
            // read the same layout: on two cores, side by side.
            std::thread::scope(|scope| {
                let pages = document.as_ref().map(|document| {
                    scope.spawn(|| self.pages_for_epub(world, &typeset, document, &anchors))
                });
                let pdf = formats
                    .pdf
                    .then(|| self.export(world, &typeset, &language))
                    .transpose();
                let pages = pages
                    .map(|handle| handle.join().expect("the page finder does not panic"))
                    .transpose()?;
                Ok((pages, pdf?))
            })
        });
        drop(fresh);
        if kept {
            // Keep the memoised work of recent builds only, so memory stays flat.
            typst::comemo::evict(10);
        }
        let (pages, pdf) = outcome?;
        if let (Some(document), Some((page_list, cover))) = (&document, pages) {
            epub = Some(self.epub_bytes(
                document,
                content,
                epub_embed_fonts,
                Some((page_list.as_ref(), cover)),
            )?);
        }
        self.write_outputs(content, out_dir, pdf, epub, unsupported)
    }

    /// Writes the formats made, all or none.
    fn write_outputs(
        &self,
        content: &Path,
        out_dir: &Path,
        pdf: Option<crate::engine::CompileOutput>,
        epub: Option<Vec<u8>>,
        unsupported: Vec<Diagnostic>,
    ) -> Result<Written, Failure> {
        let pdf_path = output_path(out_dir, content, "pdf");
        let epub_path = output_path(out_dir, content, "epub");
        let mut files: Vec<(&Path, &[u8])> = Vec::new();
        if let Some(compiled) = &pdf {
            files.push((&pdf_path, &compiled.pdf));
        }
        if let Some(bytes) = &epub {
            files.push((&epub_path, bytes));
        }
        files::write_all_atomically(&files)?;
        Ok(Written {
            pdf: pdf.map(|mut compiled| {
                compiled.warnings.splice(0..0, unsupported);
                Built::new(pdf_path, compiled)
            }),
            epub: epub.map(|_| epub_path),
        })
    }

    /// Whether the EPUB of `document` needs the PDF's pages: for its page list, or for
    /// its cover when the content names no cover picture.
    fn epub_needs_pages(&self, document: &Document) -> bool {
        self.page_list || document.cover.is_none()
    }

    /// What the EPUB takes from the laid-out pages: the page list (unless `--page-list
    /// none`) and, without a cover picture in the content, the title page as one.
    fn pages_for_epub(
        &self,
        world: &PaibanWorld,
        typeset: &Typeset,
        document: &Document,
        anchors: &model::pagelist::Anchors,
    ) -> Result<
        (
            Option<model::pagelist::PageList>,
            Option<writers::epub::Cover>,
        ),
        Failure,
    > {
        let page_list = self.page_list.then(|| {
            let breaks = crate::engine::pages::page_breaks(world, &typeset.document, anchors);
            let edition = self.edition(&typeset.document);
            let name = document.identifier.as_ref().unwrap_or(&document.title);
            model::pagelist::PageList {
                breaks,
                source: format!("{name} ({edition})"),
                edition,
            }
        });
        let cover = match document.cover {
            Some(_) => None,
            None => {
                let png =
                    crate::engine::pages::title_page_png(&typeset.document).ok_or_else(|| {
                        Diagnostic::error(
                            world.display_path(typst::World::main(world)),
                            "the title page cannot be pictured for the EPUB's cover",
                        )
                    })?;
                Some(writers::epub::Cover {
                    bytes: png,
                    media_type: "image/png",
                })
            }
        };
        Ok((page_list, cover))
    }

    /// The print edition the page list follows: the PDF, its trim size (named if it has
    /// a name) and, in two-sided print, that.
    fn edition(&self, document: &typst_layout::PagedDocument) -> String {
        let (width, height) = crate::engine::pages::trim_mm(document).unwrap_or((210.0, 297.0));
        let named = model::print::PAPER_PRESETS
            .iter()
            .find(|(_, w, h)| (w - width).abs() < 0.5 && (h - height).abs() < 0.5)
            .map(|(name, ..)| format!("{name}, "))
            .unwrap_or_default();
        let round = |mm: f64| (mm * 10.0).round() / 10.0;
        let sides = if self.print.two_sided {
            ", two-sided"
        } else {
            ""
        };
        format!("PDF, {named}{}×{} mm{sides}", round(width), round(height))
    }

    /// The Typst markup for `document` (read from `content`), after refusing characters
    /// no font has, unless allowed; where its texts stand in it; and the files the PDF
    /// attaches (`--embed-source`), to be served at their virtual paths.
    fn markup(
        &self,
        document: &Document,
        content: &Path,
    ) -> Result<(String, model::pagelist::Anchors, source::Served), Failure> {
        self.refuse_undated_archive(document, content)?;
        self.refuse_figures_without_alt(document, content)?;
        if !self.allow_missing_glyphs {
            self.refuse_missing_glyphs(document, content)?;
        }
        let (attachments, files) = if self.embed_source {
            source::attachments(document, content, &self.project.root)?
        } else {
            (Vec::new(), Vec::new())
        };
        let (markup, anchors) = writers::typst::write_with_anchors(
            document,
            &content.display().to_string(),
            &self.project.print_settings(document, &self.print),
            &attachments,
        );
        Ok((markup, anchors, files))
    }

    /// Warnings about what the document asks of the PDF that it cannot do: vertical
    /// writing, which typst's shaper refuses (the PDF is set horizontally, the EPUB
    /// vertically). Under `deny_warnings`, the failure.
    fn unsupported_in_pdf(
        &self,
        document: &Document,
        content: &Path,
    ) -> Result<Vec<Diagnostic>, Failure> {
        if document.writing != model::Writing::Vertical {
            return Ok(Vec::new());
        }
        let text = std::fs::read_to_string(content).unwrap_or_default();
        let warning = vertical_pdf_warning(&content.display().to_string(), &text);
        if self.deny_warnings {
            return Err(Failure(vec![Diagnostic {
                severity: crate::diag::Severity::Error,
                ..warning.with_hint("a warning fails the build under --deny-warnings")
            }]));
        }
        Ok(vec![warning])
    }

    /// A World that compiles `markup` as the document of `content`.
    fn world(&self, content: &Path, markup: String) -> PaibanWorld {
        PaibanWorld::new(
            &self.project.root,
            &self.project.home,
            self.fonts().clone(),
            &main_path(&stem(content)),
            markup,
            source_date_epoch(),
        )
    }

    /// Compiles the world's markup to PDF bytes; with `deny_warnings`, warnings fail it.
    /// `language` is the document's language tag, which the PDF declares.
    pub fn compile(
        &self,
        world: &PaibanWorld,
        language: &str,
    ) -> Result<crate::engine::CompileOutput, Failure> {
        crate::engine::compile::check_standards(&self.pdf_standards)?;
        let typeset = self.typeset(world)?;
        self.export(world, &typeset, language)
    }

    /// Lays out the world's markup; with `deny_warnings`, warnings fail it.
    fn typeset(&self, world: &PaibanWorld) -> Result<Typeset, Failure> {
        let typeset = crate::engine::typeset(world)?;
        if self.deny_warnings && !typeset.warnings.is_empty() {
            let denied = typeset
                .warnings
                .into_iter()
                .map(|warning| Diagnostic {
                    severity: crate::diag::Severity::Error,
                    ..warning.with_hint("a warning fails the build under --deny-warnings")
                })
                .collect();
            return Err(Failure(denied));
        }
        Ok(typeset)
    }

    /// Writes laid-out pages as PDF with this builder's settings.
    fn export(
        &self,
        world: &PaibanWorld,
        typeset: &Typeset,
        language: &str,
    ) -> Result<crate::engine::CompileOutput, Failure> {
        let settings = PdfSettings {
            language: language.to_owned(),
            standards: self.pdf_standards.clone(),
            bleed_box_mm: (self.print.bleed_mm > 0.0 || self.print.crop_marks)
                .then_some(self.print.bleed_mm),
            timestamp: source_date_epoch(),
        };
        crate::engine::export_pdf(world, typeset, &settings)
    }

    /// Builds `content` into `out_dir/<stem>.epub`, with the layout's `epub.css`, and with
    /// the faces that stylesheet names embedded (subset) if `embed_fonts`.
    pub fn build_epub(
        &self,
        content: &Path,
        out_dir: &Path,
        embed_fonts: bool,
    ) -> Result<PathBuf, Failure> {
        let document = load(content, &self.project)?;
        let formats = Formats {
            pdf: false,
            epub: true,
        };
        let written = self.write_formats(document, content, out_dir, formats, embed_fonts, None)?;
        Ok(written
            .epub
            .unwrap_or_else(|| output_path(out_dir, content, "epub")))
    }

    /// The EPUB of `document` (read from `content`), with the layout's `epub.css`, and
    /// from the PDF's pages (`pages`) its page list and, unless the content names one,
    /// its cover.
    fn epub_bytes(
        &self,
        document: &Document,
        content: &Path,
        embed_fonts: bool,
        pages: Option<(
            Option<&model::pagelist::PageList>,
            Option<writers::epub::Cover>,
        )>,
    ) -> Result<Vec<u8>, Failure> {
        let (page_list, cover) = pages.unwrap_or((None, None));
        let cover = match cover {
            Some(cover) => Some(cover),
            None => self.cover_picture(document)?,
        };
        let name = content.display().to_string();
        let css_path = self.project.epub_stylesheet(&document.layout);
        let read = |path: PathBuf| {
            std::fs::read_to_string(&path).map_err(|e| {
                Diagnostic::error(path.display().to_string(), format!("cannot read: {e}"))
                    .with_code("input")
            })
        };
        // The rules every layout shares (the marks of CJK text), then the layout's own.
        let mut stylesheet = read(self.project.epub_common_stylesheet())?;
        let mut append = |sheet: String| {
            // One book.css: only its start may declare the encoding.
            let rest = match sheet.strip_prefix("@charset \"UTF-8\";") {
                Some(rest) => rest.to_owned(),
                None => sheet,
            };
            stylesheet.push('\n');
            stylesheet.push_str(&rest);
        };
        append(read(css_path)?);
        // Vertical writing is the same book turned: one more shared sheet, last.
        if document.writing == model::Writing::Vertical {
            append(read(self.project.epub_vertical_stylesheet())?);
        }
        let roles = self.project.settings.roles_for(&document.lang);
        let stylesheet = writers::epub::css::map_font_roles(&stylesheet, &roles);
        let maps = if embed_fonts {
            self.map_stylesheet_faces(&stylesheet)?
        } else {
            Vec::new()
        };
        let fonts = maps
            .iter()
            .map(|(slot, map)| writers::epub::FontSource {
                family: slot.family.clone(),
                weight: slot.weight,
                file_name: ascii_file_name(&slot.path),
                data: map,
                index: slot.index,
            })
            .collect();
        let options = writers::epub::EpubOptions {
            stylesheet: &stylesheet,
            fonts,
            source_date_epoch: source_date_epoch(),
            images: self.epub_images(document)?,
            page_list,
            cover,
        };
        writers::epub::write(document, &options).map_err(|mut d| {
            d.file = name.clone();
            d.into()
        })
    }

    /// The content's cover picture (found and checked when it was loaded), if it names one.
    fn cover_picture(&self, document: &Document) -> Result<Option<writers::epub::Cover>, Failure> {
        let Some(project_path) = document
            .cover
            .as_ref()
            .and_then(|c| c.project_path.as_ref())
        else {
            return Ok(None);
        };
        let file = self.project.root.join(project_path.trim_start_matches('/'));
        let name = file.display().to_string();
        let bytes = std::fs::read(&file)
            .map_err(|e| Diagnostic::error(&name, format!("cannot read: {e}")))?;
        let media_type = crate::engine::images::media_type(&bytes)
            .ok_or_else(|| Diagnostic::error(&name, "no longer an image"))?;
        Ok(Some(writers::epub::Cover { bytes, media_type }))
    }

    /// The image files of `document`'s figures (found and checked when it was loaded).
    fn epub_images(&self, document: &Document) -> Result<Vec<writers::epub::Image>, Failure> {
        let mut paths = std::collections::BTreeSet::new();
        for block in document.walk() {
            if let model::Block::Figure(figure) = block
                && let Some(path) = &figure.project_path
            {
                paths.insert(path.clone());
            }
        }
        paths
            .into_iter()
            .map(|project_path| {
                let file = self.project.root.join(project_path.trim_start_matches('/'));
                let name = file.display().to_string();
                let bytes = std::fs::read(&file)
                    .map_err(|e| Diagnostic::error(&name, format!("cannot read: {e}")))?;
                let media_type = crate::engine::images::media_type(&bytes)
                    .ok_or_else(|| Diagnostic::error(&name, "no longer an image"))?;
                Ok(writers::epub::Image {
                    project_path,
                    bytes,
                    media_type,
                })
            })
            .collect()
    }

    /// Maps the file of every face whose family the stylesheet names in quotes.
    fn map_stylesheet_faces(
        &self,
        stylesheet: &str,
    ) -> Result<Vec<(&crate::engine::fonts::FaceSlot, memmap2::Mmap)>, Failure> {
        let mut seen = std::collections::BTreeSet::new();
        let mut out = Vec::new();
        for slot in &self.fonts().faces {
            let named = stylesheet.contains(&format!("\"{}\"", slot.family));
            if !named || !seen.insert((slot.family.clone(), slot.weight)) {
                continue;
            }
            let fail = |e: std::io::Error| {
                Diagnostic::error(slot.path.display().to_string(), format!("cannot read: {e}"))
            };
            let file = std::fs::File::open(&slot.path).map_err(fail)?;
            // SAFETY: font files are read-only inputs for the length of the build.
            let map = unsafe { memmap2::Mmap::map(&file) }.map_err(fail)?;
            out.push((slot, map));
        }
        Ok(out)
    }
}

/// A file name safe inside a package: ASCII letters, digits, `-`, `_`, `.`.
fn ascii_file_name(path: &Path) -> String {
    let name: String = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty() {
        "font".to_owned()
    } else {
        name
    }
}

/// Text encodings `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Gb18030,
}

/// How `paiban import` reads a manuscript and lays out what it writes.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The encoding of a plain-text or Markdown manuscript.
    pub encoding: TextEncoding,
    /// The title to use whatever the manuscript says.
    pub title: Option<String>,
    /// With `--split`, the folder (beside the content file) of the chapter files.
    pub split: Option<String>,
    /// The folder, relative to the content file, that the manuscript's images go to.
    pub image_folder: String,
}

/// Reads a manuscript by its kind (its extension: `.md`/`.markdown` Markdown, `.docx`
/// Word, anything else plain text) into content YAML, its chapter files (`--split`) and
/// its images.
pub fn import_manuscript(path: &Path, options: &ImportOptions) -> Result<Import, Failure> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(&name, format!("cannot read: {e}")).with_code("input"))?;
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let reader_options = crate::readers::Options {
        title: options.title.clone(),
        image_folder: options.image_folder.clone(),
    };
    let imported = match extension.as_str() {
        "md" | "markdown" => {
            let text = text::decode(&name, bytes, options.encoding)?;
            crate::readers::markdown::import(&text, &name, &reader_options)?
        }
        "docx" => crate::readers::docx::import(&bytes, &name, &reader_options)?,
        _ => {
            let text = text::decode(&name, bytes, options.encoding)?;
            crate::readers::plaintext::import(&text, &name, options.title.clone())?
        }
    };
    let header = format!(
        "Imported by paiban {} from {}.\nCheck the importer's warnings; edit freely.",
        env!("CARGO_PKG_VERSION"),
        name.replace('\n', " ")
    );
    let mut warnings = imported.warnings;
    let (yaml, chapters) = match &options.split {
        Some(folder) => {
            let (book, chapters) = writers::yaml::write_split(&imported.document, &header, folder);
            if chapters.is_empty() {
                warnings.push(Diagnostic::warning(
                    &name,
                    "--split: the manuscript has no level-1 heading, so it stays one file",
                ));
            }
            (book, chapters)
        }
        None => (
            writers::yaml::write(&imported.document, &header),
            Vec::new(),
        ),
    };
    Ok(Import {
        yaml,
        chapters,
        images: imported.images,
        warnings,
    })
}

/// What `paiban import` writes: the content YAML, and with `--split` the chapter files
/// (paths relative to it) it includes.
pub struct Import {
    pub yaml: String,
    pub chapters: Vec<(String, String)>,
    /// The manuscript's images, at paths relative to the content file.
    pub images: Vec<crate::readers::Image>,
    pub warnings: Vec<Diagnostic>,
}

/// The virtual path of the generated markup: a name for diagnostics, never read from disk.
fn main_path(stem: &str) -> String {
    let candidate = format!("/{stem}.typ");
    if typst::syntax::VirtualPath::new(&candidate).is_ok() {
        candidate
    } else {
        "/main.typ".to_owned()
    }
}
