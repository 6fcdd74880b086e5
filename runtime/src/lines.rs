//! Sequences of JSON texts, one per record: JSON Lines and NDJSON (`application/jsonl`,
//! `application/x-ndjson`, `application/stream+json`, records ended by LF or CRLF) and JSON text
//! sequences (`application/json-seq`, RFC 7464: each record starts with RS). Bytes in, records
//! out (as events named `message`, so that a stream has one queue whatever its framing), no
//! I/O, at most one record in memory; blank records are skipped.

use crate::sse::{EventTooLarge, SseEvent};
use std::collections::VecDeque;

/// The record separator of RFC 7464.
const RS: u8 = 0x1E;

/// The parser's state between chunks.
#[derive(Debug)]
pub struct LineParser {
    limit: usize,
    record: Vec<u8>,
}

impl LineParser {
    /// A parser that refuses a record of more than `limit` bytes.
    pub fn new(limit: usize) -> Self {
        LineParser {
            limit,
            record: Vec::new(),
        }
    }

    /// Reads `chunk`, appending each record it completes to `out`.
    pub fn push(
        &mut self,
        mut chunk: &[u8],
        out: &mut VecDeque<SseEvent>,
    ) -> Result<(), EventTooLarge> {
        while let Some(end) = chunk.iter().position(|&b| b == b'\n' || b == RS) {
            let (head, tail) = chunk.split_at(end);
            chunk = &tail[1..];
            self.grow(head)?;
            let record = std::mem::take(&mut self.record);
            self.emit(&record, out);
        }
        self.grow(chunk)
    }

    /// The stream ended: a last record without its line end counts, if it is whole JSON text
    /// (the decoder says whether it is).
    pub fn finish(&mut self, out: &mut VecDeque<SseEvent>) {
        let record = std::mem::take(&mut self.record);
        self.emit(&record, out);
    }

    fn grow(&mut self, bytes: &[u8]) -> Result<(), EventTooLarge> {
        if self.record.len() + bytes.len() > self.limit {
            self.record = Vec::new();
            return Err(EventTooLarge { limit: self.limit });
        }
        self.record.extend_from_slice(bytes);
        Ok(())
    }

    fn emit(&self, record: &[u8], out: &mut VecDeque<SseEvent>) {
        let text = String::from_utf8_lossy(record);
        let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());
        if !trimmed.is_empty() {
            out.push_back(SseEvent {
                event: "message".to_owned(),
                data: trimmed.to_owned(),
                id: None,
                retry: None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(chunks: &[&[u8]]) -> Vec<String> {
        let mut parser = LineParser::new(1 << 20);
        let mut out = VecDeque::new();
        for chunk in chunks {
            parser.push(chunk, &mut out).unwrap();
        }
        parser.finish(&mut out);
        out.into_iter().map(|event| event.data).collect()
    }

    #[test]
    fn records_end_with_lf_or_crlf_and_blank_ones_are_skipped() {
        assert_eq!(
            parse(&[b"{\"a\":1}\n\n{\"b\":", b"2}\r\n", b"  \n[3]"]),
            ["{\"a\":1}", "{\"b\":2}", "[3]"]
        );
    }

    #[test]
    fn json_text_sequences_start_records_with_rs() {
        assert_eq!(
            parse(&[b"\x1e{\"a\":1}\n\x1e{\"b\":", b"2}\n"]),
            ["{\"a\":1}", "{\"b\":2}"]
        );
    }

    #[test]
    fn utf8_split_across_chunks_is_whole() {
        let text = "{\"t\":\"日本語\"}\n".as_bytes();
        for cut in 0..text.len() {
            assert_eq!(parse(&[&text[..cut], &text[cut..]]), ["{\"t\":\"日本語\"}"]);
        }
    }

    #[test]
    fn records_over_the_limit_are_refused() {
        let mut parser = LineParser::new(8);
        let mut out = VecDeque::new();
        parser.push(b"[1,2,3]\n", &mut out).unwrap();
        assert!(parser.push(b"[1,2,3,4,5", &mut out).is_err());
    }
}
