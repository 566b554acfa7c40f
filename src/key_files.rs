//! Keys configured in the environment, or else made once and kept in the data directory
//! (readable by the owner only), so that what they sign or encrypt survives a restart.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use crate::db::BoxError;

/// The key `configured` names (a malformed one is an error), else the one kept in
/// `data_dir/file_name`, else a new one written there. `parse` reads a key's text form;
/// `create` makes a key and its text form.
pub fn configured_or_kept<T>(
    configured: Option<&str>,
    setting: &str,
    data_dir: &Path,
    file_name: &str,
    parse: impl Fn(&str) -> Option<T>,
    create: impl FnOnce() -> (T, String),
) -> Result<T, BoxError> {
    if let Some(text) = configured {
        return parse(text.trim()).ok_or_else(|| format!("{setting} is not a valid key").into());
    }
    let path = data_dir.join(file_name);
    if let Some(key) = std::fs::read_to_string(&path)
        .ok()
        .and_then(|text| parse(text.trim()))
    {
        return Ok(key);
    }
    let (key, text) = create();
    std::fs::create_dir_all(data_dir)?;
    std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .mode(0o600)
        .open(&path)?
        .write_all(text.as_bytes())?;
    Ok(key)
}
