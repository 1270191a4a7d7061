//! Which laws and articles the catalog may cite: the article count of every law the corpus
//! carries, and the chapters (or, for the laws around the CSL, the articles) the duty and
//! penalty catalogs answer for.

/// How many articles each law has (seed 001: 第七十九条 is the last; seed 004: 第七十三条;
/// the laws around them, sources 008–013, decision 0204). The corpus test
/// `related_laws.rs` and `catalog.rs` check these against the parsed texts.
pub fn article_count(law: &str) -> Option<u32> {
    match law {
        "csl" => Some(79),
        "mlps" => Some(73),
        "dsl" => Some(55),
        "pipl" => Some(74),
        "ciipr" => Some(51),
        "ndsr" => Some(64),
        "cryptolaw" => Some(44),
        "ccr" => Some(67),
        _ => None,
    }
}

/// The chapters whose articles the catalog covers: the law's 第三章 网络运行安全 and 第四章
/// 网络信息安全 (第二十一条–第五十条), the draft's 第三章 to 第六章 (第十五条–第六十二条). Every
/// article in them is either cited by a duty or explained in `data/duties/README.md`.
/// Of the laws around them (data/duties/related-laws.toml) the catalog so far answers only
/// for the articles listed here, each cited by a duty — not yet for whole chapters
/// (decision 0204).
pub const DUTY_SCOPE: &[(&str, u32, u32)] = &[
    ("csl", 21, 50),
    ("mlps", 15, 62),
    ("ciipr", 17, 17),
    ("dsl", 30, 30),
    ("ndsr", 30, 30),
    ("ndsr", 33, 33),
    ("pipl", 52, 52),
    ("pipl", 54, 54),
    ("ccr", 38, 38),
];

/// The articles of the liability chapters (law 第五十九条–第七十五条, draft 第六十三条–第七十条),
/// and of the laws around them the penalty articles the related duties lead to.
pub const PENALTY_SCOPE: &[(&str, u32, u32)] = &[
    ("csl", 59, 75),
    ("mlps", 63, 70),
    ("ciipr", 39, 39),
    ("dsl", 45, 45),
    ("pipl", 66, 66),
    ("ccr", 60, 60),
];

pub(super) fn in_scope(scope: &[(&str, u32, u32)], law: &str, article: u32) -> bool {
    scope
        .iter()
        .any(|(l, a, b)| *l == law && (*a..=*b).contains(&article))
}
