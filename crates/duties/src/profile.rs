//! The network profile (定级对象): what the operator says about one network, parsed in two
//! stages. [`RawProfile`] is the file as written (TOML or JSON); [`Profile`] is what the
//! engine runs on, with a protection level that is certainly 1–5, dates that exist, and
//! event names that the catalog knows.

use std::collections::BTreeMap;
use std::fmt;

use dengbao_grading::{GradeInput, GradeOutcome};
use dengbao_types::Level;
use jiff::civil::Date;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::time::{parse_time, EventTime, TimeText};

pub use crate::events::{event_index, EVENTS, ONCE_EVENTS, PLANNED_EVENTS};

/// Everything wrong with a profile. The message names the field (`network.level`,
/// `events.graded`, `evidence[1].expires`), Chinese first, then English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ProfileError {
    pub field: String,
    pub message: String,
}

impl ProfileError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> ProfileError {
        ProfileError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The life stage of a network.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 规划设计
    Planning,
    /// 建设
    Building,
    /// 运行
    Running,
    /// 撤销、废止
    Retired,
}

/// The secrecy level of a classified network (涉密网络, 条例 第三十五条).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Classified {
    #[default]
    None,
    /// 秘密
    Secret,
    /// 机密
    Confidential,
    /// 绝密
    TopSecret,
}

/// The regulated services of 网络安全法 第二十四条、第四十八条.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// 网络接入
    NetworkAccess,
    /// 域名注册
    DomainRegistration,
    /// 固定电话、移动电话入网
    Telephony,
    /// 信息发布
    InfoPublishing,
    /// 即时通讯
    InstantMessaging,
    /// 应用软件下载
    AppDistribution,
    /// 电子信息发送
    ElectronicMessages,
}

/// New technology in use (条例 第三十四条).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NewTech {
    Cloud,
    Mobile,
    Iot,
    Ics,
    BigData,
    Ai,
}

/// Which reporting route of 《国家网络安全事件报告管理办法》第四条 the operator takes: a
/// critical information infrastructure (第二款), a central or state organ or one of its
/// directly affiliated units (第三款), or any other operator (the 其他网络运营者 route, 第四款).
/// Written as `network.operator_class`; absent, it follows `network.cii`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperatorClass {
    /// 关键信息基础设施运营者
    Cii,
    /// 中央和国家机关各部门及其直属单位
    StateOrgan,
    /// 其他网络运营者
    Other,
}

impl OperatorClass {
    pub const ALL: [OperatorClass; 3] = [
        OperatorClass::Cii,
        OperatorClass::StateOrgan,
        OperatorClass::Other,
    ];

    /// The class named by its id (`cii`, `state_organ`, `other`).
    pub fn from_id(id: &str) -> Option<OperatorClass> {
        OperatorClass::ALL.into_iter().find(|c| c.id() == id)
    }

    pub fn zh(self) -> &'static str {
        match self {
            OperatorClass::Cii => "关键信息基础设施运营者",
            OperatorClass::StateOrgan => "中央和国家机关各部门及其直属单位",
            OperatorClass::Other => "其他网络运营者",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            OperatorClass::Cii => "critical information infrastructure operator",
            OperatorClass::StateOrgan => "central or state organ, or a unit directly under one",
            OperatorClass::Other => "other network operator",
        }
    }
}

/// What else the operator is, besides the operator of this network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 网络产品、服务的提供者 (网络安全法 第二十二条)
    ProductProvider,
    /// 网络关键设备和网络安全专用产品的提供者 (第二十三条)
    EquipmentVendor,
    /// 网络安全等级测评机构 (条例 第二十六条)
    AssessmentBody,
    /// 为第三级以上网络提供服务的网络服务提供者 (条例 第二十七条)
    ServiceProvider,
}

