//! Large bodies through a temporary file: a download is written to disk piece by piece as it
//! arrives, and an upload reads it back piece by piece, so an attachment is never held in memory
//! whole, however large it is. An upload that is retried reads the file again from the start.
//!
//! Where no temporary file can be created (a read-only root file system without a writable
//! `TMPDIR`), the body is held in memory instead, with a warning: the copy still works.
//!
//! The temporary file and the streamed body are a few lines here rather than the `tempfile` crate,
//! reqwest's `stream` feature and tokio's `fs`, to keep the binary small. Reads and writes of the
//! local file are plain blocking calls of at most 64 KiB: the page cache answers them in
//! microseconds, far below a network round trip.

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::Frame;

use super::Answer;

/// How much of a file an upload reads at a time.
const CHUNK: usize = 64 * 1024;

/// A body kept in a temporary file (in `TMPDIR`, else `/tmp`), deleted when this is dropped.
#[derive(Debug)]
pub enum Spool {
    File {
        path: TempPath,
        size: u64,
    },
    /// No temporary file could be created.
    Memory(Bytes),
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
    /// Writes `answer`'s body to a new temporary file as it arrives (or, when no temporary file
    /// can be created, reads it into memory).
    pub async fn fill(mut answer: Answer) -> Result<Spool, SpoolError> {
        let (path, file) = match TempPath::create() {
            Ok(created) => created,
            Err(err) => {
                tracing::warn!(
                    "cannot create a temporary file in {} ({err}): the attachment is held in memory instead; set TMPDIR to a writable directory (in Kubernetes, mount an emptyDir at /tmp)",
                    std::env::temp_dir().display()
                );
                return answer.bytes().await.map(Spool::Memory).map_err(SpoolError::Transfer);
            }
        };
        let mut writer = io::BufWriter::with_capacity(CHUNK, file);
        let mut size = 0;
        while let Some(piece) = answer.chunk().await.map_err(SpoolError::Transfer)? {
            writer.write_all(&piece)?;
            size += piece.len() as u64;
        }
        writer.flush()?;
        Ok(Spool::File { path, size })
    }

    /// The body's length in bytes.
    pub fn size(&self) -> u64 {
        match self {
            Self::File { size, .. } => *size,
            Self::Memory(bytes) => bytes.len() as u64,
        }
    }

    /// The body as a request body streamed from the file, from its start (anew for each call, so
    /// each attempt of a retried upload sends all of it).
    pub fn body(&self) -> reqwest::Body {
        match self {
            Self::File { path, .. } => {
                reqwest::Body::wrap(FileBody { path: path.0.clone(), file: None, buf: vec![0; CHUNK], done: false })
            }
            Self::Memory(bytes) => reqwest::Body::from(bytes.clone()),
        }
    }
}

/// A file of our own in the temporary directory: created exclusively, readable by this user
/// only, removed on drop.
#[derive(Debug)]
pub struct TempPath(PathBuf);

impl TempPath {
    fn create() -> io::Result<(TempPath, std::fs::File)> {
        let dir = std::env::temp_dir();
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut attempts = 0;
        loop {
            let path = dir.join(format!("confluence-weekly-{}-{:016x}.tmp", std::process::id(), rand::random::<u64>()));
            match options.open(&path) {
                Ok(file) => return Ok((TempPath(path), file)),
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists && attempts < 100 => attempts += 1,
                Err(err) => return Err(err),
            }
        }
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A file read piece by piece as a request body; opened when the upload starts.
struct FileBody {
    path: PathBuf,
    file: Option<std::fs::File>,
    buf: Vec<u8>,
    done: bool,
}

impl http_body::Body for FileBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        let file = match &mut this.file {
            Some(file) => file,
            None => this.file.insert(std::fs::File::open(&this.path)?),
        };
        let n = file.read(&mut this.buf)?;
        if n == 0 {
            this.done = true;
            return Poll::Ready(None);
        }
        Poll::Ready(Some(Ok(Frame::data(Bytes::copy_from_slice(&this.buf[..n])))))
    }

    fn is_end_stream(&self) -> bool {
        self.done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_files_are_private_and_removed_on_drop() {
        let (path, _file) = TempPath::create().unwrap();
        let name = path.0.clone();
        assert!(name.starts_with(std::env::temp_dir()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&name).unwrap().permissions().mode() & 0o777, 0o600);
        }
        drop(path);
        assert!(!name.exists());
    }
}
