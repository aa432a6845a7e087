//! The `paiban` command line: a thin layer over the library.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use paiban::diag::{Diagnostic, Failure};
use paiban::model::{Paper, PrintSettings};
use paiban::pipeline::watch::Session;
use paiban::pipeline::{self, BatchOptions, Builder, Cache, Formats, Job, Outcome};
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

#[derive(Clone, clap::Args)]
struct PrintArgs {
    /// Trim size: A4, A5, B5, 16k, 32k-large, 32k, or WxHmm such as 150x230mm
    /// [default: the content's `paper`, else the layout's]
    #[arg(long, value_name = "NAME|WxHmm", value_parser = parse_paper)]
    paper: Option<Paper>,
    /// Bleed outside the trim, such as 3mm; the PDF gets a BleedBox [default: the
    /// project's `bleed`, else 0mm]
    #[arg(long, value_name = "MM", value_parser = parse_bleed)]
    bleed: Option<f64>,
    /// Draw crop marks outside the bleed.
    #[arg(long)]
    crop_marks: bool,
    /// Print on both sides: inside and outside margins, verso and recto running heads.
    #[arg(long)]
    two_sided: bool,
    /// PDF standards to conform to, comma-separated: a-2b, a-2u, a-2a, ua-1, 1.7, …
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "a-2b,ua-1",
        value_parser = clap::builder::PossibleValuesParser::new(paiban::engine::compile::STANDARD_NAMES),
    )]
    pdf_standard: Vec<String>,
}

impl PrintArgs {
    /// The print settings and PDF standards of the command line, else of the project.
    fn apply(&self, builder: &mut Builder) {
        // A combination typst refuses is a usage error, found before any build.
        if let Err(refused) = paiban::engine::compile::check_standards(&self.pdf_standard) {
            Cli::command()
                .error(clap::error::ErrorKind::ArgumentConflict, refused.message)
                .exit();
        }
        builder.print = self.settings(&builder.project);
        builder.pdf_standards = if self.pdf_standard.is_empty() {
            builder.project.settings.pdf_standards.clone()
        } else {
            self.pdf_standard.clone()
        };
    }

    fn settings(&self, project: &Project) -> PrintSettings {
        let settings = &project.settings;
        PrintSettings {
            paper: self.paper,
            default_paper: settings.paper,
            fonts: Default::default(),
            bleed_mm: self.bleed.or(settings.bleed_mm).unwrap_or(0.0),
            crop_marks: self.crop_marks || settings.crop_marks,
            two_sided: self.two_sided || settings.two_sided,
        }
    }
}

fn parse_paper(text: &str) -> Result<Paper, String> {
    Paper::parse(text)
}

fn parse_bleed(text: &str) -> Result<f64, String> {
    paiban::model::print::parse_mm(text)
}

