//! RFC 6587 framing of syslog over a byte stream (TCP, and TLS per RFC 5425).
//!
//! The first byte of a connection decides (leading LF/CR/NUL skipped): a digit `1`–`9` →
//! octet-counting (`LEN SP MSG`), anything else → non-transparent framing, where a message
//! ends at LF (CRs and NULs right before it are part of the terminator) or at a NUL followed
//! by `<` (the next message's PRI: senders that use NUL as the trailer). Any other NUL is part
//! of the message, so binary junk is stored as received.
//!
//! Over-long messages (more than `max` bytes) are cut, per RFC 5425 §4.3.1 ("truncate the
//! payload"): the first `max` bytes are kept as a message marked with the length received
//! (octet-counting knows it: `cut: Some(LEN)`; newline framing does not: `cut: Some(0)`), the
//! rest of that message is skipped and framing carries on. Nothing else is ever dropped: an
//! octet-counting header that is not `LEN SP` makes the bytes up to the next LF a message of
//! their own (kept raw; the parser flags it), and the connection goes on.

/// One message out of the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub bytes: Vec<u8>,
    /// `Some(original length)` when cut to `max` bytes (`Some(0)`: length unknown).
    pub cut: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    OctetCounting,
    NonTransparent,
}

/// Longest accepted `LEN` header (digits): 10 digits cover any u32 length.
const MAX_LEN_DIGITS: usize = 10;

/// A per-connection decoder: feed it whatever `read` returned, in any pieces.
#[derive(Debug)]
pub struct Framer {
    max: usize,
    mode: Option<Mode>,
    buf: Vec<u8>,
    /// Octet-counting: bytes of an over-long frame still to skip.
    skip: u64,
    /// Non-transparent: inside an over-long message, skipping to its terminator.
    skip_line: bool,
}

impl Framer {
    pub fn new(max: usize) -> Framer {
        Framer {
            max: max.max(1),
            mode: None,
            buf: Vec::new(),
            skip: 0,
            skip_line: false,
        }
    }

    pub fn mode(&self) -> Option<Mode> {
        self.mode
    }

    /// Bytes held waiting for the rest of a message.
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Decode `data`, appending complete messages to `out`.
    pub fn feed(&mut self, mut data: &[u8], out: &mut Vec<Frame>) {
        if self.skip > 0 {
            let n = (self.skip.min(data.len() as u64)) as usize;
            self.skip -= n as u64;
            data = &data[n..];
        }
        if self.skip_line {
            match data.iter().position(|b| *b == b'\n') {
                Some(p) => {
                    self.skip_line = false;
                    data = &data[p + 1..];
                }
                None => return,
            }
        }
        self.buf.extend_from_slice(data);
        let mut pos = 0;
        loop {
            let rest = &self.buf[pos..];
            let lead = rest
                .iter()
                .take_while(|b| matches!(b, b'\n' | b'\r' | 0))
                .count();
            if lead == rest.len() {
                pos = self.buf.len();
                break;
            }
            let mode =
                *self
                    .mode
                    .get_or_insert(if rest[lead].is_ascii_digit() && rest[lead] != b'0' {
                        Mode::OctetCounting
                    } else {
                        Mode::NonTransparent
                    });
            let step = match mode {
                Mode::OctetCounting => self.octet(pos + lead, out),
                Mode::NonTransparent => self.line(pos + lead, out),
            };
            match step {
                Some(next) => pos = next,
                None => {
                    pos += lead;
                    break;
                }
            }
        }
        self.buf.drain(..pos);
    }

