//! Mutation fuzzing of what people and other programs hand Firebreak: the affected-object importer and the time
//! parser. Every input either imports whole or is refused with a message and leaves nothing behind, and no input
//! panics. `make test` tries a few hundred inputs from a fixed seed; `make soak` runs each for minutes
//! (`FUZZ_SECONDS`, `FUZZ_SEED`) and prints what it tried.

mod common;

use common::fuzz::{budget, Mutator};
use common::*;
use firebreak_core::incident::fields::{parse_instant, LATEST_YEAR};
use firebreak_core::phases::affected::{self, ObjectQuery};
use std::panic::{catch_unwind, AssertUnwindSafe};

const GOOD_CSV: &str = "system,object_type,object_id,action,occurred_at,status,recovery_action,evidence\n\
                        Salesforce,record,ACC-1,changed,2026-03-01T10:00:00Z,open,roll_back,run-1 line 2\n\
                        Gmail,\"message, quoted\",MSG-2,sent,2026-03-01T10:05:00+02:00,in_progress,notify,\n\
                        Jira,ticket,JRA-3,deleted,,recovered,correct,\"line \"\"4\"\"\"\n";

/// Pieces that tend to break parsers: quotes, separators, line ends, control and invalid bytes, long runs.
const PIECES: &[&[u8]] = &[
    b"\"",
    b",",
    b"\n",
    b"\r\n",
    b"\t",
    b"\0",
    b"\xff\xfe",
    b"\xc3",
    b"\"\"",
    b",,,,",
    b"\x1b[31m",
    b"<b>",
    b"2026-02-30T25:61:60Z",
    b"9999-12-31T23:59:60Z",
    b"+10000-01-01T00:00:00Z",
    b"changed",
    b"open",
    b"system",
];

const MUTATOR: Mutator = Mutator { pieces: PIECES, long_bytes: b"x\",\n", long_max: 200_000, copy_max: 64 };

#[test]
fn the_importer_imports_whole_or_refuses_with_nothing_left_and_never_panics() {
    let budget = budget(0x5eed_f12e, 100);
    let db = db();
    let inc = open_incident(&db, "Fuzzed imports");
    let mut rng = fastrand::Rng::with_seed(budget.seed);
    let (mut tried, mut accepted, mut panics) = (0u64, 0u64, Vec::new());
    while budget.more(tried) {
        tried += 1;
        let input = MUTATOR.mutate(&mut rng, GOOD_CSV.as_bytes());
        let before = affected::list(&db.store, &inc.id, &ObjectQuery::default()).unwrap().total_matching;
        let outcome = catch_unwind(AssertUnwindSafe(|| affected::import_csv(&db.store, &dana(), &inc.id, &input[..])));
        let after = affected::list(&db.store, &inc.id, &ObjectQuery::default()).unwrap().total_matching;
        match outcome {
            Err(_) => panics.push(input),
            Ok(Ok(report)) => {
                accepted += 1;
                assert_eq!(after - before, report.added, "an accepted import adds exactly what it says");
            }
            Ok(Err(e)) => {
                assert_eq!(after, before, "a refused import leaves nothing: {e}");
                assert!(!e.to_string().trim().is_empty());
            }
        }
    }
    println!(
        "CSV importer: {tried} inputs tried (seed {:#x}), {accepted} imported, {} refused, {} panics",
        budget.seed,
        tried - accepted - panics.len() as u64,
        panics.len()
    );
    for p in panics.iter().take(3) {
        println!("panicked on: {:?}", String::from_utf8_lossy(&p[..p.len().min(300)]));
    }
    assert!(panics.is_empty());
    assert!(firebreak_core::verify::verify(&db.store).unwrap().intact, "the trail holds every accepted import");
}

#[test]
fn the_time_parser_accepts_only_zoned_rfc3339_up_to_its_last_year_and_round_trips() {
    let budget = budget(0x5eed_f12e, 20_000);
    let seeds = [
        "2026-11-20T14:30:00Z",
        "2026-11-20T14:30:00.123456+05:30",
        "1999-12-31T23:59:60Z",
        "9000-12-31T23:59:59-12:00",
        "2026-11-20 14:30:00Z",
    ];
    let mut rng = fastrand::Rng::with_seed(budget.seed);
    let (mut tried, mut accepted, mut panics) = (0u64, 0u64, Vec::new());
    while budget.more(tried) {
        tried += 1;
        let seed = seeds[rng.usize(0..seeds.len())];
        let mut input = MUTATOR.mutate(&mut rng, seed.as_bytes());
        input.truncate(200);
        let text = String::from_utf8_lossy(&input).into_owned();
        match catch_unwind(|| parse_instant(&text)) {
            Err(_) => panics.push(text),
            Ok(None) => {}
            Ok(Some(t)) => {
                accepted += 1;
                use chrono::Datelike;
                assert!(t.year() <= LATEST_YEAR, "{text:?} gave {t}");
                let written = firebreak_core::audit::format_instant(t);
                assert_eq!(parse_instant(&written), Some(t), "{text:?} → {written} must read back the same");
            }
        }
    }
    println!(
        "time parser: {tried} inputs tried (seed {:#x}), {accepted} accepted, {} panics",
        budget.seed,
        panics.len()
    );
    assert!(panics.is_empty(), "{:?}", &panics[..panics.len().min(3)]);
}
