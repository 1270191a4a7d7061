//! Validation of a case file against the law corpus and the duty catalog: the rules of
//! data/cases/README.md, each failure naming the case and the field.

use std::collections::BTreeSet;

use dengbao_corpus::{Corpus, Law, LawVersion};
use dengbao_duties::Catalog;
use dengbao_types::Citation;
use jiff::civil::Date;

use crate::case::{Case, CaseDate, PenaltyKind, RawCase};
use crate::CasesError;

/// What a case is checked against.
pub struct References<'a> {
    pub corpus: &'a Corpus,
    pub catalog: &'a Catalog,
}

/// One case's failures are reported one at a time, the first found.
struct Checker<'a> {
    file: &'a str,
    case: &'a str,
}

impl Checker<'_> {
    fn fail(&self, field: &str, zh: impl Into<String>, en: impl Into<String>) -> CasesError {
        CasesError::Invalid {
            file: self.file.to_string(),
            case: self.case.to_string(),
            field: field.to_string(),
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// Checks every case and gives each citation the version in force on the case's date.
pub(crate) fn validate(
    file: &str,
    raw: Vec<RawCase>,
    refs: &References<'_>,
) -> Result<Vec<Case>, CasesError> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(raw.len());
    for r in raw {
        let c = Checker { file, case: &r.id };
        check_id(&c, &r.id)?;
        if !seen.insert(r.id.clone()) {
            return Err(c.fail("id", "编号重复", "the id is used twice"));
        }
        let date = CaseDate::parse(&r.date).ok_or_else(|| {
            c.fail(
                "date",
                format!(
                    "“{}”不是有效日期（写作 YYYY-MM-DD、YYYY-MM 或 YYYY）",
                    r.date
                ),
                format!(
                    "“{}” is not a valid date (write YYYY-MM-DD, YYYY-MM or YYYY)",
                    r.date
                ),
            )
        })?;
        if !r.id.starts_with(&format!("{:04}-", date.year)) {
            return Err(c.fail(
                "id",
                format!("编号应以案例年份 {} 开头", date.year),
                format!("the id should start with the case's year {}", date.year),
            ));
        }
        for (field, text) in [
            ("authority", &r.authority),
            ("place", &r.place),
            ("party", &r.party),
            ("facts", &r.facts),
            ("facts_en", &r.facts_en),
            ("penalty.text", &r.penalty.text),
            ("source.publisher", &r.source.publisher),
        ] {
            if text.trim().is_empty() {
                return Err(c.fail(field, "不能为空", "must not be empty"));
            }
        }
        check_source(&c, &r)?;
        check_penalty(&c, &r)?;
        let citations = cite(&c, &r, &date, refs.corpus)?;
        check_duties(&c, &r.duties, refs.catalog)?;
        out.push(Case {
            id: r.id,
            date,
            date_basis: r.date_basis,
            authority: r.authority,
            place: r.place,
            party: r.party,
            facts: r.facts,
            facts_en: r.facts_en,
            citations,
            articles_stated: r.articles_stated,
            duties: r.duties,
            penalty: r.penalty,
            source: r.source,
            note: r.note,
        });
    }
    Ok(out)
}

/// Ids are `<year>-<words>`: lowercase ASCII letters, digits and hyphens.
fn check_id(c: &Checker<'_>, id: &str) -> Result<(), CasesError> {
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-');
    if ok {
        Ok(())
    } else {
        Err(c.fail(
            "id",
            "编号只能由小写字母、数字和连字符组成",
            "an id is lowercase letters, digits and hyphens",
        ))
    }
}

fn check_source(c: &Checker<'_>, r: &RawCase) -> Result<(), CasesError> {
    let url = r.source.url.trim();
    if !(url.starts_with("https://") || url.starts_with("http://")) || url.len() < 12 {
        return Err(c.fail(
            "source.url",
            "必须是来源页面的网址（http:// 或 https://）",
            "must be the source page's address (http:// or https://)",
        ));
    }
    if Date::strptime("%Y-%m-%d", &r.source.retrieved).is_err() {
        return Err(c.fail(
            "source.retrieved",
            format!("“{}”不是有效日期（YYYY-MM-DD）", r.source.retrieved),
            format!("“{}” is not a valid date (YYYY-MM-DD)", r.source.retrieved),
        ));
    }
    Ok(())
}

fn check_penalty(c: &Checker<'_>, r: &RawCase) -> Result<(), CasesError> {
    let p = &r.penalty;
    if p.kinds.is_empty() {
        return Err(c.fail(
            "penalty.kinds",
            "至少写一种处罚（种类未载明时写 unspecified）",
            "name at least one kind (unspecified when the source gives none)",
        ));
    }
    let fined = p.kinds.contains(&PenaltyKind::Fine);
    if fined == p.fines.is_empty() {
        return Err(c.fail(
            "penalty.fines",
            "有罚款（fine）就要写 fines，反之亦然",
            "a fine kind needs fines, and fines need the fine kind",
        ));
    }
    let detained = p.kinds.contains(&PenaltyKind::Detention);
    if detained != p.detention_days.is_some() {
        return Err(c.fail(
            "penalty.detention_days",
            "行政拘留（detention）要写天数，反之亦然",
            "detention needs its days, and days need the detention kind",
        ));
    }
    Ok(())
}

/// The version of `law` in force on `day`: `None` before any version took effect. A law
/// none of whose versions ever took effect (the MLPS regulation draft) is cited in its
/// canonical version on any day.
fn in_force(law: &Law, day: Date) -> Option<&LawVersion> {
    if law.versions.iter().all(|v| v.in_force.is_none()) {
        return law.version(&law.canonical_version);
    }
    law.versions
        .iter()
        .filter(|v| v.in_force.is_some_and(|d| d <= day))
        .max_by_key(|v| v.in_force)
}

/// Each citation resolved in the version in force on the case's date, which must be one
/// version for the whole day, month or year the date names.
fn cite(
    c: &Checker<'_>,
    r: &RawCase,
    date: &CaseDate,
    corpus: &Corpus,
) -> Result<Vec<Citation>, CasesError> {
    if r.citations.is_empty() {
        return Err(c.fail("citations", "至少引用一个条文", "cite at least one article"));
    }
    let (Some(first), Some(last)) = (date.first_day(), date.last_day()) else {
        return Err(c.fail("date", "日期无效", "invalid date"));
    };
    let mut out = Vec::new();
    for raw in &r.citations {
        let label = dengbao_duties::basis::cite_zh(&raw.to_citation());
        let label_en = dengbao_duties::basis::cite_en(&raw.to_citation());
        let law = corpus.law(&raw.law).ok_or_else(|| {
            c.fail(
                "citations",
                format!("语料中没有法律“{}”", raw.law),
                format!("the corpus has no law “{}”", raw.law),
            )
        })?;
        let Some(version) = in_force(law, last) else {
            return Err(c.fail(
                "citations",
                format!("{label}：该法在案例日期 {date} 尚未施行"),
                format!("{label_en}: the law was not yet in force on the case's date {date}"),
            ));
        };
        // A case cannot precede the law it applies: a year in which the law took effect
        // means the part of it from that day on.
        let earliest = law.versions.iter().filter_map(|v| v.in_force).min();
        let start = earliest.map_or(first, |d| d.max(first));
        if in_force(law, start).map(|v| &v.name) != Some(&version.name) {
            return Err(c.fail(
                "date",
                format!("日期 {date} 不够精确：其间{label}所在法律的施行文本有变化，请写到月或日"),
                format!(
                    "the date {date} is too imprecise: the text of the law of {label_en} in force changed within it; give the month or day"
                ),
            ));
        }
        let cited = Citation {
            version: Some(version.name.clone()),
            ..raw.to_citation()
        };
        corpus.resolve(&cited).map_err(|e| {
            c.fail(
                "citations",
                format!(
                    "{label} 在 {date} 施行的文本（{}）中不存在：{e}",
                    version.name
                ),
                format!(
                    "{label_en} does not exist in the text in force on {date} ({}): {e}",
                    version.name
                ),
            )
        })?;
        out.push(cited);
    }
    Ok(out)
}

fn check_duties(c: &Checker<'_>, duties: &[String], catalog: &Catalog) -> Result<(), CasesError> {
    if duties.is_empty() {
        return Err(c.fail(
            "duties",
            "至少关联一项义务（data/duties/ 中的编号）",
            "link at least one duty (an id in data/duties/)",
        ));
    }
    for d in duties {
        if catalog.duty(d).is_none() {
            return Err(c.fail(
                "duties",
                format!("义务目录中没有“{d}”"),
                format!("the duty catalog has no “{d}”"),
            ));
        }
    }
    Ok(())
}
