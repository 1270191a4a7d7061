//! Where the statute starts in a file: the anchor (第一编/第一章/第一条/目录), the title
//! line before it, and the preamble before the title (decision 0100, point 1).

use crate::lines::{classify, is_space, Kind, Line};
use crate::model::{Diagnostic, Note, Statute};
use crate::structure::diag;

const TITLE_SUFFIXES: [&str; 11] = [
    "法", "条例", "规定", "办法", "细则", "决定", "规则", "法典", "章程", "准则", "规程",
];
pub(crate) const SUBTITLE_MARKS: [&str; 6] = ["稿", "草案", "试行", "修订", "修正", "暂行"];

/// Finds where the statute body starts (the line after its title, or the fragment's
/// first heading/article), fills `title`/`subtitle` and the preamble note. `None` when the
/// text has no article at all (with a diagnostic).
pub(crate) fn locate(
    lines: &[Line],
    st: &mut Statute,
    diags: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let Some(anchor) = find_anchor(lines) else {
        diags.push(diag(
            0,
            "no article (第N条) found: this is not statute text (未找到任何条文，不是法规文本)",
            "未找到任何条文（第N条），不是法规文本",
        ));
        return None;
    };
    let start = match find_title(lines, anchor) {
        Some((i, title, subtitle)) => {
            st.title = title;
            st.subtitle = subtitle;
            i + 1
        }
        None => {
            let mut s = anchor;
            while s > 0 {
                let prev = &lines[s - 1];
                let k = classify(prev, false);
                let heading = prev.md_heading
                    || matches!(
                        k,
                        Kind::Part(..) | Kind::Chapter(..) | Kind::Section(..) | Kind::Blank
                    );
                if !heading {
                    break;
                }
                s -= 1;
            }
            let first = lines.get(anchor).map_or(0, |l| l.no);
            diags.push(diag(
                first, "no title line (…法 / …条例) before the first article: parsed as an untitled fragment (未找到法规名称，按片段处理)", "第一条之前没有法规名称（…法／…条例）：按无标题的片段处理"));
            s
        }
    };
    let title_line = start.saturating_sub(1);
    let pre: Vec<&Line> = lines[..title_line.min(start)]
        .iter()
        .filter(|l| !l.text.is_empty())
        .collect();
    // With a title, lines[..title_line] precede it; without, lines[..start].
    let pre: Vec<&Line> = if st.title.is_empty() {
        lines[..start]
            .iter()
            .filter(|l| !l.text.is_empty())
            .collect()
    } else {
        pre
    };
    if let (Some(first), Some(last)) = (pre.first(), pre.last()) {
        if !(pre.len() == 1 && first.text == st.title) {
            diags.push(diag(
                first.no, format!(
                    "lines {}–{} come before the statute and are not statute text: kept as a preamble note (法规正文之前的内容)",
                    first.no, last.no
                ), format!(
                    "第 {}–{} 行在法规正文之前，不是条文：作为正文前的说明保留",
                    first.no, last.no
                )));
            st.notes.push(Note {
                line: first.no,
                kind: "preamble".into(),
                after_article: None,
                after_suffix: None,
                text: pre
                    .iter()
                    .map(|l| l.text.as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
            });
        }
    }
    Some(start)
}

/// The first line that can only be the start of the statute body.
fn find_anchor(lines: &[Line]) -> Option<usize> {
    let mut first_article = None;
    for (i, l) in lines.iter().enumerate() {
        match classify(l, false) {
            Kind::Article {
                number: 1,
                suffix: None,
                ..
            }
            | Kind::Chapter(1, _)
            | Kind::Part(1, _) => return Some(i),
            Kind::Toc => {
                let next_heading = lines[i + 1..]
                    .iter()
                    .filter(|l| !l.text.is_empty())
                    .take(2)
                    .any(|l| matches!(classify(l, false), Kind::Chapter(..) | Kind::Part(..)));
                if next_heading {
                    return Some(i);
                }
            }
            Kind::Article { .. } if first_article.is_none() => first_article = Some(i),
            _ => {}
        }
    }
    first_article
}

/// Looks back from the anchor for the title line: (index, title, subtitle).
fn find_title(lines: &[Line], anchor: usize) -> Option<(usize, String, Option<String>)> {
    let mut seen = 0;
    for i in (0..anchor).rev() {
        let l = &lines[i];
        if l.text.is_empty() {
            continue;
        }
        seen += 1;
        if seen > 40 {
            return None;
        }
        if let Some((title, sub)) = title_like(&l.text) {
            return Some((i, title, sub));
        }
    }
    None
}

pub(crate) fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !is_space(*c)).collect()
}

/// `中华人民共和国网络安全法`, `《网络安全等级保护条例》`, `…条例（征求意见稿）`.
pub(crate) fn title_like(t: &str) -> Option<(String, Option<String>)> {
    let s = squeeze(t);
    let s = s.trim_matches(['《', '》', '"', '“', '”']);
    let (core, sub) = match split_parenthetical(s) {
        Some((core, sub)) if SUBTITLE_MARKS.iter().any(|m| sub.contains(m)) => {
            (core.trim_matches(['《', '》']), Some(sub.to_string()))
        }
        _ => (s, None),
    };
    let n = core.chars().count();
    let ok = (3..=40).contains(&n)
        && !core.starts_with('第')
        && !core.contains(|c: char| "，。；：,;:、（）()《》".contains(c))
        && TITLE_SUFFIXES.iter().any(|suf| core.ends_with(suf));
    ok.then(|| (core.to_string(), sub))
}

/// `X（Y）` → (X, "（Y）") with the parentheses kept in the second part.
pub(crate) fn split_parenthetical(s: &str) -> Option<(&str, &str)> {
    if !(s.ends_with('）') || s.ends_with(')')) {
        return None;
    }
    let open = s.rfind(['（', '('])?;
    Some((&s[..open], &s[open..]))
}
