//! A plain structure reader for the clean base texts, used only when the statute parser
//! returns no articles for a base (while the parser is being built, or if it regresses).
//! The parser (`dengbao_statute::parse`) is the authority; this keeps the corpus usable.

use dengbao_statute::{Article, Chapter, Paragraph, Section, Statute};

use crate::numerals;
use crate::text::{chapter_heading, find_heading, strip_markup};

/// Item marker at a line start: （一） or (一), optionally after `- `.
fn item_marker(t: &str) -> Option<(u32, &str)> {
    let t = t.trim_start_matches("- ").trim_start();
    let (open, close) = if t.starts_with('（') {
        ('（', '）')
    } else if t.starts_with('(') {
        ('(', ')')
    } else {
        return None;
    };
    let body = &t[open.len_utf8()..];
    let end = body.find(close)?;
    let n = numerals::parse(&body[..end])?;
    Some((
        u32::try_from(n).ok()?,
        body[end + close.len_utf8()..].trim(),
    ))
}

/// Builds a statute from clean text: one paragraph per line, items on their own lines.
pub fn read(text: &str, title: &str) -> Statute {
    let mut st = Statute {
        title: title.to_string(),
        ..Statute::default()
    };
    let mut chapter = 0u32;
    let mut section: Option<u32> = None;
    let mut current: Option<Article> = None;
    let flush = |a: Option<Article>, st: &mut Statute| {
        if let Some(mut a) = a {
            a.text = a
                .paragraphs
                .iter()
                .map(|p| {
                    let mut s = p.text.clone();
                    for it in &p.items {
                        s.push('\n');
                        s.push_str(it);
                    }
                    s
                })
                .collect::<Vec<_>>()
                .join("\n");
            st.articles.push(a);
        }
    };
    for raw in text.lines() {
        let line = strip_markup(raw);
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if let Some(h) = find_heading(&line) {
            flush(current.take(), &mut st);
            let mut rest = line[h.rest..].trim();
            let mut art_title = None;
            if let Some(r) = rest.strip_prefix('【') {
                if let Some(end) = r.find('】') {
                    art_title = Some(r[..end].to_string());
                    rest = r[end + '】'.len_utf8()..].trim();
                }
            }
            current = Some(Article {
                number: h.number,
                suffix: h.suffix,
                chapter,
                section,
                title: art_title,
                text: String::new(),
                paragraphs: if rest.is_empty() {
                    Vec::new()
                } else {
                    vec![Paragraph {
                        text: rest.to_string(),
                        items: Vec::new(),
                    }]
                },
                refs: Vec::new(),
                ..Article::default()
            });
            continue;
        }
        if let Some((kind, n, title)) = chapter_heading(t) {
            if kind == '章' {
                // A table of contents lists the chapters once before the text: keep the
                // first occurrence's title, move on when the number grows.
                if !st.chapters.iter().any(|c| c.number == n) {
                    st.chapters.push(Chapter {
                        number: n,
                        title,
                        part: None,
                        sections: Vec::new(),
                    });
                }
                flush(current.take(), &mut st);
                chapter = n;
                section = None;
            } else if kind == '节' {
                flush(current.take(), &mut st);
                if let Some(c) = st.chapters.iter_mut().find(|c| c.number == chapter) {
                    c.sections.push(Section { number: n, title });
                }
                section = Some(n);
            }
            continue;
        }
        let Some(a) = current.as_mut() else {
            if st.header.is_none() && st.articles.is_empty() && t != title {
                st.header = Some(t.to_string());
            } else if let Some(h) = st.header.as_mut() {
                if st.articles.is_empty() && st.chapters.is_empty() {
                    h.push('\n');
                    h.push_str(t);
                }
            }
            continue;
        };
        if let Some((_, item)) = item_marker(t) {
            if a.paragraphs.is_empty() {
                a.paragraphs.push(Paragraph {
                    text: String::new(),
                    items: Vec::new(),
                });
            }
            if let Some(p) = a.paragraphs.last_mut() {
                p.items.push(item.to_string());
            }
        } else {
            a.paragraphs.push(Paragraph {
                text: t.to_string(),
                items: Vec::new(),
            });
        }
    }
    flush(current.take(), &mut st);
    st
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_and_parenthesis_forms() {
        assert_eq!(item_marker("（三）采取"), Some((3, "采取")));
        assert_eq!(item_marker("- （一）拒绝"), Some((1, "拒绝")));
        assert_eq!(item_marker("(五) 电信"), Some((5, "电信")));
        assert_eq!(item_marker("前款"), None);
    }
}
