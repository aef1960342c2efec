//! Files Firebreak writes for people (exports, drafts, calendars): whole or not at all.

use crate::error::Error;
use std::path::Path;

/// A file written whole or not at all. It is opened (as a temporary file beside the target) before the command
/// changes anything, so an unwritable path is refused with nothing written, and it replaces the target only once
/// complete, so a reader never sees half a file.
pub struct OutFile {
    path: std::path::PathBuf,
    tmp: std::path::PathBuf,
    file: Option<std::fs::File>,
}

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
        let name = path.file_name().ok_or_else(|| fail("name a file".into()))?.to_string_lossy();
        let tmp = path.with_file_name(format!(".{name}.firebreak-{}.tmp", std::process::id()));
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp).map_err(|e| {
            fail(match e.kind() {
                std::io::ErrorKind::NotFound => {
                    format!("the folder {} does not exist; choose an existing folder", folder.display())
                }
                std::io::ErrorKind::PermissionDenied => {
                    format!("you may not create files in {} ({e}); choose another folder", folder.display())
                }
                std::io::ErrorKind::ReadOnlyFilesystem => {
                    format!("{} is on a read-only disk; choose another folder", folder.display())
                }
                _ => e.to_string(),
            })
        })?;
        Ok(OutFile { path: path.to_path_buf(), tmp, file: Some(file) })
    }

    pub fn finish(mut self, text: &str) -> Result<std::path::PathBuf, Error> {
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

    /// Puts the written file in place of the target.
    pub fn persist(self) -> Result<std::path::PathBuf, Error> {
        let fail = |e: std::io::Error| Error::Io { message: format!("Cannot write {}: {e}.", self.path.display()) };
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
}
