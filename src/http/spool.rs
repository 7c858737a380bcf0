//! Large bodies through a temporary file: a download is written to disk piece by piece as it
//! arrives, and an upload reads it back piece by piece, so an attachment is never held in memory
//! whole, however large it is. An upload that is retried reads the file again from the start.

use std::io;
use std::path::PathBuf;

use futures_util::stream;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::Answer;

/// How much of a file an upload reads at a time.
const CHUNK: usize = 64 * 1024;

/// A body kept in a temporary file (in `TMPDIR`, else `/tmp`), deleted when this is dropped.
#[derive(Debug)]
pub struct Spool {
    file: tempfile::NamedTempFile,
    len: u64,
}

/// A body that could not be spooled.
#[derive(Debug, thiserror::Error)]
pub enum SpoolError {
    /// The download broke off.
    #[error(transparent)]
    Transfer(reqwest::Error),
    /// The temporary file could not be written.
    #[error(
        "could not write a temporary file in {} ({source}); set TMPDIR to a writable directory with room for the largest attachment",
        std::env::temp_dir().display()
    )]
    Disk { source: io::Error },
}

impl From<io::Error> for SpoolError {
    fn from(source: io::Error) -> Self {
        Self::Disk { source }
    }
}

impl Spool {
    /// Writes `answer`'s body to a new temporary file as it arrives.
    pub async fn fill(mut answer: Answer) -> Result<Spool, SpoolError> {
        let file = tempfile::NamedTempFile::new()?;
        let mut writer = tokio::fs::File::from_std(file.reopen()?);
        let mut len = 0;
        while let Some(piece) = answer.chunk().await.map_err(SpoolError::Transfer)? {
            writer.write_all(&piece).await?;
            len += piece.len() as u64;
        }
        writer.flush().await?;
        Ok(Spool { file, len })
    }

    /// The body's length in bytes.
    pub fn size(&self) -> u64 {
        self.len
    }

    /// The body as a request body streamed from the file, from its start (anew for each call, so
    /// each attempt of a retried upload sends all of it).
    pub fn body(&self) -> reqwest::Body {
        let path = self.file.path().to_owned();
        let pieces = stream::try_unfold(None, move |reader: Option<tokio::fs::File>| {
            let path: PathBuf = path.clone();
            async move {
                let mut reader = match reader {
                    Some(reader) => reader,
                    None => tokio::fs::File::open(&path).await?,
                };
                let mut piece = vec![0; CHUNK];
                let n = reader.read(&mut piece).await?;
                if n == 0 {
                    return Ok::<_, io::Error>(None);
                }
                piece.truncate(n);
                Ok(Some((piece, Some(reader))))
            }
        });
        reqwest::Body::wrap_stream(pieces)
    }
}
