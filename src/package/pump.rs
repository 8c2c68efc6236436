//! The single pass over an evidence file: read, hash, write.
//!
//! SHA-256 of one stream cannot be split across cores, so it is the floor of the build
//! time (the same work `openssl dgst -sha256` does). Everything else — the zip's CRC-32
//! and the write — runs on a second thread, fed the same buffers through a bounded
//! channel. Memory is the buffers in flight (at most `BUFFERS` × `CHUNK`), whatever
//! the size of the file.

use std::fs::File;
use std::io::{self, Read, Write};
use std::sync::mpsc;

use sha2::{Digest, Sha256};

use crate::interrupt;
use crate::progress::Progress;

/// Bytes per read.
const CHUNK: usize = 1 << 20;
/// Buffers in flight between the reader and the writer.
const BUFFERS: usize = 4;
/// Below this, a second thread costs more than it saves.
const THREADED_FROM: u64 = 4 * CHUNK as u64;

#[derive(Debug)]
pub enum PumpError {
    Read(io::Error),
    Write(io::Error),
    Interrupted,
}

/// Copies all of `source` into `sink`, returning its SHA-256 and length.
pub fn copy_and_hash(
    source: &File,
    sink: &mut impl Write,
    progress: &Progress,
) -> Result<([u8; 32], u64), PumpError> {
    let size_hint = source.metadata().map(|m| m.len()).unwrap_or(0);
    if size_hint < THREADED_FROM {
        copy_and_hash_inline(source, sink, progress)
    } else {
        copy_and_hash_threaded(source, sink, progress)
    }
}

fn copy_and_hash_inline(
    mut source: &File,
    sink: &mut impl Write,
    progress: &Progress,
) -> Result<([u8; 32], u64), PumpError> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; CHUNK];
    let mut total = 0u64;
    loop {
        if interrupt::requested() {
            return Err(PumpError::Interrupted);
        }
        let n = read_some(&mut source, &mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        sink.write_all(&buffer[..n]).map_err(PumpError::Write)?;
        total += n as u64;
        progress.advance(n as u64);
    }
    Ok((hasher.finalize().into(), total))
}

fn copy_and_hash_threaded(
    source: &File,
    sink: &mut impl Write,
    progress: &Progress,
) -> Result<([u8; 32], u64), PumpError> {
    let (full_tx, full_rx) = mpsc::sync_channel::<(Vec<u8>, usize)>(BUFFERS);
    let (empty_tx, empty_rx) = mpsc::sync_channel::<Vec<u8>>(BUFFERS);
    for _ in 0..BUFFERS {
        // Cannot fail: the channel has room for every buffer and its receiver lives.
        let _ = empty_tx.send(vec![0u8; CHUNK]);
    }
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || -> Result<([u8; 32], u64), PumpError> {
            let mut source = source;
            let mut hasher = Sha256::new();
            let mut total = 0u64;
            // Ends when the writer hangs up (it failed) or the file ends.
            while let Ok(mut buffer) = empty_rx.recv() {
                if interrupt::requested() {
                    return Err(PumpError::Interrupted);
                }
                let n = read_some(&mut source, &mut buffer)?;
                if n == 0 {
                    break;
                }
                hasher.update(&buffer[..n]);
                total += n as u64;
                if full_tx.send((buffer, n)).is_err() {
                    break;
                }
            }
            Ok((hasher.finalize().into(), total))
        });
        let mut write_result = Ok(());
        for (buffer, n) in full_rx.iter() {
            if let Err(e) = sink.write_all(&buffer[..n]) {
                write_result = Err(PumpError::Write(e));
                break;
            }
            progress.advance(n as u64);
            // The reader may have finished; a buffer nobody wants is simply dropped.
            let _ = empty_tx.send(buffer);
        }
        drop(full_rx);
        drop(empty_tx);
        let read_result = reader
            .join()
            .unwrap_or_else(|_| Err(PumpError::Read(io::Error::other("reader thread failed"))));
        write_result?;
        read_result
    })
}

/// One `read`, retried on EINTR.
fn read_some(source: &mut &File, buffer: &mut [u8]) -> Result<usize, PumpError> {
    loop {
        match source.read(buffer) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(PumpError::Read(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(len: usize) {
        let data: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
        let mut temp = tempfile::tempfile().unwrap();
        temp.write_all(&data).unwrap();
        let file = temp;
        let mut reader = &file;
        std::io::Seek::rewind(&mut reader).unwrap();
        let mut out = Vec::new();
        let (digest, n) = copy_and_hash(&file, &mut out, &Progress::hidden()).unwrap();
        assert_eq!(n as usize, len);
        assert_eq!(out, data);
        assert_eq!(digest, <[u8; 32]>::from(Sha256::digest(&data)));
    }

    #[test]
    fn both_paths_copy_and_hash_exactly() {
        check(0);
        check(12_345);
        check(THREADED_FROM as usize + 777);
        check(3 * CHUNK * BUFFERS + 1);
    }
}
