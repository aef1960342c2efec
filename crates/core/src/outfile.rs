//! Files Firebreak writes for people (exports, drafts, calendars): whole or not at all.

use crate::error::Error;
use std::path::{Path, PathBuf};

/// A file written whole or not at all. It is opened (as a temporary file beside the target) before the command
/// changes anything, so an unwritable path is refused with nothing written, and it replaces the target only once
/// complete, so a reader never sees half a file. A file it replaces keeps its permissions and owner, so a document
/// saved over a private copy stays private.
pub struct OutFile {
    path: PathBuf,
    tmp: PathBuf,
    file: Option<std::fs::File>,
}

/// Temporary files are named `.firebreak-<pid>-<n>.tmp`, whatever the target is called: short enough for any
/// target name, and telling which process left one behind (a killed one is cleaned up by the next write there).
const TMP_PREFIX: &str = ".firebreak-";
const TMP_SUFFIX: &str = ".tmp";

impl OutFile {
    pub fn create(path: &Path) -> Result<OutFile, Error> {
        let fail = |e: String| Error::Io { message: format!("Cannot write {}: {e}.", path.display()) };
        if path.is_dir() {
            return Err(fail("it is a folder".into()));
        }
        // Replacing a device, FIFO or socket (say /dev/null, as root) would break whatever uses it.
        if let Ok(meta) = path.symlink_metadata() {
            if !meta.is_file() && !meta.file_type().is_symlink() {
                return Err(fail("it exists and is not a regular file; choose a file name".into()));
            }
        }
        if path.file_name().is_none() {
            return Err(fail("name a file".into()));
        }
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        remove_abandoned(folder);
        let mut attempt = 0u32;
        loop {
            let tmp =
                folder.join(format!("{TMP_PREFIX}{}-{}{TMP_SUFFIX}", std::process::id(), next_number() + attempt));
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp) {
                Ok(file) => return Ok(OutFile { path: path.to_path_buf(), tmp, file: Some(file) }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
                Err(e) => return Err(fail(unwritable(folder, &e))),
            }
        }
    }

    pub fn finish(mut self, text: &str) -> Result<PathBuf, Error> {
        self.write(text.as_bytes())?;
        self.persist()
    }

    /// Writes the whole content to the temporary file and makes it durable; the target is untouched until
    /// [`OutFile::persist`], so a caller can record what it wrote first and give up on failure.
    pub fn write(&mut self, bytes: &[u8]) -> Result<(), Error> {
        use std::io::Write;
        let fail = |e: std::io::Error| Error::Io { message: format!("Cannot write {}: {e}.", self.path.display()) };
        let Some(mut file) = self.file.take() else {
            return Err(Error::Io { message: format!("{} was already written.", self.path.display()) });
        };
        file.write_all(bytes).and_then(|()| file.sync_all()).map_err(fail)?;
        Ok(())
    }

    /// Puts the written file in place of the target, with the target's permissions and owner if it existed.
    pub fn persist(self) -> Result<PathBuf, Error> {
        let fail = |e: std::io::Error| Error::Io { message: format!("Cannot write {}: {e}.", self.path.display()) };
        if let Ok(old) = std::fs::metadata(&self.path) {
            std::fs::set_permissions(&self.tmp, old.permissions()).map_err(fail)?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                // Only root may give a file away; for anyone else the owner is already theirs or cannot change.
                let _ = std::os::unix::fs::chown(&self.tmp, Some(old.uid()), Some(old.gid()));
            }
        }
        std::fs::rename(&self.tmp, &self.path).map_err(fail)?;
        Ok(self.path.clone())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for OutFile {
    fn drop(&mut self) {
        // Not finished (the command failed, or rename did): leave no temporary file behind.
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// Distinct temporary names for the files one process writes.
fn next_number() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Why a file cannot be created in `folder`, in words that say what to do.
fn unwritable(folder: &Path, e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound if !folder.is_dir() => {
            format!("the folder {} does not exist; choose an existing folder", folder.display())
        }
        std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
            format!("files cannot be created in {} ({e}); choose another folder", folder.display())
        }
        std::io::ErrorKind::ReadOnlyFilesystem => {
            format!("{} is on a read-only disk; choose another folder", folder.display())
        }
        _ => e.to_string(),
    }
}

/// Removes the temporary files of processes that no longer run (killed while writing here).
fn remove_abandoned(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(TMP_PREFIX))
            .and_then(|n| n.strip_suffix(TMP_SUFFIX))
            .and_then(|n| n.split_once('-'))
            .and_then(|(pid, _)| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !running(pid) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether a process runs (Linux: it has a /proc entry). Where that cannot be told, assume it runs.
pub(crate) fn running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::OutFile;
    use std::os::unix::fs::FileTypeExt;
    use std::path::Path;

    #[test]
    fn a_device_or_fifo_is_never_replaced() {
        let err = OutFile::create(Path::new("/dev/null")).err().expect("refused");
        assert!(err.to_string().contains("not a regular file"), "{err}");
        assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device(), "still the device");
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        assert!(OutFile::create(&fifo).is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
    }

    #[test]
    fn a_file_is_whole_or_absent() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.pdf");
        std::fs::write(&target, "previous").unwrap();
        let mut file = OutFile::create(&target).unwrap();
        file.write(b"new content").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "previous", "untouched until persisted");
        drop(file);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "previous", "a dropped file changes nothing");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
        let mut file = OutFile::create(&target).unwrap();
        file.write(b"new content").unwrap();
        file.persist().unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new content");
    }

    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("private.pdf");
        std::fs::write(&target, "old").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
        OutFile::create(&target).unwrap().finish("new").unwrap();
        assert_eq!(std::fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o600);
    }

    #[test]
    fn what_a_killed_writer_left_is_cleaned_up_and_long_names_fit() {
        let dir = tempfile::tempdir().unwrap();
        let abandoned = dir.path().join(".firebreak-99999999-0.tmp");
        std::fs::write(&abandoned, "half").unwrap();
        let someone_elses = dir.path().join(".report.pdf.tmp");
        std::fs::write(&someone_elses, "not ours").unwrap();
        let long = dir.path().join(format!("{}.pdf", "n".repeat(246)));
        OutFile::create(&long).unwrap().finish("whole").unwrap();
        assert!(!abandoned.exists(), "the dead process's temporary file is gone");
        assert!(someone_elses.exists(), "other programs' files are left alone");
        assert_eq!(std::fs::read_to_string(&long).unwrap(), "whole");
    }
}
