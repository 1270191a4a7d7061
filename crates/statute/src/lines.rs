//! Line-level noise cleanup and classification.
//!
//! Each physical input line (and each `<br/>`-separated piece of one) becomes a
//! [`Line`]: trimmed of ASCII, no-break, full-width and ideographic spaces, stripped of
//! Markdown heading marks, list bullets, emphasis, link debris (`[#24条](#)`) and inline
//! HTML anchors (`<a id="art-1"></a>`, `<sup>` back-references), and
//! classified as a heading, an article start, an item, an interpretation or plain text.
//! Text is otherwise kept exactly as in the source (full-width punctuation untouched).

use crate::numerals::{numbered_label, parse_article_label, parse_item_marker, parse_number};

/// One cleaned input line.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    /// 1-based line number in the input.
    pub no: u32,
    pub text: String,
    /// The line carried Markdown heading marks (`#`…`######`).
    pub md_heading: bool,
    /// The line carried a Markdown list bullet (`- `, `* `, `+ `, `– `, `• `).
    pub bullet: bool,
}

/// What a line is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Blank,
    /// A bare page number left over from PDF extraction.
    PageNumber,
    /// 目录 / 目 录.
    Toc,
    /// 第N编, 第N章, 第N节 with their (space-free) titles.
    Part(u32, String),
    Chapter(u32, String),
    Section(u32, String),
    /// `1、总则`: a numbered heading in a non-statute style.
    NumberedHeading(u32, String),
    Article {
        number: u32,
        suffix: Option<u32>,
        title: Option<String>,
        /// The text after the label and title (may be empty).
        rest: String,
    },
    /// An item line （一）…: its number and the line text with the marker kept.
    Item(u32),
    /// 解读：… commentary.
    Interpretation,
    Text,
}

/// Splits the input into cleaned lines. `<br/>` ends a line like a newline does.
pub(crate) fn split(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        for piece in split_br(raw) {
            out.push(clean(no, piece));
        }
    }
    out
}

fn split_br(raw: &str) -> Vec<&str> {
    // ASCII lowercasing keeps byte offsets, so positions found in `lower` index `raw`.
    let lower = raw.to_ascii_lowercase();
    let mut pieces = Vec::new();
    let mut from = 0;
    while let Some(rel) = lower[from..].find("<br") {
        let start = from + rel;
        let Some(close) = lower[start..].find('>') else {
            break;
        };
        pieces.push(&raw[from..start]);
        from = start + close + 1;
    }
    pieces.push(&raw[from..]);
    pieces
}

/// Whitespace as statute sources use it: ASCII, tab, no-break, full-width/ideographic.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}' || c == '\u{feff}'
}

fn clean(no: u32, raw: &str) -> Line {
    let mut t = strip_links(crate::html::strip_inline_html(raw).trim_matches(is_space));
    t = t.replace("**", "").replace(['\u{a0}', '\t'], " ");
    let mut md_heading = false;
    let mut bullet = false;
    let mut s = t.trim_matches(is_space);
    if s.starts_with('#') {
        md_heading = true;
        s = s.trim_start_matches('#').trim_start_matches(is_space);
    }
    while let Some(rest) = s.strip_prefix('>') {
        s = rest.trim_start_matches(is_space);
    }
    for b in ["- ", "* ", "+ ", "– ", "— ", "• ", "-\u{3000}"] {
        if let Some(rest) = s.strip_prefix(b) {
            bullet = true;
            s = rest.trim_start_matches(is_space);
            break;
        }
    }
    t = s.to_string();
    Line {
        no,
        text: t,
        md_heading,
        bullet,
    }
}

