//! `paiban init DIR`: a new project, ready to build, anywhere: `paiban.toml`, the layouts
//! (the binary carries them), and a sample document in `content/`. Fonts are not copied:
//! a project without its own finds the ones paiban bundles (see
//! [`Project::font_dirs`](super::Project::font_dirs)).

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

/// Every file of `layouts/`, as the binary was built with it.
pub const LAYOUT_FILES: &[(&str, &str)] = &[
    (
        "layouts/common/elements.typ",
        include_str!("../../layouts/common/elements.typ"),
    ),
    (
        "layouts/common/epub-vertical.css",
        include_str!("../../layouts/common/epub-vertical.css"),
    ),
    (
        "layouts/common/epub.css",
        include_str!("../../layouts/common/epub.css"),
    ),
    (
        "layouts/common/fonts.typ",
        include_str!("../../layouts/common/fonts.typ"),
    ),
    (
        "layouts/common/print.typ",
        include_str!("../../layouts/common/print.typ"),
    ),
    (
        "layouts/gongwen/epub.css",
        include_str!("../../layouts/gongwen/epub.css"),
    ),
    (
        "layouts/gongwen/layout.yaml",
        include_str!("../../layouts/gongwen/layout.yaml"),
    ),
    (
        "layouts/gongwen/template.typ",
        include_str!("../../layouts/gongwen/template.typ"),
    ),
    (
        "layouts/whitepaper/epub.css",
        include_str!("../../layouts/whitepaper/epub.css"),
    ),
    (
        "layouts/whitepaper/layout.yaml",
        include_str!("../../layouts/whitepaper/layout.yaml"),
    ),
    (
        "layouts/whitepaper/template.typ",
        include_str!("../../layouts/whitepaper/template.typ"),
    ),
];

/// The layouts `init` can start a project with.
pub const LAYOUTS: &[&str] = &["whitepaper", "gongwen"];

const SETTINGS: &str = r#"# paiban's settings for this project. The command line overrides them; a content
# file's own `layout` and `paper` override those here.
layout = "LAYOUT"
output = "out"
formats = ["pdf", "epub"]
# paper = "A5"                  # A4, A5, B5, 16k, 32k-large, 32k, or WxHmm
# font-paths = ["fonts"]        # more font folders, relative to this file
# epub-embed-fonts = true
# two-sided = true
# bleed = "3mm"
# crop-marks = true
# pdf-standards = ["a-2b"]

# The families that play the layouts' font roles (the bundled faces by default):
# [fonts]
# song = "Noto Serif CJK SC"    # text
# hei = "Noto Sans CJK SC"      # headings
# kai = "LXGW WenKai"           # panels, quotations
# fangsong = "FandolFang R"     # the 公文's text
# mono = "Noto Sans Mono"       # code
# [fonts.ja]                    # for documents in Japanese
# song = "Noto Serif CJK JP"

# How `paiban check` reports each kind of finding: off, warning or error.
# [lint]
# space-between-han = "off"
# half-width-punctuation = "error"
"#;

const WHITEPAPER_SAMPLE: &str = r#"title: 我的第一本书
subtitle: 用排版写成
author: 作者姓名
date: 2026-12-04
lang: zh-CN
inline: markup
body:
  - 这是正文的第一段。段落首行缩进两字，标点按国家标准排出。
  - heading: 第一部分
  - 正文可以有**强调**、*着重*和脚注^[脚注排在当页页脚。]。
  - sidebar: 专栏的标题
    body:
      - 专栏是带边框的文字，按顺序编号。
  - heading: 第二部分
  - list: [第一项, 第二项, 第三项]
    style: （1）
  - dateline: （完）
"#;

const GONGWEN_SAMPLE: &str = r#"title: 关于做好年度工作总结的通知
author: 示例市人民政府办公室
date: 2026-12-04
lang: zh-CN
layout: gongwen
gongwen:
  number: 示政办发〔2026〕1号
  addressee: 各区县人民政府，市政府各部门：
  printed-by: 示例市人民政府办公室
  printed-on: 2026-12-04
body:
  - 为做好年度工作总结，现将有关事项通知如下。
  - heading: 总结内容
  - 各单位要全面总结本年度工作，客观分析存在的问题。
  - heading: 报送时间
  - 请于12月31日前报送。
"#;

/// Makes a new project in `dir` with `layout`; the files it wrote. Refuses to write over
/// any file that is already there.
pub fn init(dir: &Path, layout: &str) -> Result<Vec<PathBuf>, Diagnostic> {
    let name = dir.display().to_string();
    if !LAYOUTS.contains(&layout) {
        return Err(Diagnostic::error(
            &name,
            format!(
                "unknown layout `{layout}`; expected one of {}",
                LAYOUTS.join(", ")
            ),
        )
        .with_code("usage"));
    }
    let sample = match layout {
        "gongwen" => GONGWEN_SAMPLE,
        _ => WHITEPAPER_SAMPLE,
    };
    let settings = SETTINGS.replace("LAYOUT", layout);
    let mut files: Vec<(PathBuf, &str)> = LAYOUT_FILES
        .iter()
        .map(|(path, text)| (dir.join(path), *text))
        .collect();
    files.push((dir.join(super::settings::FILE_NAME), &settings));
    files.push((dir.join("content/sample.yaml"), sample));
    if let Some((existing, _)) = files.iter().find(|(path, _)| path.exists()) {
        return Err(Diagnostic::error(
            existing.display().to_string(),
            "already exists; paiban init makes a new project and writes over nothing",
        )
        .with_code("usage"));
    }
    for (path, text) in &files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(parent.display().to_string(), format!("cannot create: {e}"))
            })?;
        }
        std::fs::write(path, text).map_err(|e| {
            Diagnostic::error(path.display().to_string(), format!("cannot write: {e}"))
        })?;
    }
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_binary_carries_every_layout_file() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(root.join("layouts"))
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        on_disk.sort();
        let carried: Vec<String> = LAYOUT_FILES.iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(carried, on_disk, "add the new layout file to LAYOUT_FILES");
    }
}
