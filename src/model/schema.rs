//! A JSON Schema (draft 2020-12) of the content format, for editors: with
//! `# yaml-language-server: $schema=…` at the top of a content file, an editor completes
//! keys and flags mistakes as you type. The loader stays the judge (it checks what a
//! schema cannot: dates on the calendar, ids that exist, images that decode).

use serde_json::{Value, json};

/// The schema of a file another content file includes: a list of blocks, or a mapping
/// with `body` alone (`paiban schema --part`).
pub fn part_schema() -> Value {
    let mut schema = content_schema();
    let defs = schema["$defs"].take();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://paiban.invalid/schema/part.json",
        "title": "paiban included file",
        "description": "Blocks that a content file includes in place of an `include:` block (a chapter of a book).",
        "oneOf": [
            {"$ref": "#/$defs/blocks"},
            {
                "type": "object",
                "required": ["body"],
                "additionalProperties": false,
                "properties": {"body": {"$ref": "#/$defs/blocks"}},
            },
        ],
        "$defs": defs,
    })
}

/// The schema of a content file.
pub fn content_schema() -> Value {
    let text = json!({"$ref": "#/$defs/text"});
    let paragraph = json!({"$ref": "#/$defs/paragraph"});
    let id = json!({"$ref": "#/$defs/id"});
    let number = json!({"type": "integer", "minimum": 1, "maximum": super::MAX_NUMBER});
    let nothing = json!({"oneOf": [{"type": "null"}, {"const": true}]});
    let blocks = json!({"$ref": "#/$defs/blocks"});
    let gongwen = json!({
        "description": "The parts of a 公文 (GB/T 9704-2012) around its title and text, for the gongwen layout.",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "copy-number": {"type": ["integer", "string"], "description": "份号: 1–6 digits."},
            "secrecy": {"type": "string", "description": "密级和保密期限: 绝密, 机密 or 秘密, with ★ and the period if any."},
            "urgency": {"type": "string", "description": "紧急程度: 特急 or 加急."},
            "mark": {"$ref": "#/$defs/string", "description": "发文机关标志; default: the first author and 文件."},
            "number": {"$ref": "#/$defs/string", "description": "发文字号, such as 示档发〔2026〕5号."},
            "signers": {"oneOf": [{"$ref": "#/$defs/string"}, {"type": "array", "items": {"$ref": "#/$defs/string"}}], "description": "签发人: makes the 版头 a 上行文's."},
            "addressee": {"$ref": "#/$defs/string", "description": "主送机关, with its colon."},
            "attachments": {"type": "array", "items": {"$ref": "#/$defs/string"}, "description": "附件说明: the attachments' names."},
            "sealed": {"type": "boolean"},
            "note": {"$ref": "#/$defs/string", "description": "附注."},
            "copies-to": {"oneOf": [{"$ref": "#/$defs/string"}, {"type": "array", "items": {"$ref": "#/$defs/string"}}], "description": "抄送机关."},
            "printed-by": {"$ref": "#/$defs/string", "description": "印发机关."},
            "printed-on": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "印发日期, YYYY-MM-DD."},
        },
    });
    let block_kind = |kind: &str, value: Value, more: Value, required: &[&str]| {
        let mut properties = more.as_object().cloned().unwrap_or_default();
        properties.insert(kind.to_owned(), value);
        let mut required: Vec<&str> = required.to_vec();
        required.insert(0, kind);
        json!({
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": false,
        })
    };
    let include = block_kind(
        "include",
        json!({"type": "string", "description": "A file of blocks (a chapter), relative to this file, inside the project; among the body's blocks only."}),
        json!({}),
        &[],
    );
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://paiban.invalid/schema/content.json",
        "title": "paiban content",
        "description": "A document for paiban: a header and a body of blocks.",
        "type": "object",
        "required": ["title", "body"],
        "additionalProperties": false,
        "properties": {
            "title": {"$ref": "#/$defs/string", "description": "The document's title."},
            "short-title": {"$ref": "#/$defs/string", "description": "The title for running heads."},
            "subtitle": {"$ref": "#/$defs/string"},
            "author": {
                "description": "A name, or a list of names.",
                "oneOf": [{"$ref": "#/$defs/string"}, {"type": "array", "items": {"$ref": "#/$defs/string"}}],
            },
            "date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "YYYY-MM-DD"},
            "lang": {"type": "string", "description": "A BCP 47 language tag, such as zh-CN, zh-Hant-TW, ja or en."},
            "source": {"$ref": "#/$defs/string", "description": "Where the text was printed."},
            "identifier": {"$ref": "#/$defs/string", "description": "The EPUB's dc:identifier (an ISBN, a URN)."},
            "cover": {"type": "string", "description": "The EPUB's cover picture (PNG, JPEG, GIF, WebP or SVG), relative to this file; without one, the PDF's title page is pictured."},
            "layout": {"type": "string", "pattern": "^[a-z0-9_-]+$", "description": "A folder in layouts/."},
            "paper": {"type": "string", "description": "A4, A5, B5, 16k, 32k-large, 32k, or WxHmm such as 150x230mm."},
            "size": {"type": ["string", "number"], "description": "The body type size: a 字号 such as 五号, or points such as 10.5pt."},
            "toc-depth": {"type": "integer", "minimum": 0, "maximum": 5},
            "colophon": {"$ref": "#/$defs/string"},
            "gongwen": gongwen,
            "inline": {"enum": ["plain", "markup"], "description": "markup: the body's texts use paiban's inline syntax (**strong**, *emphasis*, ^[note], [link](url), @{ref}, {汉字|hànzì}, __专名__, ~~书名~~ …)."},
            "writing": {"enum": ["horizontal", "vertical"], "description": "vertical: the EPUB is set in vertical lines, its pages turning right to left; the PDF stays horizontal."},
            "body": blocks,
        },
        "$defs": {
            "string": {"type": ["string", "number", "boolean"]},
            "id": {"type": "string", "pattern": "^[\\p{L}\\p{N}_][\\p{L}\\p{N}_.:-]*$", "maxLength": 100},
            "url": {"type": "string", "pattern": "^(?i:https?://|mailto:)\\S+$"},
            "paragraph": {
                "description": "Inline content: a string, or a list of runs.",
                "oneOf": [
                    {"type": ["string", "number", "boolean"]},
                    {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/run"}},
                ],
            },
            "text": {
                "description": "Inline content: a string, a list of runs, or one run written as a map.",
                "oneOf": [{"$ref": "#/$defs/paragraph"}, {"$ref": "#/$defs/run-map"}],
            },
            "run": {
                "oneOf": [
                    {"type": ["string", "number", "boolean"]},
                    {"$ref": "#/$defs/run-map"},
                ],
            },
            "run-map": {
                "oneOf": [
                    {"type": "object", "properties": {"strong": text}, "required": ["strong"], "additionalProperties": false},
                    {"type": "object", "properties": {"emphasis": text}, "required": ["emphasis"], "additionalProperties": false},
                    {"type": "object", "properties": {"sup": text}, "required": ["sup"], "additionalProperties": false},
                    {"type": "object", "properties": {"sub": text}, "required": ["sub"], "additionalProperties": false},
                    {"type": "object", "properties": {"code": {"type": "string"}}, "required": ["code"], "additionalProperties": false},
                    {"type": "object", "properties": {"link": {"$ref": "#/$defs/url"}, "text": text}, "required": ["link"], "additionalProperties": false},
                    {"type": "object", "properties": {"note": text, "id": id}, "required": ["note"], "additionalProperties": false},
                    {"type": "object", "properties": {"ref": id}, "required": ["ref"], "additionalProperties": false},
                    {
                        "type": "object",
                        "description": "Ruby: an annotation (pinyin, zhuyin, furigana) over its base; one rt for the whole base, or a list with one per character.",
                        "properties": {
                            "ruby": {"type": "string", "minLength": 1},
                            "rt": {"oneOf": [{"type": "string", "minLength": 1}, {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}]},
                        },
                        "required": ["ruby", "rt"],
                        "additionalProperties": false,
                    },
                    {"type": "object", "description": "专名号: a straight line under a proper name.", "properties": {"proper-name": text}, "required": ["proper-name"], "additionalProperties": false},
                    {"type": "object", "description": "书名号 in the classical style: a wavy line under a book's title.", "properties": {"book-title": text}, "required": ["book-title"], "additionalProperties": false},
                    {"type": "object", "description": "Underlined text, as the manuscript underlines it (for a proper name's 专名号 use proper-name).", "properties": {"underline": text}, "required": ["underline"], "additionalProperties": false},
                    {"type": "object", "description": "Struck-through text (删除线).", "properties": {"strike": text}, "required": ["strike"], "additionalProperties": false},
                    {"type": "object", "description": "Text in another language (a BCP 47 tag): its glyph forms, punctuation and lint rules.", "properties": {"lang": {"type": "string"}, "text": text}, "required": ["lang", "text"], "additionalProperties": false},
                ],
            },
            "blocks": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/block"}},
            "align": {"enum": ["left", "center", "centre", "right"]},
            "cell": {
                "oneOf": [
                    {"type": "null"},
                    {"$ref": "#/$defs/paragraph"},
                    {
                        "type": "object",
                        "properties": {
                            "text": {"oneOf": [{"type": "null"}, text]},
                            "colspan": {"type": "integer", "minimum": 1, "maximum": 1000},
                            "rowspan": {"type": "integer", "minimum": 1, "maximum": 1000},
                            "align": {"$ref": "#/$defs/align"},
                        },
                        "additionalProperties": false,
                    },
                ],
            },
            "item": {
                "oneOf": [
                    paragraph,
                    {"type": "object", "properties": {"body": blocks}, "required": ["body"], "additionalProperties": false},
                ],
            },
            "block": {
                "oneOf": [
                    paragraph,
                    block_kind("heading", text.clone(), json!({
                        "level": {"type": "integer", "minimum": 1, "maximum": 5},
                        "number": number,
                        "numbered": {"type": "boolean"},
                        "id": id,
                    }), &[]),
                    block_kind("sidebar", text.clone(), json!({"number": number, "body": blocks}), &["body"]),
                    block_kind("dateline", text.clone(), json!({}), &[]),
                    block_kind("list", json!({"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/item"}}), json!({
                        "style": {"type": "string", "description": "bullet, or a pattern with one counter: 1. 1) （1） ① 一、 a) A. 第1条"},
                        "start": {"type": "integer", "minimum": 0, "maximum": super::MAX_NUMBER},
                    }), &[]),
                    block_kind("quote", json!({"oneOf": [{"type": ["string", "number", "boolean"]}, blocks]}), json!({"attribution": text}), &[]),
                    block_kind("verse", json!({"type": "array", "minItems": 1, "items": {"anyOf": [{"type": "null"}, text]}}), json!({
                        "title": text,
                        "author": text,
                    }), &[]),
                    block_kind("table", json!({"oneOf": [{"type": "null"}, text]}), json!({
                        "id": id,
                        "widths": {"type": "array", "items": {"type": "number", "exclusiveMinimum": 0}},
                        "align": {"type": "array", "items": {"$ref": "#/$defs/align"}},
                        "header": {"type": "integer", "minimum": 0},
                        "rows": {"type": "array", "minItems": 1, "items": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/cell"}}},
                    }), &["rows"]),
                    block_kind("figure", json!({"type": "string", "description": "The image file, relative to the content file."}), json!({
                        "caption": text,
                        "alt": {"type": "string"},
                        "width": {"type": ["number", "string"], "description": "A share of the text block: 0.6 or 60%."},
                        "id": id,
                    }), &[]),
                    block_kind("divider", nothing.clone(), json!({}), &[]),
                    block_kind("pagebreak", nothing, json!({}), &[]),
                    block_kind("appendix", text, json!({"id": id}), &[]),
                    include,
                ],
            },
        },
    })
}
