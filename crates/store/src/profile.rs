//! The network profile as stored: the `[network]` and `[grading]` tables of issue 3's
//! profile file. Every field is a closed type, so a profile that is not valid cannot be
//! built, and serde's messages name the offending field.

use serde::{Deserialize, Serialize};

// The value types are the engines' own (one definition each, with ToSchema through their
// `openapi` feature); the names the API has always used stay as aliases.
pub use dengbao_duties::{Classified, NewTech, Service, Stage};
pub use dengbao_grading::{Basis, Degree, Harm};
/// The object harmed when the network is damaged (受侵害的客体).
pub type HarmedObject = dengbao_grading::Object;
/// The grade input, same shape as `dengbao grade --json`'s stdin.
pub type GradingInput = dengbao_grading::GradeInput;

/// A network's profile, as created or replaced through the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkProfile {
    /// The network's name (1–200 characters).
    pub name: String,
    /// Protection level 1–5, when already set; otherwise `grading` decides it.
    #[serde(default)]
    #[schema(value_type = Option<u8>, minimum = 1, maximum = 5)]
    pub level: Option<dengbao_types::Level>,
    pub stage: Stage,
    #[serde(default)]
    pub cii: bool,
    #[serde(default)]
    pub classified: Classified,
    #[serde(default)]
    pub personal_info: bool,
    /// The operator handles important data (重要数据, 数据安全法 第二十一条).
    #[serde(default)]
    pub important_data: bool,
    /// How many people's personal information the network handles, when known (the
    /// thresholds of 网络数据安全管理条例 第二十八条 read it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_info_people: Option<i64>,
    #[serde(default)]
    pub services: Vec<Service>,
    #[serde(default)]
    pub new_tech: Vec<NewTech>,
    #[serde(default)]
    pub overseas_maintenance: bool,
    #[serde(default)]
    pub cross_border_data: bool,
    /// Whether the network has a competent industry department (行业主管部门).
    #[serde(default)]
    pub competent_department: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grading: Option<GradingInput>,
}

impl NetworkProfile {
    /// Checks what serde cannot: the name's length. Lists are de-duplicated.
    pub fn validate(mut self) -> crate::Result<NetworkProfile> {
        self.name = crate::text::name("name", &self.name, 200)?;
        if self.personal_info_people.is_some_and(|n| n < 0) {
            return Err(crate::StoreError::invalid(
                "personal_info_people",
                "must be zero or more (人数不能为负数)",
            ));
        }
        dedup(&mut self.services);
        dedup(&mut self.new_tech);
        Ok(self)
    }
}

fn dedup<T: PartialEq + Copy>(v: &mut Vec<T>) {
    let mut out: Vec<T> = Vec::with_capacity(v.len());
    for x in v.iter() {
        if !out.contains(x) {
            out.push(*x);
        }
    }
    *v = out;
}

/// A snake_case enum value as stored in a TEXT column.
pub(crate) fn to_text<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(), // ok: the enums above always serialise to strings
    }
}

/// Reads a stored enum value back.
pub(crate) fn from_text<T: for<'de> Deserialize<'de>>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
}
