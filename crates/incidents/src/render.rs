//! The result as a person reads it, all in one language: Chinese (citations in the law's own
//! form, 《国家网络安全事件报告管理办法》第四条第二款) or English.

use std::fmt::Write as _;

use dengbao_statute::numerals::to_chinese;
use dengbao_types::Citation;

use crate::clocks::{Clocks, Report};
use crate::grade::num;
use crate::rules::Rules;

/// The language of the text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// `zh`, `zh-CN`, `zh_CN.UTF-8` … → Chinese; `en…` → English.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// 《国家网络安全事件报告管理办法》第四条第二款; 《网络安全等级保护条例（征求意见稿）》第二十条第（十）项.
pub fn cite_zh(rules: &Rules, c: &Citation) -> String {
    let law = c.law.as_deref().unwrap_or("");
    let mut s = rules
        .law(law)
        .map(|l| l.zh.clone())
        .unwrap_or_else(|| format!("《{law}》"));
    let _ = write!(s, "第{}条", to_chinese(c.article));
    if let Some(x) = c.suffix {
        let _ = write!(s, "之{}", to_chinese(x));
    }
    if let Some(p) = c.paragraph {
        let _ = write!(s, "第{}款", to_chinese(p));
    }
    if let Some(i) = c.item {
        let _ = write!(s, "第（{}）项", to_chinese(i));
    }
    s
}

/// Measures for the Administration of Cybersecurity Incident Reporting art. 4(2).
pub fn cite_en(rules: &Rules, c: &Citation) -> String {
    let law = c.law.as_deref().unwrap_or("");
    let mut s = rules
        .law(law)
        .map(|l| l.en.clone())
        .unwrap_or_else(|| law.to_string());
    let _ = write!(s, " art. {}", c.article);
    if let Some(x) = c.suffix {
        let _ = write!(s, "-{x}");
    }
    if let Some(p) = c.paragraph {
        let _ = write!(s, "({p})");
    }
    if let Some(i) = c.item {
        let _ = write!(s, "({i})");
    }
    s
}

/// Several citations; in Chinese a law's title only where the law changes and an article
/// only where the article changes: 《个人信息保护法》第五十七条第一款、第二款.
pub fn cites(rules: &Rules, cs: &[Citation], lang: Lang) -> String {
    let mut out = String::new();
    let mut prev: Option<&Citation> = None;
    for c in cs {
        if let Some(p) = prev {
            out.push_str(if lang == Lang::Zh { "、" } else { "; " });
            let same_article = p.law == c.law && p.article == c.article && p.suffix == c.suffix;
            if lang == Lang::Zh && same_article && c.paragraph.is_some() {
                let full = cite_zh(rules, c);
                let head = cite_zh(rules, &article_only(c));
                out.push_str(full.strip_prefix(&head).unwrap_or(&full));
                prev = Some(c);
                continue;
            }
            if p.law == c.law {
                let law = c.law.as_deref().and_then(|l| rules.law(l));
                let (full, title) = match lang {
                    Lang::Zh => (cite_zh(rules, c), law.map(|l| l.zh.clone())),
                    Lang::En => (cite_en(rules, c), law.map(|l| format!("{} ", l.en))),
                };
                let title = title.unwrap_or_default();
                out.push_str(full.strip_prefix(title.as_str()).unwrap_or(&full));
                prev = Some(c);
                continue;
            }
        }
        out.push_str(&match lang {
            Lang::Zh => cite_zh(rules, c),
            Lang::En => cite_en(rules, c),
        });
        prev = Some(c);
    }
    out
}

fn article_only(c: &Citation) -> Citation {
    Citation {
        paragraph: None,
        item: None,
        ..c.clone()
    }
}

fn due_text(r: &Report, lang: Lang) -> (String, String) {
    if r.waits_for.is_some() {
        return match lang {
            Lang::Zh => ("待处置结束后起算".to_string(), "—".to_string()),
            Lang::En => ("from the end of handling".to_string(), "—".to_string()),
        };
    }
    match (r.due, r.hours) {
        (Some(t), Some(h)) => (
            dengbao_duties::rfc3339_shanghai(t),
            match lang {
                Lang::Zh => format!("{}小时", num(h)),
                Lang::En => format!("{} h", num(h)),
            },
        ),
        _ => match lang {
            Lang::Zh => ("无法定时限".to_string(), "—".to_string()),
            Lang::En => ("no time limit".to_string(), "—".to_string()),
        },
    }
}

