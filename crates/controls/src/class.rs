//! The fixed structure of GB/T 22239-2019: the ten classes (安全类) in the standard's order,
//! technical or management, and the extensions (扩展要求) with their GB/T 28448-2019 digit.

use serde::Serialize;

/// Technical (技术要求) or management (管理要求).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Technical,
    Management,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Technical => "technical",
            Kind::Management => "management",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Kind::Technical => "技术",
            Kind::Management => "管理",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Kind::Technical => "technical",
            Kind::Management => "management",
        }
    }
}

/// A class (安全类) of requirements; the order of `ALL` is the standard's order, which
/// gives the clause numbers (x.y.1 安全物理环境 … x.y.10 安全运维管理, counting only the
/// classes a level or extension has).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    Pes,
    Cns,
    Abs,
    Ces,
    Smc,
    Pss,
    Ors,
    Hrs,
    Cms,
    Mms,
}

impl Class {
    pub const ALL: [Class; 10] = [
        Class::Pes,
        Class::Cns,
        Class::Abs,
        Class::Ces,
        Class::Smc,
        Class::Pss,
        Class::Ors,
        Class::Hrs,
        Class::Cms,
        Class::Mms,
    ];

    /// The GB/T 28448-2019 code used in item ids (`CES` in `L3-CES1-01`).
    pub fn code(self) -> &'static str {
        match self {
            Class::Pes => "PES",
            Class::Cns => "CNS",
            Class::Abs => "ABS",
            Class::Ces => "CES",
            Class::Smc => "SMC",
            Class::Pss => "PSS",
            Class::Ors => "ORS",
            Class::Hrs => "HRS",
            Class::Cms => "CMS",
            Class::Mms => "MMS",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Class::Pes => "安全物理环境",
            Class::Cns => "安全通信网络",
            Class::Abs => "安全区域边界",
            Class::Ces => "安全计算环境",
            Class::Smc => "安全管理中心",
            Class::Pss => "安全管理制度",
            Class::Ors => "安全管理机构",
            Class::Hrs => "安全管理人员",
            Class::Cms => "安全建设管理",
            Class::Mms => "安全运维管理",
        }
    }

    /// The class's English name (as GB/T 22239-2019's English title translates it).
    pub fn en(self) -> &'static str {
        match self {
            Class::Pes => "physical environment",
            Class::Cns => "communication network",
            Class::Abs => "area boundary",
            Class::Ces => "computing environment",
            Class::Smc => "security management centre",
            Class::Pss => "management policies",
            Class::Ors => "management organisation",
            Class::Hrs => "management personnel",
            Class::Cms => "construction management",
            Class::Mms => "operation and maintenance",
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            Class::Pes | Class::Cns | Class::Abs | Class::Ces | Class::Smc => Kind::Technical,
            _ => Kind::Management,
        }
    }

    pub fn from_code(code: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// 安全通用要求 or one of the four extensions the standard defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Extension {
    General,
    Cloud,
    Mobile,
    Iot,
    Ics,
}

impl Extension {
    pub const ALL: [Extension; 5] = [
        Extension::General,
        Extension::Cloud,
        Extension::Mobile,
        Extension::Iot,
        Extension::Ics,
    ];

    /// The digit after the class code in GB/T 28448-2019 ids, and the second number of the
    /// clause (8.1 通用, 8.2 云计算, 8.3 移动互联, 8.4 物联网, 8.5 工业控制 at level 3).
    pub fn digit(self) -> u8 {
        match self {
            Extension::General => 1,
            Extension::Cloud => 2,
            Extension::Mobile => 3,
            Extension::Iot => 4,
            Extension::Ics => 5,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Extension::General => "general",
            Extension::Cloud => "cloud",
            Extension::Mobile => "mobile",
            Extension::Iot => "iot",
            Extension::Ics => "ics",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Extension::General => "安全通用要求",
            Extension::Cloud => "云计算安全扩展要求",
            Extension::Mobile => "移动互联安全扩展要求",
            Extension::Iot => "物联网安全扩展要求",
            Extension::Ics => "工业控制系统安全扩展要求",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Extension::General => "general requirements",
            Extension::Cloud => "cloud computing extension",
            Extension::Mobile => "mobile internet extension",
            Extension::Iot => "IoT extension",
            Extension::Ics => "industrial control extension",
        }
    }

    pub fn from_name(s: &str) -> Option<Extension> {
        Extension::ALL.into_iter().find(|e| e.as_str() == s)
    }
}
