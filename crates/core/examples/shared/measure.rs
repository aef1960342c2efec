//! Measuring another process for the benchmarks: its wall time and peak memory, as GNU time reports them.

use std::process::Command;

/// Runs a command under GNU time: (wall seconds, peak RSS in KiB).
pub fn timed(command: &mut Command) -> Result<(f64, u64), Box<dyn std::error::Error>> {
    let report = tempfile::NamedTempFile::new()?;
    let program = command.get_program().to_owned();
    let args: Vec<_> = command.get_args().map(|a| a.to_owned()).collect();
    let mut timed = Command::new("/usr/bin/time");
    timed.arg("-f").arg("%e %M").arg("-o").arg(report.path()).arg(&program).args(&args);
    for (k, v) in command.get_envs() {
        if let Some(v) = v {
            timed.env(k, v);
        }
    }
    let out = timed.output()?;
    if !out.status.success() {
        return Err(format!("{} failed: {}", program.to_string_lossy(), String::from_utf8_lossy(&out.stderr)).into());
    }
    let text = std::fs::read_to_string(report.path())?;
    let mut parts = text.split_whitespace();
    let seconds: f64 = parts.next().unwrap_or("0").parse()?;
    let rss: u64 = parts.next().unwrap_or("0").parse()?;
    Ok((seconds, rss))
}
