//! The build cache: a document is skipped when a hash of everything its outputs depend on
//! matches the hash recorded when they were written, and the outputs still hold what was
//! written then.
//!
//! Everything is keyed on what files hold, never on when they were touched, so that a
//! cache restored into a fresh clone (where every file is new to the file system) still
//! hits. Inputs hashed: the content file's bytes; every file under `layouts/` and in the
//! font folders (its path inside its folder and its bytes); the build and print options
//! and `SOURCE_DATE_EPOCH`; what `paiban.toml` says; and paiban itself (its version and the bytes of the
//! executable). Outputs are stamped by their bytes too, and so are the other files the
//! build read (the chapters the content includes, its images), recorded as the build
//! found them: which files those are follows from the content and from them, so while
//! none has changed the list has not either.
//!
//! Hashing 100 MB of fonts on every run would be slow, so the cache folder keeps a memo
//! from each file's stat (size, time, inode) to its hash: a warm run only stats files,
//! and a file whose stat changed (a fresh clone) is hashed once.
//!
//! Entries live in `<out>/.paiban-cache/`, one small file per document, named by the
//! document's place in the project; deleting the folder only costs a rebuild.

use std::collections::HashMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::UNIX_EPOCH;

use siphasher::sip128::{Hasher128, SipHasher13};

use super::Builder;
use super::batch::{BatchOptions, Job};
use crate::diag::{Diagnostic, Failure};

const ENTRY_HEADER: &str = "paiban-cache 4";
const MEMO_HEADER: &str = "paiban-file-hashes 1";

pub struct Cache {
    dir: PathBuf,
    /// Layouts, fonts and paiban itself: the same for every document of one run.
    shared: OnceLock<Option<u128>>,
    /// File hashes by stat, read from and written back to the cache folder.
    memo: Memo,
}

/// What one document's outputs were built from, and where that is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    hash: u128,
    entry: PathBuf,
    /// The outputs by their place in the project, however the command line spelled them.
    places: Vec<String>,
    /// The project's folder, which places are relative to.
    root: PathBuf,
}

impl Cache {
    /// The cache for outputs under `out_root`.
    pub fn new(out_root: &Path) -> Self {
        let dir = out_root.join(".paiban-cache");
        let memo = Memo::read(&dir.join("file-hashes"));
        Self {
            dir,
            shared: OnceLock::new(),
            memo,
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key of every input of `job`, or `None` if an input cannot be read (then the
    /// job is simply built).
    pub fn key(&self, builder: &Builder, job: &Job, options: &BatchOptions) -> Option<Key> {
        let shared = (*self.shared.get_or_init(|| self.shared_inputs(builder)))?;
        let content = std::fs::read(&job.content).ok()?;
        let mut hasher = SipHasher13::new();
        hasher.write_u128(shared);
        hasher.write(&content);
        hasher.write_usize(content.len());
        let settings = format!(
            "{:?} allow_missing_glyphs={} deny_warnings={} print={:?} project={:?} standards={:?} page_list={} embed_source={} epoch={:?}",
            options.formats,
            builder.allow_missing_glyphs,
            builder.deny_warnings,
            builder.print,
            // What paiban.toml says (its default layout and paper, its font roles).
            builder.project.settings,
            builder.pdf_standards,
            builder.page_list,
            builder.embed_source,
            std::env::var("SOURCE_DATE_EPOCH").ok(),
        );
        hasher.write(settings.as_bytes());
        hasher.write(&[options.epub_embed_fonts as u8]);
        let root = &builder.project.root;
        Some(Key {
            hash: hasher.finish128().as_u128(),
            entry: self.entry_path(job, root),
            places: job
                .outputs(options.formats)
                .iter()
                .map(|output| place(output, root))
                .collect(),
            root: std::fs::canonicalize(root).unwrap_or_else(|_| root.clone()),
        })
    }

    /// Whether `job`'s outputs were recorded under `key` and still hold what was written.
    pub fn is_fresh(&self, key: &Key, outputs: &[PathBuf]) -> bool {
        let Ok(entry) = std::fs::read_to_string(&key.entry) else {
            return false;
        };
        let mut lines = entry.lines();
        if lines.next() != Some(ENTRY_HEADER)
            || lines.next() != Some(&format!("key {:032x}", key.hash))
        {
            return false;
        }
        // Outputs are listed last, one per output: an entry a crash cut short lacks one.
        let lines: Vec<&str> = lines.collect();
        let recorded_as = |kind: &str| -> Vec<(&str, &str)> {
            lines
                .iter()
                .filter_map(|line| {
                    let (hash, path) = line.strip_prefix(kind)?.split_once(' ')?;
                    Some((path, hash))
                })
                .collect()
        };
        let recorded = recorded_as("output ");
        let inputs_unchanged = recorded_as("input ").iter().all(|(place, hash)| {
            self.memo
                .hash(&key.root.join(place))
                .is_some_and(|now| format!("{now:032x}") == *hash)
        });
        inputs_unchanged
            && recorded.len() == outputs.len()
            && outputs.len() == key.places.len()
            && outputs.iter().zip(&recorded).zip(&key.places).all(
                |((output, (path, hash)), place)| {
                    place == path
                        && self
                            .memo
                            .hash(output)
                            .is_some_and(|now| format!("{now:032x}") == *hash)
                },
            )
    }

    /// Records that `outputs` were built from the inputs of `key` and the other files
    /// the build read, `inputs`.
    pub fn record(
        &self,
        key: &Key,
        outputs: &[PathBuf],
        inputs: &[PathBuf],
    ) -> Result<(), Failure> {
        let mut entry = format!("{ENTRY_HEADER}\nkey {:032x}\n", key.hash);
        for input in inputs {
            let hash = self.memo.hash(input).ok_or_else(|| {
                Diagnostic::error(input.display().to_string(), "cannot read the input")
            })?;
            entry.push_str(&format!("input {hash:032x} {}\n", place(input, &key.root)));
        }
        for (output, place) in outputs.iter().zip(&key.places) {
            let hash = self.memo.hash(output).ok_or_else(|| {
                Diagnostic::error(output.display().to_string(), "cannot read the output")
            })?;
            entry.push_str(&format!("output {hash:032x} {place}\n"));
        }
        super::write_replaceable(&key.entry, entry.as_bytes())
    }

    /// Writes the file-hash memo back if this run learned something and the cache exists
    /// (a run that wrote nothing leaves no folder behind); a memo that cannot be written
    /// only costs hashing again next time.
    pub fn save(&self) {
        if self.memo.changed.load(Ordering::Relaxed) && self.dir.is_dir() {
            let _ = super::write_replaceable(
                &self.dir.join("file-hashes"),
                self.memo.text().as_bytes(),
            );
        }
    }

    /// The entry of a document: named by where the content and the outputs are inside the
    /// project (so two clones of one project share entries), else by their real paths.
    fn entry_path(&self, job: &Job, project_root: &Path) -> PathBuf {
        let mut hasher = SipHasher13::new();
        for path in [&job.content, &job.out_dir] {
            hasher.write(place(path, project_root).as_bytes());
            hasher.write_u8(0);
        }
        self.dir
            .join(format!("{:032x}", hasher.finish128().as_u128()))
    }

    /// The hash of the inputs every document shares: layouts, fonts, and paiban itself.
    fn shared_inputs(&self, builder: &Builder) -> Option<u128> {
        let mut hasher = SipHasher13::new();
        hasher.write(env!("CARGO_PKG_VERSION").as_bytes());
        // The executable's bytes are its build id: a rebuild from the same sources is the
        // same paiban, whenever it was built.
        hasher.write_u128(self.memo.hash(&std::env::current_exe().ok()?)?);
        let mut folders = vec![builder.project.layouts_dir()];
        folders.extend(builder.font_dirs());
        for (i, folder) in folders.iter().enumerate() {
            hasher.write_usize(i);
            for file in sorted_files(folder) {
                let place = file.strip_prefix(folder).unwrap_or(&file);
                hasher.write(place.to_string_lossy().as_bytes());
                hasher.write_u8(0);
                hasher.write_u128(self.memo.hash(&file)?);
            }
        }
        Some(hasher.finish128().as_u128())
    }
}

/// Where `path` is inside the project `root` (its real path relative to the root's), or
/// its real path outside it; the folder of a file that does not exist yet is resolved.
fn place(path: &Path, root: &Path) -> String {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.into());
    let real = match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !path.exists() => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            super::real_path(parent).join(name)
        }
        _ => super::real_path(path),
    };
    real.strip_prefix(&root)
        .unwrap_or(&real)
        .to_string_lossy()
        .into_owned()
}

