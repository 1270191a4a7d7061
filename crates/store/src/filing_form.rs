//! The filing form's details that the stored profile does not hold (备案表 表一/表二), in the
//! shape of the 2025 template: the unit's 统一社会信用代码, 行政区划, 隶属关系, 单位类型 and its
//! responsible person with title and contacts; the graded object's boundary, platform and
//! deployment. Every field is optional (the DOCX leaves what is missing blank); what is
//! given is checked, naming the field (decision 0937).

use serde::{Deserialize, Serialize};

use crate::error::{Result, StoreError};
use crate::text::text;

/// The options of 隶属关系, 单位类型 and 部署方式 (`data/filing/form-options.toml`).
pub const FORM_OPTIONS: &str = include_str!("../../../data/filing/form-options.toml");

#[derive(Debug, Clone, Deserialize)]
struct Options {
    affiliation: Choice,
    unit_type: Choice,
    deployment: Choice,
}

#[derive(Debug, Clone, Deserialize)]
struct Choice {
    options: Vec<String>,
}

fn options() -> Option<Options> {
    toml::from_str(FORM_OPTIONS).ok()
}

/// The options of one choice field (`affiliation`, `unit_type`, `deployment`); empty for
/// another name.
pub fn choices(field: &str) -> Vec<String> {
    let Some(o) = options() else {
        return Vec::new();
    };
    match field {
        "affiliation" => o.affiliation.options,
        "unit_type" => o.unit_type.options,
        "deployment" => o.deployment.options,
        _ => Vec::new(),
    }
}

/// 备案表 表一/表二 details. Unknown keys are refused (a typo is not silently lost).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FilingForm {
    /// 统一社会信用代码 (GB 32100-2015, 18 characters)
    #[serde(default)]
    pub credit_code: String,
    /// 单位地址
    #[serde(default)]
    pub address: String,
    /// 行政区划代码 (GB/T 2260, six digits)
    #[serde(default)]
    pub region_code: String,
    /// 隶属关系 (one of data/filing/form-options.toml `affiliation`)
    #[serde(default)]
    pub affiliation: String,
    /// 单位类型 (one of `unit_type`)
    #[serde(default)]
    pub unit_type: String,
    /// 单位负责人
    #[serde(default)]
    pub unit_head: String,
    /// 单位负责人职务
    #[serde(default)]
    pub unit_head_title: String,
    /// 单位负责人联系电话
    #[serde(default)]
    pub unit_head_phone: String,
    /// 单位负责人电子邮件
    #[serde(default)]
    pub unit_head_email: String,
    /// 责任部门
    #[serde(default)]
    pub responsible_department: String,
    /// 责任部门联系人
    #[serde(default)]
    pub contact: String,
    /// 责任部门联系人职务
    #[serde(default)]
    pub contact_title: String,
    /// 联系电话
    #[serde(default)]
    pub phone: String,
    /// 责任部门联系人电子邮件
    #[serde(default)]
    pub contact_email: String,
    /// 业务描述（承载业务情况）
    #[serde(default)]
    pub business: String,
    /// 服务范围与服务对象
    #[serde(default)]
    pub service_scope: String,
    /// 定级对象边界（网络边界、所含系统与设备）
    #[serde(default)]
    pub boundary: String,
    /// 承载平台（所在云平台、机房或数据中心）
    #[serde(default)]
    pub platform: String,
    /// 部署方式 (one of `deployment`)
    #[serde(default)]
    pub deployment: String,
    /// 提交的附件（定级报告、拓扑图、管理制度 …）
    #[serde(default)]
    pub attachments: Vec<String>,
}

/// GB 32100-2015's check character of a 统一社会信用代码: the 17 characters before it,
/// weighted 3^i mod 31 over the 31-character alphabet (no I, O, S, V, Z).
fn credit_code_ok(code: &str) -> bool {
    const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const WEIGHTS: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return false;
    }
    let value = |c: char| ALPHABET.find(c).map(|i| i as u32);
    let mut sum = 0;
    for (c, w) in chars.iter().zip(WEIGHTS) {
        match value(*c) {
            Some(v) => sum += v * w,
            None => return false,
        }
    }
    let check = (31 - sum % 31) % 31;
    value(chars[17]) == Some(check)
}

