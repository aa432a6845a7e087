//! Scalar values of the content format, each checked inside serde_yaml's visit of its own
//! scalar, so that a refusal carries that scalar's line and column.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::super::blocks::{Align, ListStyle};
use super::super::print::{Paper, parse_font_size};
use super::super::{Date, LanguageTag, Writing};

/// Reads a scalar and checks it inside serde_yaml's visit of that scalar, so that a
/// refusal carries the scalar's own line and column.
pub(super) struct Checked<T> {
    expecting: &'static str,
    check: fn(&str) -> Result<T, String>,
}

impl<'de, T> Visitor<'de> for Checked<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.check)(v).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        (self.check)(&v.to_string()).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        (self.check)(&v.to_string()).map_err(E::custom)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        (self.check)(&v.to_string()).map_err(E::custom)
    }
}

macro_rules! checked_value {
    ($name:ident($inner:ty), $method:ident, $expecting:expr, $check:expr) => {
        pub(super) struct $name(pub(super) $inner);

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer
                    .$method(Checked {
                        expecting: $expecting,
                        check: $check,
                    })
                    .map($name)
            }
        }
    };
}

checked_value!(PlainText(String), deserialize_str, "text", |v| {
    if v.trim().is_empty() {
        Err("expected text, found an empty string".to_owned())
    } else {
        Ok(v.to_owned())
    }
});

checked_value!(
    DateValue(Date),
    deserialize_str,
    "a date as YYYY-MM-DD",
    |v| {
        Date::parse(v).ok_or_else(|| {
            format!("invalid date `{v}`: expected a real calendar date as YYYY-MM-DD")
        })
    }
);

checked_value!(
    LangValue(LanguageTag),
    deserialize_str,
    "a BCP 47 language tag",
    |v| {
        LanguageTag::parse(v).ok_or_else(|| {
            format!("invalid language tag `{v}`: expected BCP 47, such as zh-CN or zh-Hans")
        })
    }
);

checked_value!(
    InlineValue(bool),
    deserialize_str,
    "`markup` (paiban's inline syntax) or `plain` (every character literal)",
    |v| match v {
        "markup" => Ok(true),
        "plain" => Ok(false),
        other => Err(format!(
            "unknown inline style `{other}`; expected `markup` (paiban's inline syntax) or `plain` (every character literal)"
        )),
    }
);

checked_value!(
    WritingValue(Writing),
    deserialize_str,
    "`horizontal` or `vertical`",
    |v| match v {
        "horizontal" => Ok(Writing::Horizontal),
        "vertical" => Ok(Writing::Vertical),
        other => Err(format!(
            "unknown writing direction `{other}`; expected `horizontal` or `vertical`"
        )),
    }
);

checked_value!(LayoutName(String), deserialize_str, "a layout name", |v| {
    let ok = !v.is_empty()
        && v.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(v.to_owned())
    } else {
        Err(format!(
            "invalid layout name `{v}`: expected the name of a folder in layouts/ \
             (lower-case letters, digits, `-`, `_`)"
        ))
    }
});

checked_value!(
    PaperValue(Paper),
    deserialize_str,
    "a paper size such as A5, 16k or 150x230mm",
    |v| Paper::parse(v)
);

checked_value!(
    SizeValue(f64),
    deserialize_any,
    "a type size: a 字号 such as 五号, or points such as 10.5pt",
    |v| parse_font_size(v)
);

checked_value!(
    TocDepth(u8),
    deserialize_i64,
    "a table-of-contents depth: 0 (none) to 5",
    |v| match v.parse::<u8>() {
        Ok(depth @ 0..=5) => Ok(depth),
        _ => Err(format!(
            "toc-depth {v} is out of range; expected 0 (none) to 5"
        )),
    }
);

checked_value!(Level(u8), deserialize_i64, "a heading level: 1 to 5", |v| {
    match v.parse::<u8>() {
        Ok(level @ 1..=5) => Ok(level),
        _ => Err(format!(
            "heading level {v} is out of range; expected 1 to 5"
        )),
    }
});

