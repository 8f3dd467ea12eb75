//! Just enough D-Bus to talk to the Secret Service: the wire format (every type, both byte
//! orders, parsed with bounds, depth and size limits: what the bus sends is input like any
//! other, and `fuzz/fuzz_targets/dbus_message.rs` feeds it garbage), the session bus
//! address, the EXTERNAL handshake, method calls and one awaited signal.
//!
//! Our own rather than zbus: zbus brings an object server, introspection and an executor
//! that a client of a dozen method calls never uses, 0.9 MB of a binary meant to stay
//! under 5 MB.
//! Specification: <https://dbus.freedesktop.org/doc/dbus-specification.html>.

use std::collections::VecDeque;
use std::io::{Read, Write};

/// The largest message we accept. The spec allows 128 MiB; the Secret Service's answers
/// to us are a few hundred bytes (a search that matches thousands of items, a few KiB).
pub const MAX_MESSAGE: usize = 1 << 20;
/// Nesting of arrays, structs and variants together (the spec: 32 arrays and 32 structs).
const MAX_DEPTH: u32 = 64;

pub const METHOD_CALL: u8 = 1;
pub const METHOD_RETURN: u8 = 2;
pub const ERROR: u8 = 3;
pub const SIGNAL: u8 = 4;

/// A D-Bus value. `Bytes` is an array of bytes (`ay`); `Array` carries its element
/// signature, so that an empty one still has a type.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Byte(u8),
    Bool(bool),
    I16(i16),
    U16(u16),
    I32(i32),
    U32(u32),
    I64(i64),
    U64(u64),
    Double(f64),
    Str(String),
    Path(String),
    Signature(String),
    UnixFd(u32),
    Bytes(Vec<u8>),
    Array(String, Vec<Value>),
    Struct(Vec<Value>),
    Entry(Box<Value>, Box<Value>),
    Variant(Box<Value>),
}

impl Value {
    pub fn signature(&self) -> String {
        let mut sig = String::new();
        self.push_signature(&mut sig);
        sig
    }

    fn push_signature(&self, sig: &mut String) {
        match self {
            Value::Byte(_) => sig.push('y'),
            Value::Bool(_) => sig.push('b'),
            Value::I16(_) => sig.push('n'),
            Value::U16(_) => sig.push('q'),
            Value::I32(_) => sig.push('i'),
            Value::U32(_) => sig.push('u'),
            Value::I64(_) => sig.push('x'),
            Value::U64(_) => sig.push('t'),
            Value::Double(_) => sig.push('d'),
            Value::Str(_) => sig.push('s'),
            Value::Path(_) => sig.push('o'),
            Value::Signature(_) => sig.push('g'),
            Value::UnixFd(_) => sig.push('h'),
            Value::Bytes(_) => sig.push_str("ay"),
            Value::Array(element, _) => {
                sig.push('a');
                sig.push_str(element);
            }
            Value::Struct(fields) => {
                sig.push('(');
                fields.iter().for_each(|f| f.push_signature(sig));
                sig.push(')');
            }
            Value::Entry(key, value) => {
                sig.push('{');
                key.push_signature(sig);
                value.push_signature(sig);
                sig.push('}');
            }
            Value::Variant(_) => sig.push('v'),
        }
    }

    /// `a{ss}` from pairs.
    pub fn string_dict(pairs: &[(&str, &str)]) -> Value {
        Value::Array(
            "{ss}".into(),
            pairs
                .iter()
                .map(|(k, v)| Value::Entry(Box::new(str(k)), Box::new(str(v))))
                .collect(),
        )
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) | Value::Path(s) | Value::Signature(s) => Some(s),
            _ => None,
        }
    }

    /// The value inside a variant, or the value itself.
    pub fn unwrap_variant(&self) -> &Value {
        match self {
            Value::Variant(inner) => inner.unwrap_variant(),
            other => other,
        }
    }

    /// The object paths of an `ao`.
    pub fn paths(&self) -> Option<Vec<String>> {
        match self {
            Value::Array(element, items) if element == "o" => {
                items.iter().map(|i| i.as_str().map(String::from)).collect()
            }
            _ => None,
        }
    }
}

