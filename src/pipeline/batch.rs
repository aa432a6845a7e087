//! Building many documents: folders expanded into jobs, shards, a content-hash cache,
//! and parallel builds where one failure never stops the others.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::cache::Cache;
use super::{Builder, load, output_path, stem};
use crate::diag::{Diagnostic, Failure};
use crate::engine::preflight::Preflight;

/// One document of a batch and the folder its outputs go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub content: PathBuf,
    pub out_dir: PathBuf,
}

impl Job {
    /// The outputs this job writes for `formats`.
    pub fn outputs(&self, formats: Formats) -> Vec<PathBuf> {
        let mut outputs = Vec::new();
        if formats.pdf {
            outputs.push(output_path(&self.out_dir, &self.content, "pdf"));
        }
        if formats.epub {
            outputs.push(output_path(&self.out_dir, &self.content, "epub"));
        }
        outputs
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Formats {
    pub pdf: bool,
    pub epub: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchOptions {
    pub formats: Formats,
    pub epub_embed_fonts: bool,
    /// Build even when the cache says the outputs are up to date.
    pub force: bool,
    /// Documents built at once.
    pub parallel: usize,
    /// Check each PDF as a printer would, and fail the document if it is not fit for press.
    pub preflight: bool,
}

/// What happened to one job.
#[derive(Debug)]
pub enum Outcome {
    Built {
        outputs: Vec<PathBuf>,
        pages: Option<usize>,
        warnings: Vec<Diagnostic>,
        preflight: Option<String>,
    },
    /// The cache showed the outputs were made from the same inputs.
    UpToDate {
        outputs: Vec<PathBuf>,
        preflight: Option<String>,
    },
    Failed(Failure),
}

/// Expands the command line's inputs into content files: a file stands for itself; a
/// folder for every `.yaml`/`.yml` file below it (hidden folders and `skip` left out), each
/// with its folder relative to the input. A path that is neither is kept, to fail as a
/// document of its own.
pub fn content_files(inputs: &[PathBuf], skip: &Path) -> Result<Vec<(PathBuf, PathBuf)>, Failure> {
    let skip = std::path::absolute(skip).unwrap_or_else(|_| skip.to_path_buf());
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        if !input.is_dir() {
            files.push((input.clone(), PathBuf::new()));
            continue;
        }
        let walk = walkdir::WalkDir::new(input)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| {
                let hidden =
                    entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
                // The output folder below an input is skipped, not an input that is it.
                let skipped =
                    entry.depth() > 0 && std::path::absolute(entry.path()).is_ok_and(|p| p == skip);
                !hidden && !skipped
            });
        let found_before = files.len();
        for entry in walk {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    errors.push(Diagnostic::error(
                        input.display().to_string(),
                        e.to_string(),
                    ));
                    continue;
                }
            };
            let is_yaml = entry
                .path()
                .extension()
                .is_some_and(|ext| ext == "yaml" || ext == "yml");
            if entry.file_type().is_file() && is_yaml {
                let relative = entry.path().strip_prefix(input).unwrap_or(entry.path());
                let folder = relative.parent().unwrap_or(Path::new("")).to_path_buf();
                files.push((entry.path().to_path_buf(), folder));
            }
        }
        if files.len() == found_before {
            errors.push(Diagnostic::error(
                input.display().to_string(),
                "no content files (.yaml or .yml) in this folder",
            ));
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(Failure(errors))
    }
}

