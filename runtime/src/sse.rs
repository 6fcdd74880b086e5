//! The `text/event-stream` format, parsed as the WHATWG HTML standard's event-stream rules say
//! ("Server-sent events", 9.2.6): bytes in, events out, no I/O, at most one event in memory.
//!
//! Lines end with CRLF, LF or CR, also when a CR and its LF arrive in different chunks; a line is
//! decoded only once it is whole, so a UTF-8 character split across chunks is never cut. A
//! leading byte order mark is skipped. Comments (`:`) and unknown fields are ignored, `data`
//! lines join with LF, `id` without NUL sets the last event id (which lasts across events),
//! `retry` of digits only sets the reconnection time, and a blank line dispatches the event
//! unless its data is empty (Dify's `event: ping` keep-alive). An event left unfinished when the
//! stream ends is dropped.

use std::collections::VecDeque;
use std::time::Duration;

/// One event of a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The event's type: its `event` field, or `message` when it had none.
    pub event: String,
    /// The event's data: its `data` lines joined with LF.
    pub data: String,
    /// The last event id of the stream when the event was dispatched, if one was set.
    pub id: Option<String>,
    /// The reconnection time the stream asked for (`retry`), if it did.
    pub retry: Option<Duration>,
}

/// An event (or a line) larger than the limit: nothing more of it is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventTooLarge {
    pub limit: usize,
}

/// The parser's state between chunks.
#[derive(Debug)]
pub struct SseParser {
    limit: usize,
    /// Bytes of the line being read (no line end yet).
    line: Vec<u8>,
    /// The previous chunk ended with CR: an LF starting this one belongs to it.
    after_cr: bool,
    /// Whether the start of the stream (and a possible BOM) is behind us.
    started: bool,
    data: String,
    event: String,
    last_id: Option<String>,
    retry: Option<Duration>,
}

const BOM: &[u8] = "\u{feff}".as_bytes();

impl SseParser {
    /// A parser that refuses an event, or a line, of more than `limit` bytes.
    pub fn new(limit: usize) -> Self {
        SseParser {
            limit,
            line: Vec::new(),
            after_cr: false,
            started: false,
            data: String::new(),
            event: String::new(),
            last_id: None,
            retry: None,
        }
    }

