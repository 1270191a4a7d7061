//! `dengbao logs search`: one page of matching events, and the cursor of the next page.

use std::io::Write;
use std::process::ExitCode;

use dengbao_logstore::cursor::Cursor;
use dengbao_logstore::search::Request;
use dengbao_logstore::Store;

use super::{lib, lines};
use crate::{BadInput, Ctx};

/// Print up to `limit` events after `after`; then, when more remain, the cursor of the last
/// one printed (`{"next": …}` as the last JSON line, or `next: …` on stderr).
pub(super) fn search(
    ctx: &Ctx,
    store: &Store,
    mut r: Request,
    limit: usize,
    after: Option<&str>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let after: Option<Cursor> = after
        .map(|a| {
            a.parse()
                .map_err(|e| BadInput::new(format!("--after `{a}`: {e}")))
        })
        .transpose()?;
    if limit == 0 {
        return Err(BadInput::new(
            "--limit must be at least 1 / --limit 至少为 1",
        ));
    }
    // One more than the page: whether it exists decides `next`.
    r.limit = Some(limit.saturating_add(1));
    let mut out = std::io::stdout().lock();
    let mut err = None;
    let (mut shown, mut last, mut more) = (0usize, None::<String>, false);
    store
        .search_after(&r, after.as_ref(), |h| {
            if shown == limit {
                more = true;
                return false;
            }
            let res = if json {
                serde_json::to_writer(&mut out, &h)
                    .map_err(anyhow::Error::from)
                    .and_then(|_| Ok(writeln!(out)?))
            } else {
                writeln!(
                    out,
                    "{} {} {} {}: {}",
                    h.time,
                    h.network,
                    h.host.as_deref().unwrap_or("-"),
                    h.app.as_deref().unwrap_or("-"),
                    h.message
                )
                .map_err(anyhow::Error::from)
            };
            // A closed pipe (`| head`) just ends the stream.
            if let Err(e) = res {
                err = Some(e);
                return false;
            }
            shown += 1;
            last = Some(h.cursor);
            true
        })
        .map_err(lib)?;
    let next = if more { last } else { None };
    if err.is_none() {
        if json {
            let _ = writeln!(out, "{}", serde_json::json!({ "next": next }));
        } else {
            eprintln!("{}", lines::found(ctx.lang, shown as u64));
            if let Some(n) = &next {
                eprintln!("next: {n}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