pub fn str(s: &str) -> Value {
    Value::Str(s.to_string())
}

pub fn path(s: &str) -> Value {
    Value::Path(s.to_string())
}

fn alignment(code: u8) -> usize {
    match code {
        b'n' | b'q' => 2,
        b'b' | b'i' | b'u' | b'h' | b's' | b'o' | b'a' => 4,
        b'x' | b't' | b'd' | b'(' | b'{' => 8,
        _ => 1, // y, g, v
    }
}

fn is_basic(code: u8) -> bool {
    b"ybnqiuxtdsogh".contains(&code)
}

/// The length of the first complete type in `sig`, checked.
fn complete_type(sig: &[u8], depth: u32) -> Result<usize, String> {
    if depth > MAX_DEPTH {
        return Err("a signature nests too deeply".into());
    }
    match sig.first() {
        None => Err("a signature ends too early".into()),
        Some(&c) if is_basic(c) || c == b'v' => Ok(1),
        Some(b'a') => match sig.get(1) {
            Some(b'{') => {
                let key = *sig.get(2).ok_or("a dict entry has no key")?;
                if !is_basic(key) {
                    return Err("a dict entry's key is not a basic type".into());
                }
                let value = complete_type(&sig[3..], depth + 1)?;
                match sig.get(3 + value) {
                    Some(b'}') => Ok(4 + value),
                    _ => Err("a dict entry has other than one key and one value".into()),
                }
            }
            _ => Ok(1 + complete_type(&sig[1..], depth + 1)?),
        },
        Some(b'(') => {
            let mut at = 1;
            while sig.get(at) != Some(&b')') {
                at += complete_type(&sig[at..], depth + 1)?;
            }
            if at == 1 {
                return Err("an empty struct".into());
            }
            Ok(at + 1)
        }
        Some(&c) => Err(format!("{:?} is not a type", c as char)),
    }
}

/// The complete types of a signature, checked.
fn split_signature(sig: &str) -> Result<Vec<&str>, String> {
    if sig.len() > 255 {
        return Err("a signature is longer than 255 bytes".into());
    }
    let mut types = Vec::new();
    let mut rest = sig;
    while !rest.is_empty() {
        let len = complete_type(rest.as_bytes(), 0)?;
        types.push(&rest[..len]);
        rest = &rest[len..];
    }
    Ok(types)
}

fn valid_path(p: &str) -> bool {
    p == "/"
        || (p.starts_with('/')
            && !p.ends_with('/')
            && p[1..].split('/').all(|element| {
                !element.is_empty()
                    && element
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_')
            }))
}

struct Reader<'a> {
    buf: &'a [u8],
    at: usize,
    big_endian: bool,
}

