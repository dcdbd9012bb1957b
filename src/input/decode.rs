//! Turning a file's bytes into text: UTF-8 (with or without BOM), UTF-16 LE/BE with BOM, and
//! Windows-1252 for files that are not valid UTF-8, as Windows tools often write. Binary files are
//! refused rather than scored as gibberish.

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};
use std::borrow::Cow;

/// The text of a file and how it was encoded.
#[derive(Debug, PartialEq)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be` or `windows-1252`.
    pub encoding: &'static str,
}

/// The encoding to read files in: `auto` tells it from byte-order marks and content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Encoding {
    /// UTF-8 or UTF-16 by byte-order mark, else UTF-8, else Windows-1252.
    Auto,
    #[value(name = "utf-8")]
    Utf8,
    #[value(name = "utf-16le")]
    Utf16le,
    #[value(name = "utf-16be")]
    Utf16be,
    #[value(name = "windows-1252")]
    Windows1252,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Auto => "auto",
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16le => "utf-16le",
            Encoding::Utf16be => "utf-16be",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

/// Decodes `bytes` in the encoding given with `--encoding`, or detects it for [`Encoding::Auto`].
pub fn decode_as(bytes: &[u8], encoding: Encoding) -> Result<Decoded<'_>, String> {
    let forced = |enc: &'static encoding_rs::Encoding, name: &'static str| {
        let (text, _, had_errors) = enc.decode(bytes);
        if had_errors {
            return Err(format!(
                "the file is not valid {name} (given with --encoding); check the encoding or use --encoding auto"
            ));
        }
        Ok(Decoded {
            text: Cow::Owned(text.into_owned()),
            encoding: name,
        })
    };
    match encoding {
        Encoding::Auto => decode(bytes),
        _ if bytes.is_empty() => decode(bytes),
        Encoding::Utf8 => forced(encoding_rs::UTF_8, "utf-8"),
        Encoding::Utf16le => forced(UTF_16LE, "utf-16le"),
        Encoding::Utf16be => forced(UTF_16BE, "utf-16be"),
        Encoding::Windows1252 => forced(WINDOWS_1252, "windows-1252"),
    }
}

/// How many leading bytes are checked for NUL bytes to tell binary files from text.
const SNIFF: usize = 8192;

/// Decodes `bytes`, or says why they are not a transcript.
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, String> {
    if bytes.is_empty() {
        return Err("the file is empty; export the transcript again".into());
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Ok(Decoded {
            text: utf16(UTF_16LE, rest)?,
            encoding: "utf-16le",
        });
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Ok(Decoded {
            text: utf16(UTF_16BE, rest)?,
            encoding: "utf-16be",
        });
    }
    if bytes[..bytes.len().min(SNIFF)].contains(&0) {
        return Err(
            "this looks like a binary file (it contains NUL bytes), not a text transcript; \
             export it as plain text, CSV or TSV"
                .into(),
        );
    }
    let (body, encoding) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (rest, "utf-8-bom"),
        None => (bytes, "utf-8"),
    };
    match std::str::from_utf8(body) {
        Ok(s) => Ok(Decoded {
            text: Cow::Borrowed(s),
            encoding,
        }),
        Err(_) => {
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(body);
            Ok(Decoded {
                text,
                encoding: "windows-1252",
            })
        }
    }
}

fn utf16(enc: &'static encoding_rs::Encoding, body: &[u8]) -> Result<Cow<'static, str>, String> {
    let (text, had_errors) = enc.decode_without_bom_handling(body);
    if had_errors {
        return Err(format!(
            "the file starts with a {} byte-order mark but is not valid {0}; save it again as UTF-8",
            enc.name()
        ));
    }
    Ok(Cow::Owned(text.into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode(b"C: hi").unwrap().encoding, "utf-8");
        let d = decode(b"\xEF\xBB\xBFC: hi").unwrap();
        assert_eq!((d.text.as_ref(), d.encoding), ("C: hi", "utf-8-bom"));
    }

    #[test]
    fn utf16_both_orders() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("C: é".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("C: é".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&le).unwrap().text, "C: é");
        assert_eq!(decode(&be).unwrap().text, "C: é");
    }

    #[test]
    fn windows_1252_fallback() {
        let d = decode(b"C: caf\xE9 \x93ok\x94").unwrap();
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(d.text, "C: caf\u{e9} \u{201c}ok\u{201d}");
    }

    #[test]
    fn a_forced_encoding_is_used_and_checked() {
        let d = decode_as(b"caf\xE9", Encoding::Windows1252).unwrap();
        assert_eq!((d.text.as_ref(), d.encoding), ("caf\u{e9}", "windows-1252"));
        assert!(decode_as(b"caf\xE9", Encoding::Utf8)
            .unwrap_err()
            .contains("not valid utf-8"));
        let le: Vec<u8> = "hi".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode_as(&le, Encoding::Utf16le).unwrap().text, "hi");
    }

    #[test]
    fn empty_and_binary_are_refused() {
        assert!(decode(b"").unwrap_err().contains("empty"));
        assert!(decode(b"\x00\x01\x02abc").unwrap_err().contains("binary"));
    }
}
