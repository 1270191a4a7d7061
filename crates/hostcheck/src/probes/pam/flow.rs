//! The paths through a PAM stack. A module that a jump (`[success=N]`), a `sufficient`
//! module's success or a `die` can skip is not enforced on every path: `flow` walks every
//! path (each rule succeeding or failing) and reports the first that succeeds without the
//! module, or fails without counting the failure (decision 0423).

use std::collections::{HashMap, HashSet, VecDeque};

use super::{Action, PamRule};
use crate::probes::Evidence;

/// What the path analysis looks for.
pub struct Wanted<'a> {
    pub module: &'a str,
    /// The rules of `module` that enforce it (their argument); empty = every rule.
    pub modes: &'a [String],
    /// The argument of the rule that must run after a failed password check.
    pub counting: Option<&'a str>,
    /// The modules that check a password (their failure is what must be counted).
    pub credentials: &'a [String],
}

impl Wanted<'_> {
    fn enforces(&self, r: &PamRule) -> bool {
        r.name() == self.module
            && (self.modes.is_empty() || self.modes.iter().any(|m| r.has_arg(m)))
    }
    fn counts(&self, r: &PamRule) -> bool {
        r.name() == self.module && self.counting.is_some_and(|c| r.has_arg(c))
    }
}

/// Where the stack's paths lead.
pub(in crate::probes) enum Flow {
    /// Every path that succeeds ran an enforcing rule that succeeded, and every failed
    /// password check was counted.
    Enforced,
    /// A path succeeds without the module, or a failed password goes uncounted: the rules
    /// that steered it (jumps, `done`, `die`, the failing check, the rules it missed).
    Skipped {
        uncounted: bool,
        path: Vec<Evidence>,
        missed: Vec<Evidence>,
    },
    /// Cannot be decided: why, and the line.
    Undecided {
        zh: String,
        en: String,
        lines: Vec<Evidence>,
    },
}

/// One point of a path: the next rule and what has happened so far.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct State {
    at: usize,
    /// A module failed in a way that makes the stack fail (`bad`, `die`, or `ok` on error).
    failed: bool,
    /// A module succeeded with `ok`/`done`: without one, libpam returns failure.
    positive: bool,
    /// An enforcing rule of the module succeeded on this path.
    enforced: bool,
    /// An enforcing rule failed (the account is locked): its failures are not counted.
    locked: bool,
    /// A password check failed and no counting rule has run since.
    uncounted: bool,
}

/// How a rule was left on a path: which rule, whether it succeeded, what libpam did.
type Step = (usize, bool, Action);

/// Every path through `rules`: each module may succeed or fail (with each action its
/// control gives a failure), libpam's rules for ok/done/bad/die/jumps and substacks.
pub(in crate::probes) fn flow(rules: &[PamRule], want: &Wanted) -> Flow {
    if let Some(r) = rules.iter().find(|r| r.control.is_err()) {
        let word = r.control.as_ref().err().cloned().unwrap_or_default();
        return Flow::Undecided {
            zh: format!("{}:{} 的控制字段 {word} 无法分析", r.path, r.line),
            en: format!("{}:{}: control {word} cannot be analysed", r.path, r.line),
            lines: vec![r.evidence()],
        };
    }
    let start = State {
        at: 0,
        failed: false,
        positive: false,
        enforced: false,
        locked: false,
        uncounted: false,
    };
    let mut came_from: HashMap<State, (State, Step)> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    let mut seen = HashSet::from([start]);
    let mut any_success = false;
    while let Some(s) = queue.pop_front() {
        let Some(rule) = rules.get(s.at) else {
            // The end of the stack: libpam's answer.
            let success = s.positive && !s.failed;
            any_success |= success;
            let skipped = success && !s.enforced;
            let uncounted = !success && s.uncounted && !s.locked && want.counting.is_some();
            if skipped || uncounted {
                let (path, missed) = witness(rules, want, &came_from, s);
                return Flow::Skipped {
                    uncounted: !skipped,
                    path,
                    missed,
                };
            }
            continue;
        };
        let Ok((on_success, on_failure)) = &rule.control else {
            continue;
        };
        // pam_deny(8) always fails and pam_permit(8) always succeeds: the paths through
        // them are only those.
        let can_succeed = rule.name() != "pam_deny.so";
        let can_fail = rule.name() != "pam_permit.so";
        let outcomes = std::iter::once((true, *on_success))
            .filter(|_| can_succeed)
            .chain(on_failure.iter().map(|a| (false, *a)).filter(|_| can_fail));
        for (ok, act) in outcomes {
            let mut n = s;
            if want.counts(rule) {
                n.uncounted = false;
            }
            if want.enforces(rule) {
                if ok {
                    n.enforced = true;
                } else {
                    n.locked = true;
                }
            }
            if !ok && want.credentials.iter().any(|c| c == rule.name()) {
                n.uncounted = true;
            }
            n.at = s.at + 1;
            match act {
                Action::Ok | Action::Done => {
                    if ok && !n.failed {
                        n.positive = true;
                    }
                    if !ok {
                        n.failed = true;
                    }
                    // `done` ends the stack only while nothing has failed (libpam).
                    if act == Action::Done && !n.failed {
                        n.at = leave(rules, s.at);
                    }
                }
                Action::Bad => n.failed = true,
                Action::Die => {
                    n.failed = true;
                    n.at = leave(rules, s.at);
                }
                Action::Ignore => {}
                Action::Jump(k) => n.at = jump(rules, s.at, k),
            }
            if seen.insert(n) {
                came_from.insert(n, (s, (s.at, ok, act)));
                queue.push_back(n);
            }
        }
    }
    if !any_success {
        let jumps = rules
            .iter()
            .filter(|r| matches!(r.control, Ok((Action::Jump(_), _))))
            .map(PamRule::evidence)
            .collect();
        return Flow::Undecided {
            zh: "按所读配置，没有任何路径能鉴别成功（跳转数可能有误），所读文件不会是实际生效的配置".into(),
            en: "no path through this stack succeeds as read (a jump count is likely wrong), so it cannot be what the host runs".into(),
            lines: jumps,
        };
    }
    Flow::Enforced
}

