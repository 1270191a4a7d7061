//! Snippets: the window of a text that covers most of the query's terms, each match
//! wrapped in `**…**`.

/// Marker put around each matched run.
pub const MARK: &str = "**";

/// How many characters a snippet shows.
pub const WIDTH: usize = 90;

/// The best window of `text` for `terms`, matches marked. Newlines become spaces.
pub fn snippet(text: &str, terms: &[&str]) -> String {
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    let lower: Vec<char> = chars.iter().flat_map(|c| c.to_lowercase()).collect();
    // Lowercasing may change the length of non-CJK letters; fall back to no matching then.
    let haystack = if lower.len() == chars.len() {
        lower
    } else {
        chars.clone()
    };
    let mut covered = vec![false; chars.len()];
    for term in terms {
        let needle: Vec<char> = term.chars().collect();
        if needle.is_empty() || needle.len() > haystack.len() {
            continue;
        }
        for start in 0..=(haystack.len() - needle.len()) {
            if haystack[start..start + needle.len()] == needle[..] {
                for c in &mut covered[start..start + needle.len()] {
                    *c = true;
                }
            }
        }
    }
    let n = chars.len();
    let width = WIDTH.min(n);
    let mut best_start = 0;
    if n > width {
        let mut count: usize = covered[..width].iter().filter(|c| **c).count();
        let mut best = count;
        for s in 1..=(n - width) {
            if covered[s - 1] {
                count -= 1;
            }
            if covered[s + width - 1] {
                count += 1;
            }
            if count > best {
                best = count;
                best_start = s;
            }
        }
        // Start at a clause boundary when one is close before the window.
        let floor = best_start.saturating_sub(20);
        if let Some(p) = (floor..best_start)
            .rev()
            .find(|&i| matches!(chars[i], '。' | '；' | '，' | '：' | ' '))
        {
            best_start = p + 1;
        }
    }
    let end = (best_start + width).min(n);
    let mut out = String::new();
    if best_start > 0 {
        out.push('…');
    }
    let mut open = false;
    for i in best_start..end {
        if covered[i] && !open {
            out.push_str(MARK);
            open = true;
        } else if !covered[i] && open {
            out.push_str(MARK);
            open = false;
        }
        out.push(chars[i]);
    }
    if open {
        out.push_str(MARK);
    }
    if end < n {
        out.push('…');
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_matches_inside_the_window() {
        let s = snippet(
            "按照规定留存相关的网络日志不少于六个月",
            &["网络日志", "六个月"],
        );
        assert_eq!(s, "按照规定留存相关的**网络日志**不少于**六个月**");
    }
}
