//! Secrets masked in a stream of bytes (`exec`'s output), and registered with a CI runner
//! that masks them in its logs (GitHub Actions, Azure Pipelines).
//!
//! The masker is our own: aho-corasick's `stream_replace_all` reads until it holds a
//! pattern's length more before it writes anything, so a line a command prints and then
//! waits on would not appear. This one writes everything at once but the end that could
//! still become a secret with the next bytes (a secret split across writes is masked all
//! the same). The search itself is memchr's.

use std::io::Write;

use memchr::memmem::Finder;

/// What a masked secret becomes.
pub const MASK: &[u8] = b"***";

/// Streaming replacement of secrets by `***`. Feed it the bytes as they come; what it
/// returns is final and in order; `finish` gives what it held back.
pub struct Masker<'s> {
    /// Borrowed from the secrets: no copy of them is made.
    finders: Vec<Finder<'s>>,
    /// The end of the bytes so far that is the start of a secret, held back.
    held: Vec<u8>,
}

impl<'s> Masker<'s> {
    /// A masker of `secrets` (empty ones are ignored; where two match at one place, the
    /// longer one is masked).
    pub fn new(secrets: impl IntoIterator<Item = &'s [u8]>) -> Masker<'s> {
        let mut finders: Vec<Finder<'s>> = secrets
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(Finder::new)
            .collect();
        finders.sort_by_key(|f| std::cmp::Reverse(f.needle().len()));
        Masker {
            finders,
            held: Vec::new(),
        }
    }

    /// A masker that keeps its own copy of `secrets` (for a stream that outlives them:
    /// the proxy's answers).
    pub fn owned<'a>(secrets: impl IntoIterator<Item = &'a [u8]>) -> Masker<'static> {
        let mut finders: Vec<Finder<'static>> = secrets
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(|s| Finder::new(s).into_owned())
            .collect();
        finders.sort_by_key(|f| std::cmp::Reverse(f.needle().len()));
        Masker {
            finders,
            held: Vec::new(),
        }
    }

    /// Mask `chunk` (after what was held back) and append what is final to `out`.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<u8>) {
        if self.finders.is_empty() {
            out.extend_from_slice(chunk);
            return;
        }
        let joined;
        let data = if self.held.is_empty() {
            chunk
        } else {
            self.held.extend_from_slice(chunk);
            joined = std::mem::take(&mut self.held);
            &joined[..]
        };
        let held = self.mask_into(data, false, out);
        self.held = data[held..].to_vec();
    }

    /// `feed` for a stream that someone else partly writes (an answer through `saymon
    /// proxy`, which can echo its client's text): what it holds back is always the stream's
    /// last bytes, the longest secret's length less one, whatever they are. `feed` holds
    /// back exactly a possible start of a secret, so where its output ends would answer a
    /// guess at the secret's first bytes; here it depends on the lengths alone. End the
    /// stream with `finish_whole`.
    pub fn feed_lagging(&mut self, chunk: &[u8], out: &mut Vec<u8>) {
        // The finders are sorted longest first.
        let lag = self.finders.first().map_or(0, |f| f.needle().len() - 1);
        self.held.extend_from_slice(chunk);
        let data = std::mem::take(&mut self.held);
        let decided = data.len().saturating_sub(lag);
        let mut at = 0;
        let mut matches = self.matches(&data);
        // A secret that starts before `decided` lies whole in `data`.
        while let Some((start, len)) = matches.from(at) {
            if start >= decided {
                break;
            }
            out.extend_from_slice(&data[at..start]);
            out.extend_from_slice(MASK);
            at = start + len;
        }
        let end = decided.max(at);
        out.extend_from_slice(&data[at..end]);
        self.held = data[end..].to_vec();
    }

    /// The bytes held back so far (the start of a secret, maybe).
    pub fn held(&self) -> &[u8] {
        &self.held
    }

    /// The bytes held back at the end of the stream: what came before a possible start of
    /// a secret is written (whole secrets in it masked); the possible start itself is
    /// written as `***`, since it is most of a secret that the stream cut short (a command
    /// that printed all but the token's last character, one that died mid-write).
    pub fn finish(self, out: &mut Vec<u8>) {
        let hold = self.mask_into(&self.held, false, out);
        if hold < self.held.len() {
            out.extend_from_slice(MASK);
        }
    }

    /// `finish` for a stream whose end someone else may choose (an answer through `saymon
    /// proxy`, which can end in text its client sent): only whole secrets are masked, and
    /// a possible start is written as it is. Masking it would answer a client's guess at
    /// the secret's first bytes, one byte at a time.
    pub fn finish_whole(self, out: &mut Vec<u8>) {
        // At the end nothing can become a secret any more: every whole one is masked, a
        // short one inside the start of a long one too.
        self.mask_into(&self.held, true, out);
    }

    /// Mask `data` into `out` up to where the bytes that may still become a secret begin
    /// (none `at_end` of the stream); returns that place. Decided on the whole of `data`:
    /// a secret found there is masked only if it starts before that place, since a longer
    /// secret that starts there (or earlier) and holds it would win once complete (a
    /// password inside the token, say), as it does when the bytes come in one piece.
    fn mask_into(&self, data: &[u8], at_end: bool, out: &mut Vec<u8>) -> usize {
        let partial = |data: &[u8]| if at_end { 0 } else { self.partial_at_end(data) };
        let mut hold = data.len() - partial(data);
        let mut at = 0;
        let mut matches = self.matches(data);
        while let Some((start, len)) = matches.from(at) {
            if start >= hold {
                break;
            }
            out.extend_from_slice(&data[at..start]);
            out.extend_from_slice(MASK);
            at = start + len;
            if at > hold {
                // The secret ran past where the possible start began: what may begin a
                // secret is looked for again after it.
                hold = data.len() - partial(&data[at..]);
            }
        }
        out.extend_from_slice(&data[at..hold]);
        hold
    }

    /// The secrets' matches in `data`, leftmost and longest first.
    fn matches<'m>(&'m self, data: &'m [u8]) -> Matches<'m, 's> {
        Matches {
            finders: &self.finders,
            data,
            next: vec![Next::Unknown; self.finders.len()],
        }
    }

    /// How many bytes at the end of `data` begin some secret (a proper beginning: a whole
    /// one was masked already).
    fn partial_at_end(&self, data: &[u8]) -> usize {
        self.finders
            .iter()
            .filter_map(|f| {
                let secret = f.needle();
                let most = data.len().min(secret.len() - 1);
                (1..=most).rev().find(|&k| data.ends_with(&secret[..k]))
            })
            .max()
            .unwrap_or(0)
    }
}

