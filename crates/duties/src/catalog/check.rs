//! Load-time validation of the catalog: every check names the file, the duty or penalty
//! id and the field, so a reviewer editing `data/` is told exactly what to fix.

use super::*;

pub(crate) fn derr(file: &str, id: &str, field: &str, message: &str) -> CatalogError {
    CatalogError::Duty {
        file: file.to_string(),
        id: id.to_string(),
        field: field.to_string(),
        message: message.to_string(),
    }
}

pub(super) fn perr(file: &str, id: &str, field: &str, message: &str) -> CatalogError {
    CatalogError::Penalty {
        file: file.to_string(),
        id: id.to_string(),
        field: field.to_string(),
        message: message.to_string(),
    }
}

pub(crate) fn check_article(law: &str, article: u32) -> Result<(), String> {
    let n = article_count(law).ok_or_else(|| {
        format!("unknown law `{law}` (csl, mlps, dsl, pipl, ciipr, ndsr, cryptolaw or ccr)")
    })?;
    if article == 0 || article > n {
        return Err(format!("{law} has articles 1–{n}, not {article}"));
    }
    Ok(())
}

pub(super) fn validate_penalty(file: &str, p: &Penalty) -> Result<(), CatalogError> {
    if let Some(v) = &p.version {
        return validate_later_penalty(file, p, v);
    }
    if !p.succeeds.is_empty() || p.added {
        return Err(perr(
            file,
            &p.id,
            "succeeds",
            "only a penalty of a later `version` succeeds another or is added",
        ));
    }
    check_article(&p.law, p.article).map_err(|m| perr(file, &p.id, "article", &m))?;
    if !in_scope(PENALTY_SCOPE, &p.law, p.article) {
        return Err(perr(
            file,
            &p.id,
            "article",
            "outside the liability chapters",
        ));
    }
    let expected = match p.paragraph {
        Some(n) => format!("{}.{}.{}", p.law, p.article, n),
        None => format!("{}.{}", p.law, p.article),
    };
    if p.id != expected {
        return Err(perr(file, &p.id, "id", &format!("should be `{expected}`")));
    }
    for r in [p.org_fine, p.person_fine, p.org_fine_if_no_income]
        .iter()
        .flatten()
    {
        if r[0] > r[1] {
            return Err(perr(file, &p.id, "fine", "min is above max"));
        }
    }
    for c in &p.covers {
        let (law, rest) = c.split_once(' ').ok_or_else(|| {
            perr(
                file,
                &p.id,
                "covers",
                &format!("`{c}`: write `law article[.paragraph]`"),
            )
        })?;
        let article: u32 = rest
            .split('.')
            .next()
            .and_then(|a| a.parse().ok())
            .ok_or_else(|| perr(file, &p.id, "covers", &format!("`{c}`: no article number")))?;
        check_article(law, article).map_err(|m| perr(file, &p.id, "covers", &m))?;
    }
    Ok(())
}

pub(super) fn check_event(
    file: &str,
    id: &str,
    field: &str,
    name: &str,
) -> Result<(), CatalogError> {
    match event_index(name) {
        Some(_) => Ok(()),
        None => Err(derr(file, id, field, &format!("unknown event `{name}`"))),
    }
}

pub(super) fn validate_duty(
    file: &str,
    raw: RawDuty,
    penalties: &BTreeMap<String, Penalty>,
    condition: usize,
) -> Result<Duty, CatalogError> {
    let id = raw.id.clone();
    if raw.title.trim().is_empty() || raw.title_en.trim().is_empty() {
        return Err(derr(file, &id, "title", "empty"));
    }
    if raw.citations.is_empty() {
        return Err(derr(
            file,
            &id,
            "citations",
            "a duty needs at least one citation",
        ));
    }
    let mut citations = Vec::new();
    for c in &raw.citations {
        check_article(&c.law, c.article).map_err(|m| derr(file, &id, "citations", &m))?;
        if !in_scope(DUTY_SCOPE, &c.law, c.article) {
            return Err(derr(
                file,
                &id,
                "citations",
                &format!(
                    "{} {} is outside the chapters the catalog covers",
                    c.law, c.article
                ),
            ));
        }
        let mut cit = Citation::article(&c.law, c.article);
        cit.paragraph = c.paragraph;
        cit.item = c.item;
        citations.push(cit);
    }
    if let Some(p) = &raw.penalty {
        if !penalties.contains_key(p) {
            return Err(derr(
                file,
                &id,
                "penalty",
                &format!("no penalty `{p}` in data/penalties"),
            ));
        }
    }
    for m in &raw.met_when {
        check_event(file, &id, "met_when", m)?;
    }
    let clock = match raw.clock {
        None => None,
        Some(c) => Some(validate_clock(file, &id, c)?),
    };
    match (&raw.kind, &clock) {
        (Kind::Recurring, Some(Clock::Every { .. })) => {}
        (Kind::Recurring, _) => {
            return Err(derr(file, &id, "clock", "a recurring duty needs `every`"))
        }
        (_, Some(Clock::Every { .. })) => {
            return Err(derr(
                file,
                &id,
                "kind",
                "`every` needs kind = \"recurring\"",
            ))
        }
        (Kind::EventTriggered, Some(Clock::After { .. })) => {}
        (Kind::EventTriggered, _) => {
            return Err(derr(
                file,
                &id,
                "clock",
                "an event-triggered duty needs `after`",
            ))
        }
        _ => {}
    }
    if raw.kind == Kind::Prohibition && (clock.is_some() || !raw.met_when.is_empty()) {
        return Err(derr(
            file,
            &id,
            "kind",
            "a prohibition has no clock and no met_when: it is breached or not",
        ));
    }
    if raw.penalty.is_some() && raw.penalty_unresolved.is_some() {
        return Err(derr(
            file,
            &id,
            "penalty_unresolved",
            "give either a penalty or an unresolved reference, not both",
        ));
    }
    if matches!(raw.kind, Kind::OneOff | Kind::EventTriggered) && raw.met_when.is_empty() {
        return Err(derr(
            file,
            &id,
            "met_when",
            "name the event that satisfies it",
        ));
    }
    Ok(Duty {
        id: raw.id,
        title: raw.title,
        title_en: raw.title_en,
        party: raw.party,
        citations: citations.clone(),
        applies_when: raw.applies_when,
        kind: raw.kind,
        clock,
        met_when: raw.met_when,
        evidence: raw.evidence,
        penalty: raw.penalty,
        note: raw.note,
        penalty_unresolved: raw.penalty_unresolved,
        same_act: raw.same_act,
        in_force: super::in_force::validate(file, &id, raw.in_force)?,
        computed_from: raw.computed_from,
        source: file.to_string(),
        condition,
        dated: crate::cited::Dated::new(&citations),
    })
}

