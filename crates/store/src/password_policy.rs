//! What a new password must not be, beyond its length: a common password
//! (`data/security/common-passwords.txt`, with its sources), a single character or a short
//! pattern repeated (`aaaaaaaaaa`, `abcabcabcabc`), or a run along the alphabet, the digits
//! or a keyboard row (`1234567890`, `qwertyuiop`). Written here rather than taken from a
//! strength estimator: the estimators' dictionaries are English, while the passwords this
//! product's users pick (pinyin, 520/1314, numeric runs) are the list's Chinese half.

use crate::error::{Result, StoreError};

const COMMON: &str = include_str!("../../../data/security/common-passwords.txt");

/// Keyboard rows and orderings a walk follows.
const RUNS: &[&str] = &[
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
];

/// Refuses a common, repeated or run-of-keys password, naming the field.
pub fn check_strength(password: &str) -> Result<()> {
    let folded: String = password
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let refuse = |why_en: &str, why_zh: &str| {
        Err(StoreError::invalid(
            "password",
            format!("{why_en}; choose another ({why_zh}，请另选密码)"),
        ))
    };
    if COMMON
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|l| l == folded)
    {
        return refuse("is one of the most common passwords", "属于常见密码");
    }
    if repeats_a_pattern(&folded) {
        return refuse(
            "is one character or a short pattern repeated",
            "由重复的字符或片段组成",
        );
    }
    if is_a_run(&folded) {
        return refuse(
            "follows the alphabet, the digits or a keyboard row",
            "为连续的字母、数字或键盘序列",
        );
    }
    Ok(())
}

/// Whether `s` is some piece of at most 4 characters repeated (with a partial tail).
fn repeats_a_pattern(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    (1..=4.min(chars.len() / 2)).any(|n| chars.iter().enumerate().all(|(i, c)| *c == chars[i % n]))
}

/// Whether `s` runs along one of [`RUNS`], forwards or backwards.
fn is_a_run(s: &str) -> bool {
    let reversed: String = s.chars().rev().collect();
    RUNS.iter()
        .any(|run| run.contains(s) || run.contains(reversed.as_str()))
}

#[cfg(test)]
mod tests {
    use super::check_strength;

    #[test]
    fn common_repeated_and_run_passwords_are_refused() {
        for bad in [
            "1234567890",
            "0987654321",
            "Password123",
            "woaini1314",
            "1qaz2wsx3edc",
            "qwertyuiop",
            "aaaaaaaaaaaa",
            "abcabcabcabc",
            "5201314520",
            "abcdefghijkl",
        ] {
            let err = check_strength(bad).unwrap_err().to_string();
            assert!(err.contains("password"), "{bad}: {err}");
        }
        for good in [
            "correct horse battery staple",
            "matrix password 1",
            "红烧肉配米饭2026",
            "supervisor password 1",
        ] {
            assert!(check_strength(good).is_ok(), "{good}");
        }
    }
}