/// Where libpam goes after `done`/`die` at rule `i`: out of its substack, or the end.
fn leave(rules: &[PamRule], i: usize) -> usize {
    let level = rules.get(i).map_or(0, |r| r.level);
    if level == 0 {
        return rules.len();
    }
    (i + 1..rules.len())
        .find(|&k| rules[k].level < level)
        .unwrap_or(rules.len())
}

/// The rule after jumping over `n` rules from rule `i`: a substack counts as one, and a
/// jump cannot leave its substack (libpam's `_pam_dispatch_aux`).
fn jump(rules: &[PamRule], i: usize, n: usize) -> usize {
    let level = rules.get(i).map_or(0, |r| r.level);
    let mut j = i;
    for _ in 0..n {
        if rules.get(j + 1).is_none_or(|r| r.level < level) {
            break;
        }
        j += 1;
        while rules.get(j + 1).is_some_and(|r| r.level > level) {
            j += 1;
        }
    }
    j + 1
}

/// The lines that steered a path (its jumps, `done`s and `die`s, and the password checks
/// that failed on it), and the rules of the module it never ran.
fn witness(
    rules: &[PamRule],
    want: &Wanted,
    came_from: &HashMap<State, (State, Step)>,
    end: State,
) -> (Vec<Evidence>, Vec<Evidence>) {
    let mut steps = Vec::new();
    let mut at = end;
    while let Some((prev, step)) = came_from.get(&at) {
        steps.push(*step);
        at = *prev;
    }
    steps.reverse();
    let credential = |i: usize| {
        rules
            .get(i)
            .is_some_and(|r| want.credentials.iter().any(|c| c == r.name()))
    };
    let path = steps
        .iter()
        .filter(|(i, ok, act)| {
            (!ok && credential(*i)) || matches!(act, Action::Jump(_) | Action::Done | Action::Die)
        })
        .filter_map(|(i, _, _)| rules.get(*i))
        .map(PamRule::evidence)
        .collect();
    let missed = rules
        .iter()
        .enumerate()
        .filter(|(i, r)| r.name() == want.module && !steps.iter().any(|s| s.0 == *i))
        .map(|(_, r)| r.evidence())
        .collect();
    (path, missed)
}

#[cfg(test)]
mod tests {
    use super::super::control;
    use super::*;

    fn rule(level: usize, control_word: &str, module: &str) -> PamRule {
        PamRule {
            path: "/etc/pam.d/t".into(),
            line: 1,
            text: String::new(),
            module: module.into(),
            args: Vec::new(),
            level,
            control: control(control_word),
        }
    }

    #[test]
    fn a_jump_counts_a_substack_as_one_rule_and_stays_inside_its_own() {
        let rules = vec![
            rule(0, "[success=1 default=ignore]", "pam_a.so"),
            rule(1, "required", "pam_b.so"),
            rule(1, "[success=5 default=ignore]", "pam_c.so"),
            rule(0, "required", "pam_d.so"),
            rule(0, "required", "pam_e.so"),
        ];
        // Over the substack (rules 1 and 2) to pam_d.
        assert_eq!(jump(&rules, 0, 1), 3);
        // From inside the substack, no further than its end.
        assert_eq!(jump(&rules, 2, 5), 3);
        // `die` inside the substack leaves only the substack.
        assert_eq!(leave(&rules, 1), 3);
        assert_eq!(leave(&rules, 3), 5);
    }
}
