//! Control characters: no page or e-book can print them (XHTML cannot even carry most),
//! so a text that has one is refused before any output is written, at the character.

/// Whether `c` is a control character a text may not hold: C0 controls other than tab and
/// line feed (a carriage return included), DEL, the C1 controls, and the two
/// noncharacters U+FFFE and U+FFFF that XML refuses.
pub fn is_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// `(character index, character)` for each forbidden character of `text`.
pub fn forbidden(text: &str) -> Vec<(usize, char)> {
    text.chars()
        .enumerate()
        .filter(|&(_, c)| is_forbidden(c))
        .collect()
}

/// How the content can write `c`: its YAML escape where it has a short one.
pub fn describe(c: char) -> String {
    let name = match c {
        '\u{0}' => Some("NUL"),
        '\u{7}' => Some("BEL"),
        '\u{8}' => Some("backspace"),
        '\u{b}' => Some("vertical tab"),
        '\u{c}' => Some("form feed"),
        '\r' => Some("carriage return"),
        '\u{1b}' => Some("escape"),
        '\u{7f}' => Some("DEL"),
        '\u{85}' => Some("next line"),
        _ => None,
    };
    match name {
        Some(name) => format!("U+{:04X} ({name})", c as u32),
        None => format!("U+{:04X}", c as u32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_and_newline_are_allowed_every_other_control_is_not() {
        assert_eq!(
            forbidden("a\tb\nc\u{7}d\re\u{85}f\u{7f}\u{fffe}一"),
            [
                (5, '\u{7}'),
                (7, '\r'),
                (9, '\u{85}'),
                (11, '\u{7f}'),
                (12, '\u{fffe}')
            ]
        );
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            let control = c.is_control() && c != '\t' && c != '\n';
            assert_eq!(
                is_forbidden(c),
                control || c == '\u{fffe}' || c == '\u{ffff}',
                "{c:?}"
            );
        }
    }
}
