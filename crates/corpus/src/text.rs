//! Reading the raw seed files: noise normalisation and article segmentation.
//!
//! What counts as noise (ignored when texts are compared) — see
//! docs/decisions/0200-reconciliation.md:
//! - whitespace of every kind, including ideographic spaces and line breaks (hard wraps,
//!   paragraph breaks lost or added);
//! - HTML `<br/>`, Markdown emphasis `**`, list markers `- ` at a line start, Markdown
//!   link debris `[#21条](#)` (the link text repeats the citation that follows it);
//! - punctuation width: ASCII `, ; : ( ) ? !` are read as their full-width forms;
//! - page repetition (a witness copy of an article that occurs many times is compared
//!   copy by copy, and identical readings are reported once with every place);
//! - page cuts: the end of a witness copy that stops early or runs into another page's
//!   text (see `reconcile`).

use crate::numerals;

/// A character of normalised text and the 1-based source line it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ch {
    pub c: char,
    pub line: u32,
}

/// Removes Markdown link debris `[text](#)`, inline HTML anchors (`<a id="art-1"></a>`,
/// `<sup>` back-references), `<br/>` and `**` from one line. A link to a real target
/// (`[本法第二十七条](#art-27)`, a cross-reference a Markdown copy turned into a link)
/// keeps its text; debris (`[#21条](#)`, anything pointing at a bare `#`) goes whole.
pub fn strip_markup(line: &str) -> String {
    let mut s = dengbao_statute::strip_inline_html(line)
        .replace("<br/>", "")
        .replace("<br>", "")
        .replace("**", "");
    let mut from = 0;
    while let Some(open_rel) = s[from..].find('[') {
        let open = from + open_rel;
        let Some(close_rel) = s[open..].find("](") else {
            break;
        };
        let close = open + close_rel;
        let Some(end_rel) = s[close..].find(')') else {
            break;
        };
        let end = close + end_rel + 1;
        let label = s[open + 1..close].to_string();
        let target = &s[close + 2..end - 1];
        if target == "#" || label.starts_with('#') {
            s.replace_range(open..end, "");
            from = open;
        } else {
            s.replace_range(open..end, &label);
            from = open + label.len();
        }
    }
    s
}

/// Full-width form of ASCII punctuation that statutes write full-width.
pub fn widen(c: char) -> char {
    match c {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '(' => '（',
        ')' => '）',
        '?' => '？',
        '!' => '！',
        _ => c,
    }
}

/// Normalises one line's text into comparable characters.
pub fn normalize_line(line: &str, line_no: u32, out: &mut Vec<Ch>) {
    let s = strip_markup(line);
    let t = s.trim_start();
    let t = t
        .strip_prefix("- ")
        .or_else(|| t.strip_prefix("– "))
        .unwrap_or(t);
    for c in t.chars() {
        if c.is_whitespace() || c == '\u{feff}' {
            continue;
        }
        out.push(Ch {
            c: widen(c),
            line: line_no,
        });
    }
}

/// Normalised text of a string (for tests and whole-article comparison).
pub fn normalize(text: &str) -> String {
    let mut v = Vec::new();
    for (i, l) in text.lines().enumerate() {
        normalize_line(l, i as u32 + 1, &mut v);
    }
    v.into_iter().map(|c| c.c).collect()
}

/// An article heading found at `byte` in a line: 第N条[之M] followed by a space, 【 or a
/// line end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub number: u32,
    pub suffix: Option<u32>,
    /// Byte offset of the text after the label in the line.
    pub rest: usize,
    /// Byte offset of 第 in the line.
    pub start: usize,
}

/// Parses `第…条` (and `之…`) at the start of `s`; returns (number, suffix, bytes used).
pub fn parse_article_label(s: &str) -> Option<(u32, Option<u32>, usize)> {
    let body = s.strip_prefix('第')?;
    let digits: String = body
        .chars()
        .take_while(|c| numerals::is_numeral_char(*c))
        .collect();
    let after = body.get(digits.len()..)?;
    let after = after.strip_prefix('条')?;
    let number = u32::try_from(numerals::parse(&digits)?).ok()?;
    let mut used = '第'.len_utf8() + digits.len() + '条'.len_utf8();
    let mut suffix = None;
    if let Some(z) = after.strip_prefix('之') {
        let d: String = z
            .chars()
            .take_while(|c| numerals::is_numeral_char(*c))
            .collect();
        if let Some(n) = numerals::parse(&d).and_then(|n| u32::try_from(n).ok()) {
            suffix = Some(n);
            used += '之'.len_utf8() + d.len();
        }
    }
    Some((number, suffix, used))
}

/// Finds an article heading in a line: a label at the line start (after list/heading
/// marks) or after a space, followed by whitespace, 【 or the line end. A citation inside
/// running text (本法第二十一条、) is never followed by a space, so it is not a heading.
pub fn find_heading(line: &str) -> Option<Heading> {
    let mut prev_space = true;
    for (i, c) in line.char_indices() {
        if c == '第' && prev_space {
            if let Some((number, suffix, used)) = parse_article_label(&line[i..]) {
                let rest = i + used;
                let next = line[rest..].chars().next();
                let ok = match next {
                    None => true,
                    Some(n) => n.is_whitespace() || n == '【' || n == ':' || n == '：',
                };
                if ok && number > 0 {
                    return Some(Heading {
                        number,
                        suffix,
                        rest,
                        start: i,
                    });
                }
            }
        }
        prev_space = c.is_whitespace() || c == '#' || c == '-';
    }
    None
}