/// A report kind as people name it: 初次报告, 案事件报告 …
pub fn kind_label(kind: &str, lang: Lang) -> &'static str {
    let (zh, en) = match kind {
        "initial" => ("初次报告", "initial report"),
        "relay" => ("转报", "relay"),
        "industry" => ("行业报告", "sector report"),
        "crime_report" => ("报案", "crime report"),
        "follow_up" => ("补报、续报", "follow-up reports"),
        "summary" => ("事件处置总结报告", "summary report"),
        "police_24h" => ("案事件报告", "incident report to the police"),
        "secrecy_24h" => ("泄密报告", "state secrets report"),
        "pi_authority_notice" => ("个人信息泄露通知部门", "notice to the PI authority"),
        "user_notice" => ("通知受影响的个人", "notice to the individuals"),
        _ => ("报告", "report"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The whole result as text.
pub fn text(c: &Clocks, rules: &Rules, lang: Lang) -> String {
    let mut o = String::new();
    let zh = lang == Lang::Zh;
    let class = match lang {
        Lang::Zh => c.operator_class.zh(),
        Lang::En => c.operator_class.en(),
    };
    let t = dengbao_duties::rfc3339_shanghai(c.detected_at);
    if zh {
        let _ = writeln!(o, "事件等级：{}", c.grade_zh);
        let _ = writeln!(o, "发现时间：{t}　类别：{}　运营者：{class}", c.category_zh);
        let _ = writeln!(o, "\n定级依据：");
    } else {
        let _ = writeln!(o, "Incident grade: {}", c.grade_en);
        let _ = writeln!(
            o,
            "Detected: {t}   Category: {}   Operator: {class}",
            c.category_en
        );
        let _ = writeln!(o, "\nWhy this grade:");
    }
    for r in &c.grade_reasons {
        let _ = writeln!(o, "  - {}", if zh { &r.zh } else { &r.en });
    }
    let (own, relays): (Vec<&Report>, Vec<&Report>) =
        c.reports.iter().partition(|r| r.party == "operator");
    let _ = writeln!(
        o,
        "\n{}",
        if zh {
            "应当报告："
        } else {
            "Reports owed:"
        }
    );
    if own.is_empty() {
        let _ = writeln!(o, "  {}", if zh { "无" } else { "none" });
    }
    for r in own {
        row(&mut o, rules, r, lang);
    }
    if !relays.is_empty() {
        let _ = writeln!(
            o,
            "\n{}",
            if zh {
                "主管部门转报（他方义务，供跟踪；时限按运营者最迟报告时间推算）："
            } else {
                "Relays by the authorities (their duties, to follow up; times counted from the operator's latest time):"
            }
        );
        for r in relays {
            row(&mut o, rules, r, lang);
        }
    }
    let _ = writeln!(o);
    for n in &c.notes {
        let _ = writeln!(
            o,
            "{}{}",
            if zh { "注：" } else { "Note: " },
            if zh { &n.zh } else { &n.en }
        );
    }
    o
}

/// Pads to `width` terminal columns: a Chinese character takes two, so the columns of the
/// Chinese text line up as the English ones do.
fn pad(s: &str, width: usize) -> String {
    let w: usize = s
        .chars()
        .map(|c| if u32::from(c) >= 0x2E80 { 2 } else { 1 })
        .sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

fn row(o: &mut String, rules: &Rules, r: &Report, lang: Lang) {
    let (due, hours) = due_text(r, lang);
    let zh = lang == Lang::Zh;
    let who = if zh { &r.recipient_zh } else { &r.recipient_en };
    let by = if r.party == "operator" {
        String::new()
    } else {
        let p = rules.recipient(&r.party);
        match (lang, p) {
            (Lang::Zh, Some(p)) => format!("{}→", p.zh),
            (Lang::En, Some(p)) => format!("{} → ", p.en),
            _ => String::new(),
        }
    };
    let colon = if zh { "：" } else { ": " };
    let _ = writeln!(
        o,
        "  {} {} {by}{who}{colon}{}",
        pad(&due, 27),
        pad(&hours, 10),
        kind_label(&r.kind, lang)
    );
    let (note, basis) = if zh {
        (&r.note_zh, "依据")
    } else {
        (&r.note_en, "basis")
    };
    // The note and the basis start under the recipient.
    let indent = " ".repeat(2 + 27 + 1 + 10 + 1);
    let _ = writeln!(o, "{indent}{note}");
    let _ = writeln!(
        o,
        "{indent}{basis}{colon}{}",
        cites(rules, &r.citations, lang)
    );
}
