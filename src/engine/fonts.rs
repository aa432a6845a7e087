//! Font discovery with fontdb, and lazy, memory-mapped loading for typst.
//!
//! Only the folders asked for are searched: the project's `fonts/` first, then each
//! `--font-path`, then the system's only on request. So a document renders the same on
//! every machine. A face's data is mapped when typst first asks for that face.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use rayon::iter::{IntoParallelRefIterator, ParallelIterator};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;

#[derive(Debug, Clone, Default)]
pub struct FontOptions {
    /// Searched first, in order (the project's `fonts/`, then `--font-path`s).
    pub dirs: Vec<PathBuf>,
    /// Also search the fonts installed on this machine.
    pub system: bool,
}

/// One face the book knows, and where its data lives.
#[derive(Debug)]
pub struct FaceSlot {
    pub path: PathBuf,
    pub index: u32,
    pub family: String,
    /// CSS weight: 400 regular, 700 bold.
    pub weight: u16,
    pub style: String,
    font: OnceLock<Option<Font>>,
}

pub struct Fonts {
    pub book: LazyHash<FontBook>,
    pub faces: Vec<FaceSlot>,
    /// One map per file, shared by every face of a collection.
    maps: Mutex<HashMap<PathBuf, Bytes>>,
}

impl Fonts {
    pub fn discover(options: &FontOptions) -> Self {
        let mut db = fontdb::Database::new();
        for dir in &options.dirs {
            db.load_fonts_dir(dir);
        }
        if options.system {
            db.load_system_fonts();
        }
        // fontdb lists faces per folder in directory order; sort within each folder so the
        // book, and so typst's choice among equal faces, never depends on the filesystem.
        let rank = |path: &Path| {
            options
                .dirs
                .iter()
                .position(|d| path.starts_with(d))
                .unwrap_or(options.dirs.len())
        };
        let mut found: Vec<(usize, PathBuf, u32, fontdb::ID)> = db
            .faces()
            .filter_map(|face| match &face.source {
                fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => {
                    Some((rank(path), path.clone(), face.index, face.id))
                }
                fontdb::Source::Binary(_) => None,
            })
            .collect();
        found.sort();

        // Reading a face's coverage is most of the time a build spends before typst
        // starts (a CJK face maps tens of thousands of characters): the faces are read
        // side by side, and kept in the sorted order.
        let infos: Vec<Option<FontInfo>> = found
            .par_iter()
            .map(|(_, _, _, id)| db.with_face_data(*id, FontInfo::new).flatten())
            .collect();
        let mut book = FontBook::new();
        let mut faces = Vec::new();
        for ((_, path, index, _), info) in found.into_iter().zip(infos) {
            let Some(info) = info else {
                continue;
            };
            faces.push(FaceSlot {
                path,
                index,
                family: info.family.clone(),
                weight: info.variant.weight.to_number(),
                style: face_style(&info),
                font: OnceLock::new(),
            });
            book.push(info);
        }
        Self {
            book: LazyHash::new(book),
            faces,
            maps: Mutex::new(HashMap::new()),
        }
    }

    /// The face at `index` in the book, mapping its file on first use.
    pub fn font(&self, index: usize) -> Option<Font> {
        let slot = self.faces.get(index)?;
        slot.font
            .get_or_init(|| {
                let data = self.map(&slot.path)?;
                Font::new(data, slot.index)
            })
            .clone()
    }

    /// Whether some face can draw `c`. Typst falls back through every face in the book
    /// when the layout's fonts lack a character, so this is the test for tofu.
    pub fn covers(&self, c: char) -> bool {
        (0..self.faces.len())
            .filter_map(|i| self.book.info(i))
            .any(|info| info.coverage.contains(c as u32))
    }

    /// The upright face of `family` (as typst matches families: ignoring case) closest
    /// to `weight`, among those at least as heavy as 600 for a bold one.
    pub fn face_of(&self, family: &str, weight: u16) -> Option<&FaceSlot> {
        let bold = weight >= 600;
        self.faces
            .iter()
            .filter(|face| face.family.eq_ignore_ascii_case(family))
            .filter(|face| face.style.starts_with("Normal"))
            .filter(|face| (face.weight >= 600) == bold)
            .min_by_key(|face| face.weight.abs_diff(weight))
    }

    /// Whether some face belongs to `family`.
    pub fn has_family(&self, family: &str) -> bool {
        self.faces
            .iter()
            .any(|face| face.family.eq_ignore_ascii_case(family))
    }

    /// Every family, once, in the book's order.
    pub fn families(&self) -> Vec<&str> {
        let mut seen = std::collections::BTreeSet::new();
        self.faces
            .iter()
            .map(|face| face.family.as_str())
            .filter(|family| seen.insert(*family))
            .collect()
    }

    /// How many faces have been loaded so far.
    pub fn loaded(&self) -> usize {
        self.faces.iter().filter(|f| f.font.get().is_some()).count()
    }

    fn map(&self, path: &Path) -> Option<Bytes> {
        let mut maps = self.maps.lock().ok()?;
        if let Some(bytes) = maps.get(path) {
            return Some(bytes.clone());
        }
        let file = std::fs::File::open(path).ok()?;
        // SAFETY: font files are read-only inputs; a file changed under a running build
        // is outside what paiban supports, as with any other input.
        let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
        let bytes = Bytes::new(map);
        maps.insert(path.to_path_buf(), bytes.clone());
        Some(bytes)
    }
}

fn face_style(info: &FontInfo) -> String {
    let variant = info.variant;
    format!(
        "{:?} {} {:?}",
        variant.style,
        variant.weight.to_number(),
        variant.stretch
    )
}