/// A chapter (章) or section (节) heading line: `第三章  网络运行安全`, `1、总则`.
pub fn chapter_heading(line: &str) -> Option<(char, u32, String)> {
    let t = line.trim().trim_start_matches('#').trim();
    let body = t.strip_prefix('第')?;
    let digits: String = body
        .chars()
        .take_while(|c| numerals::is_numeral_char(*c))
        .collect();
    let after = body.get(digits.len()..)?;
    let kind = after.chars().next()?;
    if kind != '章' && kind != '节' && kind != '编' {
        return None;
    }
    let n = u32::try_from(numerals::parse(&digits)?).ok()?;
    let title: String = after[kind.len_utf8()..]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if title.chars().count() > 30 {
        return None;
    }
    Some((kind, n, title))
}

/// One copy of an article in a source file.
#[derive(Debug, Clone)]
pub struct Copy {
    pub number: u32,
    pub suffix: Option<u32>,
    /// 1-based line of the heading.
    pub line: u32,
    /// The raw lines of the copy after the label (first line: the rest of the heading line).
    pub lines: Vec<(u32, String)>,
}

impl Copy {
    /// Normalised characters of the copy.
    pub fn chars(&self) -> Vec<Ch> {
        let mut v = Vec::new();
        for (n, l) in &self.lines {
            normalize_line(l, *n, &mut v);
        }
        v
    }
}

/// True for lines that end an article copy: commentary (解读) and slide headings.
fn is_commentary_start(t: &str) -> bool {
    t.starts_with("解读") || t.starts_with("⚠")
}

/// Short lines without any punctuation inside a hard-wrapped slide (section titles such
/// as 一般规定, footers such as 网络安全法 网络安全法, page numbers) are not article text.
fn is_slide_debris(t: &str) -> bool {
    let n = t.chars().count();
    n > 0
        && n <= 14
        && !t.starts_with('（')
        && !t.starts_with('(')
        && !t.chars().any(|c| "，。；：、）,.;:)？！".contains(c))
}

/// Splits a source (or a range of its lines) into article copies. `slide` turns on the
/// rules for slide-deck text (debris lines skipped). A copy ends at the next heading, a
/// 解读, a chapter heading (unless `slide`) or a line that starts a list of another kind.
pub fn segment(text: &str, from_line: u32, to_line: u32, slide: bool) -> Vec<Copy> {
    let mut out: Vec<Copy> = Vec::new();
    let mut open = false;
    for (i, raw) in text.lines().enumerate() {
        let n = i as u32 + 1;
        if n < from_line || n > to_line {
            continue;
        }
        let line = strip_markup(raw);
        let t = line.trim();
        if let Some(h) = find_heading(&line) {
            out.push(Copy {
                number: h.number,
                suffix: h.suffix,
                line: n,
                lines: vec![(n, line[h.rest..].to_string())],
            });
            open = true;
            continue;
        }
        if t.is_empty() {
            continue;
        }
        if is_commentary_start(t) {
            open = false;
            continue;
        }
        if chapter_heading(t).is_some() {
            if !slide {
                open = false;
            }
            continue;
        }
        if slide && is_slide_debris(t) {
            continue;
        }
        let after_marker = t.trim_start_matches("- ");
        if !slide
            && t.starts_with("- ")
            && !after_marker.starts_with('（')
            && !after_marker.starts_with('(')
        {
            open = false;
            continue;
        }
        if open {
            if let Some(c) = out.last_mut() {
                c.lines.push((n, line.to_string()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_labels_followed_by_space_not_citations() {
        assert_eq!(
            find_heading("第二十一条 国家实行").map(|h| h.number),
            Some(21)
        );
        assert_eq!(
            find_heading("第五十一条\u{3000}网络").map(|h| h.number),
            Some(51)
        );
        assert_eq!(
            find_heading("关键信息基础设施的运行安全 第三十四条   除本法").map(|h| h.number),
            Some(34)
        );
        assert_eq!(
            find_heading("第四条【工作原则】网络").map(|h| h.number),
            Some(4)
        );
        assert_eq!(find_heading("违反本法第二十一条、第二十五条规"), None);
        assert_eq!(find_heading("违反本法 第四十六条规定"), None);
    }

    #[test]
    fn link_debris_and_width_are_noise() {
        assert_eq!(
            normalize("违反本法 [#22天](#) [#41条](#) 第二十二条第三款,"),
            "违反本法第二十二条第三款，"
        );
        assert_eq!(
            normalize("- （一）设置恶意程序的；<br/>"),
            "（一）设置恶意程序的；"
        );
    }

    #[test]
    fn markdown_copies_keep_linked_citations_and_lose_anchors() {
        assert_eq!(
            normalize(
                "<a id=\"art-45\"></a>第四十五条　不履行[本法第二十七条](#art-27)、第二十九条"
            ),
            "第四十五条不履行本法第二十七条、第二十九条"
        );
        assert_eq!(
            find_heading(&strip_markup("<a id=\"art-1\"></a>第一条　为了")).map(|h| h.number),
            Some(1)
        );
    }
}
