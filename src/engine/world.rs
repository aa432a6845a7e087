//! The typst `World` for one project: generated markup as the main file, layouts and
//! other files read from the project root, fonts from [`Fonts`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::fonts::Fonts;

pub struct PaibanWorld {
    root: PathBuf,
    /// Where `/layouts/…` is read from (the root, unless the document stands alone).
    layouts_home: PathBuf,
    library: LazyHash<Library>,
    fonts: Arc<Fonts>,
    main: Source,
    /// Files read from disk during this world's life.
    files: Mutex<HashMap<FileId, FileResult<Bytes>>>,
    sources: Mutex<HashMap<FileId, FileResult<Source>>>,
    /// Files served from memory at virtual paths (the sources a PDF attaches).
    overlay: HashMap<FileId, Bytes>,
    today: Option<Datetime>,
}

impl PaibanWorld {
    /// `main_path` is the virtual path of the markup (e.g. `/whitepaper.typ`); it only
    /// names the markup in diagnostics and never shadows a file on disk. Typst's "today"
    /// is the date of `source_date_epoch` (SOURCE_DATE_EPOCH), or none: never the clock.
    pub fn new(
        root: &Path,
        layouts_home: &Path,
        fonts: Arc<Fonts>,
        main_path: &str,
        markup: String,
        source_date_epoch: Option<i64>,
    ) -> Self {
        let main_id = file_id(main_path);
        Self {
            root: root.to_path_buf(),
            layouts_home: layouts_home.to_path_buf(),
            library: LazyHash::new(Library::default()),
            fonts,
            main: Source::new(main_id, markup),
            files: Mutex::new(HashMap::new()),
            sources: Mutex::new(HashMap::new()),
            overlay: HashMap::new(),
            today: source_date_epoch.and_then(date_of),
        }
    }

    /// Replaces the markup in place: the file keeps its id and typst reparses only what
    /// changed, so its memoised work on the rest is reused (for `watch`).
    pub fn set_markup(&mut self, markup: &str) {
        self.main.replace(markup);
    }

    /// Re-reads the files read so far (after a layout changed); a changed source is
    /// updated in place, like the markup.
    pub fn refresh_files(&mut self) {
        self.files.get_mut().expect("not poisoned").clear();
        let ids: Vec<FileId> = self
            .sources
            .get_mut()
            .expect("not poisoned")
            .keys()
            .copied()
            .collect();
        for id in ids {
            let fresh = self.read_from_disk(id).and_then(|bytes| {
                let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
                Ok(text.strip_prefix('\u{feff}').unwrap_or(text).to_owned())
            });
            let sources = self.sources.get_mut().expect("not poisoned");
            match (sources.get_mut(&id), fresh) {
                (Some(Ok(source)), Ok(text)) => {
                    source.replace(&text);
                }
                (Some(slot), Ok(text)) => *slot = Ok(Source::new(id, text)),
                (Some(slot), Err(error)) => *slot = Err(error),
                (None, _) => {}
            }
        }
    }

    /// Serves exactly `files` (virtual path, bytes) from memory, in place of any file at
    /// those paths.
    pub fn set_overlay(&mut self, files: Vec<(String, Vec<u8>)>) {
        self.overlay = files
            .into_iter()
            .map(|(path, bytes)| (file_id(&path), Bytes::new(bytes)))
            .collect();
    }

    /// Uses another set of fonts (after the font folders changed).
    pub fn set_fonts(&mut self, fonts: Arc<Fonts>) {
        self.fonts = fonts;
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn fonts(&self) -> &Fonts {
        &self.fonts
    }

    fn read(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.text().to_owned()));
        }
        if let Some(bytes) = self.overlay.get(&id) {
            return Ok(bytes.clone());
        }
        cached(&self.files, id, || self.read_from_disk(id))
    }

    fn read_from_disk(&self, id: FileId) -> FileResult<Bytes> {
        if let VirtualRoot::Package(spec) = id.root() {
            return Err(FileError::Other(Some(
                format!("package {spec} is not available: paiban builds offline").into(),
            )));
        }
        let path = id
            .vpath()
            .realize(self.base(id))
            .map_err(FileError::Realize)?;
        if path.is_dir() {
            return Err(FileError::IsDirectory);
        }
        std::fs::read(&path)
            .map(Bytes::new)
            .map_err(|e| FileError::from_io(e, &path))
    }

    /// The folder a file's virtual path is relative to: the layouts' home for the
    /// templates, else the root.
    fn base(&self, id: FileId) -> &Path {
        match id.vpath().get_with_slash().starts_with("/layouts/") {
            true => &self.layouts_home,
            false => &self.root,
        }
    }

    /// The path shown in diagnostics for a file id.
    pub fn display_path(&self, id: FileId) -> String {
        if id == self.main.id() {
            return id.vpath().get_without_slash().to_owned();
        }
        match id.vpath().realize(self.base(id)) {
            Ok(path) => path.display().to_string(),
            Err(_) => id.vpath().get_with_slash().to_owned(),
        }
    }
}

/// The cached result for `id`, computing it once. The lock is not held while computing,
/// since reading a source reads its file through the other cache.
fn cached<T: Clone>(
    cache: &Mutex<HashMap<FileId, FileResult<T>>>,
    id: FileId,
    compute: impl FnOnce() -> FileResult<T>,
) -> FileResult<T> {
    if let Some(hit) = cache.lock().expect("not poisoned").get(&id) {
        return hit.clone();
    }
    let result = compute();
    cache
        .lock()
        .expect("not poisoned")
        .insert(id, result.clone());
    result
}

/// Interns a project-rooted path; ids are reused for the same path.
pub fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path).expect("a valid virtual path");
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

impl World for PaibanWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        cached(&self.sources, id, || {
            let bytes = self.read(id)?;
            let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            Ok(Source::new(id, text.to_owned()))
        })
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.read(id)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // One reproducible date whatever the offset asked for.
        self.today
    }
}

/// The UTC date of a Unix time.
fn date_of(seconds: i64) -> Option<Datetime> {
    let (year, month, day) = crate::model::civil_from_days(seconds.div_euclid(86_400));
    Datetime::from_ymd(year, month, day)
}

#[cfg(test)]
mod tests {
    use crate::model::civil_from_days;

    #[test]
    fn epoch_days_to_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_303), (2022, 11, 7));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
