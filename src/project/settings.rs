//! `paiban.toml`: a project's defaults (layout, paper, output folder, formats, font
//! folders, print options, PDF standards), its font roles, and the severity of each of
//! `check`'s findings. The command line overrides it, and the content file overrides it
//! where the content has a say (its `layout`, its `paper`).
//!
//! ```toml
//! layout = "whitepaper"
//! paper = "A5"
//! output = "build"
//! formats = ["pdf", "epub"]
//! font-paths = ["house-fonts"]
//! epub-embed-fonts = true
//!
//! [fonts]            # roles the layouts use, to families
//! song = "FZShuSong-Z01"
//! [fonts.ja]         # for documents in Japanese
//! song = "Noto Serif CJK JP"
//!
//! [lint]             # off, warning or error, by finding
//! space-between-han = "off"
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diag::Diagnostic;
use crate::model::LanguageTag;
use crate::model::print::{FontRoles, Paper, Role, parse_mm};

/// The project file's name, at the project root.
pub const FILE_NAME: &str = "paiban.toml";

/// How `check` reports a kind of finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Off,
    Warning,
    Error,
}

/// A family the project maps a role to, and where the file says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedFamily {
    pub role: Role,
    pub family: String,
    /// The language table it is in (`[fonts.ja]`), if any.
    pub language: Option<String>,
    pub line: usize,
    pub column: usize,
}

/// What `paiban.toml` says; everything is optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// The file it was read from, if the project has one.
    pub file: Option<PathBuf>,
    pub layout: Option<String>,
    pub paper: Option<Paper>,
    /// The output folder, relative to the project root.
    pub output: Option<PathBuf>,
    pub formats: Option<(bool, bool)>,
    /// Extra font folders, absolute.
    pub font_paths: Vec<PathBuf>,
    pub pdf_standards: Vec<String>,
    pub epub_embed_fonts: bool,
    pub two_sided: bool,
    pub crop_marks: bool,
    pub bleed_mm: Option<f64>,
    /// Roles mapped for every document, then per language tag.
    pub fonts: BTreeMap<Role, String>,
    pub fonts_by_language: BTreeMap<String, BTreeMap<Role, String>>,
    /// Every family the file names, for `paiban fonts` and for checking it exists.
    pub mapped: Vec<MappedFamily>,
    pub lint: BTreeMap<String, Severity>,
    /// Where the file says the layout, for an unknown layout's error.
    pub layout_at: Option<(usize, usize)>,
}

/// The file as TOML holds it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    layout: Option<Spanned<String>>,
    paper: Option<Spanned<String>>,
    output: Option<String>,
    formats: Option<Spanned<Vec<Spanned<String>>>>,
    font_paths: Option<Vec<String>>,
    pdf_standards: Option<Vec<Spanned<String>>>,
    epub_embed_fonts: Option<bool>,
    two_sided: Option<bool>,
    crop_marks: Option<bool>,
    bleed: Option<Spanned<String>>,
    fonts: Option<BTreeMap<String, Spanned<toml::Value>>>,
    lint: Option<BTreeMap<String, Spanned<String>>>,
}

/// The keys of the file, for suggestions.
const KEYS: &[&str] = &[
    "layout",
    "paper",
    "output",
    "formats",
    "font-paths",
    "pdf-standards",
    "epub-embed-fonts",
    "two-sided",
    "crop-marks",
    "bleed",
    "fonts",
    "lint",
];

impl Settings {
    /// Reads `paiban.toml` in `root`, if there is one. `findings` names what `[lint]`
    /// may set: `check`'s finding codes.
    pub fn read(root: &Path, findings: &[&str]) -> Result<Self, Diagnostic> {
        let path = root.join(FILE_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => {
                return Err(Diagnostic::error(
                    path.display().to_string(),
                    format!("cannot read: {e}"),
                )
                .with_code("input"));
            }
        };
        Self::parse(&text, &path, root, findings)
    }