    /// At end of stream: what is left is a message whose terminator never came (newline
    /// framing: kept whole), or an octet-counted frame cut short (kept, marked cut).
    pub fn finish(&mut self, out: &mut Vec<Frame>) {
        let rest = std::mem::take(&mut self.buf);
        let start = rest
            .iter()
            .take_while(|b| matches!(b, b'\n' | b'\r' | 0))
            .count();
        if start == rest.len() || self.skip > 0 || self.skip_line {
            return;
        }
        let rest = &rest[start..];
        let announced = match self.mode {
            Some(Mode::OctetCounting) => header(rest),
            _ => None,
        };
        if announced.is_some_and(|(_, h)| h >= rest.len()) {
            return; // a header and no byte of its message
        }
        match announced {
            Some((len, h)) => out.push(Frame {
                bytes: rest[h..].to_vec(),
                cut: Some(len),
            }),
            None => {
                let body = strip_cr(rest);
                let (bytes, cut) = if body.len() > self.max {
                    (body[..self.max].to_vec(), Some(0))
                } else {
                    (body.to_vec(), None)
                };
                out.push(Frame { bytes, cut });
            }
        }
    }

    /// One octet-counted frame starting at `at`; `None` when more bytes are needed.
    fn octet(&mut self, at: usize, out: &mut Vec<Frame>) -> Option<usize> {
        let rest = &self.buf[at..];
        match header(rest) {
            Some((len, h)) => {
                let avail = rest.len() - h;
                if len as usize <= self.max {
                    let len = len as usize;
                    if avail < len {
                        return None;
                    }
                    out.push(Frame {
                        bytes: rest[h..h + len].to_vec(),
                        cut: None,
                    });
                    Some(at + h + len)
                } else {
                    if avail < self.max {
                        return None;
                    }
                    out.push(Frame {
                        bytes: rest[h..h + self.max].to_vec(),
                        cut: Some(len),
                    });
                    let have = (avail - self.max) as u64;
                    let left = len - self.max as u64;
                    if have >= left {
                        Some(at + h + len as usize)
                    } else {
                        self.skip = left - have;
                        Some(self.buf.len())
                    }
                }
            }
            None => {
                let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
                if digits == rest.len() && digits <= MAX_LEN_DIGITS {
                    return None; // the header is still arriving
                }
                // Not `LEN SP`: keep the bytes up to the next LF as a message of their own.
                self.line(at, out)
            }
        }
    }

    /// One message ending at LF or NUL-before-`<` starting at `at`; `None` when more bytes are needed.
    fn line(&mut self, at: usize, out: &mut Vec<Frame>) -> Option<usize> {
        let rest = &self.buf[at..];
        match end_of_line(rest) {
            Ok(p) => {
                let body = strip_cr(&rest[..p]);
                let (bytes, cut) = if body.len() > self.max {
                    (body[..self.max].to_vec(), Some(0))
                } else {
                    (body.to_vec(), None)
                };
                out.push(Frame { bytes, cut });
                Some(at + p + 1)
            }
            Err(_) if rest.len() > self.max => {
                out.push(Frame {
                    bytes: rest[..self.max].to_vec(),
                    cut: Some(0),
                });
                self.skip_line = true;
                Some(self.buf.len())
            }
            Err(_) => None,
        }
    }
}

/// Where the message at the start of `b` ends: the first LF, or a NUL followed by `<` (the
/// next message's PRI) — a NUL anywhere else is part of the message (binary junk is kept).
/// `Err(())` when no end is in `b` yet.
fn end_of_line(b: &[u8]) -> Result<usize, ()> {
    let mut from = 0;
    while let Some(p) = b[from..].iter().position(|c| *c == b'\n' || *c == 0) {
        let p = from + p;
        if b[p] == b'\n' {
            return Ok(p);
        }
        match b.get(p + 1) {
            Some(b'<') => return Ok(p),
            Some(_) => from = p + 1,
            // A NUL at the end of what has arrived: it may be a trailer; wait for more.
            None => return Err(()),
        }
    }
    Err(())
}

