//! Mutation fuzzing shared by the fuzz tests: how long to run (`FUZZ_SECONDS`, `FUZZ_SEED`) and how to break a
//! good input (bytes changed, pieces that break parsers inserted, runs cut, long runs and copies added).

use std::time::{Duration, Instant};

pub struct Budget {
    pub seed: u64,
    until: Option<Instant>,
    cases: u64,
}

/// `FUZZ_SECONDS` runs for that long (seed `FUZZ_SEED`); otherwise a fixed number of cases from a fixed seed.
pub fn budget(default_seed: u64, default_cases: u64) -> Budget {
    let seed = std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(default_seed);
    let seconds: Option<u64> = std::env::var("FUZZ_SECONDS").ok().and_then(|s| s.parse().ok());
    Budget { seed, until: seconds.map(|s| Instant::now() + Duration::from_secs(s)), cases: default_cases }
}

impl Budget {
    pub fn more(&self, tried: u64) -> bool {
        match self.until {
            Some(t) => Instant::now() < t,
            None => tried < self.cases,
        }
    }
}

/// How a fuzz test breaks its inputs: the pieces it inserts, the bytes of its long runs and how long they get, and
/// how much of the input it copies elsewhere at once.
pub struct Mutator {
    pub pieces: &'static [&'static [u8]],
    pub long_bytes: &'static [u8],
    pub long_max: usize,
    pub copy_max: usize,
}

impl Mutator {
    pub fn mutate(&self, rng: &mut fastrand::Rng, seed: &[u8]) -> Vec<u8> {
        let mut out = seed.to_vec();
        for _ in 0..rng.usize(1..8) {
            let at = rng.usize(0..=out.len());
            match rng.u8(0..6) {
                0 if !out.is_empty() => {
                    let i = rng.usize(0..out.len());
                    out[i] = rng.u8(..);
                }
                1 => {
                    let piece = self.pieces[rng.usize(0..self.pieces.len())];
                    out.splice(at..at, piece.iter().copied());
                }
                2 if at < out.len() => {
                    let end = rng.usize(at..=out.len());
                    out.drain(at..end);
                }
                3 => {
                    // A long run: a huge field or a huge line.
                    let byte = self.long_bytes[rng.usize(0..self.long_bytes.len())];
                    out.splice(at..at, std::iter::repeat_n(byte, rng.usize(1..self.long_max)));
                }
                4 if !out.is_empty() => {
                    let from = rng.usize(0..out.len());
                    let end = rng.usize(from..=out.len().min(from + self.copy_max));
                    let copy = out[from..end].to_vec();
                    out.splice(at..at, copy);
                }
                _ => out.truncate(at),
            }
        }
        out
    }
}
