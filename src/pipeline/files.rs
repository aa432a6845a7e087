//! Output files: where they go, how they are written (atomically), and the guard that an
//! output never replaces an input.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Failure};

/// Where the output of `content` in `format` (`pdf`, `epub`) goes in `out_dir`.
pub fn output_path(out_dir: &Path, content: &Path, format: &str) -> PathBuf {
    out_dir.join(format!("{}.{format}", stem(content)))
}

/// The file stem outputs are named after.
pub fn stem(content: &Path) -> String {
    content
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "document".to_owned())
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    write_all_atomically(&[(path, bytes)])
}

/// Like [`write_atomically`], for files that cost only time to lose (the build cache's):
/// replaced whole by a rename, but not forced to disk first. A crash may leave such a
/// file empty or cut short, never half old and half new; readers take that as missing.
pub fn write_replaceable(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    publish(path, stage(path, bytes, false)?, "file")
}

/// Writes each file through a temporary file in its folder; only when every one is
/// written are they all renamed into place, so a failure leaves every old file as it was.
pub fn write_all_atomically(files: &[(&Path, &[u8])]) -> Result<(), Failure> {
    let staged = files
        .iter()
        .map(|(path, bytes)| stage(path, bytes, true).map(|file| (*path, file)))
        .collect::<Result<Vec<_>, Failure>>()?;
    for (path, file) in staged {
        publish(path, file, "output")?;
    }
    Ok(())
}

/// Renames a staged file into place at `path` (the `what` a failure names).
fn publish(path: &Path, file: tempfile::NamedTempFile, what: &str) -> Result<(), Failure> {
    file.persist(path).map_err(|e| {
        Diagnostic::error(
            path.display().to_string(),
            format!("cannot replace the {what}: {}", e.error),
        )
    })?;
    Ok(())
}

/// `bytes` in a temporary file beside `path`, not yet renamed into place; forced to disk
/// if `durable`, so that a crash after the rename cannot leave an empty output where a
/// good one was.
fn stage(path: &Path, bytes: &[u8], durable: bool) -> Result<tempfile::NamedTempFile, Failure> {
    use std::io::Write;
    let name = path.display().to_string();
    let fail = |what: &str, e: std::io::Error| Diagnostic::error(&name, format!("{what}: {e}"));
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| fail("cannot create the output folder", e))?;
    let mut file =
        tempfile::NamedTempFile::new_in(dir).map_err(|e| fail("cannot create a file", e))?;
    // Temporary files are private; a published output is readable like any other file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(|e| fail("cannot set permissions", e))?;
    }
    file.write_all(bytes)
        .and_then(|()| {
            if durable {
                file.as_file().sync_all()
            } else {
                Ok(())
            }
        })
        .map_err(|e| fail("cannot write", e))?;
    Ok(file)
}

/// What identifies a file on its device, whatever the path that names it.
pub type FileId = (u64, u64);

/// The identity of the file `path` names (through links), if it exists.
pub fn file_id(path: &Path) -> Option<FileId> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        use std::hash::{Hash, Hasher};
        let _ = meta;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        std::fs::canonicalize(path).ok()?.hash(&mut hasher);
        Some((0, hasher.finish()))
    }
}

/// Whether `a` and `b` name the same file, through symbolic links, `..` and hard links.
/// A path that does not exist is the same as no existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    matches!((file_id(a), file_id(b)), (Some(x), Some(y)) if x == y)
}

/// Refuses to write `output` when it is `input`: the output would replace the only copy
/// of the content. A usage error (exit status 2).
pub fn refuse_overwriting_input(input: &Path, output: &Path) -> Result<(), Diagnostic> {
    if !same_file(input, output) {
        return Ok(());
    }
    Err(Diagnostic::error(
        output.display().to_string(),
        format!(
            "the output is the input file {}: writing it would destroy the content",
            input.display()
        ),
    )
    .with_code(USAGE)
    .with_hint("choose another output file"))
}

/// The code of diagnostics that are usage errors: the command line asked for something
/// that cannot be done, whatever the content (exit status 2).
pub const USAGE: &str = "usage";

/// Whether every diagnostic of `failure` is a usage error.
pub fn is_usage_error(failure: &Failure) -> bool {
    !failure.0.is_empty() && failure.0.iter().all(|d| d.code.as_deref() == Some(USAGE))
}

/// The real path of `path` (links and `..` resolved), or `path` made absolute when it
/// does not exist yet.
pub fn real_path(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}
