//! The console's form extractor: a body that does not fit the form's fields is refused
//! like any other bad value — a page in the user's language, with the navigation, naming
//! the field (and so refilled by [`crate::refill`]) — not axum's plain-text
//! "Failed to deserialize form body".

use axum::body::to_bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use serde::de::DeserializeOwned;

use crate::{Ctx, PageError};
use dengbao_server::AppState;

/// A signed-in form's limit (decision 0921; the CSRF check has enforced it, with its
/// deadline, before this reads the buffered body). Files go through the multipart upload.
const LIMIT: usize = 1024 * 1024;

/// A form's fields as `T`.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for Form<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, PageError> {
        let (mut parts, body) = req.into_parts();
        let Ok(c) = Ctx::from_request_parts(&mut parts, state).await;
        let bytes = to_bytes(body, LIMIT)
            .await
            .map_err(|_| PageError::bad(&c, "error.form_too_large"))?;
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(&bytes));
        serde_path_to_error::deserialize(de)
            .map(Form)
            .map_err(|e| PageError::bad(&c, message(&e)))
    }
}

/// `invalid <field>: <both languages>`, the shape the pages name a field by.
fn message(e: &serde_path_to_error::Error<serde::de::value::Error>) -> String {
    let inner = e.inner().to_string();
    if let Some(field) = inner
        .strip_prefix("missing field `")
        .and_then(|r| r.strip_suffix('`'))
    {
        return format!("invalid {field}: 必须填写 / required");
    }
    let path = e.path().to_string();
    if path.is_empty() || path == "." {
        return format!("表单内容不正确 / the form's content is not as expected ({inner})");
    }
    format!("invalid {path}: 格式不正确 / not in the expected form ({inner})")
}
