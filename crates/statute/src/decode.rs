//! Turning file bytes into statute text: UTF-8 (with or without BOM), else GB18030/GBK
//! (common for Chinese government documents). Binary data is refused.

/// Why bytes are not statute text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the file is empty (文件为空)")]
    Empty,
    #[error("the file is binary: NUL byte at offset {offset} (二进制文件，不是文本)")]
    Binary { offset: usize },
    #[error("the file is neither UTF-8 nor GBK text: invalid byte at offset {offset} (既不是UTF-8也不是GBK编码的文本)")]
    Encoding { offset: usize },
}

/// Decodes statute file bytes. Whitespace-only input counts as empty.
pub fn decode(bytes: &[u8]) -> Result<String, DecodeError> {
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(DecodeError::Binary { offset });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(e) => {
            let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            let cjk = text
                .chars()
                .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
                .count();
            if had_errors || cjk == 0 {
                return Err(DecodeError::Encoding {
                    offset: e.valid_up_to(),
                });
            }
            text.into_owned()
        }
    };
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_gbk_and_refusals() {
        assert_eq!(
            decode("\u{feff}第一条 内容".as_bytes()).as_deref(),
            Ok("第一条 内容")
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("第一条　为了保障网络安全，制定本法。");
        assert_eq!(
            decode(&gbk).as_deref(),
            Ok("第一条　为了保障网络安全，制定本法。")
        );
        assert_eq!(decode(b"  \n"), Err(DecodeError::Empty));
        assert_eq!(decode(b"ab\0cd"), Err(DecodeError::Binary { offset: 2 }));
        assert!(matches!(
            decode(&[0xff, 0xfe, 0xfd, 0x80]),
            Err(DecodeError::Encoding { .. })
        ));
    }
}