impl<'a> Reader<'a> {
    fn align(&mut self, n: usize) -> Result<(), String> {
        let to = self.at.div_ceil(n) * n;
        if to > self.buf.len() {
            return Err("the message ends inside padding".into());
        }
        self.at = to;
        Ok(())
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.buf.len())
            .ok_or("the message ends inside a value")?;
        let bytes = &self.buf[self.at..end];
        self.at = end;
        Ok(bytes)
    }

    fn fixed<const N: usize>(&mut self) -> Result<[u8; N], String> {
        self.align(N)?;
        let mut bytes: [u8; N] = self.take(N)?.try_into().expect("N bytes taken");
        if self.big_endian {
            bytes.reverse();
        }
        Ok(bytes) // now little-endian
    }

    fn u32(&mut self) -> Result<u32, String> {
        self.fixed::<4>().map(u32::from_le_bytes)
    }

    fn text(&mut self, len: usize) -> Result<String, String> {
        let bytes = self.take(len)?;
        if self.take(1)? != [0] {
            return Err("a string does not end in NUL".into());
        }
        let text = std::str::from_utf8(bytes).map_err(|_| "a string is not UTF-8")?;
        if text.contains('\0') {
            return Err("a string holds NUL".into());
        }
        Ok(text.to_string())
    }

    /// One value of the complete type `sig` (already checked).
    fn value(&mut self, sig: &str, depth: u32) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err("a value nests too deeply".into());
        }
        let code = sig.as_bytes()[0];
        Ok(match code {
            b'y' => Value::Byte(self.take(1)?[0]),
            b'b' => match self.u32()? {
                0 => Value::Bool(false),
                1 => Value::Bool(true),
                _ => return Err("a boolean is neither 0 nor 1".into()),
            },
            b'n' => Value::I16(i16::from_le_bytes(self.fixed()?)),
            b'q' => Value::U16(u16::from_le_bytes(self.fixed()?)),
            b'i' => Value::I32(i32::from_le_bytes(self.fixed()?)),
            b'u' => Value::U32(self.u32()?),
            b'h' => Value::UnixFd(self.u32()?),
            b'x' => Value::I64(i64::from_le_bytes(self.fixed()?)),
            b't' => Value::U64(u64::from_le_bytes(self.fixed()?)),
            b'd' => Value::Double(f64::from_le_bytes(self.fixed()?)),
            b's' | b'o' => {
                let len = self.u32()? as usize;
                let text = self.text(len)?;
                if code == b'o' {
                    if !valid_path(&text) {
                        return Err("an object path is malformed".into());
                    }
                    Value::Path(text)
                } else {
                    Value::Str(text)
                }
            }
            b'g' => {
                let len = self.take(1)?[0] as usize;
                let text = self.text(len)?;
                split_signature(&text)?;
                Value::Signature(text)
            }
            b'v' => {
                let len = self.take(1)?[0] as usize;
                let inner = self.text(len)?;
                if split_signature(&inner)?.len() != 1 {
                    return Err("a variant holds other than one type".into());
                }
                Value::Variant(Box::new(self.value(&inner, depth + 1)?))
            }
            b'a' => {
                let len = self.u32()? as usize;
                let element = &sig[1..];
                self.align(alignment(element.as_bytes()[0]))?;
                if element == "y" {
                    return Ok(Value::Bytes(self.take(len)?.to_vec()));
                }
                let end = self
                    .at
                    .checked_add(len)
                    .filter(|&end| end <= self.buf.len())
                    .ok_or("an array is longer than the message")?;
                let mut items = Vec::new();
                while self.at < end {
                    items.push(self.value(element, depth + 1)?);
                }
                if self.at != end {
                    return Err("an array's items overrun its length".into());
                }
                Value::Array(element.to_string(), items)
            }
            b'(' => {
                self.align(8)?;
                let fields = split_signature(&sig[1..sig.len() - 1])?;
                let values = fields
                    .into_iter()
                    .map(|f| self.value(f, depth + 1))
                    .collect::<Result<_, _>>()?;
                Value::Struct(values)
            }
            b'{' => {
                self.align(8)?;
                let inner = &sig[1..sig.len() - 1];
                let key = self.value(&inner[..1], depth + 1)?;
                let value = self.value(&inner[1..], depth + 1)?;
                Value::Entry(Box::new(key), Box::new(value))
            }
            other => return Err(format!("{:?} is not a type", other as char)),
        })
    }
}