    pub fn parse(
        text: &str,
        path: &Path,
        root: &Path,
        findings: &[&str],
    ) -> Result<Self, Diagnostic> {
        let name = path.display().to_string();
        let at = |span: std::ops::Range<usize>, message: String| {
            let (line, column) =
                crate::model::line_column_after(&text[..span.start.min(text.len())]);
            Diagnostic::error(&name, message)
                .with_code("project")
                .at(line, column)
        };
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let message = e.message().to_owned();
            let message = with_suggestion(&message);
            match e.span() {
                Some(span) => at(span, message),
                None => Diagnostic::error(&name, message).with_code("project"),
            }
        })?;
        let mut settings = Settings {
            file: Some(path.to_path_buf()),
            ..Self::default()
        };
        if let Some(layout) = raw.layout {
            let span = layout.span();
            settings.layout_at = Some(crate::model::line_column_after(&text[..span.start]));
            settings.layout = Some(layout.into_inner());
        }
        if let Some(paper) = raw.paper {
            let span = paper.span();
            settings.paper = Some(Paper::parse(paper.get_ref()).map_err(|e| at(span, e))?);
        }
        settings.output = raw.output.map(|o| root.join(o));
        if let Some(formats) = raw.formats {
            let (mut pdf, mut epub) = (false, false);
            for format in formats.get_ref() {
                match format.get_ref().as_str() {
                    "pdf" => pdf = true,
                    "epub" => epub = true,
                    other => {
                        return Err(at(
                            format.span(),
                            format!("unknown format `{other}`; expected `pdf` or `epub`"),
                        ));
                    }
                }
            }
            if !pdf && !epub {
                return Err(at(formats.span(), "`formats` names no format".to_owned()));
            }
            settings.formats = Some((pdf, epub));
        }
        settings.font_paths = raw
            .font_paths
            .unwrap_or_default()
            .iter()
            .map(|p| root.join(p))
            .collect();
        for standard in raw.pdf_standards.unwrap_or_default() {
            if !crate::engine::compile::STANDARD_NAMES.contains(&standard.get_ref().as_str()) {
                return Err(at(
                    standard.span(),
                    format!(
                        "unknown PDF standard `{}`; expected one of {}",
                        standard.get_ref(),
                        crate::engine::compile::STANDARD_NAMES.join(", ")
                    ),
                ));
            }
            settings.pdf_standards.push(standard.into_inner());
        }
        if !settings.pdf_standards.is_empty() {
            crate::engine::compile::check_standards(&settings.pdf_standards).map_err(|d| {
                Diagnostic {
                    file: name.clone(),
                    ..d
                }
                .with_code("project")
            })?;
        }
        settings.epub_embed_fonts = raw.epub_embed_fonts.unwrap_or(false);
        settings.two_sided = raw.two_sided.unwrap_or(false);
        settings.crop_marks = raw.crop_marks.unwrap_or(false);
        if let Some(bleed) = raw.bleed {
            let span = bleed.span();
            settings.bleed_mm = Some(parse_mm(bleed.get_ref()).map_err(|e| at(span, e))?);
        }
        for (key, value) in raw.fonts.unwrap_or_default() {
            let span = value.span();
            let (line, column) = crate::model::line_column_after(&text[..span.start]);
            match value.into_inner() {
                toml::Value::String(family) => {
                    let role = role(&key).map_err(|e| at(span.clone(), e))?;
                    settings.mapped.push(MappedFamily {
                        role,
                        family: family.clone(),
                        language: None,
                        line,
                        column,
                    });
                    settings.fonts.insert(role, family);
                }
                toml::Value::Table(table) => {
                    if LanguageTag::parse(&key).is_none() {
                        return Err(at(
                            span,
                            format!(
                                "`[fonts.{key}]`: `{key}` is not a language tag (such as ja or zh-TW); a table under [fonts] maps roles for one language"
                            ),
                        ));
                    }
                    let mut roles = BTreeMap::new();
                    for (name, family) in table {
                        // toml keeps no spans inside a nested table: find the key's line.
                        let key_at = key_offset(text, span.start, &name);
                        let (line, column) = crate::model::line_column_after(&text[..key_at]);
                        let role = role(&name).map_err(|e| at(key_at..key_at, e))?;
                        let toml::Value::String(family) = family else {
                            return Err(at(
                                key_at..key_at,
                                format!(
                                    "`{name}` in [fonts.{key}] is a font family name, a string"
                                ),
                            ));
                        };
                        settings.mapped.push(MappedFamily {
                            role,
                            family: family.clone(),
                            language: Some(key.clone()),
                            line,
                            column,
                        });
                        roles.insert(role, family);
                    }
                    settings.fonts_by_language.insert(key, roles);
                }
                _ => {
                    return Err(at(
                        span,
                        format!(
                            "`{key}` under [fonts] is a font family name (a string) or a table of them for one language"
                        ),
                    ));
                }
            }
        }
        for (key, value) in raw.lint.unwrap_or_default() {
            let span = value.span();
            if !findings.contains(&key.as_str()) {
                let hint = closest(&key, findings)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                return Err(at(
                    span,
                    format!(
                        "unknown finding `{key}` in [lint]{hint}; expected one of {}",
                        findings.join(", ")
                    ),
                ));
            }
            let severity = match value.get_ref().as_str() {
                "off" => Severity::Off,
                "warning" => Severity::Warning,
                "error" => Severity::Error,
                other => {
                    return Err(at(
                        span,
                        format!(
                            "unknown severity `{other}` for `{key}`; expected `off`, `warning` or `error`"
                        ),
                    ));
                }
            };
            settings.lint.insert(key, severity);
        }
        Ok(settings)
    }

    /// The roles for a document in `lang`: the bundled faces, then `[fonts]`, then the
    /// table of the longest language tag that `lang` starts with (`[fonts.zh-TW]` for
    /// zh-TW, `[fonts.zh]` for zh-CN).
    pub fn roles_for(&self, lang: &LanguageTag) -> FontRoles {
        let mut roles = FontRoles::default();
        roles.0.extend(self.fonts.clone());
        let tag = lang.as_str().to_ascii_lowercase();
        let best = self
            .fonts_by_language
            .iter()
            .filter(|(key, _)| {
                let key = key.to_ascii_lowercase();
                tag == key || tag.starts_with(&format!("{key}-"))
            })
            .max_by_key(|(key, _)| key.len());
        if let Some((_, table)) = best {
            roles.0.extend(table.clone());
        }
        roles
    }
}

