//! Entity types, BIO tags and chunks.

/// The CoNLL entity types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityType {
    /// People.
    Per,
    /// Organisations.
    Org,
    /// Locations.
    Loc,
    /// Other names (nationalities, events, products).
    Misc,
}

impl EntityType {
    /// All four, in tag order.
    pub const ALL: [EntityType; 4] = [
        EntityType::Per,
        EntityType::Org,
        EntityType::Loc,
        EntityType::Misc,
    ];

    /// `PER`, `ORG`, `LOC` or `MISC`.
    pub fn as_str(&self) -> &'static str {
        match self {
            EntityType::Per => "PER",
            EntityType::Org => "ORG",
            EntityType::Loc => "LOC",
            EntityType::Misc => "MISC",
        }
    }

    /// Parses `PER`, `ORG`, `LOC`, `MISC`.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "PER" => EntityType::Per,
            "ORG" => EntityType::Org,
            "LOC" => EntityType::Loc,
            "MISC" => EntityType::Misc,
            _ => return None,
        })
    }
}

/// Number of tags: `O` and `B-`/`I-` for each type.
pub const NUM_TAGS: usize = 9;

/// A tag index: 0 is `O`, then `B-PER`, `I-PER`, `B-ORG`, `I-ORG`, `B-LOC`, `I-LOC`, `B-MISC`, `I-MISC`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tag(pub u8);

impl Tag {
    /// Outside any entity.
    pub const O: Tag = Tag(0);

    /// `B-` of a type.
    pub fn begin(t: EntityType) -> Tag {
        Tag(1 + 2 * t as u8)
    }

    /// `I-` of a type.
    pub fn inside(t: EntityType) -> Tag {
        Tag(2 + 2 * t as u8)
    }

    /// The entity type, if not `O`.
    pub fn entity(&self) -> Option<EntityType> {
        (self.0 > 0).then(|| EntityType::ALL[((self.0 - 1) / 2) as usize])
    }

    /// True for `B-` tags.
    pub fn is_begin(&self) -> bool {
        self.0 > 0 && self.0 % 2 == 1
    }

    /// Parses `O`, `B-X`, `I-X`.
    pub fn parse(s: &str) -> Option<Tag> {
        if s == "O" {
            return Some(Tag::O);
        }
        let (bi, ty) = s.split_once('-')?;
        let ty = EntityType::parse(ty)?;
        match bi {
            "B" => Some(Tag::begin(ty)),
            "I" => Some(Tag::inside(ty)),
            _ => None,
        }
    }

    /// The IOB2 string.
    pub fn as_str(&self) -> &'static str {
        [
            "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
        ][self.0 as usize]
    }

    /// True when IOB2 allows `next` right after `self`.
    pub fn allows(&self, next: Tag) -> bool {
        match next.entity() {
            Some(t) if !next.is_begin() => self.entity() == Some(t),
            _ => true,
        }
    }
}

/// Rewrites IOB1 tags (CoNLL-2003: `I-X` starts an entity unless it follows `X`; `B-X` only
/// between two adjacent entities of one type) as IOB2 (every entity starts with `B-X`).
pub fn iob1_to_iob2(tags: &[Tag]) -> Vec<Tag> {
    let mut out = Vec::with_capacity(tags.len());
    let mut prev: Option<EntityType> = None;
    for t in tags {
        let ty = t.entity();
        let fixed = match ty {
            Some(x) if !t.is_begin() && prev != Some(x) => Tag::begin(x),
            _ => *t,
        };
        out.push(fixed);
        prev = ty;
    }
    out
}

/// A chunk: type and half-open token range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Chunk {
    /// Entity type.
    pub ty: EntityType,
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
}

/// The chunks of a tag sequence, read conlleval's way: a chunk starts at `B-X`, or at `I-X`
/// when the previous tag is not of type `X`; it ends where the type changes or a `B-` begins.
pub fn chunks(tags: &[Tag]) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut cur: Option<(EntityType, usize)> = None;
    for (i, t) in tags.iter().enumerate() {
        let ty = t.entity();
        let continues = matches!((cur, ty), (Some((c, _)), Some(x)) if c == x && !t.is_begin());
        if !continues {
            if let Some((c, s)) = cur.take() {
                out.push(Chunk {
                    ty: c,
                    start: s,
                    end: i,
                });
            }
            if let Some(x) = ty {
                cur = Some((x, i));
            }
        }
    }
    if let Some((c, s)) = cur {
        out.push(Chunk {
            ty: c,
            start: s,
            end: tags.len(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(s: &str) -> Vec<Tag> {
        s.split_whitespace()
            .map(|t| Tag::parse(t).unwrap())
            .collect()
    }

    #[test]
    fn iob1_becomes_iob2() {
        let got: Vec<&str> = iob1_to_iob2(&tags("I-ORG I-ORG O I-PER B-PER I-LOC"))
            .iter()
            .map(|t| t.as_str())
            .collect();
        assert_eq!(got, ["B-ORG", "I-ORG", "O", "B-PER", "B-PER", "B-LOC"]);
    }

    #[test]
    fn chunks_follow_conlleval() {
        let c = chunks(&tags("B-ORG I-ORG O I-PER B-PER I-LOC I-MISC"));
        let spans: Vec<(&str, usize, usize)> =
            c.iter().map(|c| (c.ty.as_str(), c.start, c.end)).collect();
        assert_eq!(
            spans,
            [
                ("ORG", 0, 2),
                ("PER", 3, 4),
                ("PER", 4, 5),
                ("LOC", 5, 6),
                ("MISC", 6, 7)
            ]
        );
    }
}