#[derive(Default)]
struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    fn pad(&mut self, n: usize) {
        while !self.buf.len().is_multiple_of(n) {
            self.buf.push(0);
        }
    }

    fn u32(&mut self, n: u32) {
        self.pad(4);
        self.buf.extend_from_slice(&n.to_le_bytes());
    }

    fn text(&mut self, s: &str) {
        self.buf.extend_from_slice(s.as_bytes());
        self.buf.push(0);
    }

    fn signature(&mut self, s: &str) {
        self.buf.push(s.len() as u8);
        self.text(s);
    }

    fn value(&mut self, value: &Value) {
        match value {
            Value::Byte(b) => self.buf.push(*b),
            Value::Bool(b) => self.u32(u32::from(*b)),
            Value::I16(n) => self.fixed(&n.to_le_bytes()),
            Value::U16(n) => self.fixed(&n.to_le_bytes()),
            Value::I32(n) => self.fixed(&n.to_le_bytes()),
            Value::U32(n) | Value::UnixFd(n) => self.u32(*n),
            Value::I64(n) => self.fixed(&n.to_le_bytes()),
            Value::U64(n) => self.fixed(&n.to_le_bytes()),
            Value::Double(n) => self.fixed(&n.to_le_bytes()),
            Value::Str(s) | Value::Path(s) => {
                self.u32(s.len() as u32);
                self.text(s);
            }
            Value::Signature(s) => self.signature(s),
            Value::Bytes(bytes) => {
                self.u32(bytes.len() as u32);
                self.buf.extend_from_slice(bytes);
            }
            Value::Array(element, items) => {
                self.u32(0);
                let len_at = self.buf.len() - 4;
                self.pad(alignment(element.as_bytes()[0]));
                let start = self.buf.len();
                items.iter().for_each(|i| self.value(i));
                let len = (self.buf.len() - start) as u32;
                self.buf[len_at..len_at + 4].copy_from_slice(&len.to_le_bytes());
            }
            Value::Struct(fields) => {
                self.pad(8);
                fields.iter().for_each(|f| self.value(f));
            }
            Value::Entry(key, value) => {
                self.pad(8);
                self.value(key);
                self.value(value);
            }
            Value::Variant(inner) => {
                self.signature(&inner.signature());
                self.value(inner);
            }
        }
    }

    fn fixed(&mut self, bytes: &[u8]) {
        self.pad(bytes.len());
        self.buf.extend_from_slice(bytes);
    }
}

/// A message's header fields that we use, and its body.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub kind: u8,
    pub serial: u32,
    pub reply_serial: Option<u32>,
    pub path: Option<String>,
    pub interface: Option<String>,
    pub member: Option<String>,
    pub error_name: Option<String>,
    pub destination: Option<String>,
    pub body: Vec<Value>,
}

/// A message's total length from its first 16 bytes, checked against `MAX_MESSAGE`.
pub fn message_length(head: &[u8; 16]) -> Result<usize, String> {
    let big_endian = match head[0] {
        b'l' => false,
        b'B' => true,
        _ => return Err("this is not a D-Bus message (bad byte-order mark)".into()),
    };
    let field = |at: usize| {
        let mut bytes: [u8; 4] = head[at..at + 4].try_into().expect("4 bytes");
        if big_endian {
            bytes.reverse();
        }
        u32::from_le_bytes(bytes) as usize
    };
    let (body, fields) = (field(4), field(12));
    // Each part is checked before they are added: no overflow where usize is 32 bits.
    let too_large = || format!("a message is larger than {MAX_MESSAGE} bytes");
    if fields > MAX_MESSAGE || body > MAX_MESSAGE {
        return Err(too_large());
    }
    let len = (16 + fields).div_ceil(8) * 8 + body;
    if len > MAX_MESSAGE {
        return Err(too_large());
    }
    Ok(len)
}

impl Message {
    /// A message of `kind` with no header fields but its serial.
    pub fn new(kind: u8, serial: u32, body: Vec<Value>) -> Message {
        Message {
            kind,
            serial,
            reply_serial: None,
            path: None,
            interface: None,
            member: None,
            error_name: None,
            destination: None,
            body,
        }
    }

    pub fn method_call(
        serial: u32,
        destination: &str,
        path: &str,
        interface: &str,
        member: &str,
        body: Vec<Value>,
    ) -> Message {
        Message {
            path: Some(path.into()),
            interface: Some(interface.into()),
            member: Some(member.into()),
            destination: Some(destination.into()),
            ..Message::new(METHOD_CALL, serial, body)
        }
    }

    /// The message on the wire (little-endian).
    pub fn encode(&self) -> Vec<u8> {
        let mut body = Writer::default();
        let signature: String = self.body.iter().map(Value::signature).collect();
        self.body.iter().for_each(|v| body.value(v));
        let field = |code: u8, value: Value| {
            Value::Struct(vec![Value::Byte(code), Value::Variant(Box::new(value))])
        };
        let mut fields = Vec::new();
        if let Some(p) = &self.path {
            fields.push(field(1, path(p)));
        }
        if let Some(i) = &self.interface {
            fields.push(field(2, str(i)));
        }
        if let Some(m) = &self.member {
            fields.push(field(3, str(m)));
        }
        if let Some(e) = &self.error_name {
            fields.push(field(4, str(e)));
        }
        if let Some(r) = self.reply_serial {
            fields.push(field(5, Value::U32(r)));
        }
        if let Some(d) = &self.destination {
            fields.push(field(6, str(d)));
        }
        if !signature.is_empty() {
            fields.push(field(8, Value::Signature(signature)));
        }
        let mut out = Writer::default();
        out.buf.extend_from_slice(&[b'l', self.kind, 0, 1]);
        out.u32(body.buf.len() as u32);
        out.u32(self.serial);
        out.value(&Value::Array("(yv)".into(), fields));
        out.pad(8);
        out.buf.extend_from_slice(&body.buf);
        out.buf
    }

