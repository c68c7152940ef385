//! Compressed answers: the dashboard's precompressed files sent as they are, and the
//! API's JSON and CSV compressed on the fly above 1 KiB, decoding to the same bytes.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Answer, TestApp};
use std::io::Read;

fn built_dashboard() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(dir.path().join(name), bytes).expect("write");
    };
    let index =
        "<html><head><script type=\"module\">boot()</script></head><body>index</body></html>";
    write("index.html", index.as_bytes());
    write("index.html.br", b"index as brotli");
    write("index.html.gz", b"index as gzip");
    write("app-0123456789abcdef_bg.wasm", b"\0asm raw");
    // Stand-ins: the server must send the files as they are, never compress itself.
    write("app-0123456789abcdef_bg.wasm.br", b"wasm as brotli");
    write("app-0123456789abcdef_bg.wasm.gz", b"wasm as gzip");
    dir
}

impl TestApp {
    async fn get_encoded(&self, uri: &str, accept: Option<&str>) -> Answer {
        let mut request = Request::builder()
            .uri(uri)
            .header("authorization", format!("Bearer {}", self.admin_secret));
        if let Some(accept) = accept {
            request = request.header("accept-encoding", accept);
        }
        self.send(request.body(Body::empty()).expect("request"))
            .await
    }
}

/// Every value of the header, joined as one (`vary` may come several times).
fn header(answer: &Answer, name: &str) -> Option<String> {
    let values: Vec<&str> = answer
        .headers
        .get_all(name)
        .iter()
        .map(|value| value.to_str().expect("ascii"))
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

#[tokio::test]
async fn dashboard_files_are_sent_precompressed_as_the_client_accepts() {
    let dist = built_dashboard();
    let app = TestApp::with_dashboard(Some(dist.path().to_owned())).await;
    let wasm = "/app-0123456789abcdef_bg.wasm";
    for (accept, encoding, body) in [
        (
            Some("gzip, deflate, br"),
            Some("br"),
            &b"wasm as brotli"[..],
        ),
        (Some("gzip"), Some("gzip"), b"wasm as gzip"),
        (None, None, b"\0asm raw"),
        (Some("identity"), None, b"\0asm raw"),
    ] {
        let answer = app.get_encoded(wasm, accept).await;
        assert_eq!(answer.status, StatusCode::OK, "{accept:?}");
        assert_eq!(
            header(&answer, "content-encoding").as_deref(),
            encoding,
            "{accept:?}"
        );
        assert_eq!(answer.body, body, "{accept:?}");
        assert_eq!(
            header(&answer, "content-type").as_deref(),
            Some("application/wasm")
        );
        assert_eq!(header(&answer, "vary").as_deref(), Some("accept-encoding"));
    }
    // An app route falls back to index.html, precompressed too.
    let page = app.get_encoded("/projects/3", Some("br")).await;
    assert_eq!(page.body, b"index as brotli");
    assert_eq!(header(&page, "content-encoding").as_deref(), Some("br"));
    assert_eq!(header(&page, "cache-control").as_deref(), Some("no-cache"));
}

#[tokio::test]
async fn large_json_and_csv_answers_are_compressed_and_decode_to_the_same_bytes() {
    let app = TestApp::new().await;
    for index in 0..40 {
        app.project(&format!("project number {index} with a long enough name"))
            .await;
    }
    let plain = app.get_encoded("/api/v1/projects?limit=100", None).await;
    assert_eq!(header(&plain, "content-encoding"), None);
    assert!(plain.body.len() > 1024);
    let gzip = app
        .get_encoded("/api/v1/projects?limit=100", Some("gzip"))
        .await;
    assert_eq!(header(&gzip, "content-encoding").as_deref(), Some("gzip"));
    assert!(
        gzip.body.len() < plain.body.len() / 2,
        "{} bytes",
        gzip.body.len()
    );
    assert_eq!(gunzip(&gzip.body), plain.body);
    let brotli = app
        .get_encoded("/api/v1/projects?limit=100", Some("br"))
        .await;
    assert_eq!(header(&brotli, "content-encoding").as_deref(), Some("br"));
    assert!(header(&brotli, "vary").is_some_and(|vary| vary.contains("accept-encoding")));

    // Small answers are not worth it.
    let small = app
        .get_encoded("/api/v1/projects?limit=1", Some("gzip"))
        .await;
    assert_eq!(small.status, StatusCode::OK);
    assert_eq!(header(&small, "content-encoding"), None);

    // A streamed CSV export is compressed as it is written.
    let project = app.project("csv").await;
    for index in 0..30 {
        app.experiment(
            project,
            serde_json::json!({"name": format!("experiment {index}")}),
        )
        .await;
    }
    let csv = app
        .get_encoded(
            &format!("/api/v1/projects/{project}/results.csv"),
            Some("gzip"),
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(header(&csv, "content-encoding").as_deref(), Some("gzip"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(csv.body.as_slice())
        .read_to_string(&mut text)
        .expect("valid gzip");
    assert_eq!(text.lines().count(), 31, "{text}");
}

/// The bytes of a gzip body.
fn gunzip(body: &[u8]) -> Vec<u8> {
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(body)
        .read_to_end(&mut decoded)
        .expect("valid gzip");
    decoded
}

#[tokio::test]
async fn the_binary_points_frame_is_compressed_and_decodes_to_the_same_frame() {
    let app = TestApp::new().await;
    let project = app.project("p").await;
    let experiment = app
        .experiment(project, serde_json::json!({"name": "e"}))
        .await;
    let id = experiment["id"].as_i64().expect("id");
    let values: Vec<f64> = (0..2000).map(|i| (i as f64 * 0.37).sin()).collect();
    let body = serde_json::json!({"name": "loss", "type": "LINE", "data": values}).to_string();
    let written = app
        .post(&format!("/api/v1/experiments/{id}/logs"), &body)
        .await;
    assert_eq!(written.status, StatusCode::CREATED, "{}", written.text());
    let frame = |encoding: Option<&'static str>| {
        let mut request = Request::builder()
            .uri(format!(
                "/api/v1/line-comparisons?experiment_ids={id}&logs=loss"
            ))
            .header("authorization", format!("Bearer {}", app.admin_secret))
            .header("accept", trackboard_series::POINTS_MEDIA_TYPE);
        if let Some(encoding) = encoding {
            request = request.header("accept-encoding", encoding);
        }
        app.send(request.body(Body::empty()).expect("request"))
    };
    let plain = frame(None).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(header(&plain, "content-encoding"), None);
    assert!(trackboard_series::decode_comparisons(&plain.body).is_ok());
    // Each encoding as asked (zstd first when accepted, as browsers do), smaller, and
    // decoding to the very frame.
    for (accepted, chosen) in [
        ("gzip", "gzip"),
        ("gzip, br", "br"),
        ("gzip, deflate, br, zstd", "zstd"),
    ] {
        let compressed = frame(Some(accepted)).await;
        assert_eq!(
            header(&compressed, "content-encoding").as_deref(),
            Some(chosen)
        );
        assert!(compressed.body.len() < plain.body.len(), "{chosen}");
        let decoded = match chosen {
            "gzip" => gunzip(&compressed.body),
            "zstd" => zstd::decode_all(compressed.body.as_slice()).expect("valid zstd"),
            _ => continue,
        };
        assert_eq!(decoded, plain.body, "{chosen}");
    }
}