/// Markdown links: `[#24条](#)` (an anchor that repeats the next words) is dropped with
/// the space before it; `[text](url)` keeps its text.
fn strip_links(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = after.find("](") else { break };
        let Some(end) = after[close + 2..].find(')') else {
            break;
        };
        let label = &after[..close];
        if label.contains('[') || label.contains('\n') {
            out.push_str(&rest[..open + 1]);
            rest = after;
            continue;
        }
        out.push_str(&rest[..open]);
        if label.starts_with('#') {
            // Debris: drop it and the single space that separated it.
            while out.ends_with(' ') {
                out.pop();
            }
            rest = &after[close + 2 + end + 1..];
            if !rest.starts_with(" [") {
                rest = rest.trim_start_matches(' ');
            }
        } else {
            out.push_str(label);
            rest = &after[close + 2 + end + 1..];
        }
    }
    out.push_str(rest);
    out
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !is_space(*c)).collect()
}

/// Characters that, right after `第N条`, show the label is a citation inside a wrapped
/// sentence (第二十二条第三款, 第二十七条规定) rather than an article start.
const CITATION_FOLLOWERS: &str = "第、，,和及或至款项规之的中所与（(）)。；;：:";

/// Classifies a cleaned line. `prev_open`: the statute text before this line ended
/// mid-sentence, so a line starting with `第N条` followed by ordinary text is more
/// likely a wrapped citation than an article.
pub(crate) fn classify(line: &Line, prev_open: bool) -> Kind {
    let t = line.text.as_str();
    if t.is_empty() {
        return Kind::Blank;
    }
    if t.chars().count() <= 4 && t.chars().all(|c| c.is_ascii_digit()) {
        return Kind::PageNumber;
    }
    let sq = squeeze(t);
    if sq == "目录" {
        return Kind::Toc;
    }
    if let Some(kind) = heading(t) {
        return kind;
    }
    if let Some((number, suffix, len)) = parse_article_label(t) {
        let after = &t[len..];
        let next = after.chars().next();
        let starts = match next {
            None => true,
            Some(c) if is_space(c) || matches!(c, '【' | '［' | '〔' | ':' | '：') => {
                // "第二十条：" is an ASCII/full-width colon after the label; but a
                // citation can be followed by a space in hard-wrapped text, so look past it.
                let body = after.trim_start_matches(is_space);
                !(prev_open && body.starts_with(|c| CITATION_FOLLOWERS.contains(c)))
            }
            Some(c) => !prev_open && !CITATION_FOLLOWERS.contains(c),
        };
        if starts {
            let mut body = after.trim_start_matches(is_space);
            body = body
                .strip_prefix(':')
                .or_else(|| body.strip_prefix('：'))
                .unwrap_or(body)
                .trim_start_matches(is_space);
            let (title, rest) = article_title(body);
            return Kind::Article {
                number,
                suffix,
                title,
                rest: rest.trim_start_matches(is_space).to_string(),
            };
        }
    }
    if let Some((n, _)) = parse_item_marker(t) {
        return Kind::Item(n);
    }
    // 解读：, 解读 : and 解读; all occur in slide decks.
    if let Some(after) = sq.strip_prefix("解读") {
        if after.is_empty() || after.starts_with(['：', ':', ';', '；']) {
            return Kind::Interpretation;
        }
    }
    if let Some(kind) = numbered_heading(t) {
        return kind;
    }
    Kind::Text
}

/// 【title】 at the start of an article body.
fn article_title(body: &str) -> (Option<String>, &str) {
    for (open, close) in [('【', '】'), ('［', '］'), ('〔', '〕')] {
        if let Some(inner) = body.strip_prefix(open) {
            if let Some(end) = inner.find(close) {
                let title = inner[..end].trim_matches(is_space);
                if !title.is_empty() && title.chars().count() <= 40 {
                    return (Some(title.to_string()), &inner[end + close.len_utf8()..]);
                }
            }
        }
    }
    (None, body)
}

