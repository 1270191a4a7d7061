//! `dengbao logs count QUERY [--by day|hour]` and `dengbao logs top FIELD QUERY` (the most
//! frequent hosts, apps, sources or IPv4 addresses among the matching events) — the
//! summaries an investigation starts from (issue 14). Both count exactly what `logs search`
//! finds.

use dengbao_logstore::search::Request;
use dengbao_logstore::stats::{Top, TopField};
use dengbao_logstore::Store;
use dengbao_types::Lang;

/// The summary line under a ranking.
fn summary(lang: Lang, t: &Top) -> String {
    match lang {
        Lang::ZhCn => format!(
            "共 {} 条匹配事件，其中 {} 条没有该字段",
            t.matched, t.without
        ),
        Lang::En => format!(
            "{} matching event(s), {} without the field",
            t.matched, t.without
        ),
    }
}

/// Rank `field` (host, app, source, ip) over the matches of `req`: `count<TAB>value` lines,
/// then the summary on stderr; or one JSON object.
pub fn top(
    store: &Store,
    req: &Request,
    field: &str,
    n: usize,
    json: bool,
    lang: Lang,
) -> anyhow::Result<()> {
    let field: TopField = field.parse().map_err(super::lib)?;
    let t = store.top(req, field, n).map_err(super::lib)?;
    if json {
        super::json_line(&t)?;
    } else {
        for v in &t.values {
            println!("{}\t{}", v.count, v.value);
        }
        eprintln!("{}", summary(lang, &t));
    }
    Ok(())
}

/// `count [--by day|hour]`: the total, then `YYYY-MM-DD<TAB>n` per day or
/// `YYYY-MM-DD HH:00<TAB>n` per hour with matches (Asia/Shanghai); or one JSON object.
pub fn count(store: &Store, req: &Request, by: &str, json: bool) -> anyhow::Result<()> {
    match by {
        "day" => {}
        "hour" => return count_by_hour(store, req, json),
        _ => {
            return Err(crate::BadInput::new(format!(
                "--by `{by}`: use day or hour / 应为 day 或 hour"
            )))
        }
    }
    let c = store.count(req).map_err(super::lib)?;
    if json {
        super::json_line(&c)?;
    } else {
        println!("{}", c.total);
        for (d, n) in &c.by_day {
            println!("{d}\t{n}");
        }
    }
    Ok(())
}

fn count_by_hour(store: &Store, req: &Request, json: bool) -> anyhow::Result<()> {
    let h = store.count_by_hour(req).map_err(super::lib)?;
    let total: u64 = h.values().sum();
    if json {
        super::json_line(&serde_json::json!({ "total": total, "by_hour": h }))?;
    } else {
        println!("{total}");
        for (k, n) in &h {
            println!("{k}\t{n}");
        }
    }
    Ok(())
}
