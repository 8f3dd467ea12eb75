//! One deadline per client: `--timeout` from its first request covers connecting, TLS,
//! sending, the headers and reading a body saymon parses, across retries: every request
//! and every such read goes through `before_deadline`. (`api` streams its body past it,
//! each read by itself; `doctor`'s DNS and TCP steps and the protocol probe of
//! `failure` time themselves, within what is left.)

use std::time::Instant;

use anyhow::Result;

use super::Client;
use crate::error::{Error, Exit};

impl Client<'_> {
    /// Start the deadline anew with the next request: after waiting for a person (a
    /// password prompt), whose time is not the server's.
    pub(crate) fn restart_deadline(&self) {
        self.deadline.set(None);
    }

    /// The deadline of this client's network work, started by its first request.
    pub(super) fn deadline(&self) -> Instant {
        match self.deadline.get() {
            Some(deadline) => deadline,
            None => {
                let deadline = Instant::now() + self.timeout;
                self.deadline.set(Some(deadline));
                deadline
            }
        }
    }

    /// `future` (some network work), unless the deadline passes first: connecting, TLS,
    /// sending, the headers and reading a body all count against one `--timeout`.
    pub(crate) async fn within_deadline<T>(
        &self,
        future: impl std::future::Future<Output = reqwest::Result<T>>,
    ) -> Result<T> {
        match self.before_deadline(future).await {
            Some(result) => result.map_err(|e| self.transport_error(e)),
            None => Err(self.deadline_passed()),
        }
    }

    /// What `future` gives, or `None` when the deadline passes first: the one place every
    /// request (`create_token`, `reach`, `execute`) and body read is timed.
    pub(super) async fn before_deadline<T>(
        &self,
        future: impl std::future::Future<Output = T>,
    ) -> Option<T> {
        tokio::time::timeout_at(self.deadline().into(), future)
            .await
            .ok()
    }

    /// Whether this client's deadline (`--timeout`, started by its first request) has
    /// passed.
    pub(crate) fn out_of_time(&self) -> bool {
        self.deadline.get().is_some_and(|d| Instant::now() >= d)
    }

    /// The `--timeout` of this client.
    pub(crate) fn timeout(&self) -> std::time::Duration {
        self.timeout
    }

    pub(super) fn deadline_passed(&self) -> anyhow::Error {
        let started = self.deadline() - self.timeout;
        self.wait_ran_out(started.elapsed())
    }

    /// The server did not answer in time: `waited` since the work began.
    pub(super) fn wait_ran_out(&self, waited: std::time::Duration) -> anyhow::Error {
        // What was being waited for: before any certificate of an https server, the
        // connection and its handshake; after it, the answer.
        let waiting_for = if self.server.is_https() && self.presented().is_none() {
            "the connection and TLS handshake"
        } else {
            "the answer"
        };
        Error::new(
            Exit::Unreachable,
            format!(
                "{} did not answer in time: gave up after {:.1} s (--timeout {}), waiting for {waiting_for}",
                self.server.host_port(),
                waited.as_secs_f64(),
                self.timeout.as_secs()
            ),
        )
        .hint("check the server address and your network, or raise --timeout")
        .into()
    }

    /// `deadline_passed` for a request that changes something (POST, PUT, PATCH, DELETE):
    /// it may have been carried out, so the hint is to check, not to send it again.
    pub(super) fn deadline_passed_sent(&self) -> anyhow::Error {
        let err = self.deadline_passed();
        let message = err.to_string();
        Error::new(Exit::Unreachable, message)
            .hint("the request may have been carried out all the same: check its result (GET it) before sending it again")
            .into()
    }
}
