//! Near-duplicate detection: MinHash signatures of word 3-shingles, banded for lookup.
//!
//! A syndicated copy of a story (a new headline, an outlet's name, a sentence added) shares
//! most of its shingles with the original. 64 minimum hashes estimate the Jaccard similarity
//! of the shingle sets; 16 bands of 4 rows make a pair with similarity 0.8 share a band with
//! probability 0.999, and one with 0.3 with probability 0.12 — candidates the store returns
//! and [`similarity`] then confirms.

/// Signature length.
pub const HASHES: usize = 64;
/// Rows per band.
const ROWS: usize = 4;
/// Estimated Jaccard similarity from which a document is a copy of an earlier one.
pub const COPY_THRESHOLD: f64 = 0.7;

fn mix(mut x: u64) -> u64 {
    // splitmix64's finaliser: a cheap, well-spread 64-bit hash step
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn word_hash(w: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for c in w.chars().flat_map(char::to_lowercase) {
        h ^= u64::from(c);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The MinHash signature of a text, or `None` when it has too few words to compare.
pub fn signature(text: &str) -> Option<Vec<u32>> {
    let words: Vec<u64> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(word_hash)
        .collect();
    if words.len() < 8 {
        return None;
    }
    let mut sig = vec![u32::MAX; HASHES];
    for w in words.windows(3) {
        let shingle = mix(w[0] ^ mix(w[1] ^ mix(w[2])));
        for (k, slot) in sig.iter_mut().enumerate() {
            let h = (mix(shingle ^ (k as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)) >> 32) as u32;
            if h < *slot {
                *slot = h;
            }
        }
    }
    Some(sig)
}

/// Band keys of a signature: equal for two signatures that agree on all rows of a band.
pub fn bands(sig: &[u32]) -> Vec<i64> {
    sig.chunks(ROWS)
        .enumerate()
        .map(|(b, rows)| {
            let mut h = mix(b as u64 + 1);
            for r in rows {
                h = mix(h ^ u64::from(*r));
            }
            h as i64
        })
        .collect()
}

/// Estimated Jaccard similarity of the shingle sets behind two signatures.
pub fn similarity(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || a.len() != b.len() {
        return 0.0;
    }
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Huawei opened a research centre in Kazan on Tuesday, the company said. \
        The centre will employ two hundred engineers working on 5G radio equipment and software. \
        Local officials welcomed the investment, which follows similar centres in Moscow and \
        Novosibirsk. The company did not disclose the cost of the project or its timeline.";

    #[test]
    fn a_syndicated_copy_is_similar_and_shares_a_band() {
        let copy = format!("From our partners at Tech Wire. {STORY} Analysts expect more.");
        let (a, b) = (signature(STORY).unwrap(), signature(&copy).unwrap());
        assert!(
            similarity(&a, &b) >= COPY_THRESHOLD,
            "{}",
            similarity(&a, &b)
        );
        let (ba, bb) = (bands(&a), bands(&b));
        assert!(ba.iter().any(|x| bb.contains(x)));
    }

    #[test]
    fn a_different_story_is_not_a_copy() {
        let other = "Rosatom signed an agreement with a Chinese utility to build two reactors \
            at the Tianwan plant, officials in Beijing said, adding that fuel would be supplied \
            from Russia for the first ten years of operation under a separate contract.";
        let (a, b) = (signature(STORY).unwrap(), signature(other).unwrap());
        assert!(similarity(&a, &b) < 0.2);
    }

    #[test]
    fn short_texts_have_no_signature() {
        assert!(signature("Too short to compare.").is_none());
    }
}
