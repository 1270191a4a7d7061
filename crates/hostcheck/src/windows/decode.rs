//! Bytes of an exported file → text. Windows tools write different encodings: `secedit`
//! and `reg export` write UTF-16LE with a BOM, PowerShell 7 writes UTF-8 without one,
//! Windows PowerShell 5.1 with `-Encoding UTF8` writes a BOM, and on a Chinese-locale
//! machine the "ANSI" code page (`regedit /a`, `-Encoding Default`, a copy saved from
//! Notepad) is GBK. The BOM decides when there is one; otherwise NUL bytes in the odd
//! positions mean UTF-16LE, valid UTF-8 is UTF-8, and anything else is read as GBK.
//! Decoding never fails: a byte that does not decode becomes U+FFFD, which no probe
//! accepts.

/// The encoding a file was read in (said in a result's reason when it matters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf16Le,
    Utf16Be,
    Utf8,
    Gbk,
}

/// Decodes `bytes`, dropping the BOM.
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return (utf16(rest, u16::from_le_bytes), Encoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return (utf16(rest, u16::from_be_bytes), Encoding::Utf16Be);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return (String::from_utf8_lossy(rest).into_owned(), Encoding::Utf8);
    }
    if looks_like_utf16le(bytes) {
        return (utf16(bytes, u16::from_le_bytes), Encoding::Utf16Le);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), Encoding::Utf8),
        Err(_) => {
            let (text, _, _) = encoding_rs::GBK.decode(bytes);
            (text.into_owned(), Encoding::Gbk)
        }
    }
}

/// ASCII text in UTF-16LE without a BOM: most odd bytes are NUL and the even ones are not.
fn looks_like_utf16le(bytes: &[u8]) -> bool {
    let pairs = bytes.len() / 2;
    if pairs < 4 {
        return false;
    }
    let nul_high = bytes
        .chunks_exact(2)
        .filter(|p| matches!(p, [lo, 0] if *lo != 0))
        .count();
    nul_high * 10 >= pairs * 6
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = bytes.chunks_exact(2).map(|p| unit([p[0], p[1]]));
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn le(text: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        for u in text.encode_utf16() {
            out.extend_from_slice(&u.to_le_bytes());
        }
        out
    }

    #[test]
    fn each_encoding_a_windows_tool_writes_reads_back() {
        let text = "[System Access]\r\nNewAdministratorName = \"管理员\"\r\n";
        assert_eq!(
            decode(&le(text, true)),
            (text.to_string(), Encoding::Utf16Le)
        );
        assert_eq!(
            decode(&le(text, false)),
            (text.to_string(), Encoding::Utf16Le)
        );
        let mut bom8 = vec![0xEF, 0xBB, 0xBF];
        bom8.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&bom8), (text.to_string(), Encoding::Utf8));
        assert_eq!(decode(text.as_bytes()), (text.to_string(), Encoding::Utf8));
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(decode(&gbk), (text.to_string(), Encoding::Gbk));
    }
}
