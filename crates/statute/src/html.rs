//! Inline HTML that Markdown copies of statutes carry around the text: anchors before an
//! article (`<a id="art-1"></a>第一条`), superscript back-references after it
//! (`&thinsp;<sup><a href="…">[1]</a></sup>`). None of it is statute text.

/// Removes `<sup>…</sup>` blocks (with what they hold), `<a …>` and `</a>` tags (keeping
/// the text between them) and the `&thinsp;` entity. Other text, `<br/>` included, is
/// left alone. Never fails: an unclosed tag is left as it is.
pub fn strip_inline_html(s: &str) -> String {
    if !s.contains('<') && !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        if let Some(after) = strip_prefix_ci(rest, "<sup") {
            match find_ci(after, "</sup>") {
                Some(end) => {
                    rest = &after[end + "</sup>".len()..];
                    continue;
                }
                None => {
                    out.push_str(rest);
                    break;
                }
            }
        }
        if strip_prefix_ci(rest, "<a ").is_some() || strip_prefix_ci(rest, "</a>").is_some() {
            if let Some(close) = rest.find('>') {
                rest = &rest[close + 1..];
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix("&thinsp;") {
            rest = after;
            continue;
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn find_ci(s: &str, needle: &str) -> Option<usize> {
    // ASCII lowercasing keeps byte offsets.
    s.to_ascii_lowercase().find(needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_and_back_references_go_text_stays() {
        assert_eq!(
            strip_inline_html("<a id=\"art-53\"></a>第五十三条　本法"),
            "第五十三条　本法"
        );
        assert_eq!(
            strip_inline_html(
                "报送部门。&thinsp;<sup><a href=\"../x.md#art-26\" title=\"被引用\">[1]</a></sup>"
            ),
            "报送部门。"
        );
        assert_eq!(strip_inline_html("第一条<br/>a<b"), "第一条<br/>a<b");
        assert_eq!(strip_inline_html("x<sup>open"), "x<sup>open");
        assert_eq!(strip_inline_html("<A ID=x>y</A>"), "y");
    }
}
