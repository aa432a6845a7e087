//! The `paiban` command line: a thin layer over the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use paiban::diag::Failure;
use paiban::pipeline::{self, Builder};
use paiban::project::Project;

/// Print-ready typesetting from structured content (YAML), CJK first.
#[derive(Parser)]
#[command(name = "paiban", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct FontArgs {
    /// Also search this folder for fonts (after the project's fonts/). Repeatable.
    #[arg(long = "font-path", value_name = "DIR")]
    font_paths: Vec<PathBuf>,
    /// Also use the fonts installed on this machine (off by default, for reproducibility).
    #[arg(long)]
    system_fonts: bool,
    /// The project folder holding layouts/ and fonts/ [default: found above the content]
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
enum FormatArg {
    Pdf,
    Epub,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ReportFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum EncodingArg {
    #[value(name = "utf-8")]
    Utf8,
    #[value(name = "gb18030", alias = "gbk")]
    Gb18030,
}

#[derive(Subcommand)]
enum Command {
    /// Build content files into PDFs.
    Build {
        /// Content files (YAML).
        #[arg(required = true, value_name = "FILE.yaml")]
        files: Vec<PathBuf>,
        /// Output folder; each FILE.yaml becomes DIR/FILE.pdf (and DIR/FILE.epub).
        #[arg(short, long, value_name = "DIR", default_value = "out")]
        output: PathBuf,
        /// Output formats, comma-separated.
        #[arg(
            long,
            value_delimiter = ',',
            default_value = "pdf",
            value_name = "pdf,epub"
        )]
        format: Vec<FormatArg>,
        /// Embed the layout's fonts in the EPUB, subset to the characters the book uses.
        #[arg(long)]
        epub_embed_fonts: bool,
        /// Build the PDF even if some characters are in no font (they print as empty boxes).
        #[arg(long)]
        allow_missing_glyphs: bool,
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// Check content files without writing output: schema, glyph coverage, and Chinese
    /// punctuation (GB/T 15834). Exits 1 on errors.
    Check {
        #[arg(required = true, value_name = "FILE.yaml")]
        files: Vec<PathBuf>,
        /// Rewrite the punctuation findings in the files; nothing else in them changes.
        #[arg(long)]
        fix: bool,
        /// How to print findings: text, or one JSON object per line.
        #[arg(long, value_enum, default_value = "text")]
        format: ReportFormat,
        /// Exit 1 on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// Write the Typst markup generated for a content file.
    Typst {
        #[arg(value_name = "FILE.yaml")]
        file: PathBuf,
        /// Write here instead of to standard output.
        #[arg(short, long, value_name = "FILE.typ")]
        output: Option<PathBuf>,
        /// The project folder holding layouts/ [default: found above the content]
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
    /// Recover the structure of a plain-text document as content YAML.
    Import {
        #[arg(value_name = "FILE.txt")]
        file: PathBuf,
        /// Write here instead of to standard output.
        #[arg(short, long, value_name = "FILE.yaml")]
        output: Option<PathBuf>,
        /// The document's title (the text rarely states it on a line of its own).
        #[arg(long)]
        title: Option<String>,
        /// The input's encoding.
        #[arg(long, value_enum, default_value = "utf-8")]
        encoding: EncodingArg,
    },
    /// List the font faces a build would use, and where they were found.
    Fonts {
        #[command(flatten)]
        fonts: FontArgs,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{failure}");
            ExitCode::from(1)
        }
    }
}

fn project(root: Option<&Path>, near: &Path) -> Result<Project, Failure> {
    Ok(match root {
        Some(root) => Project::at(root)?,
        None => Project::discover(near)?,
    })
}

/// Loads `file` once and writes each wanted format, stopping at the first failure.
fn build_one(
    builder: &Builder,
    file: &Path,
    output: &Path,
    formats: &[FormatArg],
    epub_embed_fonts: bool,
) -> Result<(), Failure> {
    let document = pipeline::load(file, &builder.project)?;
    for wanted in formats {
        let done = match wanted {
            FormatArg::Pdf => {
                let built = builder.write_pdf(&document, file, output)?;
                for warning in &built.warnings {
                    eprintln!("{warning}");
                }
                format!("{} ({} pages)", built.output.display(), built.pages)
            }
            FormatArg::Epub => builder
                .write_epub(&document, file, output, epub_embed_fonts)?
                .display()
                .to_string(),
        };
        eprintln!("{} → {done}", file.display());
    }
    Ok(())
}

fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Build {
            files,
            output,
            mut format,
            epub_embed_fonts,
            allow_missing_glyphs,
            fonts,
        } => {
            format.sort();
            format.dedup();
            let mut builder = Builder::new(
                project(fonts.root.as_deref(), &files[0])?,
                &fonts.font_paths,
                fonts.system_fonts,
            );
            builder.allow_missing_glyphs = allow_missing_glyphs;
            let mut failures = Vec::new();
            for file in &files {
                if let Err(failure) = build_one(&builder, file, &output, &format, epub_embed_fonts)
                {
                    eprintln!("{failure}");
                    failures.push(file.display().to_string());
                }
            }
            summarise("documents failed", &failures, files.len())
        }
        Command::Check {
            files,
            fix,
            format,
            deny_warnings,
            fonts,
        } => check(&files, fix, format, deny_warnings, &fonts),
        Command::Typst { file, output, root } => {
            let project = project(root.as_deref(), &file)?;
            let markup = pipeline::markup(&file, &project)?;
            match output {
                Some(path) => pipeline::write_atomically(&path, markup.as_bytes()),
                None => {
                    print!("{markup}");
                    Ok(())
                }
            }
        }
        Command::Import {
            file,
            output,
            title,
            encoding,
        } => {
            let encoding = match encoding {
                EncodingArg::Utf8 => pipeline::TextEncoding::Utf8,
                EncodingArg::Gb18030 => pipeline::TextEncoding::Gb18030,
            };
            let (yaml, warnings) = pipeline::import_text(&file, encoding, title)?;
            for warning in &warnings {
                eprintln!("{warning}");
            }
            match output {
                Some(path) => pipeline::write_atomically(&path, yaml.as_bytes()),
                None => {
                    print!("{yaml}");
                    Ok(())
                }
            }
        }
        Command::Fonts { fonts } => {
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            let builder = Builder::new(
                project(fonts.root.as_deref(), &cwd)?,
                &fonts.font_paths,
                fonts.system_fonts,
            );
            for face in &builder.fonts().faces {
                println!(
                    "{}\t{}\t{}#{}",
                    face.family,
                    face.style,
                    face.path.display(),
                    face.index
                );
            }
            Ok(())
        }
    }
}