/// `LEN SP` at the start of `b`: (LEN, header length), when complete and valid.
fn header(b: &[u8]) -> Option<(u64, usize)> {
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > MAX_LEN_DIGITS || b.get(digits) != Some(&b' ') || b[0] == b'0' {
        return None;
    }
    let len: u64 = std::str::from_utf8(&b[..digits]).ok()?.parse().ok()?;
    Some((len, digits + 1))
}

/// Drop the rest of a terminator: a CR (CRLF) and NUL trailers (`NUL LF`).
fn strip_cr(mut b: &[u8]) -> &[u8] {
    while let Some((last, rest)) = b.split_last() {
        if *last == b'\r' || *last == 0 {
            b = rest;
        } else {
            break;
        }
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(max: usize, stream: &[u8], piece: usize) -> Vec<Frame> {
        let mut f = Framer::new(max);
        let mut out = Vec::new();
        for c in stream.chunks(piece.max(1)) {
            f.feed(c, &mut out);
        }
        f.finish(&mut out);
        out
    }

    fn texts(v: &[Frame]) -> Vec<String> {
        v.iter()
            .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
            .collect()
    }

    #[test]
    fn octet_counting_in_every_split() {
        let s = b"11 <13>1 hello12 <13>1 world!\n5 <1>ab";
        for piece in 1..s.len() {
            let out = all(2048, s, piece);
            assert_eq!(
                texts(&out),
                ["<13>1 hello", "<13>1 world!", "<1>ab"],
                "piece {piece}"
            );
        }
    }

    #[test]
    fn newline_framing_with_crlf_and_nul_in_every_split() {
        let s = b"<13>a\r\n<13>b\n\n<13>c\0<13>last";
        for piece in 1..s.len() {
            let out = all(2048, s, piece);
            assert_eq!(
                texts(&out),
                ["<13>a", "<13>b", "<13>c", "<13>last"],
                "piece {piece}"
            );
        }
    }

    #[test]
    fn a_nul_inside_a_message_is_kept() {
        let s = b"binary \0\x01\xfe junk\n<13>b\0\n<13>c\0";
        for piece in 1..s.len() {
            let out = all(2048, s, piece);
            assert_eq!(out[0].bytes, b"binary \0\x01\xfe junk", "piece {piece}");
            assert_eq!(texts(&out[1..]), ["<13>b", "<13>c"], "piece {piece}");
        }
    }

    #[test]
    fn over_long_frames_are_cut_and_framing_continues() {
        let mut s = b"10 0123456789".to_vec();
        s.extend_from_slice(b"3 abc");
        for piece in 1..s.len() {
            let out = all(4, &s, piece);
            assert_eq!(texts(&out), ["0123", "abc"], "piece {piece}");
            assert_eq!(out[0].cut, Some(10));
            assert_eq!(out[1].cut, None);
        }
        let s = b"<13>abcdefgh\n<13>x\n";
        for piece in 1..s.len() {
            let out = all(6, s, piece);
            assert_eq!(texts(&out), ["<13>ab", "<13>x"], "piece {piece}");
            assert_eq!(out[0].cut, Some(0));
        }
    }

    #[test]
    fn a_bad_octet_header_keeps_the_line_and_goes_on() {
        let s = b"5 <1>ab12x garbage\n3 xyz";
        let out = all(2048, s, 3);
        assert_eq!(texts(&out), ["<1>ab", "12x garbage", "xyz"]);
    }

    #[test]
    fn a_frame_cut_short_by_eof_is_kept_and_marked() {
        let out = all(2048, b"20 <13>short", 4);
        assert_eq!(texts(&out), ["<13>short"]);
        assert_eq!(out[0].cut, Some(20));
    }

    #[test]
    fn gbk_bytes_pass_unchanged() {
        let msg = b"<190>Nov 24 14:02:33 FW \xd4\xb4\xb5\xd8\xd6\xb7".to_vec();
        let mut s = format!("{} ", msg.len()).into_bytes();
        s.extend_from_slice(&msg);
        assert_eq!(all(2048, &s, 7)[0].bytes, msg);
    }
}