/// The jobs for the command line's inputs (see [`content_files`]): each document writes
/// to `out_root`, under its folder relative to the input folder it was found in. Jobs are
/// sorted by content path; two that would write the same output are refused.
pub fn collect_jobs(inputs: &[PathBuf], out_root: &Path) -> Result<Vec<Job>, Failure> {
    let mut jobs: Vec<Job> = content_files(inputs, out_root)?
        .into_iter()
        .map(|(content, folder)| Job {
            content,
            out_dir: out_root.join(folder),
        })
        .collect();
    let mut errors = Vec::new();
    let mut writers: BTreeMap<PathBuf, &Job> = BTreeMap::new();
    for job in &jobs {
        let output = job.out_dir.join(stem(&job.content));
        if let Some(other) = writers.insert(output.clone(), job)
            && other.content != job.content
        {
            errors.push(Diagnostic::error(
                job.content.display().to_string(),
                format!(
                    "writes the same output as {} ({}.*); build them into different folders",
                    other.content.display(),
                    output.display()
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(Failure(errors));
    }
    jobs.sort_by(|a, b| a.content.cmp(&b.content));
    jobs.dedup();
    Ok(jobs)
}

/// Shard `index` (1-based) of `count`: jobs are dealt round-robin in content-path order,
/// so the shards of a collection partition it, and every CI job computes the same split.
pub fn shard(jobs: Vec<Job>, index: usize, count: usize) -> Vec<Job> {
    jobs.into_iter()
        .enumerate()
        .filter(|(i, _)| count > 0 && i % count + 1 == index)
        .map(|(_, job)| job)
        .collect()
}

impl Builder {
    /// Builds every job, `options.parallel` at a time, calling `on_done` as each finishes.
    /// Outcomes come back in job order.
    pub fn build_batch(
        &self,
        jobs: &[Job],
        options: &BatchOptions,
        cache: Option<&Cache>,
        on_done: &(dyn Fn(&Job, &Outcome) + Sync),
    ) -> Vec<Outcome> {
        let next = AtomicUsize::new(0);
        let outcomes: Mutex<Vec<Option<Outcome>>> =
            Mutex::new((0..jobs.len()).map(|_| None).collect());
        let workers = options.parallel.clamp(1, jobs.len().max(1));
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break };
                        let outcome = self.build_job(job, options, cache);
                        on_done(job, &outcome);
                        outcomes.lock().expect("not poisoned")[i] = Some(outcome);
                    }
                });
            }
        });
        outcomes
            .into_inner()
            .expect("not poisoned")
            .into_iter()
            .map(|o| o.expect("every job ran"))
            .collect()
    }

    /// Builds one job, unless the cache shows its outputs are up to date.
    pub fn build_job(&self, job: &Job, options: &BatchOptions, cache: Option<&Cache>) -> Outcome {
        let outputs = job.outputs(options.formats);
        let key = cache.and_then(|cache| cache.key(self, job, options));
        if let (Some(cache), Some(key), false) = (cache, key, options.force)
            && cache.is_fresh(job, key, &outputs)
        {
            return match self.preflight(job, options) {
                Ok(preflight) => Outcome::UpToDate { outputs, preflight },
                Err(failure) => Outcome::Failed(failure),
            };
        }
        let built = self
            .build_formats(job, options)
            .and_then(|(pages, warnings)| Ok((pages, warnings, self.preflight(job, options)?)));
        match built {
            Ok((pages, warnings, preflight)) => {
                if let (Some(cache), Some(key)) = (cache, key) {
                    // A cache that cannot be written only costs a rebuild next time.
                    let _ = cache.record(job, key, &outputs);
                }
                Outcome::Built {
                    outputs,
                    pages,
                    warnings,
                    preflight,
                }
            }
            Err(failure) => Outcome::Failed(failure),
        }
    }

    /// The preflight report of `job`'s PDF, if asked for; a failure if it is not fit for
    /// press (fonts not embedded, a bleed asked for but missing).
    fn preflight(&self, job: &Job, options: &BatchOptions) -> Result<Option<String>, Failure> {
        if !options.preflight || !options.formats.pdf {
            return Ok(None);
        }
        let pdf = output_path(&job.out_dir, &job.content, "pdf");
        let name = pdf.display().to_string();
        let bytes = std::fs::read(&pdf)
            .map_err(|e| Diagnostic::error(&name, format!("cannot read: {e}")))?;
        let report = Preflight::read(&bytes).map_err(|e| Diagnostic::error(&name, e))?;
        let problems = report.problems(self.print.bleed_mm > 0.0);
        if problems.is_empty() {
            return Ok(Some(report.report()));
        }
        let summary = report.report().trim_end().replace('\n', "; ");
        Err(Failure(
            problems
                .into_iter()
                .map(|problem| {
                    Diagnostic::error(&name, format!("preflight: {problem}"))
                        .with_code("preflight")
                        .with_hint(summary.clone())
                })
                .collect(),
        ))
    }

    /// Loads the content once and writes each format; the first failure stops the job.
    fn build_formats(
        &self,
        job: &Job,
        options: &BatchOptions,
    ) -> Result<(Option<usize>, Vec<Diagnostic>), Failure> {
        let document = load(&job.content, &self.project)?;
        let mut pages = None;
        let mut warnings = Vec::new();
        if options.formats.pdf {
            let built = self.write_pdf(&document, &job.content, &job.out_dir)?;
            pages = Some(built.pages);
            warnings = built.warnings;
        }
        if options.formats.epub {
            self.write_epub(
                &document,
                &job.content,
                &job.out_dir,
                options.epub_embed_fonts,
            )?;
        }
        Ok((pages, warnings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_jobs_round_robin() {
        let jobs: Vec<Job> = (0..10)
            .map(|i| Job {
                content: PathBuf::from(format!("d{i:02}.yaml")),
                out_dir: PathBuf::from("out"),
            })
            .collect();
        let mut seen: Vec<Job> = (1..=3).flat_map(|k| shard(jobs.clone(), k, 3)).collect();
        assert_eq!(shard(jobs.clone(), 1, 3).len(), 4);
        assert_eq!(shard(jobs.clone(), 3, 3).len(), 3);
        seen.sort_by(|a, b| a.content.cmp(&b.content));
        assert_eq!(seen, jobs);
    }
}