/// `paiban check`: findings on standard output, a summary per file on standard error.
fn check(
    files: &[PathBuf],
    fix: bool,
    format: ReportFormat,
    deny_warnings: bool,
    fonts: &FontArgs,
) -> Result<(), Failure> {
    let builder = Builder::new(
        project(fonts.root.as_deref(), &files[0])?,
        &fonts.font_paths,
        fonts.system_fonts,
    );
    let mut failed = Vec::new();
    for file in files {
        let diagnostics = if fix {
            match builder.fix(file) {
                Ok(fixed) => {
                    eprintln!("{}: fixed {} findings", file.display(), fixed.fixed);
                    fixed.remaining
                }
                Err(failure) => failure.0,
            }
        } else {
            builder.check(file)
        };
        for diagnostic in &diagnostics {
            match format {
                ReportFormat::Text => println!("{diagnostic}"),
                ReportFormat::Json => println!("{}", diagnostic.to_json()),
            }
        }
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = diagnostics.len() - errors;
        eprintln!("{}: {errors} errors, {warnings} warnings", file.display());
        if errors > 0 || (deny_warnings && warnings > 0) {
            failed.push(file.display().to_string());
        }
    }
    summarise("files failed the check", &failed, files.len())
}

/// Ok if nothing `failed`; else one error naming the failures, for exit status 1.
fn summarise(what: &str, failed: &[String], total: usize) -> Result<(), Failure> {
    if failed.is_empty() {
        return Ok(());
    }
    Err(paiban::Diagnostic::error(
        "paiban",
        format!("{} of {total} {what}: {}", failed.len(), failed.join(", ")),
    )
    .into())
}