    /// A whole message, checked: lengths, types, alignment, and that nothing is left over.
    pub fn parse(bytes: &[u8]) -> Result<Message, String> {
        let head: &[u8; 16] = bytes
            .get(..16)
            .and_then(|h| h.try_into().ok())
            .ok_or("a message is shorter than its header")?;
        if message_length(head)? != bytes.len() {
            return Err("a message's length is not what its header says".into());
        }
        if head[3] != 1 {
            return Err("a message of another D-Bus protocol version".into());
        }
        let mut r = Reader {
            buf: bytes,
            at: 4,
            big_endian: head[0] == b'B',
        };
        let _body_len = r.u32()?;
        let serial = r.u32()?;
        let mut message = Message::new(head[1], serial, Vec::new());
        let mut signature = String::new();
        let Value::Array(_, fields) = r.value("a(yv)", 0)? else {
            unreachable!("a(yv) is an array")
        };
        for field in fields {
            let Value::Struct(pair) = field else {
                unreachable!("(yv) is a struct")
            };
            let (Value::Byte(code), Value::Variant(value)) = (&pair[0], &pair[1]) else {
                unreachable!("(yv) is a byte and a variant")
            };
            let text = || value.as_str().map(String::from);
            match (code, &**value) {
                (1, Value::Path(_)) => message.path = text(),
                (2, Value::Str(_)) => message.interface = text(),
                (3, Value::Str(_)) => message.member = text(),
                (4, Value::Str(_)) => message.error_name = text(),
                (5, Value::U32(n)) => message.reply_serial = Some(*n),
                (6, Value::Str(_)) => message.destination = text(),
                (7, Value::Str(_)) => {}
                (8, Value::Signature(s)) => signature = s.clone(),
                (1..=8, _) => return Err(format!("header field {code} has the wrong type")),
                _ => {} // unknown fields are ignored, as the spec says
            }
        }
        r.align(8)?;
        for ty in split_signature(&signature)? {
            message.body.push(r.value(ty, 0)?);
        }
        if r.at != bytes.len() {
            return Err("a message's body is longer than its signature says".into());
        }
        Ok(message)
    }
}

/// Why a call on the bus failed.
#[derive(Debug)]
pub enum Fault {
    /// The bus cannot be reached, or the connection broke.
    Io(String),
    /// The bus or a service broke the protocol.
    Protocol(String),
    /// The service answered with a D-Bus error.
    Error { name: String, text: String },
}

impl From<std::io::Error> for Fault {
    fn from(e: std::io::Error) -> Fault {
        use std::io::ErrorKind::{BrokenPipe, ConnectionReset, UnexpectedEof};
        match e.kind() {
            UnexpectedEof | BrokenPipe | ConnectionReset => {
                Fault::Io("the session bus closed the connection".into())
            }
            _ => Fault::Io(e.to_string()),
        }
    }
}

/// Where a bus address says to connect: a socket path, or (Linux) an abstract name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    Path(std::path::PathBuf),
    Abstract(Vec<u8>),
}

/// The unix-socket endpoints of a bus address (`unix:path=…;unix:abstract=…`), in order;
/// other transports (tcp, launchd, autolaunch) are skipped.
pub fn endpoints(address: &str) -> Vec<Endpoint> {
    use std::os::unix::ffi::OsStringExt;
    address
        .split(';')
        .filter_map(|one| one.strip_prefix("unix:"))
        .filter_map(|keys| {
            keys.split(',').find_map(|kv| {
                let (key, value) = kv.split_once('=')?;
                let value = unescape(value)?;
                match key {
                    "path" => Some(Endpoint::Path(std::ffi::OsString::from_vec(value).into())),
                    "abstract" => Some(Endpoint::Abstract(value)),
                    _ => None,
                }
            })
        })
        .collect()
}

