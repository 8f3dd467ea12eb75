//! Run `saymon` on a real pseudo-terminal, as a person at a terminal would: it is the
//! session leader with the pty as its controlling terminal, so `/dev/tty` works (rpassword
//! reads the hidden password there).

use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub struct Pty {
    child: Child,
    writer: File,
    output: mpsc::Receiver<Vec<u8>>,
    /// Everything the terminal showed so far.
    pub screen: String,
}

impl Pty {
    /// Start `cmd` (its environment already set) on a new pty.
    pub fn spawn(mut cmd: Command) -> Pty {
        let (mut master, mut slave) = (-1, -1);
        // SAFETY: openpty writes two new descriptors into the given ints.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        assert_eq!(rc, 0, "openpty failed");
        // SAFETY: both descriptors were just opened and are owned by nobody else.
        let (master, slave) =
            unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        let slave_fd = slave.as_raw_fd();
        cmd.stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                if libc::setsid() < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                if libc::ioctl(slave_fd, libc::TIOCSCTTY as _, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn on the pty");
        drop(cmd); // closes the parent's copies of the slave
        let writer = File::from(master.try_clone().unwrap());
        let mut reader = File::from(master);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            // EIO once the child and every slave descriptor are gone.
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Pty {
            child,
            writer,
            output: rx,
            screen: String::new(),
        }
    }

    /// Wait until the screen shows `text` (at most 30 s), then return the screen.
    pub fn expect(&mut self, text: &str) -> &str {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.screen.contains(text) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(bytes) => self.screen.push_str(&String::from_utf8_lossy(&bytes)),
                Err(_) => panic!(
                    "the terminal never showed {text:?}; it shows:\n{}",
                    self.screen
                ),
            }
        }
        &self.screen
    }

    /// Wait until the screen shows `text` `times` times (at most 30 s).
    pub fn expect_times(&mut self, text: &str, times: usize) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.screen.matches(text).count() < times {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(bytes) => self.screen.push_str(&String::from_utf8_lossy(&bytes)),
                Err(_) => panic!(
                    "the terminal never showed {text:?} {times} times; it shows:\n{}",
                    self.screen
                ),
            }
        }
    }

    /// Wait until the terminal stops echoing (a hidden prompt is ready), at most 30 s.
    /// Typed before that, the line discipline would echo the text: a person types after
    /// seeing the prompt, but a test is faster than the program's switch to no-echo.
    pub fn wait_for_hidden_input(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            // SAFETY: tcgetattr fills the zeroed struct; the master reports the pty's modes.
            let mut modes: libc::termios = unsafe { std::mem::zeroed() };
            let rc = unsafe { libc::tcgetattr(self.writer.as_raw_fd(), &mut modes) };
            assert_eq!(rc, 0, "tcgetattr on the pty failed");
            if modes.c_lflag & libc::ECHO == 0 {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the terminal still echoes; it shows:\n{}",
                self.screen
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The master's descriptor, to read the terminal's modes.
    pub fn fd(&self) -> std::os::fd::RawFd {
        self.writer.as_raw_fd()
    }

    /// The program's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Type `text` as a person would.
    pub fn send(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Wait for the program to exit (at most 30 s) and collect the rest of the screen.
    pub fn wait(&mut self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!(
                    "the program did not exit; the terminal shows:\n{}",
                    self.screen
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        while let Ok(bytes) = self.output.recv_timeout(Duration::from_millis(300)) {
            self.screen.push_str(&String::from_utf8_lossy(&bytes));
        }
        status.code().unwrap_or(-1)
    }
}
