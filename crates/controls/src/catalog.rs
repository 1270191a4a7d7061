//! The control catalog: `data/controls/*.toml`, embedded in the binary and validated at
//! load against the duty catalog. Ids (`L3-CES1-01`), item letters and clause numbers
//! (8.1.4.1) are computed from the order of the data, which is the standard's order, so
//! a reviewer edits statements and levels and never renumbers by hand.

use std::collections::{BTreeMap, HashMap, HashSet};

use dengbao_types::{Citation, Level};
use serde::Deserialize;

use crate::class::{Class, Extension, Kind};

/// The files shipped in the binary, as `(name, text)`.
pub const CONTROL_FILES: &[(&str, &str)] = &[
    (
        "general.toml",
        include_str!("../../../data/controls/general.toml"),
    ),
    (
        "cloud.toml",
        include_str!("../../../data/controls/cloud.toml"),
    ),
    (
        "mobile.toml",
        include_str!("../../../data/controls/mobile.toml"),
    ),
    ("iot.toml", include_str!("../../../data/controls/iot.toml")),
    ("ics.toml", include_str!("../../../data/controls/ics.toml")),
];

/// Why level 5 has no catalog: the standard publishes no level-5 requirements.
pub const LEVEL5_REASON: &str = "GB/T 22239-2019 不公开第五级安全要求（正文第10章仅写\u{201c}略\u{201d}），第五级网络的要求由国家另行规定 / GB/T 22239-2019 publishes no level-5 requirements (clause 10 is omitted); they are set separately by the state";

/// An error in the shipped or supplied catalog data; names the file and the control point
/// or id.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    #[error("{file}: control point {point}: unknown class {class:?} (known: PES CNS ABS CES SMC PSS ORS HRS CMS MMS)")]
    UnknownClass {
        file: String,
        point: String,
        class: String,
    },
    #[error("{file}: control point {point}: unknown extension {ext:?} (known: general cloud mobile iot ics)")]
    UnknownExtension {
        file: String,
        point: String,
        ext: String,
    },
    #[error("{file}: control point {point}: class {class} comes after a later class; points follow the standard's class order")]
    OutOfOrder {
        file: String,
        point: String,
        class: String,
    },
    #[error("{file}: control point {point} of {class} appears twice")]
    DuplicatePoint {
        file: String,
        point: String,
        class: String,
    },
    #[error("{file}: control point {point}, item {text:?}: {message}")]
    Item {
        file: String,
        point: String,
        text: String,
        message: String,
    },
    #[error("{id}: duty {duty:?} is not in the duty catalog (data/duties)")]
    UnknownDuty { id: String, duty: String },
    #[error("{id}: links no duty and gives no no_duty_reason")]
    NoDuty { id: String },
    #[error("duplicate control id {id}")]
    DuplicateId { id: String },
    #[error("the duty catalog: {0}")]
    Duties(#[from] dengbao_duties::CatalogError),
}

/// A level or extension the catalog cannot answer for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    #[error("--level 5: {LEVEL5_REASON}")]
    Level5,
    #[error("{}（第{level}级）的要求项尚未录入目录 / the {} items of level {level} are not in the catalog yet (data/controls/README.md)", .ext.zh(), .ext.as_str())]
    NotEncoded { level: u8, ext: Extension },
}

/// One requirement item (要求项) at one level.
#[derive(Debug, Clone)]
pub struct Control {
    /// GB/T 28448-2019 style id: `L3-CES1-01`.
    pub id: String,
    pub level: Level,
    pub extension: Extension,
    pub class: Class,
    /// The control point (控制点): 身份鉴别, 访问控制, …
    pub point: String,
    /// The item letter within its control point at this level: a, b, c…
    pub letter: char,
    /// The control point's clause at this level: `8.1.4.1`.
    pub clause: String,
    /// Our short statement of the requirement at this level (not the standard's words).
    pub requirement: String,
    /// Every level the item applies to, in whatever wording.
    pub levels: Vec<u8>,
    /// Duty ids of data/duties this item evidences.
    pub duties: Vec<String>,
    /// The citations of those duties, in order, without repeats.
    pub citations: Vec<Citation>,
    pub no_duty_reason: Option<String>,
}

impl Control {
    pub fn kind(&self) -> Kind {
        self.class.kind()
    }