/// Under GitHub Actions (`GITHUB_ACTIONS=true`) or Azure Pipelines (`TF_BUILD=True`), tell
/// the runner to mask `secret` in its logs, with its workflow command on stderr (the
/// runner reads both streams; stdout keeps only the result, for `$(saymon token print)`).
/// Elsewhere nothing is written. Called before a token is printed or handed to a command.
pub(crate) fn register_with_ci(secret: &[u8]) {
    let Some(line) = ci_command(secret, |name| std::env::var(name).ok()) else {
        return;
    };
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(line.as_bytes());
    let _ = stderr.flush();
}

/// The line that registers `secret` with the CI runner that `var` (the environment) names,
/// escaped as each runner reads its commands; `None` outside CI.
fn ci_command(secret: &[u8], var: impl Fn(&str) -> Option<String>) -> Option<String> {
    let text = String::from_utf8_lossy(secret);
    if var("GITHUB_ACTIONS").as_deref() == Some("true") {
        // GitHub's escaping of a command's data: %, CR and LF.
        let data = text
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A");
        return Some(format!("::add-mask::{data}\n"));
    }
    if var("TF_BUILD").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        // Azure's escaping of a logging command's value.
        let data = text
            .replace('%', "%AZP25")
            .replace('\r', "%0D")
            .replace('\n', "%0A");
        return Some(format!("##vso[task.setsecret]{data}\n"));
    }
    None
}

