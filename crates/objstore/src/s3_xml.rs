//! The few S3 XML bodies this crate reads or writes.

use serde::Deserialize;

/// `<Error><Code>…</Code><Message>…</Message></Error>`
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub(crate) struct ErrorBody {
    pub code: String,
    pub message: String,
}

pub(crate) fn error_body(bytes: &[u8]) -> ErrorBody {
    quick_xml::de::from_reader(bytes).unwrap_or_default()
}

/// `<Retention><Mode>COMPLIANCE</Mode><RetainUntilDate>…</RetainUntilDate></Retention>`
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct RetentionBody {
    pub mode: String,
    pub retain_until_date: String,
}

pub(crate) fn retention_body(bytes: &[u8]) -> Result<RetentionBody, quick_xml::DeError> {
    quick_xml::de::from_reader(bytes)
}

/// ListObjectVersions: `<ListVersionsResult>` with `<Version>` and `<DeleteMarker>` entries.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub(crate) struct VersionsBody {
    pub version: Vec<VersionEntry>,
    pub delete_marker: Vec<VersionEntry>,
    pub is_truncated: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub(crate) struct VersionEntry {
    pub key: String,
    pub version_id: String,
    pub is_latest: bool,
}

pub(crate) fn versions_body(bytes: &[u8]) -> Result<VersionsBody, quick_xml::DeError> {
    quick_xml::de::from_reader(bytes)
}

/// The PutObjectRetention body.
pub(crate) fn retention(mode: &str, until: &str) -> String {
    format!(
        "<Retention xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
         <Mode>{mode}</Mode><RetainUntilDate>{until}</RetainUntilDate></Retention>"
    )
}

/// The PutObjectLockConfiguration body: Object Lock enabled, with a default COMPLIANCE
/// retention of `days` for every new object version.
pub(crate) fn lock_configuration(days: u32) -> String {
    format!(
        "<ObjectLockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
         <ObjectLockEnabled>Enabled</ObjectLockEnabled>\
         <Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Days>{days}</Days></DefaultRetention></Rule>\
         </ObjectLockConfiguration>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_error_and_retention_bodies_s3_sends() {
        let e = error_body(
            b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code>\
              <Message>Access Denied.</Message><Resource>/b/k</Resource></Error>",
        );
        assert_eq!(
            (e.code.as_str(), e.message.as_str()),
            ("AccessDenied", "Access Denied.")
        );
        let r = retention_body(
            b"<Retention xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Mode>COMPLIANCE</Mode>\
              <RetainUntilDate>2027-05-25T00:00:00Z</RetainUntilDate></Retention>",
        )
        .unwrap();
        assert_eq!(r.mode, "COMPLIANCE");
        assert_eq!(r.retain_until_date, "2027-05-25T00:00:00Z");
        assert_eq!(error_body(b"not xml").code, "");
        let v = versions_body(
            b"<ListVersionsResult><IsTruncated>false</IsTruncated>\
              <Version><Key>a/b.seg</Key><VersionId>v1</VersionId><IsLatest>false</IsLatest></Version>\
              <DeleteMarker><Key>a/b.seg</Key><VersionId>m1</VersionId><IsLatest>true</IsLatest></DeleteMarker>\
              </ListVersionsResult>",
        )
        .unwrap();
        assert_eq!(
            (v.version.len(), v.delete_marker[0].version_id.as_str()),
            (1, "m1")
        );
    }
}
