use std::fmt;

/// An ISO 3166-1 alpha-2 code (or a code for a historical state or union: `SU`, `YU`, `EU`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// Parses two ASCII letters, upper-casing them. Returns `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.trim().as_bytes();
        if b.len() == 2 && b.iter().all(|c| c.is_ascii_alphabetic()) {
            Some(CountryCode([
                b[0].to_ascii_uppercase(),
                b[1].to_ascii_uppercase(),
            ]))
        } else {
            None
        }
    }

    /// The code as a string slice.
    pub fn as_str(&self) -> &str {
        // Always two ASCII letters, checked in `parse`.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for CountryCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
