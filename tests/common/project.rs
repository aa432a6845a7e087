//! A scratch project for tests that change layouts or watch files, and the `paiban`
//! command run in it (with the bundled fonts by --font-path).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::project_root;

/// A project of its own (a copy of the layouts; the bundled fonts by --font-path), so a
/// test can change a layout without touching the real one.
pub fn scratch_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = project_root().join("layouts");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let to = dir
            .path()
            .join("layouts")
            .join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    dir
}

/// `paiban ARGS` in `cwd`, as a user types it (no font folder added).
pub fn plain(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_paiban"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

pub fn paiban(args: &[&str], cwd: &Path) -> Output {
    command(args, cwd).output().unwrap()
}

pub fn command(args: &[&str], cwd: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_paiban"));
    command
        .args(args)
        .arg("--font-path")
        .arg(project_root().join("fonts"))
        .current_dir(cwd);
    command
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// `paiban watch` in the background, with its standard error read line by line.
pub struct Watch {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Watch {
    pub fn start(root: &Path, content: &str) -> Self {
        let mut child = command(&["watch", content, "-o", "out"], root)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Self {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for a line containing `text`, and returns it.
    pub fn expect(&mut self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(120);
        while Instant::now() < deadline {
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(200)) {
                self.seen.push(line.clone());
                if line.contains(text) {
                    return line;
                }
            }
        }
        panic!("no line with {text:?}; saw:\n{}", self.seen.join("\n"));
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Replaces a file the way editors save: a new file renamed over the old one.
pub fn save(path: &Path, text: &str) {
    let temporary = path.with_extension("saving");
    std::fs::write(&temporary, text).unwrap();
    std::fs::rename(&temporary, path).unwrap();
}