/// File hashes, remembered by path and stat so that unchanged files are not read again.
/// Shared by a batch's workers: a file is read and hashed outside the lock, so one
/// worker hashing its PDF never holds up another.
#[derive(Default)]
struct Memo {
    known: Mutex<HashMap<PathBuf, (String, u128)>>,
    changed: AtomicBool,
}

impl Memo {
    fn read(path: &Path) -> Self {
        let mut known = HashMap::new();
        let Ok(text) = std::fs::read_to_string(path) else {
            return Memo::default();
        };
        let mut lines = text.lines();
        if lines.next() != Some(MEMO_HEADER) {
            return Memo::default();
        }
        for line in lines {
            let mut fields = line.splitn(3, ' ');
            let (Some(hash), Some(stat), Some(path)) =
                (fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            if let Ok(hash) = u128::from_str_radix(hash, 16) {
                known.insert(PathBuf::from(path), (stat.to_owned(), hash));
            }
        }
        Memo {
            known: Mutex::new(known),
            changed: AtomicBool::new(false),
        }
    }

    fn text(&self) -> String {
        let known = self.known.lock().expect("not poisoned");
        let mut lines: Vec<String> = known
            .iter()
            .map(|(path, (stat, hash))| format!("{hash:032x} {stat} {}", path.to_string_lossy()))
            .collect();
        lines.sort();
        let mut text = format!("{MEMO_HEADER}\n");
        for line in lines {
            text.push_str(&line);
            text.push('\n');
        }
        text
    }

    /// The hash of the bytes of the file `path` names (through links): remembered if its
    /// stat has not changed, else read and remembered.
    fn hash(&self, path: &Path) -> Option<u128> {
        let real = std::fs::canonicalize(path).ok()?;
        let stat = stat(&real)?;
        if let Some((known_stat, hash)) = self.known.lock().expect("not poisoned").get(&real)
            && *known_stat == stat
        {
            return Some(*hash);
        }
        let mut hasher = SipHasher13::new();
        let bytes = std::fs::read(&real).ok()?;
        hasher.write(&bytes);
        hasher.write_usize(bytes.len());
        let hash = hasher.finish128().as_u128();
        self.known
            .lock()
            .expect("not poisoned")
            .insert(real, (stat, hash));
        self.changed.store(true, Ordering::Relaxed);
        Some(hash)
    }
}

/// Size, modification time and inode: a file whose stat is unchanged was not rewritten.
fn stat(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_nanos();
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some(format!("{}:{modified}:{inode}", meta.len()))
}

fn sorted_files(dir: &Path) -> Vec<PathBuf> {
    // Follow links: fontdb and typst read through them, so their targets are inputs.
    walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}
