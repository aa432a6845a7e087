//! The `gongwen` map: the parts of a 公文 around its title and text. Every value is
//! checked while serde_yaml visits it, so a refusal carries the value's line and column.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::KeySeed;
use super::values::DateValue;
use crate::model::gongwen::Gongwen;
use crate::model::inline::{Origin, Run};
use crate::model::source::TextPath;

pub(super) const GONGWEN_KEYS: &[&str] = &[
    "copy-number",
    "secrecy",
    "urgency",
    "mark",
    "number",
    "signers",
    "addressee",
    "attachments",
    "sealed",
    "note",
    "copies-to",
    "printed-by",
    "printed-on",
];

/// The `gongwen` map, at `path` (`gongwen`).
pub(super) struct GongwenSeed {
    pub path: TextPath,
}

impl<'de> DeserializeSeed<'de> for GongwenSeed {
    type Value = Gongwen;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Gongwen, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for GongwenSeed {
    type Value = Gongwen;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "the parts of a 公文: a mapping with keys such as `number`, `addressee` or `copies-to`",
        )
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Gongwen, A::Error> {
        let mut seen = Vec::new();
        let mut out = Gongwen::default();
        while let Some(key) = map.next_key_seed(KeySeed {
            allowed: GONGWEN_KEYS,
            seen: &mut seen,
            context: "the `gongwen` map",
        })? {
            let path = self.path.key(key);
            let text = |check| RunSeed {
                path: path.clone(),
                check,
            };
            match key {
                "copy-number" => out.copy_number = Some(map.next_value::<CopyNumber>()?.0),
                "secrecy" => out.secrecy = Some(map.next_value_seed(text(Check::Secrecy))?),
                "urgency" => out.urgency = Some(map.next_value_seed(text(Check::Urgency))?),
                "mark" => out.mark = Some(map.next_value_seed(text(Check::Text))?),
                "number" => out.number = Some(map.next_value_seed(text(Check::Text))?),
                "signers" => {
                    out.signers = map.next_value_seed(RunsSeed {
                        path,
                        what: "a name",
                    })?
                }
                "addressee" => out.addressee = Some(map.next_value_seed(text(Check::Text))?),
                "attachments" => {
                    out.attachments = map.next_value_seed(RunsSeed {
                        path,
                        what: "an attachment's name",
                    })?
                }
                "sealed" => out.sealed = map.next_value::<Sealed>()?.0,
                "note" => out.note = Some(map.next_value_seed(text(Check::Text))?),
                "copies-to" => {
                    out.copies_to = map.next_value_seed(RunsSeed {
                        path,
                        what: "an organ's name",
                    })?
                }
                "printed-by" => out.printed_by = Some(map.next_value_seed(text(Check::Text))?),
                "printed-on" => out.printed_on = Some(map.next_value::<DateValue>()?.0),
                _ => unreachable!("KeySeed only yields allowed keys"),
            }
        }
        Ok(out)
    }
}

/// What a text of the map must be besides not empty.
#[derive(Clone, Copy)]
enum Check {
    Text,
    Secrecy,
    Urgency,
}

/// One text: a string, remembered with where it was written. Numbers and truth values
/// are refused (with the loader's hint to quote them), since YAML would change them.
struct RunSeed {
    path: TextPath,
    check: Check,
}

impl<'de> DeserializeSeed<'de> for RunSeed {
    type Value = Run;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Run, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for RunSeed {
    type Value = Run;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self.check {
            Check::Text => "text",
            Check::Secrecy => "a 密级 (绝密, 机密 or 秘密), with ★ and a period if any: 机密★1年",
            Check::Urgency => "a 紧急程度: 特急 or 加急",
        })
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Run, E> {
        if v.trim().is_empty() {
            return Err(E::custom("expected text, found an empty string"));
        }
        match self.check {
            Check::Text => {}
            Check::Secrecy => check_secrecy(v).map_err(E::custom)?,
            Check::Urgency => {
                if !["特急", "加急", "特提", "平急"].contains(&v) {
                    return Err(E::custom(format!(
                        "unknown 紧急程度 `{v}`; expected 特急 or 加急 (特提 or 平急 for a telegram)"
                    )));
                }
            }
        }
        Ok(Run::new(v, Origin::at(self.path)))
    }
}

