//! Charts as inline SVG, drawn on the server (no script). The output is markup built from
//! numbers and escaped labels only, so templates may emit it with `|safe`.

/// Escapes text for XML/HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One bar.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: u64,
    /// A CSS class for the colour (`bar-overdue`, `bar-level`).
    pub class: &'static str,
}

/// A horizontal bar chart: one row per bar, its value at the end. `title` is the
/// accessible name (`<title>`), `id` the element id.
pub fn bar_chart(id: &str, title: &str, bars: &[Bar]) -> String {
    let row = 28u64;
    let label_w = 140u64;
    let bar_w = 300u64;
    let height = row * bars.len().max(1) as u64 + 8;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let mut s = format!(
        r#"<svg id="{}" class="chart" role="img" viewBox="0 0 {} {height}" width="{}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{}</title>"#,
        escape(id),
        label_w + bar_w + 80,
        label_w + bar_w + 80,
        escape(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 4 + row * i as u64;
        let w = if b.value == 0 {
            0
        } else {
            (b.value * bar_w / max).max(2)
        };
        s.push_str(&format!(
            r#"<g class="{}" data-label="{}" data-value="{}"><text x="0" y="{}" class="chart-label">{}</text><rect x="{label_w}" y="{}" width="{w}" height="{}" rx="2"></rect><text x="{}" y="{}" class="chart-value">{}</text></g>"#,
            b.class,
            escape(&b.label),
            b.value,
            y + 17,
            escape(&b.label),
            y + 4,
            row - 10,
            label_w + w + 6,
            y + 17,
            b.value
        ));
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_escapes_labels_and_scales_to_the_largest_value() {
        let svg = bar_chart(
            "c",
            "t<",
            &[
                Bar {
                    label: "第三级 <x>".into(),
                    value: 4,
                    class: "bar-level",
                },
                Bar {
                    label: "第二级".into(),
                    value: 2,
                    class: "bar-level",
                },
            ],
        );
        assert!(svg.contains("第三级 &lt;x&gt;"));
        assert!(svg.contains(r#"width="300""#));
        assert!(svg.contains(r#"width="150""#));
        assert!(!svg.contains("<x>"));
    }
}