/// The largest number the content may set. Numbering continues from a set number, so it
/// must leave room to count on (and no document numbers a section in the millions).
pub const MAX_NUMBER: u32 = 99_999;

checked_value!(
    Number(u32),
    deserialize_i64,
    "a whole number from 1 to 99999",
    |v| {
        match v.parse::<u32>() {
            Ok(number @ 1..=MAX_NUMBER) => Ok(number),
            _ => Err(format!(
                "number {v} is out of range; expected a whole number from 1 to {MAX_NUMBER}, so that the numbers after it can count on"
            )),
        }
    }
);

checked_value!(
    Fraction(f64),
    deserialize_any,
    "a share of the text block's width, from 0 to 1 (0.6) or a percentage (60%)",
    |v| {
        let share = match v.strip_suffix('%') {
            Some(percent) => percent.trim().parse::<f64>().map(|p| p / 100.0),
            None => v.parse::<f64>(),
        };
        match share {
            Ok(share) if share > 0.0 && share <= 1.0 => Ok(share),
            _ => Err(format!(
                "width `{v}` is out of range; expected a share of the text block from 0 to 1 (0.6) or a percentage (60%)"
            )),
        }
    }
);

checked_value!(
    Weight(f64),
    deserialize_any,
    "a column's share of the table's width: a number above 0",
    |v| match v.parse::<f64>() {
        Ok(weight) if weight > 0.0 && weight.is_finite() => Ok(weight),
        _ => Err(format!(
            "column width `{v}` is not a number above 0; widths are shares of the table (2, 1, 1)"
        )),
    }
);

checked_value!(
    AlignValue(Align),
    deserialize_str,
    "an alignment: left, center or right",
    |v| match v {
        "left" => Ok(Align::Left),
        "center" | "centre" => Ok(Align::Center),
        "right" => Ok(Align::Right),
        _ => Err(format!(
            "unknown alignment `{v}`; expected left, center or right"
        )),
    }
);

checked_value!(
    StyleValue(ListStyle),
    deserialize_str,
    "a list style",
    |v| {
        ListStyle::parse(v).ok_or_else(|| format!(
        "unknown list style `{v}`; expected bullet, or a pattern with one counter: 1. 1) （1） ① 一、 a) A. 第1条"
    ))
    }
);

checked_value!(
    Span(u32),
    deserialize_i64,
    "how many columns or rows a cell spans: 1 to 1000",
    |v| match v.parse::<u32>() {
        Ok(n @ 1..=1000) => Ok(n),
        _ => Err(format!("span {v} is out of range; expected 1 to 1000")),
    }
);

checked_value!(
    RowCount(usize),
    deserialize_i64,
    "how many rows are header rows: 0 or more",
    |v| v
        .parse::<usize>()
        .map_err(|_| format!("header {v} is not a row count; expected 0 or more"))
);

checked_value!(
    Start(u32),
    deserialize_i64,
    "a list's first number: 0 to 99999",
    |v| match v.parse::<u32>() {
        Ok(n @ 0..=MAX_NUMBER) => Ok(n),
        _ => Err(format!(
            "start {v} is out of range; expected 0 to {MAX_NUMBER}"
        )),
    }
);

/// Accepts only an empty value (`divider:`), or `true`, for blocks that hold nothing.
pub(super) struct Nothing;

impl<'de> Deserialize<'de> for Nothing {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NothingVisitor;
        impl<'de> Visitor<'de> for NothingVisitor {
            type Value = Nothing;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("nothing (write the key alone, as `- divider:`)")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Nothing, E> {
                Ok(Nothing)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Nothing, E> {
                if v {
                    Ok(Nothing)
                } else {
                    Err(E::custom(
                        "expected nothing or `true` here; remove the block instead",
                    ))
                }
            }
        }
        deserializer.deserialize_any(NothingVisitor)
    }
}
