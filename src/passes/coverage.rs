//! Glyph coverage: which characters of a text no available font can draw. Typst draws
//! those as tofu without a warning, so paiban looks before it builds.

/// Characters that need no glyph of their own: line breaks, tabs, and format characters
/// (joiners, variation selectors, soft hyphen, BOM) that shaping consumes.
pub fn needs_glyph(c: char) -> bool {
    !(matches!(c, '\n' | '\r' | '\t')
        || matches!(c,
            '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
            | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{E0100}'..='\u{E01EF}'))
}

/// `(character index, character)` for each character of `text` that needs a glyph and
/// that `covers` rejects.
pub fn missing(text: &str, mut covers: impl FnMut(char) -> bool) -> Vec<(usize, char)> {
    text.chars()
        .enumerate()
        .filter(|&(_, c)| needs_glyph(c) && !covers(c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_uncovered_characters_by_position() {
        let covers = |c: char| c.is_ascii() || c == '中';
        assert_eq!(
            missing("a中\u{200D}x😀\n文", covers),
            [(4, '😀'), (6, '文')]
        );
    }
}
