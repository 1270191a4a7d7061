//! Key-post certificates about to expire or expired, as due and overdue items of the duty
//! `mlps.l3.personnel` (条例 第二十一条第（三）项 持证上岗, decision 1502). The notice period is
//! data (`data/training/certificates.toml`), with the note that the text gives none.

use serde::{Deserialize, Serialize};

use crate::error::{Result, StoreError};
use crate::Store;

/// The rule read from `data/training/certificates.toml`.
#[derive(Debug, Clone, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateRule {
    /// The duty the alerts belong to.
    pub duty: String,
    /// Days before the last valid day from which a certificate is due for renewal.
    pub warn_days: i64,
    /// Where the figure comes from (Chinese / English).
    pub note: String,
}

impl CertificateRule {
    /// The rule as the repository ships it.
    pub fn builtin() -> Result<CertificateRule> {
        toml::from_str(include_str!("../../../data/training/certificates.toml")).map_err(|e| {
            StoreError::invalid(
                "data/training/certificates.toml",
                format!("无法读取 / cannot be read: {e}"),
            )
        })
    }
}

/// One certificate of a key-post person that is due (expiring soon) or overdue (expired).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CertificateAlert {
    pub duty: String,
    /// `due` or `overdue`.
    pub status: String,
    pub staff_id: String,
    pub staff_name: String,
    pub certificate: String,
    pub expires_on: String,
}

impl Store {
    /// The key-post people's certificates that are due or overdue on `today`, soonest first.
    pub async fn certificate_alerts(
        &self,
        org_id: &str,
        today: jiff::civil::Date,
        rule: &CertificateRule,
    ) -> Result<Vec<CertificateAlert>> {
        let mut out = Vec::new();
        for person in self.list_staff(org_id).await? {
            if !person.key_post {
                continue;
            }
            for c in &person.certificates {
                // A later certificate of the same name renews this one (decision 1505).
                let renewed = person
                    .certificates
                    .iter()
                    .any(|o| o.name == c.name && o.expires_on > c.expires_on);
                if renewed {
                    continue;
                }
                let expires: jiff::civil::Date = c
                    .expires_on
                    .parse()
                    .map_err(|_| StoreError::invalid("expires_on", c.expires_on.clone()))?;
                // Date − Date is a span in days: the calendar days left.
                let days_left = i64::from((expires - today).get_days());
                let status = if expires < today {
                    "overdue"
                } else if days_left <= rule.warn_days {
                    "due"
                } else {
                    continue;
                };
                out.push(CertificateAlert {
                    duty: rule.duty.clone(),
                    status: status.to_string(),
                    staff_id: person.id.clone(),
                    staff_name: person.name.clone(),
                    certificate: c.name.clone(),
                    expires_on: c.expires_on.clone(),
                });
            }
        }
        out.sort_by(|a, b| a.expires_on.cmp(&b.expires_on));
        Ok(out)
    }
}

impl Store {
    /// The certificates of the people holding a key post of the network, with the notice
    /// period: the fact that decides 持证上岗 in the duty engine (decision 1505). A person
    /// holding two posts of the network is counted once.
    pub async fn key_post_certificates(
        &self,
        network_id: &str,
        rule: &CertificateRule,
    ) -> Result<dengbao_duties::KeyPostCertificates> {
        let net = self.get_network(network_id).await?;
        let holders: std::collections::BTreeSet<String> = self
            .list_key_posts(network_id)
            .await?
            .into_iter()
            .map(|p| p.staff_id)
            .collect();
        let mut held = Vec::new();
        for person in self.list_staff(&net.org_id).await? {
            if !holders.contains(&person.id) {
                continue;
            }
            for c in person.certificates {
                let expires = c.expires_on.parse().map_err(|_| {
                    StoreError::invalid("expires_on", format!("{} ({})", c.expires_on, c.id))
                })?;
                held.push(dengbao_duties::HeldCertificate {
                    holder: person.name.clone(),
                    holder_id: person.id.clone(),
                    certificate: c.name,
                    expires,
                });
            }
        }
        Ok(dengbao_duties::KeyPostCertificates {
            warn_days: rule.warn_days,
            held,
        })
    }
}
