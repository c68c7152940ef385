//! A 2 GiB artifact streams through the real server in both directions while its
//! resident memory stays small. Long (it writes and reads 2 GiB), so it is ignored by
//! `make test`; run it with `make stress` or
//! `cargo test --release -p trackboard-server --test large_upload -- --ignored --nocapture`.

mod common;

use common::process::{start, Server};
use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

const SIZE: u64 = 2 * 1024 * 1024 * 1024;
const CHUNK: usize = 1024 * 1024;
/// The bound is "about 100 MB"; the server's own baseline is ~20 MB.
const MAX_RESIDENT: u64 = 120 * 1024 * 1024;

/// Samples the process's resident memory every 50 ms until told to stop; keeps the peak.
fn watch_memory(pid: u32) -> (Arc<AtomicBool>, Arc<AtomicU64>, std::thread::JoinHandle<()>) {
    let (stop, peak) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicU64::new(0)),
    );
    let handle = {
        let (stop, peak) = (stop.clone(), peak.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                if let Some(bytes) = Server::resident_bytes(pid) {
                    peak.fetch_max(bytes, Ordering::SeqCst);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    };
    (stop, peak, handle)
}

/// The deterministic content of chunk `index`.
fn chunk(index: u64, buffer: &mut [u8]) {
    for (offset, byte) in buffer.iter_mut().enumerate() {
        *byte = ((index as usize * 31 + offset * 7) % 251) as u8;
    }
}

#[test]
#[ignore = "writes and reads 2 GiB; run with make stress"]
fn a_two_gib_artifact_streams_both_ways_in_little_memory() {
    let data = tempfile::tempdir().expect("folder");
    let mut server = start(data.path());
    let token = server.first_token();
    let pid = server.child.id();
    let experiment = server.experiment(&token);
    let baseline = Server::resident_bytes(pid).unwrap_or(0);
    let (stop, peak, watcher) = watch_memory(pid);

    // Upload: a multipart body written 1 MiB at a time, hashed on the way.
    let boundary = "large-upload-boundary";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\ncheckpoint\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    );
    let tail = format!("\r\n--{boundary}--\r\n");
    let mut stream = TcpStream::connect(&server.address).expect("connect");
    write!(
        stream,
        "POST /api/v1/experiments/{}/artifacts HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{head}",
        experiment,
        server.address,
        head.len() as u64 + SIZE + tail.len() as u64
    )
    .expect("headers");
    let mut sent = Sha256::new();
    let mut buffer = vec![0u8; CHUNK];
    for index in 0..SIZE / CHUNK as u64 {
        chunk(index, &mut buffer);
        sent.update(&buffer);
        stream.write_all(&buffer).expect("upload chunk");
    }
    stream.write_all(tail.as_bytes()).expect("tail");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("upload answer");
    let sent = hex::encode(sent.finalize());
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    let artifact: serde_json::Value =
        serde_json::from_str(answer.split("\r\n\r\n").nth(1).expect("body")).expect("json");
    assert_eq!(artifact["size"], SIZE);
    assert_eq!(artifact["sha256"], sent.as_str());
    let upload_peak = peak.load(Ordering::SeqCst);

    // Download: read the stream 1 MiB at a time and hash it.
    let mut stream = TcpStream::connect(&server.address).expect("connect");
    write!(
        stream,
        "GET /api/v1/artifacts/{}/download HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n",
        artifact["id"], server.address
    )
    .expect("request");
    let mut reader = BufReader::with_capacity(CHUNK, stream);
    let mut chunked = false;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("header line");
        if line
            .to_ascii_lowercase()
            .starts_with("transfer-encoding: chunked")
        {
            chunked = true;
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut received = Sha256::new();
    let mut total = 0u64;
    if chunked {
        loop {
            let mut size_line = String::new();
            reader.read_line(&mut size_line).expect("chunk size");
            let size = u64::from_str_radix(size_line.trim(), 16).expect("hex size");
            if size == 0 {
                break;
            }
            let mut part = vec![0u8; size as usize];
            reader.read_exact(&mut part).expect("chunk");
            received.update(&part);
            total += size;
            let mut crlf = [0u8; 2];
            reader.read_exact(&mut crlf).expect("chunk end");
        }
    } else {
        loop {
            let read = reader.read(&mut buffer).expect("body");
            if read == 0 {
                break;
            }
            received.update(&buffer[..read]);
            total += read as u64;
        }
    }
    stop.store(true, Ordering::SeqCst);
    watcher.join().expect("watcher");
    let peak = peak.load(Ordering::SeqCst);
    eprintln!(
        "resident memory: {} MB at rest, {} MB peak while uploading, {} MB peak overall",
        baseline / 1_000_000,
        upload_peak / 1_000_000,
        peak / 1_000_000
    );
    assert_eq!(total, SIZE);
    assert_eq!(hex::encode(received.finalize()), sent);
    assert!(
        peak < MAX_RESIDENT,
        "peak resident memory {} MB",
        peak / 1_000_000
    );
    server.child.kill().expect("stop");
    server.child.wait().expect("reaped");
}