/// Where a finder's next match lies, as far as it was searched.
#[derive(Clone, Copy)]
enum Next {
    Unknown,
    At(usize),
    Never,
}

/// The matches of several secrets in one text. Each finder is searched again only once
/// the match it found was passed, so the work is linear in the text however many secrets
/// there are and however often they occur (searching every finder from every match was
/// quadratic: an answer full of one token, masked for two, took minutes).
struct Matches<'m, 's> {
    finders: &'m [Finder<'s>],
    data: &'m [u8],
    next: Vec<Next>,
}

impl Matches<'_, '_> {
    /// The first match starting at or after `at`: its start and length (the longest at
    /// that start).
    fn from(&mut self, at: usize) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        for (finder, next) in self.finders.iter().zip(self.next.iter_mut()) {
            let stale = match *next {
                Next::Unknown => true,
                Next::At(start) => start < at,
                Next::Never => false,
            };
            if stale {
                *next = match self.data.get(at..).and_then(|rest| finder.find(rest)) {
                    Some(start) => Next::At(at + start),
                    None => Next::Never,
                };
            }
            if let Next::At(start) = *next {
                let len = finder.needle().len();
                if best.is_none_or(|(s, l)| start < s || start == s && len > l) {
                    best = Some((start, len));
                }
            }
        }
        best
    }
}

/// Streaming replacement of the value of every `api-token` (any case) by `***`, whatever
/// the value is and however it is joined to the name (`=`, `%3D`, `\u003d`, `&#61;`, a JSON
/// `": "`): a server that echoes the URL or the query it got, cut anywhere, shows no part of
/// the token, and a client learns nothing from text of its own (it is masked too).
#[derive(Default)]
pub struct ParamMasker {
    /// The end of the bytes so far that may still be part of the name or of what joins it
    /// to its value (public text: holding it back says nothing of a secret).
    held: Vec<u8>,
    state: ParamState,
}

#[derive(Default, Clone, Copy)]
enum ParamState {
    /// Looking for the name.
    #[default]
    Name,
    /// After the name: what joins it to the value, passed on.
    Joint,
    /// Inside a value: its bytes are dropped until one that cannot be in it.
    Value,
}

/// The parameter whose value is masked.
const TOKEN_PARAM: &[u8] = b"api-token";

/// What may join the name to its value, as a URL, a JSON or an HTML page shows it.
const JOINTS: &[&[u8]] = &[
    b"=", b"%3d", b"\\u003d", b"&#61;", b"\"", b"'", b":", b" ", b"\t", b"[", b",",
];

