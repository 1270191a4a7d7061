//! Fine amounts in penalty articles, parsed into ranges: 五十万元以下 → (None, 500000 元),
//! 一万元以上十万元以下 → (10000, 100000), 一倍以上十倍以下 of 违法所得, 五日以下拘留.

use serde::Serialize;

use crate::numerals;

/// What a range counts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case", tag = "unit", content = "of")]
pub enum FineUnit {
    /// 元.
    Yuan,
    /// 倍 of an amount named in the text (违法所得, 采购金额).
    Multiple(String),
    /// 日 of detention (拘留).
    DetentionDays,
}

/// Who pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Payer {
    /// The offender (operator, provider, unit or person that broke the rule).
    Offender,
    /// 直接负责的主管人员和其他直接责任人员.
    ResponsiblePerson,
}

/// One penalty range in an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fine {
    /// 1-based paragraph (款).
    pub paragraph: u32,
    pub payer: Payer,
    #[serde(flatten)]
    pub unit: FineUnit,
    pub min: Option<u64>,
    pub max: Option<u64>,
    /// As written: 一万元以上十万元以下.
    pub text: String,
    /// The clause it depends on, when there is one: 没有违法所得的, 情节较重的.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

impl Fine {
    /// The range in plain figures: `10000–100000 元`, `≤ 500000 元`, `1–10 × 违法所得`.
    pub fn range(&self) -> String {
        let unit = match &self.unit {
            FineUnit::Yuan => "元".to_string(),
            FineUnit::Multiple(of) => format!("倍{of}"),
            FineUnit::DetentionDays => "日拘留".to_string(),
        };
        match (self.min, self.max) {
            (Some(a), Some(b)) => format!("{a}–{b} {unit}"),
            (None, Some(b)) => format!("≤ {b} {unit}"),
            (Some(a), None) => format!("≥ {a} {unit}"),
            (None, None) => unit,
        }
    }

    /// The range in English: `10000–100000 yuan`, `up to 5 days' detention`,
    /// `1–10 times 「违法所得」` (the amount is the law's own term).
    pub fn range_en(&self) -> String {
        let unit = match &self.unit {
            FineUnit::Yuan => "yuan".to_string(),
            FineUnit::Multiple(of) => format!("times 「{of}」"),
            FineUnit::DetentionDays => "days' detention".to_string(),
        };
        match (self.min, self.max) {
            (Some(a), Some(b)) => format!("{a}–{b} {unit}"),
            (None, Some(b)) => format!("up to {b} {unit}"),
            (Some(a), None) => format!("at least {a} {unit}"),
            (None, None) => unit,
        }
    }

    /// Key for comparing fines across versions.
    pub(crate) fn key(&self) -> (Payer, FineUnit, Option<u64>, Option<u64>) {
        (self.payer, self.unit.clone(), self.min, self.max)
    }
}

/// Reads a numeral ending just before byte `end` in `s`; returns (value, start byte).
fn numeral_before(s: &str, end: usize) -> Option<(u64, usize)> {
    let head = &s[..end];
    let start = head
        .char_indices()
        .rev()
        .take_while(|(_, c)| numerals::is_numeral_char(*c))
        .last()
        .map(|(i, _)| i)?;
    Some((numerals::parse(&head[start..])?, start))
}

/// Fines of one paragraph's text (whitespace already removed).
pub fn fines_in(text: &str, paragraph: u32) -> Vec<Fine> {
    let mut out = Vec::new();
    let mut clause_start = 0usize;
    let markers: [(&str, u8); 3] = [("元以下", 0), ("倍以下", 1), ("日以下", 2)];
    let mut i = 0usize;
    while i < text.len() {
        let rest = &text[i..];
        if rest.starts_with('；') || rest.starts_with('。') {
            clause_start = i + 3;
        }
        let Some((m, kind)) = markers.iter().find(|(m, _)| rest.starts_with(m)) else {
            i += rest.chars().next().map(char::len_utf8).unwrap_or(1);
            continue;
        };
        let unit_char = &m[..3];
        let Some((max, max_start)) = numeral_before(text, i) else {
            i += m.len();
            continue;
        };
        let mut start = max_start;
        let mut min = None;
        let above = format!("{unit_char}以上");
        if text[..max_start].ends_with(&above) {
            let end = max_start - above.len();
            if let Some((v, s)) = numeral_before(text, end) {
                min = Some(v);
                start = s;
            }
        }
        let end = i + m.len();
        let unit = match kind {
            0 => FineUnit::Yuan,
            1 => {
                let before = &text[..start];
                let of = ["违法所得", "采购金额"]
                    .iter()
                    .find(|w| before.ends_with(*w))
                    .map(|w| w.to_string())
                    .unwrap_or_default();
                FineUnit::Multiple(of)
            }
            _ => {
                if !text[end..].starts_with("拘留") {
                    i = end;
                    continue;
                }
                FineUnit::DetentionDays
            }
        };
        let clause = &text[clause_start.min(start)..start];
        let payer = if clause.contains("主管人员") || clause.contains("直接责任人员") {
            Payer::ResponsiblePerson
        } else {
            Payer::Offender
        };
        let condition = clause
            .split('，')
            .rev()
            .find(|f| f.ends_with("的"))
            .map(|s| s.to_string());
        out.push(Fine {
            paragraph,
            payer,
            unit,
            min,
            max: Some(max),
            text: text[start..end].to_string(),
            condition,
        });
        clause_start = end;
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_into_yuan() {
        let f = fines_in(
            "拒不改正的，处一万元以上十万元以下罚款，对直接负责的主管人员处五千元以上五万元以下罚款。",
            1,
        );
        assert_eq!(f.len(), 2);
        assert_eq!(
            (f[0].min, f[0].max, f[0].payer),
            (Some(10_000), Some(100_000), Payer::Offender)
        );
        assert_eq!(
            (f[1].min, f[1].max, f[1].payer),
            (Some(5_000), Some(50_000), Payer::ResponsiblePerson)
        );
        let g = fines_in(
            "处违法所得一倍以上十倍以下罚款，没有违法所得的，处五十万元以下罚款",
            1,
        );
        assert_eq!(g[0].unit, FineUnit::Multiple("违法所得".into()));
        assert_eq!((g[1].min, g[1].max), (None, Some(500_000)));
        assert_eq!(g[1].condition.as_deref(), Some("没有违法所得的"));
    }
}
