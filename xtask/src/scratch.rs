//! Temporary folders the tasks stage work in, removed when dropped, and copying a folder.

use std::fs;
use std::path::{Path, PathBuf};

/// A temporary folder removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    /// An empty folder of its own; `purpose` names it (`diff`, `update`).
    pub fn new(purpose: &str) -> Result<Scratch, String> {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("apigen-{purpose}-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Copies the folder `from`, and everything in it, to `to`.
pub fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in crate::sorted_entries(from)? {
        let target = to.join(entry.file_name().unwrap_or_default());
        if entry.is_dir() {
            copy_dir(&entry, &target)?;
        } else {
            fs::copy(&entry, &target).map_err(|e| format!("{}: {e}", entry.display()))?;
        }
    }
    Ok(())
}