impl ParamMasker {
    /// Mask `chunk` (after what was held back) and append what is final to `out`.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<u8>) {
        self.held.extend_from_slice(chunk);
        let data = std::mem::take(&mut self.held);
        let mut at = 0;
        while at < data.len() {
            let rest = &data[at..];
            match self.state {
                ParamState::Value => {
                    let value = rest.iter().take_while(|b| in_param_value(**b)).count();
                    at += value;
                    if at < data.len() {
                        self.state = ParamState::Name;
                    }
                }
                ParamState::Joint => {
                    match JOINTS.iter().find(|j| starts_with_ignoring_case(rest, j)) {
                        Some(joint) => {
                            out.extend_from_slice(&rest[..joint.len()]);
                            at += joint.len();
                        }
                        None if JOINTS.iter().any(|j| starts_with_ignoring_case(j, rest)) => {
                            self.held = rest.to_vec(); // a joint cut short
                            return;
                        }
                        None => {
                            out.extend_from_slice(MASK);
                            self.state = ParamState::Value;
                        }
                    }
                }
                ParamState::Name => match find_ignoring_case(rest, TOKEN_PARAM) {
                    Some(found) => {
                        out.extend_from_slice(&rest[..found + TOKEN_PARAM.len()]);
                        at += found + TOKEN_PARAM.len();
                        self.state = ParamState::Joint;
                    }
                    None => {
                        let keep = (1..TOKEN_PARAM.len().min(rest.len() + 1))
                            .rev()
                            .find(|&k| {
                                rest[rest.len() - k..].eq_ignore_ascii_case(&TOKEN_PARAM[..k])
                            })
                            .unwrap_or(0);
                        out.extend_from_slice(&rest[..rest.len() - keep]);
                        self.held = rest[rest.len() - keep..].to_vec();
                        return;
                    }
                },
            }
        }
    }

    /// The end of the stream: what was held back, as it is (a name, part of a joint).
    pub fn finish(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.held);
    }

    /// `feed` the stream's last bytes, then `finish`.
    pub fn feed_and_finish(mut self, last: &[u8], out: &mut Vec<u8>) {
        self.feed(last, out);
        self.finish(out);
    }
}

