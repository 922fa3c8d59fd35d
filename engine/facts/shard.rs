//! One part of a facts corpus split across machines (`xwalk eval --shard K/N`).
//!
//! A document belongs to exactly one shard: the first eight bytes of the SHA-256 of its
//! path (relative to the facts directory, `/`-separated), read as a big-endian number,
//! modulo N, plus one. The split depends on nothing but the path, so any machine, any
//! day, any thread count puts a document in the same shard.

use sha2::{Digest, Sha256};
use std::fmt;

/// Shard K of N (1-based, as written on the command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Shard {
    index: u32,
    count: u32,
}

impl Shard {
    /// Shard `index` of `count`, both 1-based; `None` unless 1 <= index <= count.
    pub fn new(index: u32, count: u32) -> Option<Shard> {
        (index >= 1 && index <= count).then_some(Shard { index, count })
    }

    /// Read `K/N` (say `2/4`).
    pub fn parse(text: &str) -> Result<Shard, String> {
        let (k, n) = text
            .split_once('/')
            .ok_or_else(|| format!("`{text}` is not K/N (say 2/4: the second of four shards)"))?;
        let number = |s: &str, what: &str| {
            s.trim()
                .parse::<u32>()
                .map_err(|_| format!("`{text}`: {what} `{s}` is not a whole number"))
        };
        let (k, n) = (number(k, "K")?, number(n, "N")?);
        Shard::new(k, n).ok_or_else(|| {
            format!("`{text}`: K must be between 1 and N, and N at least 1 (shards are 1/N to N/N)")
        })
    }

    /// K, 1-based.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// N.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The shard a document path belongs to, 1-based, out of `count`.
    pub fn of_path(path: &str, count: u32) -> u32 {
        let digest = Sha256::digest(path.as_bytes());
        let mut first = [0u8; 8];
        for (to, from) in first.iter_mut().zip(digest.iter()) {
            *to = *from;
        }
        (u64::from_be_bytes(first) % u64::from(count.max(1))) as u32 + 1
    }

    /// True when the document at `path` is this shard's to evaluate.
    pub fn owns(&self, path: &str) -> bool {
        Shard::of_path(path, self.count) == self.index
    }

    /// The first shard also reports the rows that belong to no document (a rule with no
    /// facts of its kinds, a rule that did not load), so a merge counts them once.
    pub fn is_first(&self) -> bool {
        self.index == 1
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_k_of_n_and_refuses_the_rest() {
        assert_eq!(Shard::parse("2/4").unwrap().to_string(), "2/4");
        assert_eq!(Shard::parse("1/1").unwrap(), Shard::new(1, 1).unwrap());
        for bad in ["0/4", "5/4", "2", "a/4", "2/b", "1/0", "-1/2"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn every_path_belongs_to_exactly_one_shard_and_the_split_is_stable() {
        let paths: Vec<String> = (0..400)
            .map(|i| format!("endpoints/host-{i}.json"))
            .collect();
        for n in 1..=4 {
            let mut sizes = vec![0usize; n as usize];
            for p in &paths {
                let owners: Vec<u32> = (1..=n)
                    .filter(|k| Shard::new(*k, n).unwrap().owns(p))
                    .collect();
                assert_eq!(owners.len(), 1, "{p} in {owners:?} of {n}");
                sizes[owners[0] as usize - 1] += 1;
            }
            // A hash split is roughly even: no shard holds twice its share.
            assert!(
                sizes.iter().all(|s| *s * n as usize <= 2 * paths.len()),
                "{sizes:?}"
            );
        }
        // The split is a function of the path alone, pinned so it never drifts (the same
        // figures as `printf %s PATH | sha256sum`, first 16 hex digits, mod 7, plus 1).
        let pinned: Vec<u32> = ["a.json", "b.json", "people/hr.json"]
            .iter()
            .map(|p| Shard::of_path(p, 7))
            .collect();
        assert_eq!(pinned, vec![7, 6, 6]);
    }
}
