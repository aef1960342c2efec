//! Files people hand to Firebreak (imports, evidence, message texts): only regular files, opened without
//! blocking, read in pieces and never past a stated limit. `/dev/zero`, a FIFO, a device or a 10 GB file gets a
//! message saying what is wrong and what the limit is, instead of filling the memory or the disk, or waiting for ever.

use crate::error::{Error, Result};
use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Largest CSV or TSV import: far above a million affected objects.
pub const MAX_IMPORT_BYTES: u64 = 512 * 1024 * 1024;
/// Longest line of an import: a row of generous values fits many times over.
pub const MAX_IMPORT_LINE: u64 = 1024 * 1024;

/// A file opened for reading, with what it was opened as.
pub struct Opened {
    pub file: File,
    pub meta: Metadata,
    /// Where a symbolic link led, when the path was one.
    pub target: Option<PathBuf>,
}

/// Opens `path` for reading if it is a regular file (following symbolic links). Devices, FIFOs, sockets and folders
/// are refused; the open itself never blocks (a FIFO with no writer would block a plain open for ever). `what` names
/// the file in messages ("the import", "the evidence file").
pub fn open_regular(path: &Path, what: &str) -> Result<Opened> {
    let refuse = |why: String| Error::invalid("file", format!("Cannot use {} as {what}: {why}", path.display()));
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| {
        let why = match e.kind() {
            io::ErrorKind::NotFound => "there is no such file; check the path".to_string(),
            io::ErrorKind::PermissionDenied => "permission denied; check that you may read it".to_string(),
            _ => e.to_string(),
        };
        Error::Io { message: format!("Cannot read {} as {what}: {why}.", path.display()) }
    })?;
    let meta = file.metadata().map_err(|e| refuse(format!("{e}.")))?;
    if meta.is_dir() {
        return Err(refuse("it is a folder. Give the path of a file.".into()));
    }
    if !meta.is_file() {
        return Err(refuse(
            "it is not a regular file (a device, FIFO or socket), so it could be endless or never answer. Give the \
             path of an ordinary file."
                .into(),
        ));
    }
    let target = std::fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.file_type().is_symlink())
        .and_then(|_| std::fs::canonicalize(path).ok());
    Ok(Opened { file, meta, target })
}

/// Reads reject what goes past `max_bytes` in all, or past `max_line` bytes without a line break.
pub struct Limited<R> {
    inner: R,
    read: u64,
    since_newline: u64,
    max_bytes: u64,
    max_line: u64,
}

impl<R: Read> Limited<R> {
    pub fn new(inner: R, max_bytes: u64, max_line: u64) -> Limited<R> {
        Limited { inner, read: 0, since_newline: 0, max_bytes, max_line }
    }
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read > self.max_bytes {
            return Err(io::Error::other(format!("it is larger than {}", bytes_text(self.max_bytes))));
        }
        for &b in &buf[..n] {
            if b == b'\n' {
                self.since_newline = 0;
            } else {
                self.since_newline += 1;
                if self.since_newline > self.max_line {
                    return Err(io::Error::other(format!(
                        "it has a line longer than {} (is it really a text file?)",
                        bytes_text(self.max_line)
                    )));
                }
            }
        }
        Ok(n)
    }
}

/// The whole text of a regular file of at most `max_bytes`, which must be UTF-8.
pub fn read_text(path: &Path, max_bytes: u64, what: &str) -> Result<String> {
    let opened = open_regular(path, what)?;
    let refuse = |why: String| Error::invalid("file", format!("Cannot use {} as {what}: {why}", path.display()));
    if opened.meta.len() > max_bytes {
        return Err(refuse(format!(
            "it is {}, more than the {} allowed.",
            bytes_text(opened.meta.len()),
            bytes_text(max_bytes)
        )));
    }
    let mut bytes = Vec::new();
    // Stops at the limit even if the file grows while it is read.
    opened.file.take(max_bytes + 1).read_to_end(&mut bytes).map_err(|e| refuse(format!("{e}.")))?;
    if bytes.len() as u64 > max_bytes {
        return Err(refuse(format!("it is more than the {} allowed.", bytes_text(max_bytes))));
    }
    String::from_utf8(bytes).map_err(|_| refuse("it is not UTF-8 text. Save it as UTF-8 and try again.".into()))
}

/// A size for people: "512 MiB", "1 MiB", "20,000 bytes".
pub fn bytes_text(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    const GIB: u64 = 1024 * MIB;
    if n >= GIB && n % GIB == 0 {
        format!("{} GiB", n / GIB)
    } else if n >= MIB && n % MIB == 0 {
        format!("{} MiB", n / MIB)
    } else if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_fifos_and_folders_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        for path in
            [Path::new("/dev/zero"), Path::new("/dev/null"), Path::new("/dev/urandom"), fifo.as_path(), dir.path()]
        {
            let err = open_regular(path, "the import").err().expect("refused");
            assert!(err.to_string().contains("Cannot use"), "{err}");
        }
    }

    #[test]
    fn a_symbolic_link_is_followed_and_its_target_told() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        std::fs::write(&real, "evidence").unwrap();
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let opened = open_regular(&link, "the evidence file").unwrap();
        assert_eq!(opened.target.unwrap(), std::fs::canonicalize(&real).unwrap());
        assert!(open_regular(&real, "x").unwrap().target.is_none());
    }

    #[test]
    fn reads_stop_at_their_limits() {
        let mut out = Vec::new();
        let err = Limited::new(io::repeat(b'a').take(10_000), 1_000_000, 100).read_to_end(&mut out).unwrap_err();
        assert!(err.to_string().contains("line longer than 100 bytes"), "{err}");
        let lines = "short line\n".repeat(1000);
        let err = Limited::new(lines.as_bytes(), 500, 100).read_to_end(&mut out).unwrap_err();
        assert!(err.to_string().contains("larger than 500 bytes"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.txt");
        std::fs::write(&big, "x".repeat(2_000)).unwrap();
        assert!(read_text(&big, 1_000, "the message").unwrap_err().to_string().contains("more than the 1000 bytes"));
        std::fs::write(&big, [0xff, 0xfe]).unwrap();
        assert!(read_text(&big, 1_000, "the message").unwrap_err().to_string().contains("not UTF-8"));
    }
}
