//! Decoding the bytes of a plain-text file for `import`, with located errors.

use encoding_rs::{DecoderResult, Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

use super::TextEncoding;
use crate::diag::Diagnostic;
use crate::model;

/// The text of `bytes` (read from `name`). A byte-order mark wins over `encoding`: a file
/// that starts with one is UTF-8 or UTF-16 whatever was asked, and UTF-16 is decoded.
pub fn decode(name: &str, bytes: Vec<u8>, encoding: TextEncoding) -> Result<String, Diagnostic> {
    if let Some((bom_encoding, bom_length)) = Encoding::for_bom(&bytes) {
        if bom_encoding == UTF_8 {
            let advice = "the file starts with a UTF-8 byte-order mark but is not UTF-8";
            return model::decode_utf8(name, bytes, advice);
        }
        return decode_strictly(name, &bytes, bom_length, bom_encoding);
    }
    if let Some(utf16) = unmarked_utf16(&bytes) {
        let (flag, name16) = if utf16 == UTF_16LE {
            ("UTF-16LE", "little-endian")
        } else {
            ("UTF-16BE", "big-endian")
        };
        return Err(Diagnostic::error(
            name,
            format!(
                "the file looks like UTF-16 ({name16}) without a byte-order mark; \
                 convert it to UTF-8 (iconv -f {flag} -t UTF-8) or save it with a BOM"
            ),
        )
        .with_code("input"));
    }
    match encoding {
        TextEncoding::Utf8 => model::decode_utf8(
            name,
            bytes,
            "the file is not UTF-8: if it is GB18030/GBK, pass --encoding gb18030",
        ),
        TextEncoding::Gb18030 => decode_strictly(name, &bytes, 0, GB18030),
    }
}

/// `bytes[start..]` in `encoding`, refusing malformed input with the line, column and byte
/// offset of the first malformed sequence.
fn decode_strictly(
    name: &str,
    bytes: &[u8],
    start: usize,
    encoding: &'static Encoding,
) -> Result<String, Diagnostic> {
    let input = &bytes[start..];
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(input.len())
            .unwrap_or(input.len()),
    );
    let mut read = 0;
    loop {
        let (result, consumed) =
            decoder.decode_to_string_without_replacement(&input[read..], &mut text, true);
        read += consumed;
        match result {
            DecoderResult::InputEmpty => return Ok(text),
            DecoderResult::OutputFull => text.reserve(input.len() - read + 16),
            DecoderResult::Malformed(bad, pending) => {
                // The malformed sequence is `bad` bytes long and ended `pending` bytes
                // before the end of what was read; `text` holds everything before it.
                let end = read - usize::from(pending);
                let begin = end.saturating_sub(usize::from(bad));
                let shown: Vec<String> = input[begin..end]
                    .iter()
                    .map(|b| format!("0x{b:02X}"))
                    .collect();
                let (line, column) = model::line_column_after(&text);
                let what = if encoding == GB18030 {
                    "GB18030"
                } else {
                    encoding.name()
                };
                return Err(Diagnostic::error(
                    name,
                    format!(
                        "invalid {what} text: malformed sequence {} at byte offset {}",
                        if shown.is_empty() {
                            "(truncated at the end)".to_owned()
                        } else {
                            shown.join(" ")
                        },
                        start + begin
                    ),
                )
                .at(line, column)
                .with_code("input"));
            }
        }
    }
}

/// UTF-16 without a byte-order mark: NUL bytes in most odd (LE) or even (BE) positions of
/// the first kilobytes, which no UTF-8 or GB18030 text has.
fn unmarked_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let zero_at = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zero_at(0), zero_at(1));
    if odd * 5 >= pairs * 2 && even * 10 < pairs {
        Some(UTF_16LE)
    } else if even * 5 >= pairs * 2 && odd * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}