/// A bus address value with its `%xx` escapes undone; `None` if one is malformed.
fn unescape(value: &str) -> Option<Vec<u8>> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// A connection to the session bus, used by one thread, one call at a time.
pub struct Bus {
    stream: std::os::unix::net::UnixStream,
    serial: u32,
    /// Signals that arrived while a reply was awaited, for `signal` to find.
    signals: VecDeque<Message>,
}

const BUS: &str = "org.freedesktop.DBus";
const BUS_PATH: &str = "/org/freedesktop/DBus";

impl Bus {
    /// Connect to the bus at `address` (DBUS_SESSION_BUS_ADDRESS), authenticate as our
    /// user, and say Hello.
    pub fn connect(address: &str) -> Result<Bus, Fault> {
        let endpoints = endpoints(address);
        if endpoints.is_empty() {
            return Err(Fault::Io(
                "DBUS_SESSION_BUS_ADDRESS names no unix socket, the only way saymon reaches the bus"
                    .into(),
            ));
        }
        let mut last = None;
        for endpoint in endpoints {
            match connect(&endpoint) {
                Ok(stream) => {
                    let mut bus = Bus {
                        stream,
                        serial: 0,
                        signals: VecDeque::new(),
                    };
                    bus.authenticate()?;
                    bus.call(BUS, BUS_PATH, BUS, "Hello", vec![])?;
                    return Ok(bus);
                }
                Err(e) => last = Some(e),
            }
        }
        let e = last.expect("at least one endpoint was tried");
        Err(Fault::Io(format!(
            "cannot connect to the session bus ({address}): {e}"
        )))
    }

    /// SASL EXTERNAL: the bus checks our uid on the socket.
    fn authenticate(&mut self) -> Result<(), Fault> {
        // SAFETY: geteuid cannot fail and touches no memory of ours.
        let uid = unsafe { libc::geteuid() }.to_string();
        let hex: String = uid.bytes().map(|b| format!("{b:02x}")).collect();
        self.stream
            .write_all(format!("\0AUTH EXTERNAL {hex}\r\n").as_bytes())?;
        let answer = self.line()?;
        if !answer.starts_with("OK ") {
            return Err(Fault::Io(format!(
                "the session bus did not accept us ({})",
                crate::redact::server_text(&answer, 80)
            )));
        }
        self.stream.write_all(b"BEGIN\r\n")?;
        Ok(())
    }

    /// One line of the handshake, read a byte at a time so as not to read past it.
    fn line(&mut self) -> Result<String, Fault> {
        let mut line = Vec::new();
        while !line.ends_with(b"\r\n") {
            if line.len() > 1024 {
                return Err(Fault::Protocol(
                    "the session bus sent an overlong line".into(),
                ));
            }
            let mut byte = [0];
            self.stream.read_exact(&mut byte)?;
            line.push(byte[0]);
        }
        line.truncate(line.len() - 2);
        Ok(String::from_utf8_lossy(&line).into_owned())
    }

    /// Call a method and wait for its reply's body.
    pub fn call(
        &mut self,
        destination: &str,
        path: &str,
        interface: &str,
        member: &str,
        body: Vec<Value>,
    ) -> Result<Vec<Value>, Fault> {
        self.serial += 1;
        let serial = self.serial;
        let call = Message::method_call(serial, destination, path, interface, member, body);
        self.stream.write_all(&call.encode())?;
        loop {
            let message = self.receive()?;
            match message.kind {
                METHOD_RETURN if message.reply_serial == Some(serial) => return Ok(message.body),
                ERROR if message.reply_serial == Some(serial) => {
                    let text = message.body.first().and_then(Value::as_str).unwrap_or("");
                    return Err(Fault::Error {
                        name: message.error_name.clone().unwrap_or_default(),
                        text: text.to_string(),
                    });
                }
                SIGNAL => {
                    if self.signals.len() >= 64 {
                        self.signals.pop_front();
                    }
                    self.signals.push_back(message);
                }
                // A call made to us, or anything else: not ours to answer.
                _ => {}
            }
        }
    }