impl FilingForm {
    /// Each field trimmed and checked: lengths, no control characters, the code formats
    /// and the choice lists. The error names the field.
    pub fn validated(self) -> Result<FilingForm> {
        let choice = |field: &'static str, v: String| -> Result<String> {
            let v = text(field, &v, 50)?;
            let list = choices(field);
            if v.is_empty() || list.contains(&v) {
                Ok(v)
            } else {
                Err(StoreError::invalid(
                    field,
                    format!("应为以下之一 / one of: {}", list.join("、")),
                ))
            }
        };
        let email = |field: &'static str, v: String| -> Result<String> {
            let v = text(field, &v, 200)?;
            let ok = v.is_empty()
                || v.split_once('@').is_some_and(|(a, b)| {
                    !a.is_empty() && b.contains('.') && !v.contains(char::is_whitespace)
                });
            if ok {
                Ok(v)
            } else {
                Err(StoreError::invalid(
                    field,
                    "不是电子邮件地址 / not an e-mail address",
                ))
            }
        };
        let credit_code = text("credit_code", &self.credit_code, 18)?.to_uppercase();
        if !credit_code.is_empty() && !credit_code_ok(&credit_code) {
            return Err(StoreError::invalid(
                "credit_code",
                "统一社会信用代码应为18位且校验码正确（GB 32100-2015） / 18 characters with a valid check character (GB 32100-2015)",
            ));
        }
        let region_code = text("region_code", &self.region_code, 6)?;
        let six_digits = region_code.len() == 6 && region_code.chars().all(|c| c.is_ascii_digit());
        if !(region_code.is_empty() || six_digits) {
            return Err(StoreError::invalid(
                "region_code",
                "行政区划代码应为6位数字（GB/T 2260） / six digits (GB/T 2260)",
            ));
        }
        let mut attachments = Vec::new();
        for a in self.attachments {
            let a = text("attachments", &a, 200)?;
            if !a.is_empty() {
                attachments.push(a);
            }
        }
        Ok(FilingForm {
            credit_code,
            address: text("address", &self.address, 200)?,
            region_code,
            affiliation: choice("affiliation", self.affiliation)?,
            unit_type: choice("unit_type", self.unit_type)?,
            unit_head: text("unit_head", &self.unit_head, 100)?,
            unit_head_title: text("unit_head_title", &self.unit_head_title, 100)?,
            unit_head_phone: text("unit_head_phone", &self.unit_head_phone, 50)?,
            unit_head_email: email("unit_head_email", self.unit_head_email)?,
            responsible_department: text(
                "responsible_department",
                &self.responsible_department,
                100,
            )?,
            contact: text("contact", &self.contact, 100)?,
            contact_title: text("contact_title", &self.contact_title, 100)?,
            phone: text("phone", &self.phone, 50)?,
            contact_email: email("contact_email", self.contact_email)?,
            business: text("business", &self.business, 2000)?,
            service_scope: text("service_scope", &self.service_scope, 500)?,
            boundary: text("boundary", &self.boundary, 2000)?,
            platform: text("platform", &self.platform, 200)?,
            deployment: choice("deployment", self.deployment)?,
            attachments,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_codes_are_checked_by_their_check_character() {
        // Published codes: 华为技术有限公司, 腾讯科技（深圳）有限公司, 阿里巴巴（中国）有限公司.
        for ok in [
            "914403001922038216",
            "9144030071526726XG",
            "91330100799655058B",
        ] {
            assert!(credit_code_ok(ok), "{ok}");
        }
        for bad in [
            "914403001922038217",
            "9144030071526726",
            "91330100799655058I",
        ] {
            assert!(!credit_code_ok(bad), "{bad}");
        }
    }

    #[test]
    fn the_options_file_loads_and_offers_each_list() {
        for f in ["affiliation", "unit_type", "deployment"] {
            assert!(choices(f).len() >= 3, "{f}");
        }
    }
}