macro_rules! ids {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            pub fn id(self) -> &'static str {
                match self { $(Self::$v => $s),* }
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.id())
            }
        }
    };
}
ids!(Stage { Planning => "planning", Building => "building", Running => "running", Retired => "retired" });
ids!(Classified { None => "none", Secret => "secret", Confidential => "confidential", TopSecret => "top_secret" });
ids!(Service {
    NetworkAccess => "network_access", DomainRegistration => "domain_registration",
    Telephony => "telephony", InfoPublishing => "info_publishing",
    InstantMessaging => "instant_messaging", AppDistribution => "app_distribution",
    ElectronicMessages => "electronic_messages",
});
ids!(OperatorClass { Cii => "cii", StateOrgan => "state_organ", Other => "other" });
ids!(NewTech { Cloud => "cloud", Mobile => "mobile", Iot => "iot", Ics => "ics", BigData => "big_data", Ai => "ai" });
ids!(Role {
    ProductProvider => "product_provider", EquipmentVendor => "equipment_vendor",
    AssessmentBody => "assessment_body", ServiceProvider => "service_provider",
});

fn default_stage() -> Stage {
    Stage::Running
}

/// `[network]` as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNetwork {
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<i64>,
    /// The level before the latest change of level (`events.regraded`), when there was one:
    /// a network raised from level 1 is filed from the regrading, not its first grading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_level: Option<i64>,
    #[serde(default = "default_stage")]
    pub stage: Stage,
    #[serde(default)]
    pub cii: bool,
    #[serde(default)]
    pub classified: Classified,
    #[serde(default)]
    pub personal_info: bool,
    /// The operator handles important data (重要数据: 数据安全法第二十一条, 网络数据安全管理条例
    /// 第六十二条（四）), identified or declared under 网络数据安全管理条例第二十九条.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub important_data: bool,
    /// How many people's personal information the operator handles (处理个人信息的人数),
    /// when known; thresholds such as 网络数据安全管理条例第二十八条 (1000万人以上) read it.
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
    #[serde(default)]
    pub competent_department: bool,
    #[serde(default)]
    pub cross_province: bool,
    #[serde(default)]
    pub government: bool,
    #[serde(default)]
    pub licensed_business: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    #[serde(default)]
    pub roles: Vec<Role>,
    /// `cii`, `state_organ` or `other` (the incident reporting route); absent: `cii` when
    /// `cii = true`, else `other`. Kept as text so that an unknown value is refused with a
    /// message in both languages naming the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_class: Option<String>,
}

/// One `[[evidence]]` entry as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvidence {
    pub duty: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub who: Option<String>,
    pub when: TimeText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<TimeText>,
}

/// One `[[breach]]` entry as written: a breach of a prohibition (不得……), recorded by the
/// operator or found by an authority.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBreach {
    pub duty: String,
    #[serde(default)]
    pub description: String,
    pub when: TimeText,
}

/// The profile file as written: stage one of parsing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    pub network: RawNetwork,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grading: Option<GradeInput>,
    #[serde(default)]
    pub events: BTreeMap<String, TimeText>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<RawEvidence>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breach: Vec<RawBreach>,
}

/// An evidence record attached to a duty: a file or link, who, when, until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub duty: String,
    pub description: String,
    pub file: Option<String>,
    pub link: Option<String>,
    pub who: Option<String>,
    pub when: EventTime,
    pub expires: Option<EventTime>,
}

/// A recorded breach of a prohibition: which duty, when, what happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Breach {
    pub duty: String,
    pub description: String,
    pub when: EventTime,
}

/// A validated network profile: stage two of parsing, what the engine runs on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawProfile", into = "RawProfile")]
pub struct Profile {
    pub network: RawNetwork,
    /// `network.level`, or the level graded from `[grading]` when it is absent.
    pub level: Level,
    /// The grading outcome when the level was derived from `[grading]`.
    pub graded: Option<GradeOutcome>,
    /// `network.operator_class`, or the class `network.cii` implies.
    pub operator_class: OperatorClass,
    /// Known events only, by index into [`EVENTS`].
    pub events: Vec<Option<EventTime>>,
    pub evidence: Vec<Evidence>,
    pub breaches: Vec<Breach>,
    raw: RawProfile,
}