    /// Wait for a signal from `path` (subscribed to beforehand with AddMatch).
    pub fn signal(
        &mut self,
        path: &str,
        interface: &str,
        member: &str,
    ) -> Result<Vec<Value>, Fault> {
        let wanted = |m: &Message| {
            m.kind == SIGNAL
                && m.path.as_deref() == Some(path)
                && m.interface.as_deref() == Some(interface)
                && m.member.as_deref() == Some(member)
        };
        if let Some(at) = self.signals.iter().position(wanted) {
            return Ok(self.signals.remove(at).expect("found").body);
        }
        loop {
            let message = self.receive()?;
            if wanted(&message) {
                return Ok(message.body);
            }
        }
    }

    /// Subscribe to signals matching `rule` (`type='signal',…`).
    pub fn add_match(&mut self, rule: &str) -> Result<(), Fault> {
        self.call(BUS, BUS_PATH, BUS, "AddMatch", vec![str(rule)])
            .map(drop)
    }

    fn receive(&mut self) -> Result<Message, Fault> {
        let mut head = [0; 16];
        self.stream.read_exact(&mut head)?;
        let len = message_length(&head).map_err(Fault::Protocol)?;
        let mut bytes = vec![0; len];
        bytes[..16].copy_from_slice(&head);
        self.stream.read_exact(&mut bytes[16..])?;
        Message::parse(&bytes).map_err(Fault::Protocol)
    }
}