/// Whether `data` starts with `prefix`, ignoring ASCII case.
fn starts_with_ignoring_case(data: &[u8], prefix: &[u8]) -> bool {
    data.len() >= prefix.len() && data[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Whether `byte` can be part of a query parameter's value as a URL or its echo shows it.
fn in_param_value(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"-_.~%+".contains(&byte)
}

/// Where `needle` (ASCII, starting with a letter) first occurs in `data`, ignoring ASCII
/// case: only where its first letter is (memchr), so that a long answer costs little.
fn find_ignoring_case(data: &[u8], needle: &[u8]) -> Option<usize> {
    let first = needle[0];
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    memchr::memchr2_iter(lower, upper, data).find(|&at| {
        data.get(at..at + needle.len())
            .is_some_and(|window| window.eq_ignore_ascii_case(needle))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(secrets: &[&str], chunks: &[&str]) -> String {
        let mut masker = Masker::new(secrets.iter().map(|s| s.as_bytes()));
        let mut out = Vec::new();
        for chunk in chunks {
            masker.feed(chunk.as_bytes(), &mut out);
        }
        masker.finish(&mut out);
        String::from_utf8(out).unwrap()
    }

    /// What `feed_lagging` gives, chunk by chunk, then `finish_whole`.
    fn lagging(secret: &str, chunks: &[&str]) -> Vec<String> {
        let mut masker = Masker::new([secret.as_bytes()]);
        let mut frames = Vec::new();
        for chunk in chunks {
            let mut out = Vec::new();
            masker.feed_lagging(chunk.as_bytes(), &mut out);
            frames.push(String::from_utf8(out).unwrap());
        }
        let mut out = Vec::new();
        masker.finish_whole(&mut out);
        frames.push(String::from_utf8(out).unwrap());
        frames
    }

    #[test]
    fn lagging_output_splits_where_the_lengths_say_never_where_a_guess_is_right() {
        // A right guess at the start and a wrong one come back split alike.
        assert_eq!(lagging("tok-secret", &["xtok-sec"]), ["", "xtok-sec"]);
        assert_eq!(lagging("tok-secret", &["xtok-sed"]), ["", "xtok-sed"]);
        assert_eq!(
            lagging("tok-secret", &["0123456789abcxtok-se", "more"]),
            ["0123456789a", "bcxt", "ok-semore"]
        );
        assert_eq!(
            lagging("tok-secret", &["0123456789abcxtok-sf", "more"]),
            ["0123456789a", "bcxt", "ok-sfmore"]
        );
        // Whole secrets are masked, split across chunks too.
        assert_eq!(
            lagging("tok-secret", &["a tok-se", "cret b tok-secret"]).concat(),
            "a *** b ***"
        );
        assert_eq!(lagging("tok-secret", &["tok-secret"]).concat(), "***");
    }

    #[test]
    fn every_api_token_value_is_masked_whatever_it_is_and_wherever_it_is_cut() {
        let masked = |chunks: &[&str]| {
            let mut params = ParamMasker::default();
            let mut out = Vec::new();
            for chunk in chunks {
                params.feed(chunk.as_bytes(), &mut out);
            }
            params.finish(&mut out);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(
            masked(&["GET /x?a=1&api-token=deadbeefcaf"]),
            "GET /x?a=1&api-token=***"
        );
        assert_eq!(
            masked(&["{\"url\": \"/x?API-TOK", "EN=dead", "beef&b=2\"}"]),
            "{\"url\": \"/x?API-TOKEN=***&b=2\"}"
        );
        assert_eq!(masked(&["api-token"]), "api-token");
        assert_eq!(masked(&["no token here", " api-"]), "no token here api-");
        assert_eq!(masked(&["api-token=&x"]), "api-token=***&x");
        // However the value is joined to the name, split anywhere.
        for (echo, shown) in [
            ("{\"api-token\": \"deadbeef\"}", "{\"api-token\": \"***\"}"),
            ("/x?API-TOKEN%3Ddeadbeef&y", "/x?API-TOKEN%3D***&y"),
            ("api-token&#61;deadbeef<", "api-token&#61;***<"),
            ("api-token\\u003ddeadbeef\"", "api-token\\u003d***\""),
            (
                "[\"api-token\", [\"deadbeef\"]]",
                "[\"api-token\", [\"***\"]]",
            ),
        ] {
            assert_eq!(masked(&[echo]), shown, "{echo}");
            for cut in 1..echo.len() {
                assert_eq!(
                    masked(&[&echo[..cut], &echo[cut..]]),
                    shown,
                    "{echo} at {cut}"
                );
            }
        }
    }

    #[test]
    fn finish_whole_masks_whole_secrets_only_and_answers_no_guess() {
        let whole = |chunks: &[&str]| {
            let mut masker = Masker::new([b"tok-secret".as_slice()]);
            let mut out = Vec::new();
            for chunk in chunks {
                masker.feed(chunk.as_bytes(), &mut out);
            }
            masker.finish_whole(&mut out);
            String::from_utf8(out).unwrap()
        };
        // A body that ends in a right guess at the token's start reads as a wrong one.
        assert_eq!(whole(&["x", "tok-sec"]), "xtok-sec");
        assert_eq!(whole(&["xtok-sed"]), "xtok-sed");
        assert_eq!(whole(&["1234t"]), "1234t");
        assert_eq!(whole(&["a tok-sec", "ret b tok-s"]), "a *** b tok-s");
        // `finish` masks that start (a command cut short while printing the token).
        assert_eq!(masked(&["tok-secret"], &["x", "tok-sec"]), "x***");
    }

    #[test]
    fn secrets_are_masked_wherever_the_writes_split_them() {
        let token = "a5f946dc-4c21";
        assert_eq!(masked(&[token], &["x a5f946dc-4c21 y"]), "x *** y");
        assert_eq!(masked(&[token], &["x a5f9", "46dc-4", "c21 y"]), "x *** y");
        assert_eq!(masked(&[token], &["a5f946dc-4c21a5f946dc-4c21"]), "******");
        // A start that does not become the secret is given back as it was.
        assert_eq!(masked(&[token], &["a5f9", "46dX"]), "a5f946dX");
        // At the end of the stream, a possible start is written as a secret: it may be
        // all but the last characters of one.
        assert_eq!(masked(&[token], &["ends with a5f946"]), "ends with ***");
        assert_eq!(
            masked(&[token], &["a5f946dc-4c2"]),
            "***",
            "all but the last character"
        );
        assert_eq!(masked(&[token], &["ends with b"]), "ends with b");
        // The longer of two secrets at one place; both anywhere.
        assert_eq!(masked(&["pass", "password"], &["my password"]), "my ***");
        assert_eq!(masked(&["tok", "pw"], &["tok pw tok"]), "*** *** ***");
        assert_eq!(masked(&[], &["nothing"]), "nothing");
        assert_eq!(masked(&[""], &["nothing"]), "nothing");
    }

    #[test]
    fn a_secret_inside_another_is_masked_alike_wherever_the_writes_split() {
        // A remembered password that is part of the token.
        let (token, password) = ("a5f946dc-4c21-4ccd-b78b-f0a5fce94f4d", "46dc");
        for cut in 0..=token.len() {
            let (first, rest) = token.split_at(cut);
            assert_eq!(
                masked(
                    &[password, token],
                    &[&format!("x {first}"), &format!("{rest} y")]
                ),
                "x *** y",
                "split after {cut}"
            );
        }
        // Where the longer does not come whole, the shorter is masked all the same.
        assert_eq!(
            masked(&[token, password], &["a5f9", "46dc-4c21!"]),
            "a5f9***-4c21!"
        );
        // At the end, the start of the token (with the password in it) is one secret.
        assert_eq!(masked(&[token, password], &["x a5f946dc"]), "x ***");
        assert_eq!(masked(&[token, password], &["x a5f9", "46dc"]), "x ***");
        // A secret that runs past the start of a possible other one.
        assert_eq!(masked(&["abcd", "cdxy"], &["ab", "cdxy"]), "***xy");
        assert_eq!(masked(&["abcd", "dxyz"], &["zabcdx"]), "z***x");
    }

    #[test]
    fn only_a_possible_start_of_a_secret_is_held_back() {
        let mut masker = Masker::new([&b"secret"[..]]);
        let mut out = Vec::new();
        masker.feed(b"progress 50% sec", &mut out);
        assert_eq!(out, b"progress 50% ");
        out.clear();
        masker.feed(b"ond\n", &mut out);
        assert_eq!(out, b"second\n");
    }

    #[test]
    fn bytes_that_are_not_text_pass_untouched_in_any_split() {
        // 0..=255 sixteen times: the secret ff 00 01 spans each of the 15 block joins.
        let data: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
        let mut want = Vec::new();
        for (i, block) in data.chunks(256).enumerate() {
            let start = if i == 0 { 0 } else { 2 };
            want.extend_from_slice(&block[start..255]);
            // Between blocks the secret; at the very end its first byte, cut short.
            want.extend_from_slice(MASK);
        }
        for size in [1, 2, 3, 7, 255, 256, 4096] {
            let mut masker = Masker::new([&b"\xff\x00\x01"[..]]);
            let mut out = Vec::new();
            for chunk in data.chunks(size) {
                masker.feed(chunk, &mut out);
            }
            masker.finish(&mut out);
            assert_eq!(out, want, "chunks of {size}");
        }
    }

    #[test]
    fn ci_runners_get_their_own_commands() {
        let env = |pairs: &'static [(&str, &str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            ci_command(b"tok-1", env(&[("GITHUB_ACTIONS", "true")])).as_deref(),
            Some("::add-mask::tok-1\n")
        );
        assert_eq!(
            ci_command(b"a%b\nc", env(&[("GITHUB_ACTIONS", "true")])).as_deref(),
            Some("::add-mask::a%25b%0Ac\n")
        );
        assert_eq!(
            ci_command(b"tok-1", env(&[("TF_BUILD", "True")])).as_deref(),
            Some("##vso[task.setsecret]tok-1\n")
        );
        assert_eq!(
            ci_command(b"tok-1", env(&[("GITHUB_ACTIONS", "false")])),
            None
        );
        assert_eq!(ci_command(b"tok-1", env(&[])), None);
    }
}
