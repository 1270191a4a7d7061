//! Value questions: a duration (六个月, 二十四小时, 十个工作日), a protection level (第三级)
//! or a fine range (一万元以上十万元以下, from the corpus's `fines_in`) found in an
//! article's sentence is blanked out; the distractors are other values of the same kind
//! found anywhere in the quizzed laws, each checked not to make a sentence the article
//! also contains (so no distractor is also right).

use std::collections::{BTreeMap, BTreeSet};

use dengbao_corpus::numerals::{is_numeral_char, parse};
use dengbao_corpus::{fines_in, Statute};
use dengbao_types::Citation;

use super::labels::{law_title, law_title_en, place};
use super::{assemble, hash, squeeze, Kind, Question, Sources, LAWS};

/// The blank as it appears in a question.
pub const BLANK: &str = "____";

/// Duration units, longest first (十个工作日 is not 十个 + 工作日).
const UNITS: [(&str, &str); 7] = [
    ("个工作日", "workdays"),
    ("工作日", "workdays"),
    ("个月", "months"),
    ("小时", "hours"),
    ("日", "days"),
    ("天", "days"),
    ("年", "years"),
];

/// A sentence longer than this is cut around the blank.
const MAX_WINDOW: usize = 90;

/// One value found in a stretch of text.
#[derive(Debug, Clone)]
struct Found {
    /// What values may stand in for it: `duration:months`, `level:第`, `fine:元`.
    kind: String,
    text: String,
    /// Character offsets in the stretch.
    start: usize,
    end: usize,
}

/// A stretch of an article a citation can name: a paragraph's lead text or one item.
struct Stretch {
    article: u32,
    paragraph: Option<u32>,
    item: Option<u32>,
    fine_paragraph: u32,
    text: String,
}

pub(crate) fn generate(src: &Sources<'_>, law: &str) -> Vec<Question> {
    let Some((version, statute)) = src.version(law) else {
        return Vec::new();
    };
    let pool = pool(src);
    let title = law_title(src.citer, law);
    let title_en = law_title_en(src.citer, law);
    let mut out = Vec::new();
    for s in stretches(statute) {
        let chars: Vec<char> = s.text.chars().collect();
        let mut found = values(&s.text, s.fine_paragraph);
        found.sort_by_key(|f| (f.start, f.end));
        let citation = Citation {
            paragraph: s.paragraph,
            item: s.item,
            ..Citation::article(law, s.article)
        };
        let cited = super::cited_text(statute, &citation).unwrap_or_default();
        for (k, f) in found.iter().enumerate() {
            let Some((before, after)) = window(&chars, f) else {
                continue;
            };
            let id = format!(
                "cloze.{law}.{version}.{}.{}.{}.{k}",
                s.article,
                s.paragraph.unwrap_or(0),
                s.item.unwrap_or(0)
            );
            let fits = |v: &str| cited.contains(&format!("{before}{v}{after}"));
            if !fits(&f.text) {
                continue;
            }
            let mut candidates = ordered(
                &id,
                pool.get(&f.kind)
                    .into_iter()
                    .flatten()
                    .filter(|v| **v != f.text && !fits(v))
                    .collect(),
            );
            // Too few of the same kind: other values of its family (any duration, any
            // fine) fill the rest; they are still plausible wrong answers.
            let family = f.kind.split(':').next().unwrap_or_default();
            let more = ordered(
                &id,
                pool.iter()
                    .filter(|(k, _)| **k != f.kind && k.split(':').next() == Some(family))
                    .flat_map(|(_, vs)| vs)
                    .filter(|v| **v != f.text && !fits(v) && !candidates.contains(v))
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect(),
            );
            candidates.extend(more);
            let distractors: Vec<(String, String)> = candidates
                .into_iter()
                .take(3)
                .map(|v| (v.clone(), format!("「{v}」")))
                .collect();
            if distractors.len() < 2 {
                continue;
            }
            let (at, at_en) = place(s.article, s.paragraph, s.item);
            out.push(assemble(
                id,
                Kind::Cloze,
                law,
                version,
                (
                    format!("依照《{title}》{at}，填空：「{before}{BLANK}{after}」"),
                    format!(
                        "Fill the blank as {at_en} of the {title_en} has it: 「{before}{BLANK}{after}」"
                    ),
                ),
                (f.text.clone(), format!("「{}」", f.text)),
                distractors,
                citation.clone(),
            ));
        }
    }
    out
}

/// Every paragraph's lead text and every item of a statute, squeezed.
fn stretches(statute: &Statute) -> Vec<Stretch> {
    let mut out = Vec::new();
    for a in statute.articles.iter().filter(|a| a.suffix.is_none()) {
        let single = a.paragraphs.len() == 1;
        for (pi, p) in a.paragraphs.iter().enumerate() {
            let pn = pi as u32 + 1;
            let paragraph = (!single).then_some(pn);
            out.push(Stretch {
                article: a.number,
                paragraph,
                item: None,
                fine_paragraph: pn,
                text: squeeze(&p.text),
            });
            for (ii, it) in p.items.iter().enumerate() {
                out.push(Stretch {
                    article: a.number,
                    paragraph: Some(pn),
                    item: Some(ii as u32 + 1),
                    fine_paragraph: pn,
                    text: squeeze(it),
                });
            }
        }
    }
    out
}

