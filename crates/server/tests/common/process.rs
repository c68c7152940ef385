//! The real server binary in a child process, and a minimal HTTP/1.1 client over a
//! plain TCP connection: for tests that kill the process or watch its memory.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running server: the process, its address and what it printed at start.
pub struct Server {
    pub child: Child,
    pub address: String,
    pub printed: String,
}

/// The server over a SQLite file in `data`.
pub fn start(data: &std::path::Path) -> Server {
    start_with(
        data,
        &format!("sqlite://{}", data.join("trackboard.db").display()),
    )
}

/// The server over the database at `database_url`, keeping its files in `data`.
pub fn start_with(data: &std::path::Path, database_url: &str) -> Server {
    start_with_env(data, database_url, &[])
}

/// [`start_with`], with these environment variables set for the server.
pub fn start_with_env(data: &std::path::Path, database_url: &str, env: &[(&str, &str)]) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_trackboard-server"));
    command.envs(env.iter().copied());
    command
        .args(["--bind", "127.0.0.1:0", "--no-demo", "--database-url"])
        .arg(database_url)
        .arg("--artifact-dir")
        .arg(data.join("artifacts"));
    // Under scripts/with_s3.sh the files go to the test bucket, under this folder's name.
    if let Some(url) = super::test_bucket_url(data) {
        command.arg("--object-store-url").arg(url);
    }
    let mut child = command
        .arg("--dashboard-dir")
        .arg(data.join("no-dashboard"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut printed = String::new();
    let address = loop {
        let line = lines
            .next()
            .expect("a line before the address")
            .expect("utf-8");
        printed.push_str(&line);
        printed.push('\n');
        if let Some(rest) = line.split("running at http://").nth(1) {
            break rest.trim_end_matches('/').to_owned();
        }
    };
    Server {
        child,
        address,
        printed,
    }
}

/// One HTTP/1.1 request with a JSON body over a fresh connection; the status and body,
/// or an I/O error.
pub fn http(
    address: &str,
    token: &str,
    method: &str,
    path: &str,
    body: &str,
) -> std::io::Result<(u16, String)> {
    http_typed(
        address,
        token,
        method,
        path,
        "application/json",
        body.as_bytes(),
    )
}

/// One HTTP/1.1 request with a body of this content type (a multipart upload, say).
pub fn http_typed(
    address: &str,
    token: &str,
    method: &str,
    path: &str,
    content_type: &str,
    body: &[u8],
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(address)?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no status in {answer:?}")))?;
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = if chunked {
        dechunk(body)?
    } else {
        body.to_owned()
    };
    Ok((status, body))
}

/// The body of a `Transfer-Encoding: chunked` answer (streamed CSVs come so).
fn dechunk(mut rest: &str) -> std::io::Result<String> {
    let mut body = String::new();
    loop {
        let (size, after) = rest
            .split_once("\r\n")
            .ok_or_else(|| std::io::Error::other("a chunk without its size line"))?;
        let size = usize::from_str_radix(size.trim(), 16)
            .map_err(|_| std::io::Error::other(format!("bad chunk size {size:?}")))?;
        if size == 0 {
            return Ok(body);
        }
        let chunk = after
            .get(..size)
            .ok_or_else(|| std::io::Error::other("a chunk cut short"))?;
        body.push_str(chunk);
        rest = after[size..].trim_start_matches("\r\n");
    }
}

impl Server {
    /// Creates a project and an experiment in it through the API; answers the
    /// experiment's id.
    pub fn experiment(&self, token: &str) -> i64 {
        let created = |path: &str, body: &str| {
            let (status, answer) = http(&self.address, token, "POST", path, body).expect("request");
            assert_eq!(status, 201, "{path}: {answer}");
            serde_json::from_str::<serde_json::Value>(&answer).expect("json")["id"]
                .as_i64()
                .expect("id")
        };
        let project = created("/api/v1/projects", r#"{"name":"process-test"}"#);
        created(
            &format!("/api/v1/projects/{project}/experiments"),
            r#"{"name":"run"}"#,
        )
    }

    /// The admin token a first start prints with its sign-in link.
    pub fn first_token(&self) -> String {
        self.printed
            .split("#token=")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .expect("the first start prints an admin token")
            .to_owned()
    }

    /// The resident memory of the process, in bytes (Linux), if it can be read.
    pub fn resident_bytes(pid: u32) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
        let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib * 1024)
    }
}

impl Drop for Server {
    /// A test that fails half-way leaves no server behind.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
