//! `secedit /export /cfg secedit.inf`: an INI file (`[System Access]`, `[Event Audit]`,
//! `[Registry Values]`, `[Privilege Rights]`, `[Version]` with `signature="$CHICAGO$"`).
//! Keys are matched case-insensitively, as the security engine does; a key given twice
//! keeps its first value (secedit writes each once; the first is what a reader of the
//! file sees first).

use super::Line;

/// One `key = value` line.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    /// The value, surrounding quotes kept (`"Administrator"`).
    pub value: String,
    pub line: Line,
}

/// One `[Section]` and its lines.
#[derive(Debug, Clone)]
pub struct Section {
    pub name: String,
    pub header: Line,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, Default)]
pub struct Inf {
    pub sections: Vec<Section>,
}

impl Inf {
    pub fn parse(text: &str) -> Inf {
        let mut inf = Inf::default();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with(';') {
                continue;
            }
            let at = Line::new(i + 1, line);
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                inf.sections.push(Section {
                    name: name.trim().to_string(),
                    header: at,
                    entries: Vec::new(),
                });
                continue;
            }
            let (Some(section), Some((key, value))) =
                (inf.sections.last_mut(), line.split_once('='))
            else {
                continue;
            };
            section.entries.push(Entry {
                key: key.trim().to_string(),
                value: value.trim().to_string(),
                line: at,
            });
        }
        inf
    }

    /// A secedit export names its format in `[Version]`: `signature="$CHICAGO$"`.
    pub fn is_secedit(&self) -> bool {
        self.get("Version", "signature")
            .is_some_and(|e| e.value.eq_ignore_ascii_case("\"$CHICAGO$\""))
    }

    pub fn section(&self, name: &str) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(name))
    }

    pub fn get(&self, section: &str, key: &str) -> Option<&Entry> {
        self.section(section)?
            .entries
            .iter()
            .find(|e| e.key.eq_ignore_ascii_case(key))
    }
}

/// A value without the quotes secedit puts around strings.
pub fn unquote(value: &str) -> &str {
    let v = value.trim();
    v.strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(v)
}

/// The holders of a privilege or logon right: `*S-1-5-32-544,backup_admin` → SIDs without
/// their `*`, names as written.
pub fn holders(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|h| h.trim().trim_start_matches('*').to_string())
        .filter(|h| !h.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_keys_and_rights_read_as_secedit_writes_them() {
        let inf = Inf::parse(
            "[Unicode]\r\nUnicode=yes\r\n[System Access]\r\nMinimumPasswordAge = 0\r\n\
             NewAdministratorName = \"Administrator\"\r\n[Privilege Rights]\r\n\
             SeDebugPrivilege = *S-1-5-32-544\r\nSeServiceLogonRight = *S-1-5-80-0,svc_backup\r\n\
             [Version]\r\nsignature=\"$CHICAGO$\"\r\nRevision=1\r\n",
        );
        assert!(inf.is_secedit());
        let admin = inf.get("system access", "newadministratorname").unwrap();
        assert_eq!(unquote(&admin.value), "Administrator");
        assert_eq!(admin.line.number, 5);
        let svc = inf.get("Privilege Rights", "SeServiceLogonRight").unwrap();
        assert_eq!(holders(&svc.value), ["S-1-5-80-0", "svc_backup"]);
        assert!(!Inf::parse("[Version]\nsignature=\"$WINDOWS NT$\"\n").is_secedit());
    }
}
