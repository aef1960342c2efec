//! The no-panic fuzz run shared by the trace parsers' tests: mutated samples are fed to `detect` and to every
//! format's parser, with and without `skip_invalid`; a parse that succeeds must be consistent, an error must say
//! something, and nothing may panic.

use super::fuzz::{budget, Mutator};
use firebreak_core::trace::{self, detect, Format, Options};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs the budget's cases (`FUZZ_SECONDS` / `FUZZ_SEED`, else `default_seed`), prints what it tried under `name`,
/// and fails with the first inputs that panicked.
pub fn no_input_panics(name: &str, default_seed: u64, samples: &[&str], mutator: &Mutator) {
    let budget = budget(default_seed, 300);
    let seed = budget.seed;
    let mut rng = fastrand::Rng::with_seed(seed);
    let skipping = Options { skip_invalid: true, ..Options::default() };
    let (mut tried, mut accepted, mut panics) = (0u64, 0u64, Vec::new());
    while budget.more(tried) {
        tried += 1;
        let sample = samples[rng.usize(0..samples.len())];
        let input = mutator.mutate(&mut rng, sample.as_bytes());
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let _ = detect(&input);
            let mut ok = 0;
            for format in Format::ALL.iter().copied() {
                for options in [Options::default(), skipping.clone()] {
                    match trace::parse_bytes(format, &input, &options) {
                        Ok((got, summary)) => {
                            ok += 1;
                            assert_eq!((got.runs.len(), got.steps.len()), (summary.runs, summary.steps));
                            assert!(got.steps.iter().all(|s| s.run < got.runs.len() && s.origin.line >= 1));
                        }
                        Err(e) => assert!(!e.to_string().trim().is_empty()),
                    }
                }
            }
            ok
        }));
        match outcome {
            Ok(ok) => accepted += ok,
            Err(_) => panics.push(input),
        }
    }
    println!("{name}: {tried} inputs (seed {seed:#x}), {accepted} parses accepted, {} panics", panics.len());
    for p in panics.iter().take(3) {
        println!("panicked on: {:?}", String::from_utf8_lossy(&p[..p.len().min(300)]));
    }
    assert!(panics.is_empty());
}
