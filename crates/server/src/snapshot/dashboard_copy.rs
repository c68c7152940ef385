//! Copies the built dashboard into a snapshot: every file but the runtime config,
//! which the snapshot writes itself (its precompressed copies would be stale).

use anyhow::Context;
use std::path::Path;

/// Copies `dist` into `out` (recursively); answers how many files were copied.
pub fn copy(dist: &Path, out: &Path) -> anyhow::Result<usize> {
    let mut copied = 0;
    for entry in
        std::fs::read_dir(dist).with_context(|| format!("cannot read {}", dist.display()))?
    {
        let entry = entry?;
        let name = entry.file_name();
        let target = out.join(&name);
        if entry.file_type()?.is_dir() {
            std::fs::create_dir_all(&target)?;
            copied += copy(&entry.path(), &target)?;
        } else if !name.to_string_lossy().starts_with("config.json") {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("cannot copy {}", entry.path().display()))?;
            copied += 1;
        }
    }
    Ok(copied)
}