fn role(name: &str) -> Result<Role, String> {
    Role::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
        let hint = closest(name, &names)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        format!(
            "unknown font role `{name}`{hint}; the layouts name {}",
            names.join(", ")
        )
    })
}

/// Where `key = …` first stands at the start of a line at or after `from`; else `from`.
fn key_offset(text: &str, from: usize, key: &str) -> usize {
    let mut offset = text[..from.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    for line in text[offset..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        let quoted = format!("\"{key}\"");
        let rest = trimmed
            .strip_prefix(key)
            .or_else(|| trimmed.strip_prefix(quoted.as_str()));
        if rest.is_some_and(|rest| rest.trim_start().starts_with('=')) {
            return offset + (line.len() - trimmed.len());
        }
        offset += line.len();
    }
    from
}

pub fn closest<'a>(key: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(key, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// serde's "unknown field `levle`, expected one of …" with a suggestion added.
fn with_suggestion(message: &str) -> String {
    let unknown = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next());
    match unknown.and_then(|key| Some((key, closest(key, KEYS)?))) {
        Some((key, suggestion)) => {
            format!(
                "unknown key `{key}` (did you mean `{suggestion}`?); expected one of {}",
                KEYS.join(", ")
            )
        }
        None => message.to_owned(),
    }
}

/// A JSON Schema (draft 2020-12) of `paiban.toml` (`paiban schema --project`), for
/// editors that check TOML against one (Taplo, Even Better TOML). `findings` names the
/// keys `[lint]` takes.
pub fn project_schema(findings: &[&str]) -> serde_json::Value {
    use serde_json::json;
    let roles: serde_json::Map<String, serde_json::Value> = Role::ALL
        .iter()
        .map(|role| {
            (
                role.name().to_owned(),
                json!({"type": "string", "description": format!("The family for the `{role}` role (bundled: {}).", role.bundled_family())}),
            )
        })
        .collect();
    let role_table = json!({"type": "object", "additionalProperties": false, "properties": roles});
    let mut fonts = role_table.clone();
    fonts["additionalProperties"] = json!({
        "description": "The roles for documents in one language (a tag such as ja or zh-TW).",
        "type": "object",
        "additionalProperties": false,
        "properties": role_table["properties"].clone(),
    });
    let severities: serde_json::Map<String, serde_json::Value> = findings
        .iter()
        .map(|code| {
            (
                (*code).to_owned(),
                json!({"enum": ["off", "warning", "error"]}),
            )
        })
        .collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://paiban.invalid/schema/project.json",
        "title": "paiban project settings (paiban.toml)",
        "description": "Defaults for every build in the project: the command line overrides them, and a content file's own layout and paper override those here.",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "layout": {"type": "string", "description": "The layout of content files that name none (a folder of layouts/)."},
            "paper": {"type": "string", "description": "The trim size of content files that name none: A4, A5, B5, 16k, 32k-large, 32k, or WxHmm."},
            "output": {"type": "string", "description": "The output folder, relative to this file."},
            "formats": {"type": "array", "items": {"enum": ["pdf", "epub"]}, "minItems": 1, "uniqueItems": true},
            "font-paths": {"type": "array", "items": {"type": "string"}, "description": "More font folders, relative to this file."},
            "pdf-standards": {"type": "array", "items": {"enum": crate::engine::compile::STANDARD_NAMES}},
            "epub-embed-fonts": {"type": "boolean"},
            "two-sided": {"type": "boolean"},
            "crop-marks": {"type": "boolean"},
            "bleed": {"type": "string", "pattern": "^\\s*[0-9]+(\\.[0-9]+)?\\s*(mm)?\\s*$", "description": "Bleed outside the trim, such as 3mm (0 to 20)."},
            "fonts": fonts,
            "lint": {"type": "object", "additionalProperties": false, "properties": severities},
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, Diagnostic> {
        Settings::parse(
            text,
            Path::new("/p/paiban.toml"),
            Path::new("/p"),
            &["dash"],
        )
    }

    #[test]
    fn roles_come_from_the_longest_language_table() {
        let settings = parse(
            "[fonts]\nsong = \"A\"\n[fonts.zh]\nsong = \"B\"\n[fonts.zh-TW]\nsong = \"C\"\nkai = \"D\"\n",
        )
        .unwrap();
        let family = |tag: &str| {
            let roles = settings.roles_for(&LanguageTag::parse(tag).unwrap());
            (
                roles.family(Role::Song).to_owned(),
                roles.family(Role::Kai).to_owned(),
            )
        };
        assert_eq!(family("ja"), ("A".into(), "LXGW WenKai".into()));
        assert_eq!(family("zh-CN"), ("B".into(), "LXGW WenKai".into()));
        assert_eq!(family("zh-TW"), ("C".into(), "D".into()));
        // Where each family was given, for the error when no folder has it.
        let kai = settings
            .mapped
            .iter()
            .find(|m| m.role == Role::Kai)
            .unwrap();
        assert_eq!(
            (kai.line, kai.column, kai.language.as_deref()),
            (7, 1, Some("zh-TW"))
        );
    }

    #[test]
    fn paths_are_relative_to_the_file() {
        let settings = parse("output = \"dist\"\nfont-paths = [\"house/fonts\"]\n").unwrap();
        assert_eq!(settings.output, Some(PathBuf::from("/p/dist")));
        assert_eq!(settings.font_paths, [PathBuf::from("/p/house/fonts")]);
    }

    #[test]
    fn the_schema_names_every_key() {
        let schema = project_schema(&["dash"]);
        let mut keys: Vec<&str> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = KEYS.to_vec();
        keys.sort();
        expected.sort();
        assert_eq!(keys, expected);
    }

    #[test]
    fn the_bundled_roles_are_the_layouts_defaults() {
        let fonts_typ = include_str!("../../layouts/common/fonts.typ");
        for role in Role::ALL {
            let line = format!("  {}: \"{}\",", role.name(), role.bundled_family());
            assert!(fonts_typ.contains(&line), "{line}");
        }
    }
}
