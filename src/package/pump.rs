//! The single pass over the evidence: read, hash, write.
//!
//! SHA-256 of one stream cannot be split across cores, so it is the floor of the build
//! time (the same work `openssl dgst -sha256` does). A reader thread therefore reads
//! and hashes every file, one after another without pausing at file boundaries, while
//! the calling thread writes the same buffers into the zip (CRC-32, compression, the
//! write itself). They share a fixed pool of buffers through bounded channels, so
//! memory is at most `BUFFERS` × `CHUNK` whatever the size of the evidence.
//!
//! The reader also checks that each file is what intake saw (size and modification
//! time before and after reading, and the byte count), so a file being rewritten by a
//! phone-sync tool fails the build instead of sealing a torn copy.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::time::SystemTime;

use sha2::{Digest, Sha256};

use crate::interrupt;

/// Bytes per read.
const CHUNK: usize = 1 << 20;
/// Buffers in flight between the reader and the writer.
const BUFFERS: usize = 8;

/// One file to read, with what intake saw of it.
pub struct Job<'a> {
    pub path: &'a Path,
    pub len: u64,
    pub modified: Option<SystemTime>,
}

/// What the writer is told, in order, for each file.
pub enum Event<'b> {
    /// File `index` opened and matches intake: start its entry.
    Begin(usize),
    /// The next bytes of the current file.
    Data(&'b [u8]),
    /// File `index` ended, unchanged while read.
    End(usize, Sealed),
}

/// A file's SHA-256 and length, as read.
#[derive(Debug, Clone, Copy)]
pub struct Sealed {
    pub sha256: [u8; 32],
    pub bytes: u64,
}

/// Why reading a source failed.
#[derive(Debug)]
pub enum SourceError {
    Read(io::Error),
    Changed(String),
}

/// Why the pass stopped.
#[derive(Debug)]
pub enum Failure<E> {
    /// Source `index` could not be read, or changed.
    Source(usize, SourceError),
    /// The writer failed.
    Sink(E),
    Interrupted,
}

enum Message {
    Begin(usize),
    Data(Vec<u8>, usize),
    End(usize, Sealed),
    Failed(usize, SourceError),
    Interrupted,
}

/// Streams every job through `sink`, reading and hashing on a second thread.
pub fn stream<E>(
    jobs: &[Job],
    mut sink: impl FnMut(Event) -> Result<(), E>,
) -> Result<(), Failure<E>> {
    let (full_tx, full_rx) = mpsc::sync_channel::<Message>(BUFFERS);
    let (empty_tx, empty_rx) = mpsc::sync_channel::<Vec<u8>>(BUFFERS);
    for _ in 0..BUFFERS {
        // Cannot fail: the channel has room for every buffer and its receiver lives.
        let _ = empty_tx.send(vec![0u8; CHUNK]);
    }
    std::thread::scope(|scope| {
        scope.spawn(move || read_all(jobs, &full_tx, &empty_rx));
        let mut outcome = Ok(());
        for message in full_rx.iter() {
            let step = match message {
                Message::Begin(index) => sink(Event::Begin(index)).map_err(Failure::Sink),
                Message::Data(buffer, n) => {
                    let written = sink(Event::Data(&buffer[..n])).map_err(Failure::Sink);
                    // The reader may have stopped; a buffer nobody wants is dropped.
                    let _ = empty_tx.send(buffer);
                    written
                }
                Message::End(index, sealed) => {
                    sink(Event::End(index, sealed)).map_err(Failure::Sink)
                }
                Message::Failed(index, error) => Err(Failure::Source(index, error)),
                Message::Interrupted => Err(Failure::Interrupted),
            };
            if step.is_ok() && interrupt::requested() {
                outcome = Err(Failure::Interrupted);
                break;
            }
            if let Err(failure) = step {
                outcome = Err(failure);
                break;
            }
        }
        // Hanging up both channels stops a reader that is still running.
        drop(full_rx);
        drop(empty_tx);
        outcome
    })
}

/// The reader thread: every file in turn. It stops quietly when the writer hangs up.
fn read_all(jobs: &[Job], full: &SyncSender<Message>, empty: &Receiver<Vec<u8>>) {
    let mut spare: Option<Vec<u8>> = None;
    for (index, job) in jobs.iter().enumerate() {
        let message = match read_one(index, job, full, empty, &mut spare) {
            Ok(Some(sealed)) => Message::End(index, sealed),
            Ok(None) => return,
            Err(Some(error)) => Message::Failed(index, error),
            Err(None) => Message::Interrupted,
        };
        let stop = !matches!(message, Message::End(..));
        if full.send(message).is_err() || stop {
            return;
        }
    }
}

