//! The grading vocabulary: bases, harmed objects, degrees, inputs and outcomes.

use std::fmt;
use std::str::FromStr;

use dengbao_types::{Citation, Level};
use serde::{Deserialize, Serialize};

/// Which rule book grades the network.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Basis {
    /// GB/T 22240-2020 网络安全等级保护定级指南 (the standard in force; default).
    #[default]
    #[serde(rename = "gbt22240-2020")]
    Gbt22240_2020,
    /// 网络安全等级保护条例（征求意见稿）第十五条.
    #[serde(rename = "mlps-draft")]
    MlpsDraft,
}

impl Basis {
    pub const ALL: [Basis; 2] = [Basis::Gbt22240_2020, Basis::MlpsDraft];

    /// The id used in JSON, TOML and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Basis::Gbt22240_2020 => "gbt22240-2020",
            Basis::MlpsDraft => "mlps-draft",
        }
    }

    /// The other basis (there are two).
    pub fn other(self) -> Basis {
        match self {
            Basis::Gbt22240_2020 => Basis::MlpsDraft,
            Basis::MlpsDraft => Basis::Gbt22240_2020,
        }
    }
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Basis {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Basis::ALL.into_iter().find(|b| b.id() == s).ok_or_else(|| {
            format!("unknown basis {s:?}, expected \"gbt22240-2020\" or \"mlps-draft\"")
        })
    }
}

/// The object harmed if the network is damaged (受侵害的客体).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Object {
    /// 公民、法人和其他组织的合法权益
    Rights,
    /// 社会秩序和公共利益
    Order,
    /// 国家安全
    National,
}

impl Object {
    pub const ALL: [Object; 3] = [Object::Rights, Object::Order, Object::National];

    pub fn id(self) -> &'static str {
        match self {
            Object::Rights => "rights",
            Object::Order => "order",
            Object::National => "national",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Object::Rights => "公民、法人和其他组织的合法权益",
            Object::Order => "社会秩序和公共利益",
            Object::National => "国家安全",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Object::Rights => {
                "the lawful rights of citizens, legal persons and other organisations"
            }
            Object::Order => "social order and the public interest",
            Object::National => "national security",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// How badly the object is harmed (侵害程度).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Degree {
    /// 损害 / 危害
    Harm,
    /// 严重损害 / 严重危害
    Serious,
    /// 特别严重损害 / 特别严重危害
    EspeciallySerious,
}

impl Degree {
    pub const ALL: [Degree; 3] = [Degree::Harm, Degree::Serious, Degree::EspeciallySerious];

    pub fn id(self) -> &'static str {
        match self {
            Degree::Harm => "harm",
            Degree::Serious => "serious",
            Degree::EspeciallySerious => "especially_serious",
        }
    }

    /// The article's wording: 损害 for rights, 危害 for order and national security.
    pub fn zh(self, object: Object) -> &'static str {
        match (object, self) {
            (Object::Rights, Degree::Harm) => "损害",
            (Object::Rights, Degree::Serious) => "严重损害",
            (Object::Rights, Degree::EspeciallySerious) => "特别严重损害",
            (_, Degree::Harm) => "危害",
            (_, Degree::Serious) => "严重危害",
            (_, Degree::EspeciallySerious) => "特别严重危害",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Degree::Harm => "harm",
            Degree::Serious => "serious harm",
            Degree::EspeciallySerious => "especially serious harm",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// One grading input: what is harmed, and how badly.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Harm {
    pub object: Object,
    pub degree: Degree,
}

impl Harm {
    /// All nine (object, degree) cells, row by row.
    pub fn all() -> impl Iterator<Item = Harm> {
        Object::ALL.into_iter().flat_map(|object| {
            Degree::ALL
                .into_iter()
                .map(move |degree| Harm { object, degree })
        })
    }
}

/// What `dengbao grade` reads: the harm if business information is damaged (业务信息安全)
/// and if the system's service is damaged (系统服务安全). `basis` defaults to gbt22240-2020.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<Basis>,
    pub business: Harm,
    pub service: Harm,
}

/// The level, how it was reached, and the articles it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GradeOutcome {
    /// The network's protection level: the higher of the two below.
    pub level: Level,
    /// Business information security level (业务信息安全保护等级).
    pub business_level: Level,
    /// System service security level (系统服务安全保护等级).
    pub service_level: Level,
    pub basis: Basis,
    pub citations: Vec<Citation>,
    /// Reasoning, each note Chinese then English. A note starting with
    /// [`DISAGREEMENT_TAG`](crate::DISAGREEMENT_TAG) appears exactly when the other basis
    /// gives a different `level`.
    pub notes: Vec<String>,
}
