//! The layouts' EPUB stylesheets name the font roles by their bundled families; the
//! project's mapping replaces them, so the EPUB asks for (and embeds) the same faces as
//! the PDF.

use crate::model::print::{FontRoles, Role};

/// `stylesheet` with every quoted family that is a role's bundled face replaced by the
/// family `roles` maps that role to. One pass, so that swapped roles stay swapped.
pub fn map_font_roles(stylesheet: &str, roles: &FontRoles) -> String {
    let mut out = String::with_capacity(stylesheet.len());
    let mut rest = stylesheet;
    loop {
        let string = rest.find(['"', '\'']);
        let comment = rest.find("/*");
        let Some(start) = string else { break };
        // Comments pass through whole: an apostrophe in one opens no string.
        if let Some(open) = comment.filter(|&open| open < start) {
            let close = rest[open + 2..]
                .find("*/")
                .map_or(rest.len(), |i| open + 2 + i + 2);
            out.push_str(&rest[..close]);
            rest = &rest[close..];
            continue;
        }
        let quote = rest[start..].chars().next().unwrap_or('"');
        out.push_str(&rest[..start]);
        let body = &rest[start + 1..];
        let Some(end) = string_end(body, quote) else {
            // An unterminated string: CSS ends it at the end of the line; leave it alone.
            out.push_str(&rest[start..]);
            return out;
        };
        let family = &body[..end];
        match Role::ALL
            .into_iter()
            .find(|role| role.bundled_family() == family)
        {
            Some(role) => {
                out.push('"');
                out.push_str(&escape(roles.family(role)));
                out.push('"');
            }
            None => out.push_str(&rest[start..start + 1 + end + 1]),
        }
        rest = &body[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Where the string that began before `body` closes with `quote`, past escapes.
fn string_end(body: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            c if c == quote => return Some(i),
            _ => {}
        }
    }
    None
}

/// A family name as the inside of a double-quoted CSS string.
fn escape(family: &str) -> String {
    let mut out = String::with_capacity(family.len());
    for c in family.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_replaced_in_one_pass() {
        let mut roles = FontRoles::default();
        roles.0.insert(Role::Song, "LXGW WenKai".to_owned());
        roles.0.insert(Role::Kai, "Noto Serif CJK SC".to_owned());
        roles.0.insert(Role::Hei, "Our \"Hei\"".to_owned());
        let css = "p { font-family: \"Noto Serif CJK SC\", \"Songti SC\", serif; }\n\
                   .panel { font-family: 'LXGW WenKai', serif; content: \"\\\"\"; }\n\
                   /* the layout's \"Noto Sans CJK SC\" */\n\
                   h1 { font-family: \"Noto Sans CJK SC\"; }";
        assert_eq!(
            map_font_roles(css, &roles),
            "p { font-family: \"LXGW WenKai\", \"Songti SC\", serif; }\n\
             .panel { font-family: \"Noto Serif CJK SC\", serif; content: \"\\\"\"; }\n\
             /* the layout's \"Noto Sans CJK SC\" */\n\
             h1 { font-family: \"Our \\\"Hei\\\"\"; }"
        );
    }

    #[test]
    fn the_bundled_mapping_changes_nothing() {
        let css = "p { font-family: \"Noto Serif CJK SC\", serif; } /* \"x */";
        assert_eq!(map_font_roles(css, &FontRoles::default()), css);
    }
}