/// Every value of every kind in the quizzed laws' versions, by kind.
fn pool(src: &Sources<'_>) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for law in LAWS {
        let Some((_, statute)) = src.version(law) else {
            continue;
        };
        for s in stretches(statute) {
            for f in values(&s.text, s.fine_paragraph) {
                out.entry(f.kind).or_default().insert(f.text);
            }
        }
    }
    out
}

/// The values in one stretch: durations, levels, fines.
fn values(text: &str, paragraph: u32) -> Vec<Found> {
    let chars: Vec<char> = text.chars().collect();
    let mut fines = Vec::new();
    for f in fines_in(text, paragraph) {
        let unit = if f.text.contains('倍') {
            "倍"
        } else if f.text.contains("日") {
            "拘留"
        } else {
            "元"
        };
        if let Some(start) = char_find(&chars, &f.text) {
            fines.push(Found {
                kind: format!("fine:{unit}"),
                start,
                end: start + f.text.chars().count(),
                text: f.text,
            });
        }
    }
    // A duration inside a fine (五日 in 五日以下拘留) is asked as the fine.
    let mut out: Vec<Found> = durations(&chars)
        .into_iter()
        .filter(|d| {
            !fines
                .iter()
                .any(|f: &Found| d.start < f.end && f.start < d.end)
        })
        .collect();
    out.extend(levels(&chars));
    out.extend(fines);
    out
}

fn durations(chars: &[char]) -> Vec<Found> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_numeral_char(chars[i]) || (i > 0 && is_numeral_char(chars[i - 1])) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && is_numeral_char(chars[j]) {
            j += 1;
        }
        let numeral: String = chars[i..j].iter().collect();
        let rest: String = chars[j..chars.len().min(j + 6)].iter().collect();
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        // 第N日 is an ordinal, N年M月D日 a date: neither is a duration.
        let dated = matches!(prev, Some('第' | '年' | '月'));
        if let Some((unit, class)) = UNITS.iter().find(|(u, _)| rest.starts_with(u)) {
            let after = chars.get(j + unit.chars().count()).copied();
            let date_year = *unit == "年" && after.is_some_and(|c| c == '月' || is_numeral_char(c));
            if !dated && !date_year && parse(&numeral).is_some() {
                let end = j + unit.chars().count();
                out.push(Found {
                    kind: format!("duration:{class}"),
                    text: chars[i..end].iter().collect(),
                    start: i,
                    end,
                });
            }
        }
        i = j;
    }
    out
}

/// 第三级 (or 三级): a protection level, one to five.
fn levels(chars: &[char]) -> Vec<Found> {
    let mut out = Vec::new();
    for i in 0..chars.len() {
        if !"一二三四五".contains(chars[i]) || chars.get(i + 1) != Some(&'级') {
            continue;
        }
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        if prev.is_some_and(is_numeral_char) {
            continue;
        }
        let (start, kind) = if prev == Some('第') {
            (i - 1, "level:第")
        } else {
            (i, "level:")
        };
        out.push(Found {
            kind: kind.to_string(),
            text: chars[start..i + 2].iter().collect(),
            start,
            end: i + 2,
        });
    }
    out
}

/// Values in an order fixed by the question's id.
fn ordered<'a>(id: &str, mut vs: Vec<&'a String>) -> Vec<&'a String> {
    vs.sort_by_key(|v| (hash(&format!("{id}/{v}")), (*v).clone()));
    vs
}

fn char_find(chars: &[char], needle: &str) -> Option<usize> {
    let n: Vec<char> = needle.chars().collect();
    if n.is_empty() || n.len() > chars.len() {
        return None;
    }
    (0..=chars.len() - n.len()).find(|&i| chars[i..i + n.len()] == n[..])
}

/// The words around a value, within its sentence (cut when long); `None` when the value
/// recurs in them (the blank would be given away) or there is too little around it.
fn window(chars: &[char], f: &Found) -> Option<(String, String)> {
    let stop = |c: &char| *c == '。' || *c == '；';
    let mut start = chars[..f.start].iter().rposition(stop).map_or(0, |p| p + 1);
    let mut end = chars[f.end..]
        .iter()
        .position(stop)
        .map_or(chars.len(), |p| f.end + p);
    if end - start > MAX_WINDOW {
        // Cut after a comma where possible, so the quote starts and ends on whole words.
        let comma = |c: &char| *c == '，' || *c == '、';
        let from = start.max(f.start.saturating_sub(50));
        start = chars[from..f.start]
            .iter()
            .position(comma)
            .map_or(from, |p| from + p + 1);
        let to = end.min(f.end + 30);
        end = chars[f.end..to]
            .iter()
            .rposition(comma)
            .map_or(to, |p| f.end + p);
    }
    let before: String = chars[start..f.start].iter().collect();
    let after: String = chars[f.end..end].iter().collect();
    if before.chars().count() + after.chars().count() < 6
        || before.contains(&f.text)
        || after.contains(&f.text)
    {
        return None;
    }
    Some((before, after))
}
