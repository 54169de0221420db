//! Windows and macOS: a named pipe private to the user on Windows, a Unix socket in
//! AdoPat's own folder (mode 700) elsewhere. One tray runs per config folder (its lock
//! is there), so the endpoint is named after that folder. The only message is the line
//! `check`; the tray reads nothing else.

use std::io::Write;
use std::path::Path;
use tokio::sync::mpsc;

const MESSAGE: &[u8] = b"check\n";

/// Where the tray of config folder `dir` listens.
#[cfg(windows)]
pub fn endpoint(dir: &Path) -> String {
    use std::hash::{Hash, Hasher};
    let mut hash = std::collections::hash_map::DefaultHasher::new();
    dir.hash(&mut hash);
    let user: String = std::env::var("USERNAME")
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    format!(r"\\.\pipe\adopat-tray-{user}-{:016x}", hash.finish())
}

#[cfg(not(windows))]
pub fn endpoint(dir: &Path) -> std::path::PathBuf {
    dir.join("tray.sock")
}

pub fn ask_check_now(dir: &Path) -> Result<(), String> {
    ask(dir).map_err(|e| format!("no tray is listening ({e})"))
}

fn ask(dir: &Path) -> std::io::Result<()> {
    #[cfg(windows)]
    let mut link = std::fs::OpenOptions::new()
        .write(true)
        .open(endpoint(dir))?;
    #[cfg(not(windows))]
    let mut link = std::os::unix::net::UnixStream::connect(endpoint(dir))?;
    link.write_all(MESSAGE)?;
    link.flush()
}

/// Serving stops when this is dropped.
pub struct Listening(tokio::task::JoinHandle<()>);

impl Drop for Listening {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Only the tray holding the folder's tray lock calls this, so the endpoint is its own.
pub async fn serve(dir: &Path, nudge: mpsc::Sender<()>) -> std::io::Result<Listening> {
    listen(dir, nudge).map(Listening)
}

fn listen(dir: &Path, nudge: mpsc::Sender<()>) -> std::io::Result<tokio::task::JoinHandle<()>> {
    #[cfg(windows)]
    {
        use tokio::net::windows::named_pipe::ServerOptions;
        let name = endpoint(dir);
        let mut server = ServerOptions::new()
            .first_pipe_instance(true)
            .reject_remote_clients(true)
            .create(&name)?;
        Ok(tokio::spawn(async move {
            loop {
                if server.connect().await.is_err() {
                    return;
                }
                let connected = server;
                server = match ServerOptions::new()
                    .reject_remote_clients(true)
                    .create(&name)
                {
                    Ok(next) => next,
                    Err(e) => {
                        tracing::warn!("the tray stops listening for check now: {e}");
                        return;
                    }
                };
                read_one(connected, &nudge).await;
            }
        }))
    }
    #[cfg(not(windows))]
    {
        crate::files::private_dir(dir)?;
        let path = endpoint(dir);
        // Left by a tray that was killed; the lock says none runs now.
        let _ = std::fs::remove_file(&path);
        let listener = tokio::net::UnixListener::bind(&path)?;
        Ok(tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                read_one(stream, &nudge).await;
            }
        }))
    }
}

async fn read_one(stream: impl tokio::io::AsyncRead + Unpin, nudge: &mpsc::Sender<()>) {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 16];
    let mut got = 0;
    let mut stream = stream;
    let read = async {
        while got < buf.len() && !buf[..got].ends_with(b"\n") {
            match stream.read(&mut buf[got..]).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got += n,
            }
        }
    };
    // A client that connects and says nothing is not waited for.
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), read).await;
    if &buf[..got] == MESSAGE {
        let _ = nudge.try_send(());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn check_now_reaches_the_listening_tray_and_nothing_else_does() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path().to_path_buf();
        assert!(ask(&dir).is_err(), "no tray listens yet");
        let (tx, mut rx) = mpsc::channel(1);
        let served = listen(&dir, tx).unwrap();
        let asking = dir.clone();
        tokio::task::spawn_blocking(move || ask(&asking))
            .await
            .unwrap()
            .unwrap();
        tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .expect("the tray is told")
            .unwrap();

        // Anything else is read and ignored.
        let other = dir.clone();
        tokio::task::spawn_blocking(move || {
            #[cfg(windows)]
            let mut link = std::fs::OpenOptions::new()
                .write(true)
                .open(endpoint(&other))?;
            #[cfg(not(windows))]
            let mut link = std::os::unix::net::UnixStream::connect(endpoint(&other))?;
            link.write_all(b"quit\n")
        })
        .await
        .unwrap()
        .unwrap();
        let nothing = tokio::time::timeout(Duration::from_millis(500), rx.recv()).await;
        assert!(nothing.is_err(), "only `check` nudges");
        served.abort();
    }
}