    /// `8.1.4.1 a)` — where the item sits in the standard.
    pub fn clause_item(&self) -> String {
        format!("{} {})", self.clause, self.letter)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    point: Vec<RawPoint>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPoint {
    ext: Option<String>,
    class: String,
    name: String,
    #[serde(default)]
    duties: Vec<String>,
    no_duty_reason: Option<String>,
    /// Per level, how many GB/T 28448 id numbers are left unused before this point's first
    /// item (the standard's numbering has gaps, e.g. no `L3-CES1-16`).
    #[serde(default)]
    id_gap: BTreeMap<u8, usize>,
    items: Vec<RawItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    levels: Vec<u8>,
    text: String,
    #[serde(default)]
    by_level: BTreeMap<u8, String>,
    duties: Option<Vec<String>>,
    no_duty_reason: Option<String>,
}

/// A control point after its file has been checked.
struct Point {
    ext: Extension,
    class: Class,
    name: String,
    id_gap: BTreeMap<u8, usize>,
    items: Vec<Item>,
}

struct Item {
    levels: Vec<u8>,
    text: String,
    by_level: BTreeMap<u8, String>,
    duties: Vec<String>,
    no_duty_reason: Option<String>,
}

/// The validated catalog: every item at every level it applies to.
#[derive(Debug)]
pub struct Catalog {
    controls: Vec<Control>,
    by_id: HashMap<String, usize>,
}

impl Catalog {
    /// The catalog shipped in the binary, checked against the shipped duty catalog.
    pub fn builtin() -> Result<Catalog, CatalogError> {
        let duties = dengbao_duties::Catalog::builtin()?;
        Catalog::from_sources(CONTROL_FILES, &duties)
    }

    /// A catalog from `(file name, TOML text)` pairs, checked against `duties`.
    pub fn from_sources<A: AsRef<str>, B: AsRef<str>>(
        files: &[(A, B)],
        duties: &dengbao_duties::Catalog,
    ) -> Result<Catalog, CatalogError> {
        let mut points = Vec::new();
        for (file, text) in files {
            points.extend(parse_file(file.as_ref(), text.as_ref())?);
        }
        let mut controls = Vec::new();
        for ext in Extension::ALL {
            for level in 1..=4u8 {
                number(&points, ext, level, &mut controls)?;
            }
        }
        let mut by_id = HashMap::new();
        for (i, c) in controls.iter_mut().enumerate() {
            if by_id.insert(c.id.clone(), i).is_some() {
                return Err(CatalogError::DuplicateId { id: c.id.clone() });
            }
            if c.duties.is_empty() && c.no_duty_reason.is_none() {
                return Err(CatalogError::NoDuty { id: c.id.clone() });
            }
            for d in &c.duties {
                let duty = duties.duty(d).ok_or_else(|| CatalogError::UnknownDuty {
                    id: c.id.clone(),
                    duty: d.clone(),
                })?;
                for cit in &duty.citations {
                    if !c.citations.contains(cit) {
                        c.citations.push(cit.clone());
                    }
                }
            }
        }
        Ok(Catalog { controls, by_id })
    }

    /// Every item of every level and extension, grouped by extension, level and class.
    pub fn controls(&self) -> &[Control] {
        &self.controls
    }

    /// One item by its id (`L3-CES1-01`).
    pub fn get(&self, id: &str) -> Option<&Control> {
        self.by_id.get(id).and_then(|&i| self.controls.get(i))
    }

    /// Whether the catalog holds the items of this level and extension.
    pub fn has(&self, level: Level, ext: Extension) -> bool {
        self.controls
            .iter()
            .any(|c| c.level == level && c.extension == ext)
    }

    /// The general items of a level plus those of the extensions asked for, in the
    /// standard's order. Level 5 is refused with the reason; a level or extension whose
    /// items are not in the data yet is refused rather than answered with a partial list.
    pub fn select(&self, level: Level, exts: &[Extension]) -> Result<Vec<&Control>, ScopeError> {
        if level == Level::FIVE {
            return Err(ScopeError::Level5);
        }
        let mut wanted = vec![Extension::General];
        for e in exts {
            if !wanted.contains(e) {
                wanted.push(*e);
            }
        }
        for &ext in &wanted {
            if !self.has(level, ext) {
                return Err(ScopeError::NotEncoded {
                    level: level.get(),
                    ext,
                });
            }
        }
        wanted.sort();
        Ok(wanted
            .iter()
            .flat_map(|&ext| {
                self.controls
                    .iter()
                    .filter(move |c| c.level == level && c.extension == ext)
            })
            .collect())
    }
}

fn parse_file(file: &str, text: &str) -> Result<Vec<Point>, CatalogError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| CatalogError::Parse {
        file: file.to_string(),
        message: e.to_string(),
    })?;
    let mut out: Vec<Point> = Vec::new();
    let mut seen = HashSet::new();
    for p in raw.point {
        let class = Class::from_code(&p.class).ok_or_else(|| CatalogError::UnknownClass {
            file: file.to_string(),
            point: p.name.clone(),
            class: p.class.clone(),
        })?;
        let ext_name = p.ext.as_deref().unwrap_or("general");
        let ext = Extension::from_name(ext_name).ok_or_else(|| CatalogError::UnknownExtension {
            file: file.to_string(),
            point: p.name.clone(),
            ext: ext_name.to_string(),
        })?;
        // Numbering follows the order of the data, so a class out of order would shift
        // every clause number after it.
        if out.iter().any(|q| q.ext == ext && q.class > class) {
            return Err(CatalogError::OutOfOrder {
                file: file.to_string(),
                point: p.name,
                class: p.class,
            });
        }
        if !seen.insert((ext, class, p.name.clone())) {
            return Err(CatalogError::DuplicatePoint {
                file: file.to_string(),
                point: p.name,
                class: p.class,
            });
        }
        let mut items = Vec::new();
        for it in p.items {
            let bad = |message: String| CatalogError::Item {
                file: file.to_string(),
                point: p.name.clone(),
                text: it.text.clone(),
                message,
            };
            if it.text.trim().is_empty() {
                return Err(bad("empty requirement text".into()));
            }
            let sorted = it.levels.windows(2).all(|w| w[0] < w[1]);
            if it.levels.is_empty() || !sorted || it.levels.iter().any(|l| !(1..=4).contains(l)) {
                return Err(bad(format!(
                    "levels {:?}: give levels 1 to 4, ascending, each once (level 5 is not published)",
                    it.levels
                )));
            }
            if let Some(l) = it.by_level.keys().find(|l| !it.levels.contains(l)) {
                return Err(bad(format!("by_level {l} is not one of its levels")));
            }
            let duties = it.duties.unwrap_or_else(|| p.duties.clone());
            let no_duty_reason = it.no_duty_reason.or_else(|| p.no_duty_reason.clone());
            if !duties.is_empty() && no_duty_reason.is_some() {
                return Err(bad("gives both duties and no_duty_reason".into()));
            }
            items.push(Item {
                levels: it.levels,
                text: it.text,
                by_level: it.by_level,
                duties,
                no_duty_reason,
            });
        }
        if let Some(l) = p.id_gap.keys().find(|l| !(1..=4).contains(*l)) {
            return Err(CatalogError::Parse {
                file: file.to_string(),
                message: format!("control point {}: id_gap level {l} is not 1 to 4", p.name),
            });
        }
        out.push(Point {
            ext,
            class,
            name: p.name,
            id_gap: p.id_gap,
            items,
        });
    }
    Ok(out)
}