pub(crate) fn validate_clock(file: &str, id: &str, c: RawClock) -> Result<Clock, CatalogError> {
    let limits = [
        c.working_days.map(Limit::WorkingDays),
        c.days.map(Limit::Days),
        c.hours.map(Limit::Hours),
    ];
    let mut limit = None;
    for l in limits.into_iter().flatten() {
        if limit.replace(l).is_some() {
            return Err(derr(
                file,
                id,
                "clock",
                "give one of working_days, days, hours",
            ));
        }
    }
    if let Some(every) = &c.every {
        let period = Period::parse(every).ok_or_else(|| {
            derr(
                file,
                id,
                "clock.every",
                &format!("`{every}`: write 1y, 6mo or 30d"),
            )
        })?;
        let after = c.after.ok_or_else(|| {
            derr(
                file,
                id,
                "clock.after",
                "`every` needs `after` (the last time)",
            )
        })?;
        check_event(file, id, "clock.after", &after)?;
        if let Some(f) = &c.first_after {
            check_event(file, id, "clock.first_after", f)?;
        }
        return Ok(Clock::Every {
            period,
            after,
            first_after: c.first_after,
        });
    }
    if let Some(event) = c.after {
        check_event(file, id, "clock.after", &event)?;
        if let Some(l) = &c.later_of {
            check_event(file, id, "clock.later_of", l)?;
        }
        return Ok(Clock::After {
            event,
            later_of: c.later_of,
            limit,
            if_missing: c.if_missing,
        });
    }
    if c.later_of.is_some() {
        return Err(derr(file, id, "clock.later_of", "`later_of` needs `after`"));
    }
    if limit.is_some() {
        return Err(derr(file, id, "clock", "a time limit needs `after`"));
    }
    if let Some(event) = c.before {
        check_event(file, id, "clock.before", &event)?;
        let by_stage = c.by_stage.or(if event == "launched" {
            Some(Stage::Running)
        } else {
            None
        });
        return Ok(Clock::Before { event, by_stage });
    }
    if let Some(stage) = c.by_stage {
        return Ok(Clock::ByStage { stage });
    }
    Err(derr(file, id, "clock", "empty clock"))
}

/// A penalty in a later version's numbering (data/penalties/csl-amended-2025.toml): its
/// version must be one the law has, with an in-force date, and its id says which.
fn validate_later_penalty(file: &str, p: &Penalty, version: &str) -> Result<(), CatalogError> {
    let citer = crate::cited::citer().ok_or_else(|| {
        perr(
            file,
            &p.id,
            "version",
            "the law's versions could not be read",
        )
    })?;
    if citer.in_force(&p.law, version).is_none() {
        return Err(perr(
            file,
            &p.id,
            "version",
            &format!("{} has no version `{version}` in force", p.law),
        ));
    }
    let expected = match p.paragraph {
        Some(n) => format!("{}.{}.{}@{version}", p.law, p.article, n),
        None => format!("{}.{}@{version}", p.law, p.article),
    };
    if p.id != expected {
        return Err(perr(file, &p.id, "id", &format!("should be `{expected}`")));
    }
    for r in [p.org_fine, p.person_fine, p.first_fine].iter().flatten() {
        if r[0] > r[1] {
            return Err(perr(file, &p.id, "fine", "min is above max"));
        }
    }
    match (p.succeeds.is_empty(), p.added) {
        (true, false) => Err(perr(
            file,
            &p.id,
            "succeeds",
            "name the earlier penalties it takes over, or say `added = true`",
        )),
        (false, true) => Err(perr(
            file,
            &p.id,
            "added",
            "a provision the version adds takes over no earlier penalty",
        )),
        _ => Ok(()),
    }
}