#[derive(clap::Args)]
struct OutputArgs {
    /// Output folder; FILE.yaml becomes DIR/FILE.pdf (and DIR/FILE.epub); files found in
    /// a folder keep their relative folders [default: the project's `output`, else out]
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Output formats, comma-separated [default: the project's `formats`, else pdf]
    #[arg(long, value_delimiter = ',', value_name = "pdf,epub")]
    format: Vec<FormatArg>,
    /// Embed the layout's fonts in the EPUB, subset to the characters the book uses
    /// [default: the project's `epub-embed-fonts`]
    #[arg(long)]
    epub_embed_fonts: bool,
    /// Build the PDF even if some characters are in no font (they print as empty boxes).
    #[arg(long)]
    allow_missing_glyphs: bool,
    /// The EPUB's page list: `print` marks where each page of the PDF begins and lists
    /// the pages (an EPUB built alone lays the PDF out in memory); `none` leaves it out.
    #[arg(long, value_enum, default_value = "print", value_name = "print|none")]
    page_list: PageListArg,
    /// Attach the content and every file it reads (images) to the PDF; `paiban extract`
    /// writes them back out. With PDF/A, use a-3b or a-3u.
    #[arg(long)]
    embed_source: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum PageListArg {
    Print,
    None,
}

impl OutputArgs {
    /// Applies the output options; after [`PrintArgs::apply`], whose standards they check.
    fn apply(&self, builder: &mut Builder) {
        builder.allow_missing_glyphs = self.allow_missing_glyphs;
        builder.page_list = self.page_list == PageListArg::Print;
        builder.embed_source = self.embed_source;
        // PDF/A-1 and PDF/A-2 allow no attached files: refuse before any build.
        let forbids = |s: &String| s.starts_with("a-1") || s.starts_with("a-2");
        if let Some(standard) = builder.pdf_standards.iter().find(|s| forbids(s))
            && self.embed_source
        {
            Cli::command()
                .error(
                    clap::error::ErrorKind::ArgumentConflict,
                    format!(
                        "--embed-source attaches files to the PDF, which PDF/A-1 and PDF/A-2 forbid ({standard}); use a-3b or a-3u"
                    ),
                )
                .exit();
        }
    }

    /// The command line's formats, else the project's, else the PDF.
    fn formats(&self, project: &Project) -> Formats {
        if self.format.is_empty() {
            let (pdf, epub) = project.settings.formats.unwrap_or((true, false));
            return Formats { pdf, epub };
        }
        Formats {
            pdf: self.format.contains(&FormatArg::Pdf),
            epub: self.format.contains(&FormatArg::Epub),
        }
    }

    /// The command line's output folder, else the project's, else `out`.
    fn output(&self, project: &Project) -> PathBuf {
        self.output
            .clone()
            .or_else(|| project.settings.output.clone())
            .unwrap_or_else(|| PathBuf::from("out"))
    }

    fn epub_embed_fonts(&self, project: &Project) -> bool {
        self.epub_embed_fonts || project.settings.epub_embed_fonts
    }
}

#[derive(clap::Args)]
struct BatchArgs {
    /// Build even documents whose outputs the cache shows are up to date.
    #[arg(long)]
    force: bool,
    /// Build only shard K of N: documents dealt round-robin in path order (e.g. 2/4).
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    shard: Option<(usize, usize)>,
    /// Documents built at once [default: the number of cores]
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// How to print diagnostics: text on standard error, or JSON lines on standard output.
    #[arg(long, value_enum, default_value = "text")]
    diagnostics: ReportFormat,
    /// Warnings fail the document (nothing is written for it).
    #[arg(long)]
    deny_warnings: bool,
    /// Report pages, trim, boxes, fonts and standards of each PDF; fail a document whose
    /// PDF is not fit for press (a font not embedded, a bleed without a BleedBox).
    #[arg(long)]
    preflight: bool,
}

fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let (k, n) = text.split_once('/').ok_or("expected K/N, such as 1/4")?;
    let (k, n): (usize, usize) = (
        k.trim().parse().map_err(|_| "K is not a number")?,
        n.trim().parse().map_err(|_| "N is not a number")?,
    );
    if n == 0 || k == 0 || k > n {
        return Err(format!("shard {k}/{n}: expected 1 ≤ K ≤ N"));
    }
    Ok((k, n))
}

impl FontArgs {
    /// A builder for `project` with these font folders.
    fn builder(&self, project: Project) -> Builder {
        Builder::new(project, &self.font_paths, self.system_fonts)
    }
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
        /// Content files (YAML), or folders: every .yaml/.yml file below a folder
        /// [default: the project's content/ folder]
        #[arg(value_name = "FILE.yaml|DIR")]
        inputs: Vec<PathBuf>,
        #[command(flatten)]
        out: OutputArgs,
        #[command(flatten)]
        print: PrintArgs,
        #[command(flatten)]
        batch: BatchArgs,
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// Build a content file, then rebuild it whenever it, its layout or a font changes.
    Watch {
        #[arg(value_name = "FILE.yaml")]
        file: PathBuf,
        #[command(flatten)]
        out: OutputArgs,
        #[command(flatten)]
        print: PrintArgs,
        /// How to print diagnostics: text on standard error, or JSON lines on standard output.
        #[arg(long, value_enum, default_value = "text")]
        diagnostics: ReportFormat,
        #[command(flatten)]
        fonts: FontArgs,
    },
    /// Check content files without writing output: schema, glyph coverage, and Chinese
    /// punctuation (GB/T 15834). Exits 1 on errors.
    Check {
        /// Content files (YAML), or folders: every .yaml/.yml file below a folder.
        #[arg(required = true, value_name = "FILE.yaml|DIR")]
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
        #[command(flatten)]
        print: PrintArgs,
    },
    /// Recover the structure of a plain-text document as content YAML.
    Import {
        /// The manuscript: Word (.docx), Markdown (.md, .markdown), or plain text.
        #[arg(value_name = "FILE.txt|FILE.md|FILE.docx")]
        file: PathBuf,
        /// Write here instead of to standard output; the manuscript's images (and the
        /// chapters of --split) go in a folder beside it named after it.
        #[arg(short, long, value_name = "FILE.yaml")]
        output: Option<PathBuf>,
        /// The document's title [default: the text's first line if it reads as a title,
        /// else the file name].
        #[arg(long)]
        title: Option<String>,
        /// The input's encoding.
        #[arg(long, value_enum, default_value = "utf-8")]
        encoding: EncodingArg,
        /// Write one chapter file per level-1 heading into a folder named after the
        /// output (FILE/01.yaml, …), which the output includes.
        #[arg(long, requires = "output")]
        split: bool,
    },
    /// Write out the files a PDF carries (`build --embed-source`): the content and the
    /// images it reads, ready to build the same PDF again.
    Extract {
        #[arg(value_name = "FILE.pdf")]
        file: PathBuf,
        /// The folder to write them into (created if missing).
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
    },
    /// Print the JSON Schema of the content format, for editors.
    Schema {
        /// The schema of an included file (a chapter of a book) instead.
        #[arg(long, conflicts_with = "project")]
        part: bool,
        /// The schema of the project file, paiban.toml, instead.
        #[arg(long)]
        project: bool,
    },
    /// Make a new project in DIR: paiban.toml, the layouts, and a sample in content/.
    Init {
        /// The folder to make the project in (made if missing; nothing in it is replaced).
        #[arg(value_name = "DIR", default_value = ".")]
        dir: PathBuf,
        /// The layout of the sample document and the project's default.
        #[arg(long, default_value = "whitepaper", value_parser = clap::builder::PossibleValuesParser::new(paiban::project::init::LAYOUTS))]
        layout: String,
    },
    /// List the font faces a build would use, and where they were found.
    Fonts {
        #[command(flatten)]
        fonts: FontArgs,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.command.reports_json();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        // Under JSON diagnostics, standard output carries only JSON lines, errors found
        // before any document was built (a bad folder, clashing outputs) included.
        Err(Failed::Unreported(failure)) if json => {
            for diagnostic in &failure.0 {
                println!("{}", diagnostic.to_json());
            }
            ExitCode::from(1)
        }
        Err(Failed::Unreported(failure) | Failed::Summary(failure)) => {
            eprintln!("{failure}");
            ExitCode::from(1)
        }
        Err(Failed::Usage(failure)) if json => {
            for diagnostic in &failure.0 {
                println!("{}", diagnostic.to_json());
            }
            ExitCode::from(2)
        }
        Err(Failed::Usage(failure)) => {
            eprintln!("{failure}");
            ExitCode::from(2)
        }
    }
}

/// Why a command failed: diagnostics not shown yet, a summary of ones already shown
/// (which is not a diagnostic of its own, so it stays on standard error as text), or a
/// usage error (exit status 2).
enum Failed {
    Unreported(Failure),
    Summary(Failure),
    Usage(Failure),
}

impl From<Failure> for Failed {
    fn from(failure: Failure) -> Self {
        if pipeline::is_usage_error(&failure) {
            Failed::Usage(failure)
        } else {
            Failed::Unreported(failure)
        }
    }
}

impl From<paiban::Diagnostic> for Failed {
    fn from(diagnostic: paiban::Diagnostic) -> Self {
        Failure::from(diagnostic).into()
    }
}

impl Command {
    /// Whether the command was asked for JSON diagnostics.
    fn reports_json(&self) -> bool {
        let format = match self {
            Command::Build { batch, .. } => batch.diagnostics,
            Command::Watch { diagnostics, .. } => *diagnostics,
            Command::Check { format, .. } => *format,
            _ => ReportFormat::Text,
        };
        format == ReportFormat::Json
    }
}

/// The one project of a batch: every input must find the same one (or pass --root).
fn batch_project(root: Option<&Path>, inputs: &[PathBuf]) -> Result<Project, Failure> {
    let mut first = project(root, &inputs[0])?;
    if root.is_none() {
        for input in &inputs[1..] {
            let other = project(None, input)?;
            if first.is_standalone() && other.is_standalone() {
                // Documents outside any project share one: the folder that holds them all.
                first.widen_to(&other.root);
            } else if other != first {
                return Err(paiban::Diagnostic::error(
                    input.display().to_string(),
                    format!(
                        "belongs to the project in {}, but {} to the one in {}; build them separately, or name one with --root",
                        other.root.display(),
                        inputs[0].display(),
                        first.root.display()
                    ),
                )
                .into());
            }
        }
    }
    Ok(first)
}

fn project(root: Option<&Path>, near: &Path) -> Result<Project, Failure> {
    Ok(match root {
        Some(root) => Project::at(root)?,
        None => Project::discover(near)?,
    })
}

/// The `content/` folder of the project at `root`, else of the one `cwd` is in.
fn project_content(root: Option<&Path>, cwd: &Path) -> Result<PathBuf, Failure> {
    let root = match root {
        Some(root) => Some(Project::at(root)?.root),
        None => cwd
            .ancestors()
            .find(|dir| dir.join("layouts").is_dir() || dir.join("paiban.toml").is_file())
            .map(Path::to_path_buf),
    };
    match root.map(|root| root.join("content")) {
        Some(content) if content.is_dir() => Ok(content),
        _ => Err(Diagnostic::error(
            cwd.display().to_string(),
            "nothing to build: name content files or folders, or run inside a project with a content/ folder",
        )
        .with_code("usage")
        .with_hint("paiban init DIR makes a project")
        .into()),
    }
}

fn run(command: Command) -> Result<(), Failed> {
    match command {
        Command::Build {
            inputs,
            out,
            print,
            batch,
            fonts,
        } => {
            // No inputs: the content/ folder of the project this folder is in (never the
            // project paiban was built from, which discovery falls back on).
            let inputs = if inputs.is_empty() {
                let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
                vec![project_content(fonts.root.as_deref(), &cwd)?]
            } else {
                inputs
            };
            let mut builder = fonts.builder(batch_project(fonts.root.as_deref(), &inputs)?);
            builder.deny_warnings = batch.deny_warnings;
            print.apply(&mut builder);
            out.apply(&mut builder);
            build(&builder, &inputs, &out, &batch)
        }
        Command::Watch {
            file,
            out,
            print,
            diagnostics,
            fonts,
        } => {
            if file.is_dir() {
                return Err(paiban::Diagnostic::error(
                    file.display().to_string(),
                    "is a folder; watch follows one content file (build a folder with `paiban build`)",
                )
                .with_code(pipeline::USAGE)
                .into());
            }
            let mut builder = fonts.builder(project(fonts.root.as_deref(), &file)?);
            print.apply(&mut builder);
            out.apply(&mut builder);
            paiban::pipeline::memory::keep_freed_memory();
            let output = out.output(&builder.project);
            let formats = out.formats(&builder.project);
            let job = Job {
                content: file.clone(),
                out_dir: output.clone(),
            };
            pipeline::refuse_outputs_over_inputs(std::slice::from_ref(&job), formats)?;
            builder.check_font_roles()?;
            let embed = out.epub_embed_fonts(&builder.project);
            let mut session = Session::new(builder, &file, &output, formats, embed);
            // paiban.toml read again: the print defaults the command line leaves to it.
            session.on_settings_change(move |builder| print.apply(builder));
            let json = diagnostics == ReportFormat::Json;
            eprintln!("watching {} (Ctrl-C stops)", file.display());
            Ok(session.run(
                &mut |result| {
                    let diagnostics: &[paiban::Diagnostic] = match result {
                        Ok(rebuilt) => rebuilt.pdf.as_ref().map_or(&[], |b| &b.warnings),
                        Err(failure) => &failure.0,
                    };
                    for diagnostic in diagnostics {
                        if json {
                            println!("{}", diagnostic.to_json());
                        } else {
                            eprintln!("{diagnostic}");
                        }
                    }
                    match result {
                        Ok(rebuilt) => {
                            let mut written = Vec::new();
                            if let Some(pdf) = &rebuilt.pdf {
                                written.push(format!(
                                    "{} ({} pages; typeset {:.2} s, PDF export {:.2} s)",
                                    pdf.output.display(),
                                    pdf.pages,
                                    pdf.timings.typeset.as_secs_f64(),
                                    pdf.timings.export.as_secs_f64()
                                ));
                            }
                            if let Some(epub) = &rebuilt.epub {
                                written.push(epub.display().to_string());
                            }
                            eprintln!(
                                "{} → {} in {:.2} s",
                                file.display(),
                                written.join(", "),
                                rebuilt.elapsed.as_secs_f64()
                            );
                        }
                        Err(_) => eprintln!(
                            "{}: failed; the last good output stays; still watching",
                            file.display()
                        ),
                    }
                },
                &|| false,
            )?)
        }
        Command::Check {
            files,
            fix,
            format,
            deny_warnings,
            fonts,
        } => check(&files, fix, format, deny_warnings, &fonts),
        Command::Typst {
            file,
            output,
            root,
            print,
        } => {
            let project = project(root.as_deref(), &file)?;
            if let Some(path) = &output {
                pipeline::refuse_overwriting_input(&file, path)?;
            }
            let markup = pipeline::markup(&file, &project, &print.settings(&project))?;
            match output {
                Some(path) => pipeline::write_atomically(&path, markup.as_bytes())?,
                None => print!("{markup}"),
            }
            Ok(())
        }
        Command::Import {
            file,
            output,
            title,
            encoding,
            split,
        } => {
            let encoding = match encoding {
                EncodingArg::Utf8 => pipeline::TextEncoding::Utf8,
                EncodingArg::Gb18030 => pipeline::TextEncoding::Gb18030,
            };
            if let Some(path) = &output {
                pipeline::refuse_overwriting_input(&file, path)?;
            }
            // The chapters and the images go in a folder named after the output, beside it.
            let folder = output
                .as_ref()
                .and_then(|path| path.file_stem())
                .map(|stem| stem.to_string_lossy().into_owned());
            let options = pipeline::ImportOptions {
                encoding,
                title,
                split: folder.clone().filter(|_| split),
                image_folder: folder.clone().unwrap_or_else(|| "images".to_owned()),
            };
            let import = pipeline::import_manuscript(&file, &options)?;
            for warning in &import.warnings {
                eprintln!("{warning}");
            }
            let Some(path) = output else {
                if !import.images.is_empty() {
                    return Err(Failure::from(
                        Diagnostic::error(
                            file.display().to_string(),
                            format!(
                                "the manuscript has {} images: give -o FILE.yaml, so that they can be written beside it",
                                import.images.len()
                            ),
                        )
                        .with_code("usage"),
                    )
                    .into());
                }
                print!("{}", import.yaml);
                return Ok(());
            };
            let base = path.parent().unwrap_or(Path::new(""));
            let mut files: Vec<(PathBuf, &[u8])> = Vec::new();
            for (relative, yaml) in &import.chapters {
                files.push((base.join(relative), yaml.as_bytes()));
            }
            for image in &import.images {
                files.push((base.join(&image.path), &image.bytes));
            }
            for (written, _) in &files {
                pipeline::refuse_overwriting_input(&file, written)?;
            }
            // The content file last: it names the chapters and images. All or none.
            files.push((path.clone(), import.yaml.as_bytes()));
            let files: Vec<(&Path, &[u8])> = files
                .iter()
                .map(|(p, bytes)| (p.as_path(), *bytes))
                .collect();
            pipeline::write_all_atomically(&files)?;
            Ok(())
        }
        Command::Extract { file, output } => {
            for written in pipeline::source::extract(&file, &output)? {
                eprintln!("{}", written.display());
            }
            Ok(())
        }
        Command::Schema { part, project } => {
            let schema = if part {
                paiban::model::schema::part_schema()
            } else if project {
                paiban::project::settings::project_schema(&paiban::project::finding_codes())
            } else {
                paiban::model::schema::content_schema()
            };
            println!(
                "{}",
                serde_json::to_string_pretty(&schema).expect("a schema is JSON")
            );
            Ok(())
        }
        Command::Init { dir, layout } => {
            let written = paiban::project::init::init(&dir, &layout).map_err(Failure::from)?;
            eprintln!(
                "made a {layout} project in {} ({} files); build it with `paiban build` there",
                dir.display(),
                written.len()
            );
            Ok(())
        }
        Command::Fonts { fonts } => {
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            let builder = fonts.builder(project(fonts.root.as_deref(), &cwd)?);
            print_fonts(&builder);
            builder.check_font_roles()?;
            Ok(())
        }
    }
}

/// `paiban fonts`: the font roles, the family each maps to and the files that serve it
/// (for the project's default and each language it maps), then every face found.
fn print_fonts(builder: &Builder) {
    let settings = &builder.project.settings;
    let mut tables: Vec<(String, paiban::model::LanguageTag)> =
        vec![("".to_owned(), paiban::model::LanguageTag::default())];
    for lang in settings.fonts_by_language.keys() {
        if let Some(tag) = paiban::model::LanguageTag::parse(lang) {
            tables.push((format!(" [{lang}]"), tag));
        }
    }
    let file = |face: Option<&paiban::engine::fonts::FaceSlot>, missing: &str| {
        face.map_or(missing.to_owned(), |face| {
            format!("{}#{}", face.path.display(), face.index)
        })
    };
    for (label, lang) in &tables {
        println!("# font roles{label}: role, family, regular face, bold face");
        for faces in builder.role_faces(lang) {
            println!(
                "{}\t{}\t{}\t{}",
                faces.role,
                faces.family,
                file(faces.regular, "(none: no font folder has this family)"),
                file(faces.bold, "(no bold face)")
            );
        }
    }
    println!("# faces: family, style, file");
    for face in &builder.fonts().faces {
        println!(
            "{}\t{}\t{}#{}",
            face.family,
            face.style,
            face.path.display(),
            face.index
        );
    }
}

/// `paiban check`: findings on standard output, a summary per file on standard error.
fn check(
    files: &[PathBuf],
    fix: bool,
    format: ReportFormat,
    deny_warnings: bool,
    fonts: &FontArgs,
) -> Result<(), Failed> {
    let builder = fonts.builder(project(fonts.root.as_deref(), &files[0])?);
    let mut files: Vec<PathBuf> = pipeline::content_files(files, Path::new(""))?
        .into_iter()
        .map(|(content, _)| content)
        .collect();
    let parts = pipeline::parts_among(&files, &builder.project.root);
    files.retain(|file| !parts.contains(file));
    report_parts(&parts);
    let mut failed = Vec::new();
    for file in &files {
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
        eprintln!(
            "{}: {}, {}",
            file.display(),
            count(errors, "error"),
            count(warnings, "warning")
        );
        if errors > 0 || (deny_warnings && warnings > 0) {
            failed.push(file.display().to_string());
        }
    }
    summarise(("file", "files"), "failed the check", &failed, files.len())
}

/// Ok if nothing `failed`; else one error naming the failures, for exit status 1:
/// "1 of 3 documents failed: a.yaml". `nouns` is the singular and plural of what failed.
fn summarise(
    nouns: (&str, &str),
    what: &str,
    failed: &[String],
    total: usize,
) -> Result<(), Failed> {
    if failed.is_empty() {
        return Ok(());
    }
    let noun = if total == 1 { nouns.0 } else { nouns.1 };
    Err(Failed::Summary(
        paiban::Diagnostic::error(
            "paiban",
            format!(
                "{} of {total} {noun} {what}: {}",
                failed.len(),
                failed.join(", ")
            ),
        )
        .into(),
    ))
}

/// Says once which files were left out as parts of a book (its own build checks them).
fn report_parts(parts: &[PathBuf]) {
    if parts.is_empty() {
        return;
    }
    let names: Vec<String> = parts.iter().map(|p| p.display().to_string()).collect();
    eprintln!(
        "{} left out, as another document includes {}: {}",
        count(parts.len(), "file"),
        if parts.len() == 1 { "it" } else { "them" },
        names.join(", ")
    );
}

/// "1 error", "2 errors".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// `paiban build`: every document, in parallel, skipping those the cache shows are up to
/// date. A progress bar on a terminal; otherwise one line per document, for CI logs.
fn build(
    builder: &Builder,
    inputs: &[PathBuf],
    out: &OutputArgs,
    batch: &BatchArgs,
) -> Result<(), Failed> {
    builder.check_font_roles()?;
    let output = &out.output(&builder.project);
    let mut jobs = pipeline::collect_jobs(inputs, output)?;
    let parts = pipeline::leave_out_parts(&mut jobs, &builder.project.root);
    report_parts(&parts);
    pipeline::refuse_outputs_over_inputs(&jobs, out.formats(&builder.project))?;
    let total = jobs.len();
    if total == 1 {
        // One document: its peak memory is the build's. (A batch keeps glibc's defaults,
        // which reuse freed blocks from one document to the next.)
        pipeline::memory::return_large_freed_blocks();
    }
    if let Some((k, n)) = batch.shard {
        jobs = pipeline::shard(jobs, k, n);
        eprintln!(
            "shard {k}/{n}: {} of {}",
            jobs.len(),
            count(total, "document")
        );
    }
    let options = BatchOptions {
        preflight: batch.preflight,
        formats: out.formats(&builder.project),
        epub_embed_fonts: out.epub_embed_fonts(&builder.project),
        force: batch.force,
        parallel: batch
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
    };
    let cache = Cache::new(output);
    let json = batch.diagnostics == ReportFormat::Json;
    let bar = (std::io::stderr().is_terminal() && jobs.len() > 1).then(|| {
        let bar = indicatif::ProgressBar::new(jobs.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {elapsed} {wide_msg}")
                .expect("a valid template"),
        );
        bar
    });
    let report = |job: &Job, outcome: &Outcome| {
        let mut lines = Vec::new();
        let diagnostics: &[paiban::Diagnostic] = match outcome {
            Outcome::Built { warnings, .. } | Outcome::UpToDate { warnings, .. } => warnings,
            Outcome::Failed(failure) => &failure.0,
        };
        for diagnostic in diagnostics {
            if json {
                println!("{}", diagnostic.to_json());
            } else {
                lines.push(diagnostic.to_string());
            }
        }
        let names = |outputs: &[PathBuf]| {
            outputs
                .iter()
                .map(|o| o.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        lines.push(match outcome {
            Outcome::Built {
                outputs,
                pages: Some(pages),
                ..
            } => {
                format!(
                    "{} → {} ({pages} pages)",
                    job.content.display(),
                    names(outputs)
                )
            }
            Outcome::Built { outputs, .. } => {
                format!("{} → {}", job.content.display(), names(outputs))
            }
            Outcome::UpToDate { outputs, .. } => {
                format!("{}: up to date ({})", job.content.display(), names(outputs))
            }
            Outcome::Failed(_) => format!("{}: failed", job.content.display()),
        });
        if let Outcome::Built {
            preflight: Some(report),
            ..
        }
        | Outcome::UpToDate {
            preflight: Some(report),
            ..
        } = outcome
        {
            lines.push(format!("preflight of {}:", job.content.display()));
            lines.extend(report.lines().map(|l| format!("  {l}")));
        }
        match &bar {
            Some(bar) => {
                for line in &lines {
                    bar.println(line);
                }
                bar.inc(1);
            }
            None => eprintln!("{}", lines.join("\n")),
        }
    };
    let outcomes = builder.build_batch(&jobs, &options, Some(&cache), &report);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let failed: Vec<String> = jobs
        .iter()
        .zip(&outcomes)
        .filter(|(_, outcome)| matches!(outcome, Outcome::Failed(_)))
        .map(|(job, _)| job.content.display().to_string())
        .collect();
    summarise(("document", "documents"), "failed", &failed, jobs.len())
}
