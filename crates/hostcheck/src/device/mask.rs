//! Evidence never carries a secret: the value after a password, secret, key or community
//! keyword is replaced, whatever form it is stored in (plain, `cipher`, `7`, `$1a$…`).

/// Words after which the next value is a secret.
const SECRET_WORDS: &[&str] = &[
    "password",
    "secret",
    "key",
    "key-string",
    "shared-key",
    "pre-shared-key",
    "authentication-key",
    "community",
    "securityname",
    "cipher",
    "irreversible-cipher",
    "simple",
    "hash",
];

/// Words between a secret word and its value: how it is stored, or a privilege level;
/// a number of one or two digits is a type (`7`) or a key id (`authentication-key 1`).
const FORM_WORDS: &[&str] = &[
    "cipher",
    "irreversible-cipher",
    "simple",
    "hash",
    "plain",
    "encrypted",
    "read",
    "write",
    "md5",
    "sha",
];

pub const MASK: &str = "******";

/// How the vendors print a stored secret (`$c$3$…`, `$h$6$…`, `$1a$…$`, `$9$…`,
/// `%^%#…%^%#`, `%@%@…%@%@`, `%$%$…%$%$`): masked wherever it stands.
fn is_stored_secret(word: &str) -> bool {
    let dollar = word.strip_prefix('$').is_some_and(|rest| {
        rest.split_once('$').is_some_and(|(kind, _)| {
            !kind.is_empty() && kind.len() <= 3 && kind.bytes().all(|b| b.is_ascii_alphanumeric())
        })
    });
    dollar || ["%^%#", "%@%@", "%$%$"].iter().any(|p| word.starts_with(p))
}

/// `text` with every secret value replaced by `******`.
pub fn mask(text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let mut out: Vec<&str> = Vec::with_capacity(words.len());
    let mut i = 0;
    while let Some(w) = words.get(i) {
        out.push(if is_stored_secret(w) { MASK } else { w });
        i += 1;
        if !SECRET_WORDS.contains(&w.to_ascii_lowercase().as_str()) {
            continue;
        }
        // Skip the storage form (`cipher`, `7`) and `level N`, then mask the value.
        while let Some(next) = words.get(i) {
            let small_number = next.len() <= 2 && next.bytes().all(|b| b.is_ascii_digit());
            if FORM_WORDS.contains(next) || small_number {
                out.push(next);
                i += 1;
            } else if *next == "level" && words.get(i + 1).is_some_and(|n| n.parse::<u8>().is_ok())
            {
                out.extend(words.get(i..i + 2).unwrap_or_default());
                i += 2;
            } else {
                break;
            }
        }
        if words.get(i).is_some_and(|v| !v.is_empty()) {
            out.push(MASK);
            i += 1;
        }
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn secrets_are_masked_in_every_form() {
        let cases = [
            ("local-user admin password irreversible-cipher $1a$Xy$abc", "local-user admin password irreversible-cipher ******"),
            ("enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0", "enable secret 5 ******"),
            ("username ops privilege 15 secret 9 $9$abc", "username ops privilege 15 secret 9 ******"),
            ("snmp-server community public RO 10", "snmp-server community ****** RO 10"),
            ("snmp-agent community read cipher %^%#abc%^%#", "snmp-agent community read cipher ******"),
            ("super password level 15 cipher abc", "super password level 15 cipher ******"),
            ("password simple admin123", "password simple ******"),
            ("password 7 0822455D0A16", "password 7 ******"),
            ("hwtacacs-server shared-key cipher %^%#x", "hwtacacs-server shared-key cipher ******"),
            ("ntp authentication-key 1 md5 0822 7", "ntp authentication-key 1 md5 ****** 7"),
            ("password-control login-attempt 3 exceed lock-time 10", "password-control login-attempt 3 exceed lock-time 10"),
            ("transport input ssh", "transport input ssh"),
            ("snmp-agent usm-user v3 nms nms-group cipher authentication-mode sha $c$3$abc privacy-mode aes128 $c$3$def", "snmp-agent usm-user v3 nms nms-group cipher ****** sha ****** privacy-mode aes128 ******"),
        ];
        for (line, want) in cases {
            assert_eq!(mask(line), want, "{line}");
        }
    }
}
