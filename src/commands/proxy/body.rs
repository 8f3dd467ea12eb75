//! An answer's body on its way to the client: streamed as it comes, with the token masked
//! (a `users/current` answer holds it as `authenticationToken`), trailers dropped, its
//! bytes counted for the log line, which is written when the body ends or the client goes
//! away.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use tokio::sync::OwnedSemaphorePermit;

use super::log::Entry;
use crate::mask::{Masker, ParamMasker};

/// The server's body, masked and counted.
pub(super) struct Masked {
    inner: reqwest::Body,
    masker: Option<Masker<'static>>,
    /// Then every `api-token=` value (a URL the server echoes, cut short).
    params: ParamMasker,
    /// The request's log line, written when the body is done (or dropped).
    entry: Option<Entry>,
    bytes: u64,
    /// The request's place among those served at once, given back with the body.
    _permit: OwnedSemaphorePermit,
}

impl Masked {
    /// `inner` with every `secret` in it replaced by `***`.
    pub(super) fn new<'a>(
        inner: reqwest::Body,
        secrets: impl IntoIterator<Item = &'a [u8]>,
        entry: Entry,
        permit: OwnedSemaphorePermit,
    ) -> Masked {
        Masked {
            inner,
            masker: Some(Masker::owned(secrets)),
            params: ParamMasker::default(),
            entry: Some(entry),
            bytes: 0,
            _permit: permit,
        }
    }
}

impl Body for Masked {
    type Data = Bytes;
    type Error = reqwest::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, reqwest::Error>>> {
        let this = &mut *self;
        loop {
            let Some(masker) = this.masker.as_mut() else {
                return Poll::Ready(None);
            };
            match Pin::new(&mut this.inner).poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                    Ok(data) => {
                        // Held back: the last bytes, as many as the token is long less
                        // one, whatever they are (`feed_lagging`: no split that would
                        // answer a guess).
                        let mut masked = Vec::with_capacity(data.len());
                        masker.feed_lagging(&data, &mut masked);
                        let mut out = Vec::with_capacity(masked.len());
                        this.params.feed(&masked, &mut out);
                        if out.is_empty() {
                            continue; // held back: the start of the token, maybe
                        }
                        this.bytes += out.len() as u64;
                        return Poll::Ready(Some(Ok(Frame::data(Bytes::from(out)))));
                    }
                    // Trailers are dropped: they could hold the token, unmasked.
                    Err(_trailers) => continue,
                },
                Poll::Ready(Some(Err(e))) => {
                    // The server broke off: said in the line, written now (not as a client
                    // that left early).
                    if let Some(mut entry) = this.entry.take() {
                        entry.failed(&e);
                        entry.write(this.bytes);
                    }
                    this.masker = None;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => {
                    let mut masked = Vec::new();
                    if let Some(masker) = this.masker.take() {
                        masker.finish_whole(&mut masked);
                    }
                    let mut out = Vec::new();
                    let params = std::mem::take(&mut this.params);
                    params.feed_and_finish(&masked, &mut out);
                    this.bytes += out.len() as u64;
                    if let Some(entry) = this.entry.take() {
                        entry.write(this.bytes);
                    }
                    if out.is_empty() {
                        return Poll::Ready(None);
                    }
                    return Poll::Ready(Some(Ok(Frame::data(Bytes::from(out)))));
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.masker.is_none()
    }

    fn size_hint(&self) -> SizeHint {
        // Masking changes the length: no exact size.
        SizeHint::default()
    }
}

impl Drop for Masked {
    fn drop(&mut self) {
        // The client went away before the end: the line says how much it got.
        if let Some(mut entry) = self.entry.take() {
            entry.cut_short();
            entry.write(self.bytes);
        }
    }
}
