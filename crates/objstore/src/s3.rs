//! Blobs in an S3-compatible bucket (path-style URLs, SigV4 presigned requests with every
//! header we send signed). With Object Lock enabled on the bucket, a put with a
//! retain-until date carries COMPLIANCE retention, and `delete` removes the *version* the
//! key points at — which the storage refuses before that date (a plain DELETE on a
//! versioned bucket would only add a delete marker and hide the blob).

use std::time::Duration;

use base64::Engine as _;
use jiff::Timestamp;
use md5::{Digest as _, Md5};
use rusty_s3::actions::{
    CreateBucket, DeleteObject, GetObject, HeadObject, ListObjectsV2, PutObject, S3Action,
};
use rusty_s3::{Bucket, Credentials, UrlStyle};
use ureq::http::{self, Response};

use crate::key::{check_key, check_prefix};
use crate::s3_xml;
use crate::{BlobInfo, BlobStore, Error, LockMode, Result, Retention, S3Config};

/// How long a signed request stays valid (covers modest clock skew and slow uploads).
const SIGNED_FOR: Duration = Duration::from_secs(15 * 60);

/// A bucket on an S3-compatible endpoint.
pub struct S3 {
    bucket: Bucket,
    creds: Option<Credentials>,
    agent: ureq::Agent,
    prefix: String,
    mode: LockMode,
    endpoint: String,
}

impl std::fmt::Debug for S3 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// A response: status, the headers we read, the body.
struct Reply {
    status: u16,
    version_id: Option<String>,
    body: Vec<u8>,
}

impl Reply {
    fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
    fn error(&self, op: &'static str, key: &str) -> Error {
        let e = s3_xml::error_body(&self.body);
        Error::S3 {
            op,
            key: key.to_string(),
            status: self.status,
            code: e.code,
            message: e.message,
        }
    }
}

