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
    // Longer terms say more (网络日志 over 网络): a character's weight is the length of the
    // longest term covering it, and the window maximises the sum of weights.
    let mut weight = vec![0usize; chars.len()];
    for term in terms {
        let needle: Vec<char> = term.chars().collect();
        if needle.is_empty() || needle.len() > haystack.len() {
            continue;
        }
        for start in 0..=(haystack.len() - needle.len()) {
            if haystack[start..start + needle.len()] == needle[..] {
                for k in start..start + needle.len() {
                    covered[k] = true;
                    weight[k] = weight[k].max(needle.len() * needle.len());
                }
            }
        }
    }
    let n = chars.len();
    let width = WIDTH.min(n);
    let mut best_start = 0;
    let mut end = width;
    if n > width {
        let mut count: usize = weight[..width].iter().sum();
        let mut best = count;
        for s in 1..=(n - width) {
            count -= weight[s - 1];
            count += weight[s + width - 1];
            if count > best {
                best = count;
                best_start = s;
            }
        }
        end = best_start + width;
        // Start at a clause boundary when one is close before the window (the window
        // keeps its end, so it grows by at most 20 characters).
        let floor = best_start.saturating_sub(20);
        if let Some(p) = (floor..best_start)
            .rev()
            .find(|&i| matches!(chars[i], '。' | '；' | '，' | '：' | ' '))
        {
            best_start = p + 1;
        }
    }
    let end = end.min(n);
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
