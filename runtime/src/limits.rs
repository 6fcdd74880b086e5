//! Bounded bodies: a response is read only up to a limit, refused before reading when its
//! `Content-Length` is over it, and counted as it arrives when it is chunked.

use bytes::{Bytes, BytesMut};
use std::fmt;

/// The largest body a call reads unless the client or the call says otherwise: generous for
/// JSON APIs, far from what exhausts a service's memory.
pub const DEFAULT_MAX_BODY_SIZE: u64 = 64 * 1024 * 1024;

/// A body over the limit: what the response declared, if anything, and how much was read before
/// reading stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OverLimit {
    pub declared: Option<u64>,
    pub read: u64,
}

/// Why reading a body stopped.
pub(crate) enum ReadFailure {
    OverLimit(OverLimit),
    Transport(reqwest::Error),
}

/// Reads `response`'s body, at most `limit` bytes of it. Nothing is read when the declared
/// length is over the limit; a chunked body stops being read at the chunk that passes it.
pub(crate) async fn read_body(
    response: &mut reqwest::Response,
    limit: u64,
) -> Result<Bytes, ReadFailure> {
    let declared = response.content_length();
    let mut counter = Counter::new(limit, declared).map_err(ReadFailure::OverLimit)?;
    while let Some(chunk) = response.chunk().await.map_err(ReadFailure::Transport)? {
        counter.push(chunk).map_err(ReadFailure::OverLimit)?;
    }
    Ok(counter.finish())
}

/// Collects the chunks of a body and stops at the limit; kept apart from the network so that
/// its arithmetic is tested alone.
pub(crate) struct Counter {
    limit: u64,
    declared: Option<u64>,
    /// The one chunk read so far, kept without copying: most bodies arrive in one.
    first: Option<Bytes>,
    rest: BytesMut,
    read: u64,
}

impl Counter {
    /// A counter for a body that declared `declared` bytes, refused at once when that is over
    /// the limit.
    pub(crate) fn new(limit: u64, declared: Option<u64>) -> Result<Self, OverLimit> {
        if let Some(length) = declared
            && length > limit
        {
            return Err(OverLimit { declared, read: 0 });
        }
        Ok(Counter {
            limit,
            declared,
            first: None,
            rest: BytesMut::new(),
            read: 0,
        })
    }

    /// Adds a chunk, or says the body is now over the limit (the chunk is dropped).
    pub(crate) fn push(&mut self, chunk: Bytes) -> Result<(), OverLimit> {
        self.read = self.read.saturating_add(chunk.len() as u64);
        if self.read > self.limit {
            self.first = None;
            self.rest = BytesMut::new();
            return Err(OverLimit {
                declared: self.declared,
                read: self.read,
            });
        }
        match self.first.take() {
            None if self.rest.is_empty() => self.first = Some(chunk),
            first => {
                if let Some(first) = first {
                    // The declared length (within the limit) sizes the buffer once.
                    let expected = self.declared.unwrap_or(0).min(self.limit) as usize;
                    self.rest.reserve(expected.max(first.len() + chunk.len()));
                    self.rest.extend_from_slice(&first);
                }
                self.rest.extend_from_slice(&chunk);
            }
        }
        Ok(())
    }

    /// The whole body.
    pub(crate) fn finish(self) -> Bytes {
        match self.first {
            Some(only) => only,
            None => self.rest.freeze(),
        }
    }
}

/// A size as people read it: `64 MiB`, `1.5 KiB`, `700 bytes`.
pub(crate) struct Size(pub u64);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
        for (unit, size) in UNITS {
            if self.0 >= size {
                let value = self.0 as f64 / size as f64;
                return if self.0.is_multiple_of(size) {
                    write!(f, "{} {unit}", self.0 / size)
                } else {
                    write!(f, "{value:.1} {unit}")
                };
            }
        }
        write!(f, "{} bytes", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declared_length_over_the_limit_is_refused_before_reading() {
        assert_eq!(
            Counter::new(10, Some(11)).err(),
            Some(OverLimit {
                declared: Some(11),
                read: 0
            })
        );
        assert!(Counter::new(10, Some(10)).is_ok());
    }

    #[test]
    fn chunks_are_counted_as_they_arrive() {
        let mut counter = Counter::new(10, None).unwrap();
        counter.push(Bytes::from_static(b"hello")).unwrap();
        counter.push(Bytes::from_static(b"world")).unwrap();
        let over = counter.push(Bytes::from_static(b"!")).unwrap_err();
        assert_eq!(
            over,
            OverLimit {
                declared: None,
                read: 11
            }
        );
    }

    #[test]
    fn the_body_is_the_chunks_in_order() {
        let mut counter = Counter::new(100, Some(11)).unwrap();
        counter.push(Bytes::from_static(b"hello")).unwrap();
        counter.push(Bytes::from_static(b" ")).unwrap();
        counter.push(Bytes::from_static(b"world")).unwrap();
        assert_eq!(counter.finish(), Bytes::from_static(b"hello world"));

        let mut one = Counter::new(100, None).unwrap();
        one.push(Bytes::from_static(b"{}")).unwrap();
        assert_eq!(one.finish(), Bytes::from_static(b"{}"));
        assert_eq!(Counter::new(100, None).unwrap().finish(), Bytes::new());
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(Size(64 * 1024 * 1024).to_string(), "64 MiB");
        assert_eq!(Size(1536).to_string(), "1.5 KiB");
        assert_eq!(Size(700).to_string(), "700 bytes");
        assert_eq!(Size(3 << 30).to_string(), "3 GiB");
    }
}