/// 第N编 / 第N章 / 第N节 headings (titles lose their inner spaces: `总  则` → 总则).
fn heading(t: &str) -> Option<Kind> {
    if t.chars().count() > 40 || ends_sentence(t) {
        return None;
    }
    for unit in ['编', '章', '节'] {
        if let Some((n, len)) = numbered_label(t, unit) {
            let rest = &t[len..];
            // "第三章规定的…" would be a sentence, not a heading.
            if rest.contains(['，', '。', '；', ',']) {
                return None;
            }
            let title = squeeze(rest.trim_start_matches([':', '：']));
            return Some(match unit {
                '编' => Kind::Part(n, title),
                '章' => Kind::Chapter(n, title),
                _ => Kind::Section(n, title),
            });
        }
    }
    None
}

/// `1、总则` or `一、总则`: short, no punctuation after the 、.
fn numbered_heading(t: &str) -> Option<Kind> {
    let (num, title) = t.split_once('、')?;
    let n = parse_number(num.trim_matches(is_space))?;
    let title = squeeze(title);
    let plain = !title.is_empty()
        && title.chars().count() <= 12
        && !title.contains(|c: char| "，。；：,.;:、（）()".contains(c));
    plain.then_some(Kind::NumberedHeading(n, title))
}

/// Whether the text ends a sentence or clause (so the next line starts a new paragraph).
pub(crate) fn ends_sentence(t: &str) -> bool {
    let core = t
        .trim_end_matches(is_space)
        .trim_end_matches(['”', '’', '」', '』', '"', '\'', '）', ')']);
    core.ends_with(['。', '；', '：', '！', '？', ';', ':', '!', '?'])
        || (core.ends_with('.') && !core.ends_with(".."))
}

/// A short line with no sentence punctuation at all: looks like a heading.
pub(crate) fn looks_like_heading(t: &str) -> bool {
    let n = t.chars().count();
    n > 0 && n <= 16 && !ends_sentence(t) && !t.contains(|c: char| "，。；：,;:、".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> Kind {
        classify(&split(s)[0], false)
    }

    #[test]
    fn link_debris_is_dropped_and_link_text_kept() {
        let l = &split("违反本法 [#22条](#) [#48条](#) 第二十二条第一款")[0];
        assert_eq!(l.text, "违反本法第二十二条第一款");
        let l = &split("个人因违反[第27条规定](#)后")[0];
        assert_eq!(l.text, "个人因违反第27条规定后");
    }

    #[test]
    fn br_ends_a_line() {
        let ls = split("#法律责任<br/>\n第五十一条　网络<br/>");
        assert!(ls[0].md_heading);
        assert_eq!(ls[0].text, "法律责任");
        assert_eq!(ls[2].no, 2);
    }

    #[test]
    fn headings_with_odd_spacing() {
        // regression: `总  则` with two spaces, tab after the label, NBSP before the title
        assert_eq!(kind("第一章  总  则"), Kind::Chapter(1, "总则".into()));
        assert_eq!(kind("第八章\t附 则"), Kind::Chapter(8, "附则".into()));
        assert_eq!(kind(" 第一章 \u{a0} 总则"), Kind::Chapter(1, "总则".into()));
        assert_eq!(kind("### 第二节 关键"), Kind::Section(2, "关键".into()));
        assert_eq!(kind("目 录"), Kind::Toc);
    }

    #[test]
    fn article_labels_and_titles() {
        // regression: the ASCII colon after 第二十一条
        assert_eq!(
            kind("第二十一条: 国家实行"),
            Kind::Article {
                number: 21,
                suffix: None,
                title: None,
                rest: "国家实行".into()
            }
        );
        assert_eq!(
            kind("第四条【工作原则】网络"),
            Kind::Article {
                number: 4,
                suffix: None,
                title: Some("工作原则".into()),
                rest: "网络".into()
            }
        );
        let wrapped = &split("第二十二条第三款、第四十一条")[0];
        assert_eq!(classify(wrapped, true), Kind::Text);
        assert_eq!(classify(wrapped, false), Kind::Text);
    }
}