impl Profile {
    /// Parses a TOML profile file. Errors name the field.
    pub fn from_toml_str(text: &str) -> Result<Profile, ProfileError> {
        let de = toml::Deserializer::parse(text)
            .map_err(|e| ProfileError::new("profile", toml_message(&e)))?;
        let raw: RawProfile = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            ProfileError::new(path, toml_message(e.inner()))
        })?;
        Profile::try_from(raw)
    }

    /// Parses the same profile written as JSON (the HTTP API's shape).
    pub fn from_json_str(text: &str) -> Result<Profile, ProfileError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let raw: RawProfile = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| ProfileError::new(e.path().to_string(), e.inner().to_string()))?;
        Profile::try_from(raw)
    }

    /// The time of an event, if the profile has it.
    pub fn event(&self, name: &str) -> Option<EventTime> {
        event_index(name).and_then(|i| self.events.get(i).copied().flatten())
    }

    pub fn stage(&self) -> Stage {
        self.network.stage
    }

    /// The profile as known at `at`: events (other than planned ones, see
    /// [`PLANNED_EVENTS`]) and breaches dated after `at` are dropped, so that evaluating
    /// in the past never counts what was done later. Borrowed when nothing is later.
    pub fn as_of(&self, at: Timestamp) -> std::borrow::Cow<'_, Profile> {
        let planned = |i: usize| {
            EVENTS
                .get(i)
                .is_some_and(|(n, _)| PLANNED_EVENTS.contains(n))
        };
        let later_event =
            |i: usize, e: &Option<EventTime>| !planned(i) && e.is_some_and(|t| t.start() > at);
        let any_later = self
            .events
            .iter()
            .enumerate()
            .any(|(i, e)| later_event(i, e))
            || self.breaches.iter().any(|b| b.when.start() > at);
        if !any_later {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut p = self.clone();
        for (i, e) in p.events.iter_mut().enumerate() {
            if later_event(i, e) {
                *e = None;
            }
        }
        p.breaches.retain(|b| b.when.start() <= at);
        std::borrow::Cow::Owned(p)
    }

    /// The profile as written (what it serialises back to).
    pub fn raw(&self) -> &RawProfile {
        &self.raw
    }
}

fn toml_message(e: &toml::de::Error) -> String {
    // toml's message already carries the line and a caret; keep it on one line.
    e.message().trim().to_string()
}

impl TryFrom<RawProfile> for Profile {
    type Error = ProfileError;

