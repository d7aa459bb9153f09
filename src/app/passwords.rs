//! The password-hashing workers: a few long-lived threads at a lower scheduling priority, fed by
//! a bounded queue. Each argon2 run holds 19 MiB and a core for tens of milliseconds, so a flood
//! of logins waits here — its memory fixed by the number of workers, its CPU yielded to the rest
//! of the service — and past the queue's bound is answered "busy" (429) instead of piling up.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

use super::AppError;

/// Hashes waiting at most; beyond, a login is asked to come back in a second.
const QUEUE: usize = 256;
/// How much lower than the service's other threads the workers run (Linux `nice`).
const NICENESS: i32 = 10;

type Work = Box<dyn FnOnce() + Send>;

/// A handle to the workers; cloning it shares them.
#[derive(Clone)]
pub struct Passwords {
    queue: SyncSender<Work>,
}

impl Passwords {
    /// Starts `workers` threads (at least one).
    pub fn start(workers: usize) -> Self {
        let (queue, rx) = std::sync::mpsc::sync_channel::<Work>(QUEUE);
        let rx = Arc::new(Mutex::new(rx));
        for n in 0..workers.max(1) {
            let rx = rx.clone();
            std::thread::Builder::new().name(format!("password-{n}")).spawn(move || work(&rx)).expect("a password worker starts");
        }
        Self { queue }
    }

    /// Runs `f` (a hash or a verification) on a worker and waits for its answer.
    pub async fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let span = tracing::Span::current();
        let job: Work = Box::new(move || {
            let _ = tx.send(span.in_scope(f));
        });
        match self.queue.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(AppError::TooMany(1)),
            Err(TrySendError::Disconnected(_)) => return Err(AppError::Internal(anyhow::anyhow!("the password workers stopped"))),
        }
        rx.await.map_err(|_| AppError::Internal(anyhow::anyhow!("a password worker dropped its job")))
    }
}

fn work(rx: &Mutex<Receiver<Work>>) {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority on this thread's own id only changes its scheduling priority.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, NICENESS);
    }
    loop {
        let job = match rx.lock() {
            Ok(r) => r.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}
