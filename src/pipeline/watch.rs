//! `paiban watch`: rebuild one document whenever its content, its layout or a font changes.
//!
//! One [`Session`] keeps one typst World for its whole life. A content edit replaces the
//! markup in place and a layout edit updates the changed sources in place, so typst's
//! memoisation (comemo) reuses everything the edit did not touch; old cache entries are
//! evicted after each build. A build that fails is reported and leaves the last good
//! output where it is.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use super::{Builder, Built, Formats, load};
use crate::diag::{Diagnostic, Failure};
use crate::engine::PaibanWorld;

/// What changed since the last build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    pub content: bool,
    pub layout: bool,
    pub fonts: bool,
    /// The project's `paiban.toml`.
    pub settings: bool,
}

impl Changes {
    pub fn any(self) -> bool {
        self.content || self.layout || self.fonts || self.settings
    }
}

/// One watched document and the World it is compiled in.
pub struct Session {
    builder: Builder,
    content: PathBuf,
    out_dir: PathBuf,
    formats: Formats,
    epub_embed_fonts: bool,
    world: Option<PaibanWorld>,
    /// The other files the content was made from at the last build: the files it
    /// includes and its images, as absolute paths. An edit may add or remove some.
    inputs: Vec<PathBuf>,
    /// What the command line makes of the project's settings (print defaults), run again
    /// when `paiban.toml` changes.
    reconfigure: Option<Reconfigure>,
}

/// What a session runs on its builder after `paiban.toml` was read again.
type Reconfigure = Box<dyn Fn(&mut Builder)>;

/// The result of one rebuild.
#[derive(Debug)]
pub struct Rebuilt {
    pub pdf: Option<Built>,
    pub epub: Option<PathBuf>,
    pub elapsed: Duration,
}

impl Session {
    pub fn new(
        builder: Builder,
        content: &Path,
        out_dir: &Path,
        formats: Formats,
        epub_embed_fonts: bool,
    ) -> Self {
        Self {
            builder,
            content: content.to_path_buf(),
            out_dir: out_dir.to_path_buf(),
            formats,
            epub_embed_fonts,
            world: None,
            inputs: Vec::new(),
            reconfigure: None,
        }
    }

    /// Runs `reconfigure` on the builder whenever `paiban.toml` has been read again, so
    /// that the settings the command line falls back on follow the file.
    pub fn on_settings_change(&mut self, reconfigure: impl Fn(&mut Builder) + 'static) {
        self.reconfigure = Some(Box::new(reconfigure));
    }

    pub fn builder(&self) -> &Builder {
        &self.builder
    }

    /// Rebuilds after `changes` (the first call builds from scratch).
    pub fn rebuild(&mut self, changes: Changes) -> Result<Rebuilt, Failure> {
        let started = Instant::now();
        if changes.settings {
            let root = self.builder.project.root.clone();
            let settings =
                crate::project::settings::Settings::read(&root, &crate::project::finding_codes())?;
            let fonts_moved = self.builder.set_project_settings(settings);
            if let Some(reconfigure) = &self.reconfigure {
                reconfigure(&mut self.builder);
            }
            if fonts_moved && let Some(world) = &mut self.world {
                world.set_fonts(self.builder.fonts().clone());
            }
            self.builder.check_font_roles()?;
        }
        if changes.fonts {
            self.builder = self.builder.with_fresh_fonts();
            if let Some(world) = &mut self.world {
                world.set_fonts(self.builder.fonts().clone());
            }
        }
        if changes.layout
            && let Some(world) = &mut self.world
        {
            world.refresh_files();
        }
        let root = &self.builder.project.root;
        let document = match load(&self.content, &self.builder.project) {
            Ok(document) => document,
            Err(failure) => {
                // The files found before the error are still followed, so that fixing a
                // chapter rebuilds the book.
                let mut inputs = super::includes::included_files(&self.content, root);
                inputs.extend(self.inputs.iter().cloned());
                self.set_inputs(inputs);
                return Err(failure);
            }
        };
        self.set_inputs(super::inputs(&document, root));
        let written = self.builder.write_formats(
            document,
            &self.content,
            &self.out_dir,
            self.formats,
            self.epub_embed_fonts,
            Some(&mut self.world),
        )?;
        let mut rebuilt = Rebuilt {
            pdf: written.pdf,
            epub: written.epub,
            elapsed: Duration::ZERO,
        };
        rebuilt.elapsed = started.elapsed();
        Ok(rebuilt)
    }

