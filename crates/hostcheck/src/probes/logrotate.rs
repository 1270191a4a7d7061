//! How long logrotate keeps a log: the period (daily 1, weekly 7, monthly 30, yearly 365
//! days) times `rotate`, capped by `maxage`, from the block that names the file (else the
//! global defaults of logrotate.conf). Size-triggered rotation keeps an unknown span.

use super::{content, evidence, Evidence, Outcome, Status};
use crate::host::Host;

const CONF: &str = "/etc/logrotate.conf";

#[derive(Clone, Default)]
struct Policy {
    period_days: Option<i64>,
    rotate: Option<i64>,
    maxage: Option<i64>,
    by_size: bool,
    lines: Vec<Evidence>,
}

impl Policy {
    fn apply(&mut self, line: &str, ev: Evidence) {
        let mut words = line.split_whitespace();
        let key = words.next().unwrap_or_default();
        let arg = words.next().and_then(|a| a.parse::<i64>().ok());
        let hit = match key {
            "daily" => {
                self.period_days = Some(1);
                true
            }
            "weekly" => {
                self.period_days = Some(7);
                true
            }
            "monthly" => {
                self.period_days = Some(30);
                true
            }
            "yearly" => {
                self.period_days = Some(365);
                true
            }
            "rotate" => {
                self.rotate = arg;
                true
            }
            "maxage" => {
                self.maxage = arg;
                true
            }
            "size" => {
                self.by_size = true;
                true
            }
            _ => false,
        };
        if hit {
            self.lines.push(ev);
        }
    }
}

/// Whether a block's path pattern names `file` (`*` matches within a name).
fn names(pattern: &str, file: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == file,
        Some((pre, post)) => {
            file.len() >= pre.len() + post.len()
                && file.starts_with(pre)
                && file.ends_with(post)
                && !file[pre.len()..file.len() - post.len()].contains('/')
        }
    }
}

/// The policy logrotate applies to `file`: globals of logrotate.conf, then the first block
/// (in logrotate.conf or an included directory, in order) that names it.
fn policy_for(host: &Host, file: &str) -> Option<Policy> {
    let mut global = Policy::default();
    let mut files = vec![CONF.to_string()];
    let mut found: Option<Policy> = None;
    let mut i = 0;
    while i < files.len() {
        let path = files[i].clone();
        i += 1;
        let Ok(text) = host.read(&path) else { continue };
        let mut block: Option<(bool, Policy)> = None;
        // Paths may stand on their own lines before the `{` (Debian's rsyslog file).
        let mut pending: Vec<String> = Vec::new();
        let mut in_script = false;
        for (n, raw) in text.lines().enumerate() {
            let Some(line) = content(raw) else { continue };
            // postrotate … endscript hold shell commands, not directives.
            if in_script {
                in_script = line != "endscript";
                continue;
            }
            if [
                "postrotate",
                "prerotate",
                "firstaction",
                "lastaction",
                "preremove",
            ]
            .contains(&line)
            {
                in_script = true;
                continue;
            }
            if let Some(dir) = line.strip_prefix("include") {
                let dir = dir.trim();
                files.extend(host.expand(&format!("{dir}/*")));
                continue;
            }
            if block.is_none()
                && (line.starts_with('/') || line.starts_with('"'))
                && !line.ends_with('{')
            {
                pending.extend(
                    line.split_whitespace()
                        .map(|p| p.trim_matches('"').to_string()),
                );
                continue;
            }
            if line.ends_with('{') {
                pending.extend(
                    line.trim_end_matches('{')
                        .split_whitespace()
                        .map(|p| p.trim_matches('"').to_string()),
                );
                let ours = pending.iter().any(|p| names(p, file));
                pending.clear();
                block = Some((ours, global.clone()));
                if ours {
                    if let Some((_, p)) = block.as_mut() {
                        p.lines.push(evidence(&path, n + 1, line));
                    }
                }
                continue;
            }
            if line == "}" {
                if let Some((true, p)) = block.take() {
                    if found.is_none() {
                        found = Some(p);
                    }
                }
                continue;
            }
            match block.as_mut() {
                Some((true, p)) => p.apply(line, evidence(&path, n + 1, line)),
                Some((false, _)) => {}
                None if path == CONF => global.apply(line, evidence(&path, n + 1, line)),
                None => {}
            }
        }
    }
    found
}

pub fn retention(host: &Host, logs: &[String], min_days: i64) -> Outcome {
    let mut ev = Vec::new();
    let mut short = Vec::new();
    let mut undecided = Vec::new();
    let mut seen = 0;
    for file in logs {
        let Some(p) = policy_for(host, file) else {
            continue;
        };
        seen += 1;
        ev.extend(p.lines.clone());
        let days = match (p.period_days, p.rotate) {
            (Some(d), Some(r)) if !p.by_size => Some(d * r),
            _ => None,
        };
        let days = match (days, p.maxage) {
            (Some(d), Some(m)) => Some(d.min(m)),
            (d, _) => d,
        };
        match days {
            Some(d) if d >= min_days => {}
            Some(d) => short.push(format!("{file} {d}")),
            None => undecided.push(file.clone()),
        }
    }
    if seen == 0 {
        return Outcome::new(
            Status::Unknown,
            format!(
                "logrotate 未配置 {}：保存期限看不出 / logrotate does not name these logs",
                logs.join(", ")
            ),
            ev,
        );
    }
    if !short.is_empty() {
        return Outcome::new(
            Status::Fail,
            format!("本机只保留约（天）：{}，不足 {min_days} 天 / kept locally for (days): {}, under {min_days}", short.join("，"), short.join(", ")),
            ev,
        );
    }
    if !undecided.is_empty() {
        return Outcome::new(
            Status::Unknown,
            format!("按大小轮转或未设保留份数，保存天数取决于日志量：{} / rotated by size or without a count: {}", undecided.join(", "), undecided.join(", ")),
            ev,
        );
    }
    Outcome::new(
        Status::Pass,
        format!("本机保留不少于 {min_days} 天 / kept locally for at least {min_days} days"),
        ev,
    )
}
