//! `reg export <key> <file>.reg` (UTF-16LE, `Windows Registry Editor Version 5.00`) and
//! `regedit /a` (`REGEDIT4`, the ANSI code page): `[key]` headers, then `"name"=data`
//! lines (`dword:0000000a`, `"text"`, `hex(…):…` continued with `\`). An export holds its
//! key and every subkey, so the first header of a file says which part of the registry
//! the file covers: a key under it that is not in the file does not exist, and its values
//! are Windows' defaults.

use super::Line;

/// One value: a DWORD as its decimal number, a string unescaped, anything else as written.
#[derive(Debug, Clone)]
pub struct Value {
    pub name: String,
    pub data: String,
    pub line: Line,
}

#[derive(Debug, Clone)]
pub struct Key {
    /// Normalised: `HKEY_LOCAL_MACHINE\…`, upper case.
    pub path: String,
    pub header: Line,
    pub values: Vec<Value>,
}

/// One exported file.
#[derive(Debug, Clone)]
pub struct RegFile {
    pub keys: Vec<Key>,
}

impl RegFile {
    /// `None` when the text is not a registry export (no header line).
    pub fn parse(text: &str) -> Option<RegFile> {
        let mut lines = text.lines().enumerate().peekable();
        let first = lines.find(|(_, l)| !l.trim().is_empty())?.1.trim();
        if first != "Windows Registry Editor Version 5.00" && first != "REGEDIT4" {
            return None;
        }
        let mut keys: Vec<Key> = Vec::new();
        while let Some((i, raw)) = lines.next() {
            let mut line = raw.trim().to_string();
            // Hex data continues on the next lines after a trailing backslash.
            while line.ends_with('\\') && !line.starts_with('[') {
                line.pop();
                match lines.next() {
                    Some((_, more)) => line.push_str(more.trim()),
                    None => break,
                }
            }
            if line.is_empty() || line.starts_with(';') {
                continue;
            }
            let at = Line::new(i + 1, raw);
            if let Some(path) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                // `[-key]` deletes a key: not a state of the machine.
                if !path.starts_with('-') {
                    keys.push(Key {
                        path: normalise(path),
                        header: at,
                        values: Vec::new(),
                    });
                }
                continue;
            }
            if let (Some(key), Some((name, data))) = (keys.last_mut(), value_line(&line)) {
                key.values.push(Value {
                    name,
                    data,
                    line: at,
                });
            }
        }
        Some(RegFile { keys })
    }

    /// Whether this export covers `key` (normalised): the key is its first header or below.
    pub fn covers(&self, key: &str) -> bool {
        self.keys
            .first()
            .is_some_and(|root| key == root.path || key.starts_with(&format!("{}\\", root.path)))
    }

    pub fn key(&self, key: &str) -> Option<&Key> {
        self.keys.iter().find(|k| k.path == key)
    }
}

/// `HKLM\Software` and `HKEY_LOCAL_MACHINE\SOFTWARE` alike: the long root name, upper case,
/// no trailing backslash (the registry compares names case-insensitively).
pub fn normalise(path: &str) -> String {
    let upper = path.trim().trim_end_matches('\\').to_uppercase();
    for (short, long) in [
        ("HKLM\\", "HKEY_LOCAL_MACHINE\\"),
        ("MACHINE\\", "HKEY_LOCAL_MACHINE\\"),
        ("HKCU\\", "HKEY_CURRENT_USER\\"),
        ("HKU\\", "HKEY_USERS\\"),
    ] {
        if let Some(rest) = upper.strip_prefix(short) {
            return format!("{long}{rest}");
        }
    }
    upper
}

/// `"name"=data` or `@=data` → (name, data as compared); deletions (`=-`) are skipped.
fn value_line(line: &str) -> Option<(String, String)> {
    let (name, rest) = if let Some(rest) = line.strip_prefix("@=") {
        ("@".to_string(), rest)
    } else {
        let (name, rest) = quoted(line.strip_prefix('"')?)?;
        (name, rest.strip_prefix('=')?)
    };
    let rest = rest.trim();
    if rest == "-" {
        return None;
    }
    let data = if let Some(hex) = rest.strip_prefix("dword:") {
        u32::from_str_radix(hex.trim(), 16).ok()?.to_string()
    } else if let Some(s) = rest.strip_prefix('"') {
        quoted(s)?.0
    } else {
        rest.to_string()
    };
    Some((name, data))
}

/// The rest of a `"…"` string (opening quote already taken), unescaped, and what follows.
fn quoted(s: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?.1),
            '"' => return Some((out, &s[i + 1..])),
            _ => out.push(c),
        }
    }
    None
}

/// A `[Registry Values]` line of a secedit export:
/// `MACHINE\System\CurrentControlSet\Control\Lsa\NoLMHash=4,1` → (key, value name, data).
/// Type 4 is a DWORD, 1 a string (quoted), 7 a multi-string.
pub fn secedit_value(key_and_name: &str, type_and_data: &str) -> Option<(String, String, String)> {
    let (key, name) = key_and_name.trim().rsplit_once('\\')?;
    let (kind, data) = type_and_data.trim().split_once(',')?;
    let data = match kind.trim() {
        "4" => data.trim().parse::<u32>().ok()?.to_string(),
        _ => super::secedit::unquote(data).to_string(),
    };
    Some((normalise(key), name.to_string(), data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_reads_its_keys_values_and_coverage() {
        let text = "Windows Registry Editor Version 5.00\r\n\r\n\
            [HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server]\r\n\
            \"fDenyTSConnections\"=dword:00000000\r\n\r\n\
            [HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp]\r\n\
            \"UserAuthentication\"=dword:00000001\r\n\"Comment\"=\"a \\\"quoted\\\" word\"\r\n\
            \"Blob\"=hex:01,02,\\\r\n  03,04\r\n\"SecurityLayer\"=dword:00000002\r\n";
        let reg = RegFile::parse(text).unwrap();
        let rdp = normalise(
            "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp",
        );
        assert!(reg.covers(&rdp));
        assert!(!reg.covers(&normalise("HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa")));
        let values = &reg.key(&rdp).unwrap().values;
        assert_eq!(values[0].data, "1");
        assert_eq!(values[1].data, "a \"quoted\" word");
        assert_eq!(values[2].data, "hex:01,02,03,04");
        assert_eq!(
            (values[3].name.as_str(), values[3].line.number),
            ("SecurityLayer", 11)
        );
        assert!(RegFile::parse("[System Access]\n").is_none());
    }

    #[test]
    fn a_secedit_registry_value_reads_as_the_registry() {
        let (key, name, data) = secedit_value(
            "MACHINE\\System\\CurrentControlSet\\Control\\Lsa\\NoLMHash",
            "4,1",
        )
        .unwrap();
        assert_eq!(
            key,
            "HKEY_LOCAL_MACHINE\\SYSTEM\\CURRENTCONTROLSET\\CONTROL\\LSA"
        );
        assert_eq!((name.as_str(), data.as_str()), ("NoLMHash", "1"));
    }
}
