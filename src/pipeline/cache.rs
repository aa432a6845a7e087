//! The build cache: a document is skipped when a hash of everything its outputs depend on
//! matches the hash recorded when they were written, and the outputs are still there.
//!
//! Inputs hashed: the content file's bytes; every file under `layouts/` (bytes, size and
//! modification time); the name, size and
//! modification time of every file in the font folders; the build and print options and
//! `SOURCE_DATE_EPOCH`; and paiban itself (version, and size and time of the executable).
//! Entries live in `<out>/.paiban-cache/`, one small file per document; deleting the folder
//! only costs a rebuild.

use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::UNIX_EPOCH;

use siphasher::sip128::{Hasher128, SipHasher13};

use super::Builder;
use super::batch::{BatchOptions, Job};
use crate::diag::{Diagnostic, Failure};

const ENTRY_HEADER: &str = "paiban-cache 2";

pub struct Cache {
    dir: PathBuf,
    /// Layouts, fonts and paiban itself: the same for every document of one run.
    shared: OnceLock<Option<u128>>,
}

impl Cache {
    /// The cache for outputs under `out_root`.
    pub fn new(out_root: &Path) -> Self {
        Self {
            dir: out_root.join(".paiban-cache"),
            shared: OnceLock::new(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The hash of every input of `job`, or `None` if an input cannot be read (then the
    /// job is simply built).
    pub fn key(&self, builder: &Builder, job: &Job, options: &BatchOptions) -> Option<u128> {
        let shared = (*self.shared.get_or_init(|| shared_inputs(builder)))?;
        let content = std::fs::read(&job.content).ok()?;
        let mut hasher = SipHasher13::new();
        hasher.write_u128(shared);
        hasher.write(&content);
        hasher.write_usize(content.len());
        let settings = format!(
            "{:?} allow_missing_glyphs={} deny_warnings={} print={:?} standards={:?} epoch={:?}",
            options.formats,
            builder.allow_missing_glyphs,
            builder.deny_warnings,
            builder.print,
            builder.pdf_standards,
            std::env::var("SOURCE_DATE_EPOCH").ok(),
        );
        hasher.write(settings.as_bytes());
        hasher.write(&[options.epub_embed_fonts as u8]);
        Some(hasher.finish128().as_u128())
    }

    /// Whether `job`'s outputs were recorded under `key` and are all still in place.
    pub fn is_fresh(&self, job: &Job, key: u128, outputs: &[PathBuf]) -> bool {
        let Ok(entry) = std::fs::read_to_string(self.entry_path(job)) else {
            return false;
        };
        let mut lines = entry.lines();
        if lines.next() != Some(ENTRY_HEADER) || lines.next() != Some(&format!("key {key:032x}")) {
            return false;
        }
        let recorded: Vec<(&str, &str)> = lines
            .filter_map(|line| {
                let (stamp, path) = line.strip_prefix("output ")?.split_once(' ')?;
                Some((path, stamp))
            })
            .collect();
        recorded.len() == outputs.len()
            && outputs
                .iter()
                .zip(&recorded)
                .all(|(output, (path, stamp))| {
                    output.to_string_lossy() == *path
                        && output_stamp(output).is_some_and(|now| now == *stamp)
                })
    }

    /// Records that `outputs` were built from the inputs hashed as `key`.
    pub fn record(&self, job: &Job, key: u128, outputs: &[PathBuf]) -> Result<(), Failure> {
        let mut entry = format!("{ENTRY_HEADER}\nkey {key:032x}\n");
        for output in outputs {
            let stamp = output_stamp(output).ok_or_else(|| {
                Diagnostic::error(output.display().to_string(), "cannot read the output")
            })?;
            entry.push_str(&format!("output {stamp} {}\n", output.to_string_lossy()));
        }
        super::write_atomically(&self.entry_path(job), entry.as_bytes())
    }

    fn entry_path(&self, job: &Job) -> PathBuf {
        let mut hasher = SipHasher13::new();
        for path in [&job.content, &job.out_dir] {
            let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
            hasher.write(absolute.to_string_lossy().as_bytes());
            hasher.write_u8(0);
        }
        self.dir
            .join(format!("{:032x}", hasher.finish128().as_u128()))
    }
}

/// Size and modification time of an output, so that a file replaced since it was
/// recorded (by another build writing the same path) is not taken as fresh.
fn output_stamp(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some(format!("{}:{modified}", meta.len()))
}

/// The hash of the inputs every document shares: layouts, fonts, and paiban itself.
fn shared_inputs(builder: &Builder) -> Option<u128> {
    let mut hasher = SipHasher13::new();
    hasher.write(env!("CARGO_PKG_VERSION").as_bytes());
    let exe = std::env::current_exe().ok()?;
    stamp(&mut hasher, &exe);
    // Layouts by content and by time, so that touching a template rebuilds, as `make` does.
    for entry in sorted_files(&builder.project.root.join("layouts")) {
        stamp(&mut hasher, &entry);
        hasher.write(&std::fs::read(&entry).ok()?);
    }
    for dir in builder.font_dirs() {
        for entry in sorted_files(&dir) {
            stamp(&mut hasher, &entry);
        }
    }
    Some(hasher.finish128().as_u128())
}

/// Name, size and modification time: enough to see a font replaced, without reading it.
fn stamp(hasher: &mut SipHasher13, path: &Path) {
    hasher.write(path.to_string_lossy().as_bytes());
    if let Ok(meta) = std::fs::metadata(path) {
        hasher.write_u64(meta.len());
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        hasher.write_u128(modified);
    }
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