/// Reads one file. `Ok(None)`: the writer hung up. `Err(None)`: interrupted.
fn read_one(
    index: usize,
    job: &Job,
    full: &SyncSender<Message>,
    empty: &Receiver<Vec<u8>>,
    spare: &mut Option<Vec<u8>>,
) -> Result<Option<Sealed>, Option<SourceError>> {
    let read_error = |e| Some(SourceError::Read(e));
    let mut file = File::open(job.path).map_err(read_error)?;
    let before = Stamp::of(&file).map_err(read_error)?;
    if before.len != job.len || before.modified != job.modified {
        return Err(Some(SourceError::Changed(
            "it changed after the folder was read".to_owned(),
        )));
    }
    if full.send(Message::Begin(index)).is_err() {
        return Ok(None);
    }
    let mut hasher = Sha256::new();
    let mut copied = 0u64;
    loop {
        if interrupt::requested() {
            return Err(None);
        }
        let mut buffer = match spare.take() {
            Some(buffer) => buffer,
            None => match empty.recv() {
                Ok(buffer) => buffer,
                Err(_) => return Ok(None),
            },
        };
        let n = loop {
            match file.read(&mut buffer) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(read_error(e)),
            }
        };
        if n == 0 {
            *spare = Some(buffer);
            break;
        }
        hasher.update(&buffer[..n]);
        copied += n as u64;
        if full.send(Message::Data(buffer, n)).is_err() {
            return Ok(None);
        }
    }
    let after = Stamp::of(&file).map_err(read_error)?;
    if after != before || copied != before.len {
        return Err(Some(SourceError::Changed(format!(
            "{} bytes before, {copied} read, {} after",
            before.len, after.len
        ))));
    }
    Ok(Some(Sealed {
        sha256: hasher.finalize().into(),
        bytes: copied,
    }))
}

/// Size and modification time, compared before and after reading.
#[derive(Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(file: &File) -> io::Result<Stamp> {
        let metadata = file.metadata()?;
        Ok(Stamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn temp_file(data: &[u8]) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(data).unwrap();
        file
    }

    fn job(file: &tempfile::NamedTempFile) -> Job<'_> {
        let metadata = file.as_file().metadata().unwrap();
        Job {
            path: file.path(),
            len: metadata.len(),
            modified: metadata.modified().ok(),
        }
    }

    #[test]
    fn files_stream_back_to_back_with_their_digests() {
        let sizes = [0, 12_345, CHUNK * BUFFERS * 2 + 7, CHUNK];
        let data: Vec<Vec<u8>> = sizes
            .iter()
            .map(|&n| (0..n).map(|i| (i * 31 % 251) as u8).collect())
            .collect();
        let files: Vec<_> = data.iter().map(|d| temp_file(d)).collect();
        let jobs: Vec<Job> = files.iter().map(job).collect();
        let mut out: Vec<Vec<u8>> = Vec::new();
        let mut digests = Vec::new();
        stream::<()>(&jobs, |event| {
            match event {
                Event::Begin(i) => assert_eq!(i, out.len()),
                Event::Data(bytes) => out.last_mut().unwrap().extend_from_slice(bytes),
                Event::End(_, sealed) => digests.push(sealed),
            }
            if let Event::Begin(_) = event {
                out.push(Vec::new());
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(out, data);
        for (sealed, bytes) in digests.iter().zip(&data) {
            assert_eq!(sealed.bytes as usize, bytes.len());
            assert_eq!(sealed.sha256, <[u8; 32]>::from(Sha256::digest(bytes)));
        }
    }

    #[test]
    fn a_file_that_changed_since_intake_fails_before_its_entry_begins() {
        let file = temp_file(b"original");
        let mut stale = job(&file);
        stale.len = 3;
        let mut began = false;
        let result = stream::<()>(&[stale], |event| {
            began |= matches!(event, Event::Begin(_));
            Ok(())
        });
        assert!(matches!(
            result,
            Err(Failure::Source(0, SourceError::Changed(_)))
        ));
        assert!(!began);
    }

    #[test]
    fn a_failing_writer_stops_the_reader() {
        let big = temp_file(&vec![1u8; CHUNK * BUFFERS * 4]);
        let result = stream(&[job(&big)], |event| match event {
            Event::Data(_) => Err("disk full"),
            _ => Ok(()),
        });
        assert!(matches!(result, Err(Failure::Sink("disk full"))));
    }
}
