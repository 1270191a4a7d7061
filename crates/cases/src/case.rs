//! One case as `data/cases/cases.toml` writes it (keys: `data/cases/README.md`), and the
//! closed vocabularies it uses: the date's precision and basis, the kinds of penalty.

use std::fmt;

use dengbao_types::Citation;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The file: `[[case]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CaseFile {
    #[serde(default)]
    pub case: Vec<RawCase>,
}

/// A case before validation: the date is still text, citations carry no version.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCase {
    pub id: String,
    pub date: String,
    pub date_basis: DateBasis,
    pub authority: String,
    pub place: String,
    pub party: String,
    pub facts: String,
    pub facts_en: String,
    pub citations: Vec<RawCitation>,
    pub articles_stated: bool,
    pub duties: Vec<String>,
    pub penalty: Penalty,
    pub source: Source,
    #[serde(default)]
    pub note: Option<String>,
}

/// `{ law, article, paragraph, item }` as the catalogs write citations (no version: the
/// version is the one in force on the case's date, filled in at load).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCitation {
    pub law: String,
    pub article: u32,
    #[serde(default)]
    pub suffix: Option<u32>,
    #[serde(default)]
    pub paragraph: Option<u32>,
    #[serde(default)]
    pub item: Option<u32>,
}

impl RawCitation {
    pub fn to_citation(&self) -> Citation {
        Citation {
            law: Some(self.law.clone()),
            article: self.article,
            suffix: self.suffix,
            paragraph: self.paragraph,
            item: self.item,
            version: None,
        }
    }
}

/// A validated case. Every citation names the version of its law in force on `date`.
#[derive(Debug, Clone, Serialize)]
pub struct Case {
    pub id: String,
    pub date: CaseDate,
    pub date_basis: DateBasis,
    pub authority: String,
    pub place: String,
    pub party: String,
    pub facts: String,
    pub facts_en: String,
    pub citations: Vec<Citation>,
    pub articles_stated: bool,
    pub duties: Vec<String>,
    pub penalty: Penalty,
    pub source: Source,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A day, a month or a year — as precise as the source, never more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CaseDate {
    pub year: i16,
    pub month: Option<i8>,
    pub day: Option<i8>,
}

impl CaseDate {
    /// Reads `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; `None` for anything else or a day that does
    /// not exist (2019-02-30).
    pub fn parse(s: &str) -> Option<CaseDate> {
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Option<i16> {
            (p.len() == len && p.chars().all(|c| c.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        };
        let year = num(parts.first()?, 4)?;
        let month = match parts.get(1) {
            Some(m) => Some(i8::try_from(num(m, 2)?).ok()?),
            None => None,
        };
        let day = match parts.get(2) {
            Some(d) => Some(i8::try_from(num(d, 2)?).ok()?),
            None => None,
        };
        if parts.len() > 3 {
            return None;
        }
        let date = CaseDate { year, month, day };
        // The first and last days must both exist: this checks month and day ranges.
        date.first_day()?;
        date.last_day()?;
        Some(date)
    }

    /// The first day the date can mean.
    pub fn first_day(&self) -> Option<Date> {
        Date::new(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1)).ok()
    }

    /// The last day the date can mean.
    pub fn last_day(&self) -> Option<Date> {
        match (self.month, self.day) {
            (Some(m), Some(d)) => Date::new(self.year, m, d).ok(),
            (Some(m), None) => Date::new(self.year, m, 1).ok().map(|d| d.last_of_month()),
            _ => Date::new(self.year, 12, 31).ok(),
        }
    }
}

impl fmt::Display for CaseDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Serialize for CaseDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What the case's date is the date of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateBasis {
    /// The day the penalty was decided.
    Decision,
    /// The day the conduct was found, or the inspection that found it.
    Found,
    /// The day the source was published (the source gives no other).
    Published,
    /// The month or year the source gives for the conduct and its handling.
    Period,
}

impl DateBasis {
    pub fn label(self, en: bool) -> &'static str {
        match (self, en) {
            (DateBasis::Decision, false) => "决定",
            (DateBasis::Decision, true) => "decided",
            (DateBasis::Found, false) => "发现",
            (DateBasis::Found, true) => "found",
            (DateBasis::Published, false) => "发布",
            (DateBasis::Published, true) => "published",
            (DateBasis::Period, false) => "期间",
            (DateBasis::Period, true) => "period",
        }
    }
}

/// The penalty: its kinds, the source's sentence, the fines and days of detention.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Penalty {
    pub kinds: Vec<PenaltyKind>,
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fines: Vec<Fine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detention_days: Option<u32>,
}

/// The kinds of measure the cases record (《行政处罚法》第九条 and the CSL's own measures).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PenaltyKind {
    Warning,
    Fine,
    Rectify,
    Stop,
    Confiscation,
    Detention,
    /// 暂停相关业务、停业整顿.
    Suspension,
    /// 关闭网站、通讯群组 (or the application).
    CloseSite,
    Summons,
    /// 行政处罚 whose kind the source does not give.
    Unspecified,
}

impl PenaltyKind {
    pub fn label(self, en: bool) -> &'static str {
        match (self, en) {
            (PenaltyKind::Warning, false) => "警告",
            (PenaltyKind::Warning, true) => "warning",
            (PenaltyKind::Fine, false) => "罚款",
            (PenaltyKind::Fine, true) => "fine",
            (PenaltyKind::Rectify, false) => "责令改正",
            (PenaltyKind::Rectify, true) => "ordered to rectify",
            (PenaltyKind::Stop, false) => "责令停止违法行为",
            (PenaltyKind::Stop, true) => "ordered to stop",
            (PenaltyKind::Confiscation, false) => "没收违法所得",
            (PenaltyKind::Confiscation, true) => "confiscation of illegal gains",
            (PenaltyKind::Detention, false) => "行政拘留",
            (PenaltyKind::Detention, true) => "administrative detention",
            (PenaltyKind::Suspension, false) => "暂停相关业务、停业整顿",
            (PenaltyKind::Suspension, true) => "business suspended",
            (PenaltyKind::CloseSite, false) => "关闭网站、通讯群组",
            (PenaltyKind::CloseSite, true) => "website or groups closed",
            (PenaltyKind::Summons, false) => "约谈",
            (PenaltyKind::Summons, true) => "summoned for a talk",
            (PenaltyKind::Unspecified, false) => "行政处罚（种类未载明）",
            (PenaltyKind::Unspecified, true) => "penalised (kind not given)",
        }
    }
}

/// One fine: on the organisation or on a person, with its amount when the source gives it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fine {
    pub who: FinedParty,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yuan: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FinedParty {
    /// The organisation (单位).
    Org,
    /// A person: the responsible manager, or an individual party.
    Person,
}

/// The page the case was read on.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub publisher: String,
    pub retrieved: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_as_precise_as_written() {
        let d = CaseDate::parse("2024-02").unwrap();
        assert_eq!(d.to_string(), "2024-02");
        assert_eq!(d.last_day().unwrap().to_string(), "2024-02-29");
        assert_eq!(
            CaseDate::parse("2017")
                .unwrap()
                .first_day()
                .unwrap()
                .to_string(),
            "2017-01-01"
        );
        for bad in [
            "2019-02-30",
            "2019-13",
            "19-01-01",
            "2019/01/01",
            "2019-1-1",
            "",
        ] {
            assert!(CaseDate::parse(bad).is_none(), "{bad}");
        }
    }
}
