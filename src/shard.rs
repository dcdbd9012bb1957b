//! Splitting a corpus across machines with no coordination: `--shard K/N` keeps the sessions whose id
//! hashes to shard K of N. The hash is 64-bit FNV-1a over the id's UTF-8 bytes, taken modulo N (shard
//! K holds the ids whose hash modulo N is K-1): stable across runs, machines and versions, so every
//! task of a job array computes the same split. A file that cannot be read at all, having no session
//! id, belongs to the shard its path hashes to, so each error is reported exactly once.

use std::fmt;
use std::str::FromStr;

/// Shard K of N (1-based K).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub k: u64,
    pub n: u64,
}

/// 64-bit FNV-1a.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl Shard {
    /// Whether `key` (a session id, or a path for a file with no session) falls in this shard.
    pub fn contains(&self, key: &str) -> bool {
        fnv1a(key.as_bytes()) % self.n == self.k - 1
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("'{s}' is not a shard; write K/N with 1 <= K <= N, e.g. 3/10");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (u64, u64) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        assert_eq!("3/10".parse::<Shard>(), Ok(Shard { k: 3, n: 10 }));
        assert!("0/10".parse::<Shard>().is_err());
        assert!("11/10".parse::<Shard>().is_err());
        assert!("3".parse::<Shard>().is_err());
    }

    #[test]
    fn every_id_falls_in_exactly_one_shard() {
        for id in ["site1/s004", "A01", "", "séance"] {
            let n = 7;
            let hits = (1..=n).filter(|k| Shard { k: *k, n }.contains(id)).count();
            assert_eq!(hits, 1, "{id}");
        }
    }

    #[test]
    fn the_hash_is_the_published_fnv1a() {
        // Reference values of 64-bit FNV-1a.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