    fn set_inputs(&mut self, inputs: Vec<PathBuf>) {
        let mut inputs: Vec<PathBuf> = inputs
            .into_iter()
            .filter_map(|input| {
                let absolute = std::path::absolute(&input).ok()?;
                let folder = absolute.parent()?.to_path_buf();
                Some(folder.join(absolute.file_name()?))
            })
            .collect();
        inputs.sort();
        inputs.dedup();
        self.inputs = inputs;
    }

    /// Which of the watched inputs `path` belongs to.
    fn classify(&self, path: &Path, content: &Path, changes: &mut Changes) {
        if path == content || self.inputs.iter().any(|input| input == path) {
            changes.content = true;
        } else if path == self.builder.project.settings_file() {
            changes.settings = true;
        } else if path.starts_with(self.builder.project.layouts_dir()) {
            changes.layout = true;
        } else if self
            .builder
            .font_dirs()
            .iter()
            .any(|dir| path.starts_with(dir))
        {
            changes.fonts = true;
        }
    }

    /// Builds, then rebuilds on every change until `stop` says so (never, from the CLI).
    /// `report` hears about each build.
    pub fn run(
        &mut self,
        report: &mut dyn FnMut(&Result<Rebuilt, Failure>),
        stop: &dyn Fn() -> bool,
    ) -> Result<(), Failure> {
        let name = self.content.display().to_string();
        let fail = |e: notify::Error| Diagnostic::error(&name, format!("cannot watch: {e}"));
        let content = std::path::absolute(&self.content)
            .map_err(|e| Diagnostic::error(&name, format!("cannot resolve the path: {e}")))?;
        let (sender, events) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(sender).map_err(fail)?;
        // The content's folder, not the file: editors save by writing a new file and
        // renaming it over the old one.
        let folder = content.parent().unwrap_or(Path::new("/"));
        watcher
            .watch(folder, RecursiveMode::NonRecursive)
            .map_err(fail)?;
        watcher
            .watch(
                &self.builder.project.layouts_dir(),
                RecursiveMode::Recursive,
            )
            .map_err(fail)?;
        for dir in self.builder.font_dirs() {
            if dir.is_dir() {
                watcher
                    .watch(&dir, RecursiveMode::Recursive)
                    .map_err(fail)?;
            }
        }
        // The project's home, for paiban.toml.
        let root = self.builder.project.home.clone();
        if root != folder {
            watcher
                .watch(&root, RecursiveMode::NonRecursive)
                .map_err(fail)?;
        }
        let content = folder.join(content.file_name().unwrap_or_default());
        let mut watched = vec![folder.to_path_buf(), root];
        // The folders of the included files and images, as the last build found them.
        let mut follow = |session: &Self, watcher: &mut notify::RecommendedWatcher| {
            for input in &session.inputs {
                let Some(folder) = input.parent() else {
                    continue;
                };
                if !watched.iter().any(|w| w == folder)
                    && watcher.watch(folder, RecursiveMode::NonRecursive).is_ok()
                {
                    watched.push(folder.to_path_buf());
                }
            }
        };
        report(&self.rebuild(Changes {
            content: true,
            ..Changes::default()
        }));
        follow(self, &mut watcher);
        while !stop() {
            let first = match events.recv_timeout(Duration::from_millis(200)) {
                Ok(event) => event,
                Err(mpsc::RecvTimeoutError::Timeout) => continue,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            let mut changes = Changes::default();
            let mut take = |event: notify::Result<notify::Event>| {
                if let Ok(event) = event
                    && !event.kind.is_access()
                {
                    for path in &event.paths {
                        self.classify(path, &content, &mut changes);
                    }
                }
            };
            take(first);
            // An editor's save is several events; let them settle into one rebuild.
            while let Ok(event) = events.recv_timeout(Duration::from_millis(30)) {
                take(event);
            }
            if changes.any() {
                report(&self.rebuild(changes));
                follow(self, &mut watcher);
            }
        }
        Ok(())
    }
}
