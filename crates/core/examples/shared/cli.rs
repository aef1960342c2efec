//! What the benchmarks and the soak run: the release `firebreak` binary, in a scratch folder with its own seal key.

use std::path::{Path, PathBuf};

/// `target/release/firebreak`, or how to build it.
pub fn release_cli() -> Result<PathBuf, Box<dyn std::error::Error>> {
    let cli = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/release/firebreak");
    if !cli.exists() {
        return Err(
            "target/release/firebreak is missing: run `cargo build --release -p firebreak-cli` (make does)".into()
        );
    }
    Ok(cli)
}

/// A temporary folder whose seal key this process and every `firebreak` it starts use, never the user's.
pub fn scratch() -> Result<tempfile::TempDir, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    std::env::set_var("FIREBREAK_SEAL_KEY", dir.path().join("seal.key"));
    Ok(dir)
}