/// 密级和保密期限 (GB/T 9704 §7.2.2): 绝密, 机密 or 秘密, then ★ and the period if any.
fn check_secrecy(v: &str) -> Result<(), String> {
    let level = ["绝密", "机密", "秘密"]
        .into_iter()
        .find(|level| v.starts_with(level));
    let Some(level) = level else {
        return Err(format!(
            "unknown 密级 in `{v}`; expected 绝密, 机密 or 秘密, with ★ and a period if any (机密★1年)"
        ));
    };
    let rest = &v[level.len()..];
    if rest.is_empty() {
        return Ok(());
    }
    match rest.strip_prefix('★') {
        Some(period) if !period.trim().is_empty() => Ok(()),
        Some(_) => Err(format!(
            "`{v}` has a ★ but no 保密期限 after it; write the period (机密★1年) or the 密级 alone"
        )),
        None => {
            let star = rest.chars().next().unwrap_or('★');
            let hint = if "*＊☆✩✭⭐".contains(star) {
                format!("write the star as ★ (U+2605), not `{star}`")
            } else {
                "a 保密期限 follows the 密级 after ★".to_owned()
            };
            Err(format!(
                "`{v}` is not a 密级 and 保密期限: {hint} (机密★1年)"
            ))
        }
    }
}

/// Names: one string, or a list of them. A lone string keeps the key's own path.
struct RunsSeed {
    path: TextPath,
    what: &'static str,
}

impl<'de> DeserializeSeed<'de> for RunsSeed {
    type Value = Vec<Run>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<Run>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RunsSeed {
    type Value = Vec<Run>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{} or a list of them", self.what)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<Run>, E> {
        let run = RunSeed {
            path: self.path,
            check: Check::Text,
        }
        .visit_str(v)?;
        Ok(vec![run])
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Run>, A::Error> {
        let mut out = Vec::new();
        while let Some(run) = seq.next_element_seed(RunSeed {
            path: self.path.index(out.len()),
            check: Check::Text,
        })? {
            out.push(run);
        }
        if out.is_empty() {
            return Err(de::Error::custom(format!(
                "expected {} or a list of them, found an empty list; remove the key instead",
                self.what
            )));
        }
        Ok(out)
    }
}

/// 份号: 1 to 6 digits, written as a number (123) or as text ('000123'); at least 1.
struct CopyNumber(u32);

impl<'de> Deserialize<'de> for CopyNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CopyNumberVisitor;
        impl<'de> Visitor<'de> for CopyNumberVisitor {
            type Value = CopyNumber;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a 份号: 1 to 6 digits, such as 000123")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CopyNumber, E> {
                let digits = !v.is_empty() && v.len() <= 6 && v.bytes().all(|b| b.is_ascii_digit());
                match v.parse::<u32>() {
                    Ok(n) if digits && n >= 1 => Ok(CopyNumber(n)),
                    _ => Err(E::custom(format!(
                        "invalid 份号 `{v}`: expected 1 to 6 digits, not all zeros (printed as six: 000123)"
                    ))),
                }
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<CopyNumber, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<CopyNumber, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<CopyNumber, E> {
                self.visit_str(&v.to_string())
            }
        }
        deserializer.deserialize_any(CopyNumberVisitor)
    }
}

/// `sealed: true` or `sealed: false`.
struct Sealed(bool);

impl<'de> Deserialize<'de> for Sealed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SealedVisitor;
        impl<'de> Visitor<'de> for SealedVisitor {
            type Value = Sealed;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("true (the document is sealed) or false")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Sealed, E> {
                Ok(Sealed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Sealed, E> {
                Err(E::custom(format!(
                    "`sealed` is true (the document is sealed: 加盖印章) or false, not `{v}`"
                )))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Sealed, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Sealed, E> {
                self.visit_str(&v.to_string())
            }
        }
        deserializer.deserialize_any(SealedVisitor)
    }
}