/// Numbers the items of one extension at one level: classes and control points count
/// only when they have an item at that level (so level 2's 安全管理中心 is 7.1.5 with two
/// points), item numbers run through the class, letters through the control point.
fn number(
    points: &[Point],
    ext: Extension,
    level: u8,
    out: &mut Vec<Control>,
) -> Result<(), CatalogError> {
    let lvl = Level::new(level).map_err(|e| CatalogError::Parse {
        file: "data/controls".into(),
        message: e.to_string(),
    })?;
    let mut class_no = 0;
    for class in Class::ALL {
        let present: Vec<&Point> = points
            .iter()
            .filter(|p| p.ext == ext && p.class == class)
            .filter(|p| p.items.iter().any(|i| i.levels.contains(&level)))
            .collect();
        if present.is_empty() {
            continue;
        }
        class_no += 1;
        let mut item_no = 0;
        for (point_no, p) in present.iter().enumerate() {
            item_no += p.id_gap.get(&level).copied().unwrap_or(0);
            let clause = format!(
                "{}.{}.{}.{}",
                level + 5,
                ext.digit(),
                class_no,
                point_no + 1
            );
            for (it, letter) in p
                .items
                .iter()
                .filter(|i| i.levels.contains(&level))
                .zip('a'..='z')
            {
                item_no += 1;
                out.push(Control {
                    id: format!("L{level}-{}{}-{item_no:02}", class.code(), ext.digit()),
                    level: lvl,
                    extension: ext,
                    class,
                    point: p.name.clone(),
                    letter,
                    clause: clause.clone(),
                    requirement: it.by_level.get(&level).unwrap_or(&it.text).clone(),
                    levels: it.levels.clone(),
                    duties: it.duties.clone(),
                    citations: Vec::new(),
                    no_duty_reason: it.no_duty_reason.clone(),
                });
            }
        }
    }
    Ok(())
}