impl S3 {
    /// A client for `cfg` (no request is made).
    pub fn new(cfg: &S3Config) -> Result<Self> {
        let endpoint = url_parse(&cfg.endpoint)?;
        let bucket = Bucket::new(
            endpoint,
            UrlStyle::Path,
            cfg.bucket.clone(),
            cfg.region.clone(),
        )
        .map_err(|e| Error::Config {
            field: "s3.bucket".into(),
            why: e.to_string(),
        })?;
        let creds = match (&cfg.access_key, &cfg.secret_key) {
            (Some(k), Some(s)) => Some(Credentials::new(k.clone(), s.clone())),
            _ => None,
        };
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(300)))
            .build()
            .into();
        let prefix = cfg.prefix.trim_matches('/').to_string();
        if !prefix.is_empty() {
            check_key(&prefix)?;
        }
        Ok(S3 {
            bucket,
            creds,
            agent,
            prefix,
            mode: cfg.lock_mode,
            endpoint: format!("{}/{}", cfg.endpoint.trim_end_matches('/'), cfg.bucket),
        })
    }

    fn full(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_string()
        } else {
            format!("{}/{key}", self.prefix)
        }
    }

    /// Sign `action` (after `headers` were added to it) and send it with those headers.
    fn send<'a, A: S3Action<'a>>(
        &self,
        op: &'static str,
        key: &str,
        mut action: A,
        headers: &[(&'a str, String)],
        body: &[u8],
    ) -> Result<Reply> {
        for (k, v) in headers {
            action.headers_mut().insert(*k, v.clone());
        }
        let url = action.sign(SIGNED_FOR);
        let mut req = http::Request::builder()
            .method(method_of(A::METHOD))
            .uri(url.as_str());
        for (k, v) in headers {
            req = req.header(*k, v.as_str());
        }
        let req = req.body(body.to_vec()).map_err(|e| Error::Config {
            field: "s3.endpoint".into(),
            why: e.to_string(),
        })?;
        let resp: Response<ureq::Body> = self.agent.run(req).map_err(|e| Error::Http {
            op,
            key: key.to_string(),
            source: Box::new(e),
        })?;
        let status = resp.status().as_u16();
        let version_id = resp
            .headers()
            .get("x-amz-version-id")
            .and_then(|v| v.to_str().ok())
            .filter(|v| !v.is_empty() && *v != "null")
            .map(str::to_string);
        let body = resp
            .into_body()
            .into_with_config()
            .limit(u64::MAX)
            .read_to_vec()
            .map_err(|e| Error::Http {
                op,
                key: key.to_string(),
                source: Box::new(e),
            })?;
        Ok(Reply {
            status,
            version_id,
            body,
        })
    }

    /// Create the bucket with Object Lock enabled (versioning comes with it). An existing
    /// bucket of ours is fine.
    pub fn create_bucket(&self) -> Result<()> {
        let action = CreateBucket::new(&self.bucket, self.admin_creds()?);
        let headers = [("x-amz-bucket-object-lock-enabled", "true".to_string())];
        let r = self.send("create-bucket", "", action, &headers, b"")?;
        if r.ok() {
            return Ok(());
        }
        let e = s3_xml::error_body(&r.body);
        if e.code == "BucketAlreadyOwnedByYou" || e.code == "BucketAlreadyExists" {
            return Ok(());
        }
        Err(r.error("create-bucket", ""))
    }

    /// Give the bucket a default COMPLIANCE retention of `days` for every new object
    /// version (PutObjectLockConfiguration), on top of the per-object dates `put` sets.
    pub fn set_default_retention(&self, days: u32) -> Result<()> {
        let body = s3_xml::lock_configuration(days);
        let mut action = CreateBucket::new(&self.bucket, self.admin_creds()?);
        action.query_mut().insert("object-lock", "");
        let headers = [("content-md5", content_md5(body.as_bytes()))];
        let r = self.send(
            "put-object-lock-configuration",
            "",
            action,
            &headers,
            body.as_bytes(),
        )?;
        if r.ok() {
            Ok(())
        } else {
            Err(r.error("put-object-lock-configuration", ""))
        }
    }

    fn admin_creds(&self) -> Result<&Credentials> {
        self.creds.as_ref().ok_or_else(|| Error::Config {
            field: "s3.access_key".into(),
            why: "bucket setup needs credentials (access_key/secret_key or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)".into(),
        })
    }

    /// Send a DELETE for `key` straight to the server — of its current version when
    /// `versioned`, else a plain DELETE (on a versioned bucket that only adds a delete
    /// marker) — and return the HTTP status and S3 error code. For checking that the
    /// storage itself refuses (`dengbao` deletes through [`BlobStore::delete`]).
    pub fn raw_delete(&self, key: &str, versioned: bool) -> Result<(u16, String)> {
        let r = self.delete_request(key, versioned)?;
        Ok((r.status, s3_xml::error_body(&r.body).code))
    }

    fn delete_request(&self, key: &str, versioned: bool) -> Result<Reply> {
        check_key(key)?;
        let version = self.head(key)?;
        let full = self.full(key);
        let mut action = DeleteObject::new(&self.bucket, self.creds.as_ref(), &full);
        if let (Some(v), true) = (&version, versioned) {
            action.query_mut().insert("versionId", v.clone());
        }
        self.send("delete", key, action, &[], b"")
    }

    /// Undo plain DELETEs of `key`: on a versioned (Object Lock) bucket a DELETE without a
    /// version id is allowed even inside the retention, but only adds a *delete marker*
    /// that hides the still-locked bytes. This removes the markers (allowed too), so the
    /// blob is visible again. Returns how many markers were removed.
    pub fn remove_delete_markers(&self, key: &str) -> Result<usize> {
        check_key(key)?;
        let full = self.full(key);
        let mut action = ListObjectsV2::new(&self.bucket, self.creds.as_ref());
        action.query_mut().remove("list-type");
        action.query_mut().remove("encoding-type");
        action.query_mut().insert("versions", "");
        action.query_mut().insert("prefix", full.clone());
        let r = self.send("list-versions", key, action, &[], b"")?;
        if !r.ok() {
            return Err(r.error("list-versions", key));
        }
        let body = s3_xml::versions_body(&r.body).map_err(|e| Error::S3 {
            op: "list-versions",
            key: key.to_string(),
            status: r.status,
            code: "MalformedXML".into(),
            message: e.to_string(),
        })?;
        let mut removed = 0;
        for m in body.delete_marker.iter().filter(|m| m.key == full) {
            let mut action = DeleteObject::new(&self.bucket, self.creds.as_ref(), &full);
            action.query_mut().insert("versionId", m.version_id.clone());
            let r = self.send("delete-marker", key, action, &[], b"")?;
            if !r.ok() {
                return Err(r.error("delete-marker", key));
            }
            removed += 1;
        }
        Ok(removed)
    }

    /// The current version of `key` (`Ok(None)`: unversioned bucket), or `NotFound`.
    fn head(&self, key: &str) -> Result<Option<String>> {
        let full = self.full(key);
        let action = HeadObject::new(&self.bucket, self.creds.as_ref(), &full);
        let r = self.send("head", key, action, &[], b"")?;
        match r.status {
            s if (200..300).contains(&s) => Ok(r.version_id),
            404 => Err(Error::NotFound {
                key: key.to_string(),
            }),
            _ => Err(r.error("head", key)),
        }
    }
}

impl BlobStore for S3 {
    fn put(&self, key: &str, bytes: &[u8], retain_until: Option<Timestamp>) -> Result<()> {
        check_key(key)?;
        // If-None-Match makes the put create-only on servers that support conditional
        // writes; the HEAD before it covers servers that ignore the header.
        match self.head(key) {
            Ok(_) => {
                return Err(Error::AlreadyExists {
                    key: key.to_string(),
                })
            }
            Err(Error::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
        let full = self.full(key);
        let action = PutObject::new(&self.bucket, self.creds.as_ref(), &full);
        let mut headers = vec![
            ("content-md5", content_md5(bytes)),
            ("if-none-match", "*".to_string()),
        ];
        if let Some(until) = retain_until {
            headers.push(("x-amz-object-lock-mode", mode_name(self.mode).to_string()));
            headers.push(("x-amz-object-lock-retain-until-date", s3_date(until)));
        }
        let r = self.send("put", key, action, &headers, bytes)?;
        match r.status {
            s if (200..300).contains(&s) => Ok(()),
            412 => Err(Error::AlreadyExists {
                key: key.to_string(),
            }),
            _ => Err(r.error("put", key)),
        }
    }

    fn get(&self, key: &str) -> Result<Vec<u8>> {
        check_key(key)?;
        let full = self.full(key);
        let action = GetObject::new(&self.bucket, self.creds.as_ref(), &full);
        let r = self.send("get", key, action, &[], b"")?;
        match r.status {
            s if (200..300).contains(&s) => Ok(r.body),
            404 => Err(Error::NotFound {
                key: key.to_string(),
            }),
            _ => Err(r.error("get", key)),
        }
    }

    fn get_range(&self, key: &str, offset: u64, len: u64) -> Result<Vec<u8>> {
        check_key(key)?;
        if len == 0 {
            self.head(key)?;
            return Ok(Vec::new());
        }
        let full = self.full(key);
        let action = GetObject::new(&self.bucket, self.creds.as_ref(), &full);
        let last = offset.saturating_add(len - 1);
        let headers = [("range", format!("bytes={offset}-{last}"))];
        let r = self.send("get-range", key, action, &headers, b"")?;
        match r.status {
            206 => Ok(r.body),
            // A server that ignores Range sends the whole blob.
            200 => Ok(slice(&r.body, offset, len)),
            416 => Ok(Vec::new()),
            404 => Err(Error::NotFound {
                key: key.to_string(),
            }),
            _ => Err(r.error("get-range", key)),
        }
    }

    fn list(&self, prefix: &str) -> Result<Vec<BlobInfo>> {
        check_prefix(prefix)?;
        let full_prefix = if self.prefix.is_empty() {
            prefix.to_string()
        } else {
            format!("{}/{prefix}", self.prefix)
        };
        let strip = if self.prefix.is_empty() {
            0
        } else {
            self.prefix.len() + 1
        };
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut action = ListObjectsV2::new(&self.bucket, self.creds.as_ref());
            action.query_mut().remove("encoding-type");
            if !full_prefix.is_empty() {
                action.with_prefix(full_prefix.clone());
            }
            if let Some(t) = &token {
                action.with_continuation_token(t.clone());
            }
            let r = self.send("list", prefix, action, &[], b"")?;
            if !r.ok() {
                return Err(r.error("list", prefix));
            }
            let page = ListObjectsV2::parse_response(&r.body).map_err(|e| Error::S3 {
                op: "list",
                key: prefix.to_string(),
                status: r.status,
                code: "MalformedXML".into(),
                message: e.to_string(),
            })?;
            for c in page.contents {
                if let Some(key) = c.key.get(strip..) {
                    out.push(BlobInfo {
                        key: key.to_string(),
                        size: c.size,
                    });
                }
            }
            match page.next_continuation_token {
                Some(t) if !t.is_empty() => token = Some(t),
                _ => break,
            }
        }
        out.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(out)
    }

    fn delete(&self, key: &str) -> Result<()> {
        let r = self.delete_request(key, true)?;
        if r.ok() {
            return Ok(());
        }
        if r.status == 403 {
            // Refused: name the date when the blob carries one.
            if let Ok(Some(ret)) = self.retention(key) {
                return Err(Error::locked(key, ret.retain_until));
            }
            let e = s3_xml::error_body(&r.body);
            return Err(Error::Locked {
                key: key.to_string(),
                until: format!("(unknown: {} {})", e.code, e.message),
            });
        }
        Err(r.error("delete", key))
    }

    fn extend_retention(&self, key: &str, until: Timestamp) -> Result<()> {
        check_key(key)?;
        let current = self.retention(key)?;
        if let Some(r) = current {
            if until < r.retain_until {
                return Err(Error::locked(key, r.retain_until));
            }
        }
        let version = self.head(key)?;
        let full = self.full(key);
        let mut action = PutObject::new(&self.bucket, self.creds.as_ref(), &full);
        action.query_mut().insert("retention", "");
        if let Some(v) = &version {
            action.query_mut().insert("versionId", v.clone());
        }
        let body = s3_xml::retention(mode_name(self.mode), &s3_date(until));
        let headers = [("content-md5", content_md5(body.as_bytes()))];
        let r = self.send("put-retention", key, action, &headers, body.as_bytes())?;
        match r.status {
            s if (200..300).contains(&s) => Ok(()),
            403 => Err(Error::locked(
                key,
                current.map_or(until, |c| c.retain_until),
            )),
            _ => Err(r.error("put-retention", key)),
        }
    }

    fn retention(&self, key: &str) -> Result<Option<Retention>> {
        check_key(key)?;
        let full = self.full(key);
        let mut action = GetObject::new(&self.bucket, self.creds.as_ref(), &full);
        action.query_mut().insert("retention", "");
        let r = self.send("get-retention", key, action, &[], b"")?;
        if !r.ok() {
            let e = s3_xml::error_body(&r.body);
            return match (r.status, e.code.as_str()) {
                (404, "NoSuchKey") => Err(Error::NotFound {
                    key: key.to_string(),
                }),
                (_, c) if c.contains("ObjectLock") || c.contains("Retention") => Ok(None),
                (404, _) => Ok(None),
                _ => Err(r.error("get-retention", key)),
            };
        }
        let body = s3_xml::retention_body(&r.body).map_err(|e| Error::S3 {
            op: "get-retention",
            key: key.to_string(),
            status: r.status,
            code: "MalformedXML".into(),
            message: e.to_string(),
        })?;
        let mode = match body.mode.as_str() {
            "COMPLIANCE" => LockMode::Compliance,
            "GOVERNANCE" => LockMode::Governance,
            _ => return Ok(None),
        };
        let until: Timestamp = body.retain_until_date.parse().map_err(|e| Error::S3 {
            op: "get-retention",
            key: key.to_string(),
            status: r.status,
            code: "MalformedDate".into(),
            message: format!("{}: {e}", body.retain_until_date),
        })?;
        Ok(Some(Retention {
            mode,
            retain_until: until,
        }))
    }

    fn describe(&self) -> String {
        if self.prefix.is_empty() {
            format!("s3 {}", self.endpoint)
        } else {
            format!("s3 {}/{}", self.endpoint, self.prefix)
        }
    }
}

fn url_parse(s: &str) -> Result<url::Url> {
    let u = url::Url::parse(s).map_err(|e| Error::Config {
        field: "s3.endpoint".into(),
        why: format!("{s:?}: {e}"),
    })?;
    if u.scheme() != "http" && u.scheme() != "https" {
        return Err(Error::Config {
            field: "s3.endpoint".into(),
            why: format!("{s:?}: not an http(s) URL"),
        });
    }
    Ok(u)
}

fn method_of(m: rusty_s3::Method) -> http::Method {
    match m {
        rusty_s3::Method::Head => http::Method::HEAD,
        rusty_s3::Method::Get => http::Method::GET,
        rusty_s3::Method::Post => http::Method::POST,
        rusty_s3::Method::Put => http::Method::PUT,
        rusty_s3::Method::Delete => http::Method::DELETE,
    }
}

fn mode_name(m: LockMode) -> &'static str {
    match m {
        LockMode::Governance => "GOVERNANCE",
        _ => "COMPLIANCE",
    }
}

fn content_md5(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(Md5::digest(bytes))
}

/// `2027-05-25T00:00:00Z`, rounded up to the next whole second so the stored date is never
/// earlier than the one asked for.
fn s3_date(t: Timestamp) -> String {
    let mut secs = t.as_second();
    if t.subsec_nanosecond() > 0 {
        secs += 1;
    }
    Timestamp::from_second(secs)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|_| t.to_string())
}

fn slice(body: &[u8], offset: u64, len: u64) -> Vec<u8> {
    let start = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(body.len());
    let end = usize::try_from(offset.saturating_add(len))
        .unwrap_or(usize::MAX)
        .min(body.len());
    body[start..end].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_dates_round_up_to_whole_seconds() {
        let t: Timestamp = "2027-05-25T00:00:00.25Z".parse().unwrap();
        assert_eq!(s3_date(t), "2027-05-25T00:00:01Z");
        let t: Timestamp = "2027-05-25T00:00:00Z".parse().unwrap();
        assert_eq!(s3_date(t), "2027-05-25T00:00:00Z");
    }
}