fn connect(endpoint: &Endpoint) -> std::io::Result<std::os::unix::net::UnixStream> {
    use std::os::unix::net::UnixStream;
    match endpoint {
        Endpoint::Path(path) => UnixStream::connect(path),
        #[cfg(any(target_os = "linux", target_os = "android"))]
        Endpoint::Abstract(name) => {
            #[cfg(target_os = "android")]
            use std::os::android::net::SocketAddrExt;
            #[cfg(target_os = "linux")]
            use std::os::linux::net::SocketAddrExt;
            let address = std::os::unix::net::SocketAddr::from_abstract_name(name)?;
            UnixStream::connect_addr(&address)
        }
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        Endpoint::Abstract(_) => Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            "abstract sockets exist only on Linux",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call_with(body: Vec<Value>) -> Message {
        Message::method_call(7, "org.freedesktop.secrets", "/a/b_1", "i.f", "M", body)
    }

    #[test]
    fn every_type_round_trips_through_the_wire() {
        let body = vec![
            Value::Byte(0xfe),
            Value::Bool(true),
            Value::I16(-2),
            Value::U16(65000),
            Value::I32(-70000),
            Value::U32(7),
            Value::I64(-1 << 40),
            Value::U64(1 << 63),
            Value::Double(0.5),
            str("é\u{1F511}"),
            path("/org/freedesktop/secrets/collection/login"),
            Value::Signature("a{sv}".into()),
            Value::Bytes(vec![1, 2, 3]),
            Value::Array("(ybs)".into(), vec![]),
            Value::string_dict(&[("service", "saymon"), ("username", "a@b")]),
            Value::Struct(vec![Value::Byte(1), Value::U64(2)]),
            Value::Variant(Box::new(Value::Variant(Box::new(Value::Bytes(vec![]))))),
        ];
        let message = call_with(body);
        let bytes = message.encode();
        let head: &[u8; 16] = bytes[..16].try_into().unwrap();
        assert_eq!(message_length(head), Ok(bytes.len()));
        assert_eq!(Message::parse(&bytes), Ok(message));
    }

    /// The spec's layout, by hand: a reply in big-endian, each header field a struct
    /// aligned to 8, the body aligned to 8, an empty array followed by a path.
    #[test]
    fn a_big_endian_message_written_by_hand_parses() {
        let mut m = vec![b'B', METHOD_RETURN, 0, 1];
        m.extend_from_slice(&10u32.to_be_bytes()); // body length
        m.extend_from_slice(&9u32.to_be_bytes()); // serial
        m.extend_from_slice(&17u32.to_be_bytes()); // header fields' length
        m.extend_from_slice(&[5, 1, b'u', 0, 0, 0, 0, 3]); // REPLY_SERIAL: u 3
        m.extend_from_slice(&[8, 1, b'g', 0, 3, b'a', b'o', b'o', 0]); // SIGNATURE: "aoo"
        m.extend_from_slice(&[0; 7]); // to 40
        m.extend_from_slice(&[0, 0, 0, 0]); // ao: no bytes
        m.extend_from_slice(&[0, 0, 0, 1, b'/', 0]); // o: "/"
        let parsed = Message::parse(&m).unwrap();
        assert_eq!(parsed.kind, METHOD_RETURN);
        assert_eq!(parsed.serial, 9);
        assert_eq!(parsed.reply_serial, Some(3));
        assert_eq!(
            parsed.body,
            vec![Value::Array("o".into(), vec![]), path("/")]
        );
    }

    #[test]
    fn malformed_messages_are_errors_not_panics() {
        let good = call_with(vec![Value::Bool(true), str("x")]).encode();
        let mut bad_bool = good.clone();
        let at = bad_bool.len() - 10;
        bad_bool[at] = 2;
        assert!(Message::parse(&bad_bool).unwrap_err().contains("boolean"));
        for cut in [0, 5, 15, 16, good.len() - 1] {
            assert!(Message::parse(&good[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = good.clone();
        longer.extend_from_slice(&[0; 8]);
        assert!(Message::parse(&longer).is_err());
        let mut not_dbus = good.clone();
        not_dbus[0] = b'x';
        assert!(Message::parse(&not_dbus).is_err());
        let mut no_nul = call_with(vec![str("abc")]).encode();
        let last = no_nul.len() - 1;
        no_nul[last] = b'!';
        assert!(Message::parse(&no_nul).unwrap_err().contains("NUL"));
        let bad_path = call_with(vec![path("/a//b")]).encode();
        assert!(Message::parse(&bad_path).unwrap_err().contains("path"));
    }

    #[test]
    fn a_huge_length_is_refused_before_anything_is_allocated() {
        let mut head = [0u8; 16];
        head[0] = b'l';
        head[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(message_length(&head).unwrap_err().contains("larger than"));
        head[4..8].copy_from_slice(&0u32.to_le_bytes());
        head[12..16].copy_from_slice(&(MAX_MESSAGE as u32).to_le_bytes());
        assert!(message_length(&head).is_err());
    }

    #[test]
    fn signatures_are_checked() {
        assert_eq!(
            split_signature("a{sv}(oayays)b").unwrap(),
            ["a{sv}", "(oayays)", "b"]
        );
        for bad in ["a", "(", "()", "a{vs}", "a{s}", "a{sss}", "z", "{ss}x"] {
            assert!(split_signature(bad).is_err(), "{bad}");
        }
        let deep = "a".repeat(100) + "y";
        assert!(split_signature(&deep).unwrap_err().contains("deeply"));
        assert!(split_signature(&"y".repeat(256)).is_err());
    }

    #[test]
    fn nested_variants_stop_at_the_depth_limit() {
        let mut value = Value::Byte(1);
        for _ in 0..(MAX_DEPTH + 2) {
            value = Value::Variant(Box::new(value));
        }
        let bytes = call_with(vec![value]).encode();
        assert!(Message::parse(&bytes).unwrap_err().contains("deeply"));
    }

    #[test]
    fn bus_addresses_name_unix_sockets() {
        assert_eq!(
            endpoints("unix:path=/run/user/1000/bus"),
            [Endpoint::Path("/run/user/1000/bus".into())]
        );
        assert_eq!(
            endpoints(
                "tcp:host=x,port=1;unix:abstract=/tmp/dbus-AB%2cc,guid=00ff;unix:path=/a%20b"
            ),
            [
                Endpoint::Abstract(b"/tmp/dbus-AB,c".to_vec()),
                Endpoint::Path("/a b".into())
            ]
        );
        assert!(endpoints("unix:path=/x%zz").is_empty());
        assert!(endpoints("unix:path=/x%4").is_empty());
        assert!(endpoints("").is_empty());
        assert!(endpoints("launchd:env=X").is_empty());
    }
}
