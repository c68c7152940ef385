//! Crash safety with the real binary: SIGKILL the server in the middle of a stream of
//! ingest batches, start it again on the same files, and check that SQLite's integrity
//! check passes, every acknowledged batch is there, and every other batch is whole or
//! absent.

mod common;

use common::process::{http, start};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BATCH: i64 = 1_000;

/// A LINE append (steps continue after the last stored one) whose values name their
/// batch: batch × 1,000 + index.
fn batch_body(batch: i64) -> String {
    let values: Vec<i64> = (batch * BATCH..(batch + 1) * BATCH).collect();
    serde_json::json!({"name": "loss", "type": "LINE", "data": values}).to_string()
}

#[test]
fn a_killed_server_keeps_every_acknowledged_batch_and_no_partial_one() {
    let data = tempfile::tempdir().expect("folder");
    let mut server = start(data.path());
    let token = server.first_token();
    let experiment = server.experiment(&token);
    let logs = format!("/api/v1/experiments/{experiment}/logs");

    // Four writers send numbered batches until the server dies under them.
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let dead = Arc::new(AtomicBool::new(false));
    let next = Arc::new(Mutex::new(0i64));
    let writers: Vec<_> = (0..4)
        .map(|_| {
            let (acknowledged, dead, next) = (acknowledged.clone(), dead.clone(), next.clone());
            let (address, token, logs) = (server.address.clone(), token.clone(), logs.clone());
            std::thread::spawn(move || {
                while !dead.load(Ordering::SeqCst) {
                    let batch = {
                        let mut next = next.lock().expect("lock");
                        *next += 1;
                        *next - 1
                    };
                    match http(&address, &token, "POST", &logs, &batch_body(batch)) {
                        Ok((200 | 201, _)) => acknowledged.lock().expect("lock").push(batch),
                        Ok((status, body)) => panic!("batch {batch} refused: {status} {body}"),
                        Err(_) => return,
                    }
                }
            })
        })
        .collect();
    let started = Instant::now();
    while acknowledged.lock().expect("lock").len() < 40
        && started.elapsed() < Duration::from_secs(60)
    {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.child.kill().expect("SIGKILL");
    server.child.wait().expect("reaped");
    dead.store(true, Ordering::SeqCst);
    for writer in writers {
        writer.join().expect("writer");
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    let sent = *next.lock().expect("lock");
    assert!(
        acknowledged.len() >= 40,
        "only {} batches went through",
        acknowledged.len()
    );

    let mut server = start(data.path());
    let (status, csv) = http(
        &server.address,
        &token,
        "GET",
        &format!("{logs}/loss/points.csv"),
        "",
    )
    .expect("points after the restart");
    assert_eq!(status, 200, "{csv}");
    let mut per_batch = std::collections::BTreeMap::<i64, i64>::new();
    let mut steps = Vec::new();
    for line in csv.lines().filter(|line| line.starts_with("loss,")) {
        let step: i64 = line
            .split(',')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("step");
        let value: f64 = line
            .split(',')
            .nth(2)
            .and_then(|v| v.parse().ok())
            .expect("value");
        steps.push(step);
        *per_batch.entry(value as i64 / BATCH).or_default() += 1;
    }
    let stored = steps.len() as i64;
    eprintln!(
        "sent {sent} batches, {} acknowledged before the kill, {} stored after the restart",
        acknowledged.len(),
        per_batch.len()
    );
    assert_eq!(
        steps,
        (0..stored).collect::<Vec<_>>(),
        "steps without holes or repeats"
    );
    for batch in &acknowledged {
        assert_eq!(
            per_batch.get(batch),
            Some(&BATCH),
            "acknowledged batch {batch} is whole"
        );
    }
    for (batch, count) in &per_batch {
        assert_eq!(*count, BATCH, "batch {batch} is whole or absent");
        assert!(*batch < sent, "batch {batch} was never sent");
    }
    server.child.kill().expect("stop");
    server.child.wait().expect("reaped");

    let url = format!("sqlite://{}", data.path().join("trackboard.db").display());
    let integrity: String = tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(async {
            let pool = sqlx::SqlitePool::connect(&url).await?;
            sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_one(&pool)
                .await
        })
        .expect("SQLite's integrity check runs");
    assert_eq!(integrity, "ok");
}
