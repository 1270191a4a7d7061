//! A saved configuration's bytes as lines: UTF-8 (with or without BOM) or GBK (a Chinese
//! Windows terminal saves in it), CRLF or LF, and the artefacts a terminal log leaves when
//! paging was not turned off (`  ---- More ----` then cursor moves, Cisco's ` --More-- `
//! then backspaces). Each line keeps its number in the file, so evidence points at it.

/// The file's lines, in order, the first being line 1.
pub fn lines(bytes: &[u8]) -> Vec<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        // A configuration is mostly ASCII: GB18030 (a superset of GBK) decodes the Chinese
        // of descriptions; what neither decodes becomes U+FFFD and matches no command.
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    };
    text.split('\n').map(terminal_line).collect()
}

/// What a terminal shows of one line: backspaces and cursor-left sequences move back and
/// what follows overwrites, other escape sequences and control characters are dropped,
/// then a paging prompt left in plain text (its escape character lost) is cut off.
fn terminal_line(raw: &str) -> String {
    let mut out: Vec<char> = Vec::new();
    let mut cursor = 0usize;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{8}' => cursor = cursor.saturating_sub(1),
            '\u{1b}' => {
                // CSI: ESC [ digits letter; `D` moves left by the number.
                if chars.peek() == Some(&'[') {
                    chars.next();
                    let mut n = String::new();
                    let mut end = None;
                    for d in chars.by_ref() {
                        if d.is_ascii_digit() || d == ';' {
                            n.push(d);
                        } else {
                            end = Some(d);
                            break;
                        }
                    }
                    if end == Some('D') {
                        let by = n.parse::<usize>().unwrap_or(1);
                        cursor = cursor.saturating_sub(by);
                    }
                }
            }
            '\t' => put(&mut out, &mut cursor, ' '),
            c if c.is_control() => {}
            c => put(&mut out, &mut cursor, c),
        }
    }
    let line: String = out.into_iter().collect();
    strip_prompt(line.trim_end()).to_string()
}

fn put(out: &mut Vec<char>, cursor: &mut usize, c: char) {
    match out.get_mut(*cursor) {
        Some(slot) => *slot = c,
        None => out.push(c),
    }
    *cursor += 1;
}

/// A paging prompt whose escape characters were lost (`  ---- More ----[42D   [42D #`):
/// the text after the prompt's last cursor move is the line, its indentation kept.
fn strip_prompt(line: &str) -> &str {
    for prompt in ["---- More ----", "--More--"] {
        if let Some(at) = line.find(prompt) {
            let rest = &line[at + prompt.len()..];
            let after_move = rest
                .match_indices('[')
                .filter_map(|(i, _)| {
                    let digits = rest[i + 1..].bytes().take_while(u8::is_ascii_digit).count();
                    let end = i + 1 + digits;
                    (digits > 0 && rest[end..].starts_with('D')).then_some(end + 1)
                })
                .next_back();
            return match after_move {
                Some(from) => &rest[from..],
                None => rest.trim_start(),
            };
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_prompts_crlf_and_gbk_leave_the_lines() {
        // VRP: the prompt, 42 columns back, blanks, back again, then the next line.
        let vrp = "sysname A\r\n  ---- More ----\u{1b}[42D                                          \u{1b}[42Dinterface Vlanif10\r\n ip address 10.0.0.1 255.255.255.0\r\n";
        assert_eq!(
            lines(vrp.as_bytes()),
            [
                "sysname A",
                "interface Vlanif10",
                " ip address 10.0.0.1 255.255.255.0",
                ""
            ]
        );
        // Cisco: ` --More-- ` erased with backspaces.
        let ios = " --More-- \u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}          \u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}\u{8}line vty 0 4";
        assert_eq!(lines(ios.as_bytes()), ["line vty 0 4"]);
        // The escape character lost in a log: the debris is cut.
        let lost = "  ---- More ----[42D                                          [42D port link-type trunk";
        assert_eq!(lines(lost.as_bytes()), [" port link-type trunk"]);
        let (gbk, _, _) =
            encoding_rs::GBK.encode("interface GigabitEthernet0/0/1\n description 至核心交换机\n");
        assert_eq!(lines(&gbk)[1], " description 至核心交换机");
    }
}
