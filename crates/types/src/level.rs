use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A protection level (安全保护等级) under the MLPS, 1 (第一级) to 5 (第五级).
///
/// 条例 第十五条 defines exactly five levels; nothing else can be represented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Level(u8);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("protection level must be 1 to 5 (保护等级只能是第一级至第五级), got {0}")]
pub struct LevelError(pub String);

impl Level {
    pub const ONE: Level = Level(1);
    pub const TWO: Level = Level(2);
    pub const THREE: Level = Level(3);
    pub const FOUR: Level = Level(4);
    pub const FIVE: Level = Level(5);

    pub fn new(n: u8) -> Result<Level, LevelError> {
        if (1..=5).contains(&n) {
            Ok(Level(n))
        } else {
            Err(LevelError(n.to_string()))
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }

    /// The Chinese name used in filings: 第一级 … 第五级.
    pub fn zh(self) -> &'static str {
        ["第一级", "第二级", "第三级", "第四级", "第五级"][usize::from(self.0 - 1)]
    }
}

impl TryFrom<u8> for Level {
    type Error = LevelError;
    fn try_from(n: u8) -> Result<Self, Self::Error> {
        Level::new(n)
    }
}

impl TryFrom<i64> for Level {
    type Error = LevelError;
    fn try_from(n: i64) -> Result<Self, Self::Error> {
        u8::try_from(n)
            .map_err(|_| LevelError(n.to_string()))
            .and_then(Level::new)
    }
}

impl From<Level> for u8 {
    fn from(l: Level) -> u8 {
        l.0
    }
}

impl FromStr for Level {
    type Err = LevelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.trim()
            .parse::<u8>()
            .map_err(|_| LevelError(s.to_string()))
            .and_then(Level::new)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_one_to_five_are_levels() {
        assert!(Level::new(0).is_err());
        assert!(Level::new(6).is_err());
        assert_eq!(Level::new(3).map(Level::zh), Ok("第三级"));
        assert!(serde_json::from_str::<Level>("6").is_err());
        assert_eq!(serde_json::from_str::<Level>("5").ok(), Some(Level::FIVE));
    }
}