    fn try_from(raw: RawProfile) -> Result<Profile, ProfileError> {
        let (level, graded) = match (raw.network.level, &raw.grading) {
            (Some(n), _) => {
                let level = Level::try_from(n).map_err(|_| {
                    ProfileError::new(
                        "network.level",
                        format!(
                            "{n} 不是第一级至第五级的保护等级 / {n} is not a protection level 1–5"
                        ),
                    )
                })?;
                (level, None)
            }
            (None, Some(input)) => {
                let outcome = dengbao_grading::grade(input);
                (outcome.level, Some(outcome))
            }
            (None, None) => return Err(ProfileError::new(
                "network.level",
                "缺少保护等级，且没有可据以定级的 [grading] 表（business、service） / missing: \
                     give network.level (1–5) or a [grading] table with business and service",
            )),
        };
        if let Some(n) = raw.network.personal_info_people.filter(|n| *n < 0) {
            return Err(ProfileError::new(
                "network.personal_info_people",
                format!("{n} 不是人数 / {n} is not a number of people (0 or more)"),
            ));
        }
        let mut events = vec![None; EVENTS.len()];
        for (name, text) in &raw.events {
            let field = format!("events.{name}");
            let i = event_index(name).ok_or_else(|| {
                ProfileError::new(
                    &field,
                    format!(
                        "未知事件 / unknown event; known events: {}",
                        EVENTS
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?;
            events[i] = Some(parse_time(&text.text()).map_err(|m| ProfileError::new(&field, m))?);
        }
        let mut evidence = Vec::with_capacity(raw.evidence.len());
        for (i, ev) in raw.evidence.iter().enumerate() {
            if ev.duty.trim().is_empty() {
                return Err(ProfileError::new(
                    format!("evidence[{i}].duty"),
                    "不能为空 / must name a duty id",
                ));
            }
            let when = parse_time(&ev.when.text())
                .map_err(|m| ProfileError::new(format!("evidence[{i}].when"), m))?;
            let expires = match &ev.expires {
                Some(t) => Some(
                    parse_time(&t.text())
                        .map_err(|m| ProfileError::new(format!("evidence[{i}].expires"), m))?,
                ),
                None => None,
            };
            evidence.push(Evidence {
                duty: ev.duty.clone(),
                description: ev.description.clone(),
                file: ev.file.clone(),
                link: ev.link.clone(),
                who: ev.who.clone(),
                when,
                expires,
            });
        }
        let mut breaches = Vec::with_capacity(raw.breach.len());
        for (i, b) in raw.breach.iter().enumerate() {
            if b.duty.trim().is_empty() {
                return Err(ProfileError::new(
                    format!("breach[{i}].duty"),
                    "不能为空 / must name a duty id",
                ));
            }
            let when = parse_time(&b.when.text())
                .map_err(|m| ProfileError::new(format!("breach[{i}].when"), m))?;
            breaches.push(Breach {
                duty: b.duty.clone(),
                description: b.description.clone(),
                when,
            });
        }
        if let Some(n) = raw.network.previous_level {
            Level::try_from(n).map_err(|_| {
                ProfileError::new(
                    "network.previous_level",
                    format!("{n} 不是第一级至第五级的保护等级 / {n} is not a protection level 1–5"),
                )
            })?;
        }
        let operator_class = operator_class(&raw.network)?;
        Ok(Profile {
            network: raw.network.clone(),
            level,
            graded,
            operator_class,
            events,
            evidence,
            breaches,
            raw,
        })
    }
}

/// `network.operator_class` checked against `network.cii`. A network that is CII reports on
/// the CII route (第四条第二款) and nothing else claims it; a class that contradicts `cii`
/// is refused rather than silently picking one (decision 0504).
fn operator_class(n: &RawNetwork) -> Result<OperatorClass, ProfileError> {
    let field = "network.operator_class";
    let Some(text) = n.operator_class.as_deref() else {
        return Ok(if n.cii {
            OperatorClass::Cii
        } else {
            OperatorClass::Other
        });
    };
    let class = OperatorClass::from_id(text.trim()).ok_or_else(|| {
        ProfileError::new(
            field,
            format!(
                "未知的运营者类别 {text:?}（可选 cii、state_organ、other） / unknown operator class \
                 {text:?} (one of cii, state_organ, other)"
            ),
        )
    })?;
    match (n.cii, class) {
        (true, OperatorClass::Cii) | (false, OperatorClass::StateOrgan | OperatorClass::Other) => {
            Ok(class)
        }
        (true, _) => Err(ProfileError::new(
            field,
            format!(
                "与 cii = true 矛盾：关键信息基础设施按 cii 类别报告 / contradicts cii = true: \
                 a critical information infrastructure reports as cii, not {class}"
            ),
        )),
        (false, _) => Err(ProfileError::new(
            field,
            "cii 类别要求 network.cii = true / class cii needs network.cii = true",
        )),
    }
}

impl From<Profile> for RawProfile {
    fn from(p: Profile) -> RawProfile {
        p.raw
    }
}

/// Parses `--at`: a date (the start of that day in Asia/Shanghai) or an RFC 3339 time.
pub fn parse_at(text: &str) -> Result<Timestamp, ProfileError> {
    parse_time(text)
        .map(EventTime::start)
        .map_err(|m| ProfileError::new("--at", m))
}

/// The civil date of an instant in Asia/Shanghai.
pub fn date_of(ts: Timestamp) -> Date {
    thread_local! {
        // The engine asks for the date of the same `at` many times per evaluation.
        static LAST: std::cell::Cell<Option<(Timestamp, Date)>> = const { std::cell::Cell::new(None) };
    }
    if let Some((t, d)) = LAST.get() {
        if t == ts {
            return d;
        }
    }
    let d = ts.to_zoned_datetime(crate::time::shanghai()).date();
    LAST.set(Some((ts, d)));
    d
}