    /// The last event id seen, to resume from (`Last-Event-ID`).
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_id.as_deref()
    }

    /// Reads `chunk`, appending each event it completes to `out`.
    pub fn push(
        &mut self,
        mut chunk: &[u8],
        out: &mut VecDeque<SseEvent>,
    ) -> Result<(), EventTooLarge> {
        if !self.started {
            // The BOM may itself arrive split: wait until three bytes (or a mismatch) are seen.
            self.line.extend_from_slice(chunk);
            if self.line.len() < BOM.len() && BOM.starts_with(&self.line) {
                return Ok(());
            }
            self.started = true;
            let buffered = std::mem::take(&mut self.line);
            let rest = buffered.strip_prefix(BOM).unwrap_or(&buffered);
            return self.push(rest, out);
        }
        if self.after_cr {
            self.after_cr = false;
            if let Some(rest) = chunk.strip_prefix(b"\n") {
                chunk = rest;
            }
        }
        while let Some(end) = chunk.iter().position(|&b| b == b'\n' || b == b'\r') {
            let (head, tail) = chunk.split_at(end);
            let line_end = tail[0];
            chunk = &tail[1..];
            if line_end == b'\r' {
                match chunk.first() {
                    Some(b'\n') => chunk = &chunk[1..],
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
            if self.line.is_empty() {
                self.check(head.len())?;
                self.line_done(head, out)?;
            } else {
                self.check(self.line.len() + head.len())?;
                let mut line = std::mem::take(&mut self.line);
                line.extend_from_slice(head);
                self.line_done(&line, out)?;
                line.clear();
                self.line = line;
            }
        }
        self.check(self.line.len() + chunk.len())?;
        self.line.extend_from_slice(chunk);
        Ok(())
    }

    /// The stream ended: an event without its blank line is dropped, as the rules say.
    pub fn finish(&mut self) {
        self.line.clear();
        self.data.clear();
        self.event.clear();
    }

    /// Whether an event of `more` more bytes than what is pending stays within the limit.
    fn check(&mut self, more: usize) -> Result<(), EventTooLarge> {
        if self.data.len() + self.event.len() + more > self.limit {
            self.line = Vec::new();
            self.data = String::new();
            self.event.clear();
            return Err(EventTooLarge { limit: self.limit });
        }
        Ok(())
    }

    fn line_done(
        &mut self,
        line: &[u8],
        out: &mut VecDeque<SseEvent>,
    ) -> Result<(), EventTooLarge> {
        if line.is_empty() {
            self.dispatch(out);
            return Ok(());
        }
        if line[0] == b':' {
            return Ok(());
        }
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(b" ").unwrap_or(value))
            }
            None => (line, &b""[..]),
        };
        match field {
            b"event" => self.event = String::from_utf8_lossy(value).into_owned(),
            b"data" => {
                self.data.push_str(&String::from_utf8_lossy(value));
                self.data.push('\n');
            }
            b"id" if !value.contains(&0) => {
                self.last_id = Some(String::from_utf8_lossy(value).into_owned());
            }
            b"retry" if !value.is_empty() && value.iter().all(u8::is_ascii_digit) => {
                // Digits beyond what fits are a time no one waits for: the largest there is.
                let millis = std::str::from_utf8(value)
                    .ok()
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(u64::MAX);
                self.retry = Some(Duration::from_millis(millis));
            }
            _ => {}
        }
        Ok(())
    }

    fn dispatch(&mut self, out: &mut VecDeque<SseEvent>) {
        if self.data.is_empty() {
            self.event.clear();
            return;
        }
        self.data.pop();
        let event = if self.event.is_empty() {
            "message".to_owned()
        } else {
            std::mem::take(&mut self.event)
        };
        out.push_back(SseEvent {
            event,
            data: std::mem::take(&mut self.data),
            id: self.last_id.clone(),
            retry: self.retry,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The events of `chunks`, read one after another.
    fn parse(chunks: &[&[u8]]) -> Vec<SseEvent> {
        let mut parser = SseParser::new(1 << 20);
        let mut out = VecDeque::new();
        for chunk in chunks {
            parser.push(chunk, &mut out).unwrap();
        }
        parser.finish();
        out.into_iter().collect()
    }

    fn one(event: &str, data: &str) -> SseEvent {
        SseEvent {
            event: event.into(),
            data: data.into(),
            id: None,
            retry: None,
        }
    }

    #[test]
    fn line_ends_may_be_lf_cr_or_crlf() {
        for text in [
            "data: a\n\ndata: b\n\n",
            "data: a\r\rdata: b\r\r",
            "data: a\r\n\r\ndata: b\r\n\r\n",
            "data: a\n\r\ndata: b\r\n",
        ] {
            let events = parse(&[text.as_bytes()]);
            let expected = if text.ends_with("b\r\n") {
                vec![one("message", "a")]
            } else {
                vec![one("message", "a"), one("message", "b")]
            };
            assert_eq!(events, expected, "{text:?}");
        }
    }

    #[test]
    fn a_crlf_split_across_chunks_is_one_line_end() {
        // Were the LF taken for a second line end, the blank line would dispatch early.
        let events = parse(&[b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"]);
        assert_eq!(events, vec![one("message", "a\nb")]);
    }

    #[test]
    fn data_lines_join_with_lf_and_one_space_is_stripped() {
        let events = parse(&[b"data:one\ndata:  two\ndata\ndata: \n\n"]);
        assert_eq!(events, vec![one("message", "one\n two\n\n")]);
    }

    #[test]
    fn comments_and_unknown_fields_are_ignored() {
        let events = parse(&[b": keep-alive\nfoo: bar\nDATA: x\nevent: update\ndata: {}\n\n"]);
        assert_eq!(events, vec![one("update", "{}")]);
    }

    #[test]
    fn an_event_without_data_is_not_dispatched() {
        // Dify's keep-alive.
        let events = parse(&[b"event: ping\n\nevent: ping\n\ndata: x\n\n"]);
        assert_eq!(events, vec![one("message", "x")]);
    }

    #[test]
    fn a_leading_bom_is_skipped_even_when_split() {
        assert_eq!(
            parse(&[b"\xEF\xBB\xBFdata: a\n\n"]),
            vec![one("message", "a")]
        );
        assert_eq!(
            parse(&[b"\xEF", b"\xBB", b"\xBFdata: a\n\n"]),
            vec![one("message", "a")]
        );
        // Only one, and only at the start.
        assert_eq!(parse(&[b"\xEF\xBB\xBF\xEF\xBB\xBFdata: a\n\n"]), vec![]);
    }

    #[test]
    fn utf8_split_anywhere_is_whole_in_the_event() {
        let text = "data: {\"title\":\"Zusammenfassung – 日本語 🚀\"}\n\n".as_bytes();
        for cut in 0..text.len() {
            let events = parse(&[&text[..cut], &text[cut..]]);
            assert_eq!(
                events,
                vec![one(
                    "message",
                    "{\"title\":\"Zusammenfassung – 日本語 🚀\"}"
                )],
                "cut at {cut}"
            );
        }
        let bytes: Vec<&[u8]> = text.chunks(1).collect();
        assert_eq!(parse(&bytes).len(), 1);
    }

    #[test]
    fn ids_last_across_events_and_ids_with_nul_are_ignored() {
        let events = parse(&[b"id: 7\ndata: a\n\ndata: b\n\nid: x\0y\ndata: c\n\nid\ndata: d\n\n"]);
        let ids: Vec<Option<&str>> = events.iter().map(|e| e.id.as_deref()).collect();
        assert_eq!(ids, [Some("7"), Some("7"), Some("7"), Some("")]);
    }

    #[test]
    fn retry_takes_digits_only() {
        let events =
            parse(&[b"retry: 2500\ndata: a\n\nretry: 1s\ndata: b\n\nretry: \ndata: c\n\n"]);
        let retries: Vec<_> = events.iter().map(|e| e.retry).collect();
        assert_eq!(retries, [Some(Duration::from_millis(2500)); 3]);
    }

    #[test]
    fn an_unfinished_event_at_the_end_is_dropped() {
        assert_eq!(parse(&[b"data: a\n\ndata: b\n"]), vec![one("message", "a")]);
        assert_eq!(parse(&[b"data: a\n\ndata: b"]), vec![one("message", "a")]);
    }

    #[test]
    fn an_event_type_applies_to_its_event_only() {
        let events = parse(&[b"event: a\ndata: 1\n\ndata: 2\n\n"]);
        assert_eq!(events, vec![one("a", "1"), one("message", "2")]);
    }

    #[test]
    fn events_and_lines_over_the_limit_are_refused() {
        let mut parser = SseParser::new(16);
        let mut out = VecDeque::new();
        parser.push(b"data: 0123456789\n\n", &mut out).unwrap();
        assert_eq!(out.len(), 1);
        // Many short data lines add up.
        parser.push(b"data: 0123456\n", &mut out).unwrap();
        assert_eq!(
            parser.push(b"data: 0123456\n", &mut out),
            Err(EventTooLarge { limit: 16 })
        );
        // A line that never ends is refused as it grows, chunk by chunk.
        let mut parser = SseParser::new(16);
        parser.push(b"data: 01234", &mut out).unwrap();
        assert!(parser.push(b"56789abcdef", &mut out).is_err());
    }
}
