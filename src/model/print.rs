//! Print settings a document or the command line can give: trim size and 字号 sizes.

use std::collections::BTreeMap;
use std::fmt;

/// How a build prints, beyond what the content says: given on the command line, or by
/// the project (`paiban.toml`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PrintSettings {
    /// Overrides the content's `paper`.
    pub paper: Option<Paper>,
    /// The project's paper: the content's `paper` overrides it.
    pub default_paper: Option<Paper>,
    /// Which family plays each font role of the layout.
    pub fonts: FontRoles,
    pub bleed_mm: f64,
    pub crop_marks: bool,
    pub two_sided: bool,
}

/// The font roles a layout names: it never names a family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// 宋体 / 书宋: serif, for text.
    Song,
    /// 黑体: sans, for headings.
    Hei,
    /// 楷体: for panels, quotations, signatures.
    Kai,
    /// 仿宋: the 公文's text face.
    Fangsong,
    /// Monospace, for code.
    Mono,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Song, Role::Hei, Role::Kai, Role::Fangsong, Role::Mono];

    pub fn name(self) -> &'static str {
        match self {
            Role::Song => "song",
            Role::Hei => "hei",
            Role::Kai => "kai",
            Role::Fangsong => "fangsong",
            Role::Mono => "mono",
        }
    }

    /// The bundled family that plays the role unless the project says otherwise.
    pub fn bundled_family(self) -> &'static str {
        match self {
            Role::Song => "Noto Serif CJK SC",
            Role::Hei => "Noto Sans CJK SC",
            Role::Kai => "LXGW WenKai",
            Role::Fangsong => "FandolFang R",
            Role::Mono => "Noto Sans Mono",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// Which family plays each role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontRoles(pub BTreeMap<Role, String>);

impl Default for FontRoles {
    fn default() -> Self {
        Self(
            Role::ALL
                .into_iter()
                .map(|role| (role, role.bundled_family().to_owned()))
                .collect(),
        )
    }
}

impl FontRoles {
    pub fn family(&self, role: Role) -> &str {
        self.0
            .get(&role)
            .map_or(role.bundled_family(), String::as_str)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A trim size in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paper {
    pub width_mm: f64,
    pub height_mm: f64,
}

/// The named trim sizes, in mm (GB/T 788 and ISO 216).
pub const PAPER_PRESETS: &[(&str, f64, f64)] = &[
    ("A4", 210.0, 297.0),
    ("A5", 148.0, 210.0),
    ("B5", 176.0, 250.0),
    ("16k", 185.0, 260.0),
    ("32k-large", 140.0, 203.0),
    ("32k", 130.0, 184.0),
];

impl Paper {
    pub const A4: Paper = Paper {
        width_mm: 210.0,
        height_mm: 297.0,
    };

    /// A preset name (`A5`, `16k`, any case) or `WxHmm` (`150x230mm`, `×` also accepted).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Some((_, w, h)) = PAPER_PRESETS
            .iter()
            .find(|(name, ..)| name.eq_ignore_ascii_case(text))
        {
            return Ok(Self {
                width_mm: *w,
                height_mm: *h,
            });
        }
        let names: Vec<&str> = PAPER_PRESETS.iter().map(|(name, ..)| *name).collect();
        let refuse = || {
            format!(
                "unknown paper `{text}`: expected one of {} or a size such as 150x230mm",
                names.join(", ")
            )
        };
        let size = text
            .strip_suffix("mm")
            .ok_or_else(refuse)?
            .replace('×', "x");
        let (w, h) = size.split_once(['x', 'X']).ok_or_else(refuse)?;
        let parse = |s: &str| s.trim().parse::<f64>().ok().filter(|v| v.is_finite());
        let (Some(width_mm), Some(height_mm)) = (parse(w), parse(h)) else {
            return Err(refuse());
        };
        if !(50.0..=1200.0).contains(&width_mm) || !(50.0..=1200.0).contains(&height_mm) {
            return Err(format!(
                "paper {width_mm}×{height_mm} mm is out of range; each side must be 50 to 1200 mm"
            ));
        }
        Ok(Self {
            width_mm,
            height_mm,
        })
    }
}

impl fmt::Display for Paper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}×{} mm", self.width_mm, self.height_mm)
    }
}

/// 字号: the traditional Chinese type sizes, in points.
pub const ZIHAO: &[(&str, f64)] = &[
    ("初号", 42.0),
    ("小初", 36.0),
    ("一号", 26.0),
    ("小一", 24.0),
    ("二号", 22.0),
    ("小二", 18.0),
    ("三号", 16.0),
    ("小三", 15.0),
    ("四号", 14.0),
    ("小四", 12.0),
    ("五号", 10.5),
    ("小五", 9.0),
    ("六号", 7.5),
    ("小六", 6.5),
    ("七号", 5.5),
    ("八号", 5.0),
];

/// A type size in points, given as a 字号 name (`五号`), `10.5pt` or `10.5`.
pub fn parse_font_size(text: &str) -> Result<f64, String> {
    let text = text.trim();
    if let Some((_, points)) = ZIHAO.iter().find(|(name, _)| *name == text) {
        return Ok(*points);
    }
    let number = text.strip_suffix("pt").unwrap_or(text).trim();
    match number.parse::<f64>() {
        Ok(points) if (4.0..=72.0).contains(&points) => Ok(points),
        Ok(points) => Err(format!(
            "type size {points} pt is out of range; expected 4 to 72 pt"
        )),
        Err(_) => Err(format!(
            "unknown type size `{text}`: expected a 字号 such as 五号 or 小四, or points such as 10.5pt"
        )),
    }
}

/// A length in millimetres, given as `3mm` or `3`.
pub fn parse_mm(text: &str) -> Result<f64, String> {
    let number = text.trim().strip_suffix("mm").unwrap_or(text.trim()).trim();
    number
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && (0.0..=20.0).contains(v))
        .ok_or_else(|| {
            format!("invalid length `{text}`: expected millimetres from 0 to 20, such as 3mm")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn papers_by_name_and_by_size() {
        assert_eq!(
            Paper::parse("a5").unwrap(),
            Paper {
                width_mm: 148.0,
                height_mm: 210.0
            }
        );
        assert_eq!(Paper::parse("32k-large").unwrap().height_mm, 203.0);
        assert_eq!(
            Paper::parse("150x230mm").unwrap(),
            Paper {
                width_mm: 150.0,
                height_mm: 230.0
            }
        );
        assert_eq!(Paper::parse("150×230mm").unwrap().width_mm, 150.0);
        assert!(
            Paper::parse("150x230")
                .unwrap_err()
                .contains("unknown paper")
        );
        assert!(Paper::parse("A7").is_err());
        assert!(
            Paper::parse("10x230mm")
                .unwrap_err()
                .contains("out of range")
        );
        assert!(Paper::parse("NaNxinfmm").is_err());
    }

    #[test]
    fn type_sizes_by_zihao_or_points() {
        assert_eq!(parse_font_size("五号"), Ok(10.5));
        assert_eq!(parse_font_size("小四"), Ok(12.0));
        assert_eq!(parse_font_size("初号"), Ok(42.0));
        assert_eq!(parse_font_size("11pt"), Ok(11.0));
        assert_eq!(parse_font_size("9.5"), Ok(9.5));
        assert!(parse_font_size("五").is_err());
        assert!(parse_font_size("200pt").is_err());
        assert_eq!(parse_mm("3mm"), Ok(3.0));
        assert!(parse_mm("-1mm").is_err());
    }
}
