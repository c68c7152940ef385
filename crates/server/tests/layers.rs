//! The server's layers, kept by a test: routes (HTTP) → points service → storage (SQL)
//! → domain (checked types, refusals). A file's folder says what it may import; this
//! scan fails the build's tests when a lower layer reaches up, so it stays that way.

use std::path::{Path, PathBuf};

/// What the files under a folder of `src/` may not name, and why.
struct Rule {
    folder: &'static str,
    forbidden: &'static [&'static str],
    why: &'static str,
}

/// Names of the HTTP layer: none may appear below the routes.
const HTTP: &[&str] = &[
    "axum",
    "tower_http",
    "ApiError",
    "crate::error",
    "crate::routes",
    "crate::extract",
    "crate::state",
    "StatusCode",
];

const RULES: &[Rule] = &[
    Rule {
        folder: "storage",
        forbidden: HTTP,
        why: "storage answers StoreError; the routes map it (From<StoreError> for ApiError)",
    },
    Rule {
        folder: "domain",
        forbidden: HTTP,
        why: "the domain answers a Refusal; the routes map it (From<Refusal> for ApiError)",
    },
    Rule {
        folder: "domain",
        forbidden: &["sqlx", "crate::storage", "crate::points"],
        why: "the domain is pure: storage depends on it, never the reverse",
    },
    Rule {
        folder: "points",
        forbidden: HTTP,
        why: "the points service knows no HTTP; the routes negotiate formats",
    },
    Rule {
        folder: "export",
        forbidden: HTTP,
        why: "exports produce bytes; the routes name and send the file",
    },
    Rule {
        folder: "evaluation",
        forbidden: HTTP,
        why: "metrics are computed without HTTP; the routes ask for them",
    },
    Rule {
        folder: "evaluation",
        forbidden: &["sqlx", "crate::storage"],
        why: "metrics are pure computation over what storage read",
    },
    Rule {
        folder: "snapshot",
        forbidden: HTTP,
        why: "the snapshot command reads through storage and writes files; no HTTP answers it",
    },
    Rule {
        folder: "metrics_job.rs",
        forbidden: HTTP,
        why: "a metrics job computes and writes through storage; the routes start it",
    },
    Rule {
        folder: "listing.rs",
        forbidden: HTTP,
        why: "paging and ordering are shared by routes and storage, so belong to neither",
    },
    Rule {
        folder: "json_body.rs",
        forbidden: HTTP,
        why: "reading a body strictly is shared parsing; the extractor maps its errors",
    },
    Rule {
        folder: "routes",
        forbidden: &["sqlx"],
        why: "routes reach the database through storage only",
    },
    Rule {
        folder: "mlflow",
        forbidden: &["sqlx", "crate::routes"],
        why: "MLflow's API is a second HTTP face over storage, not over the native routes",
    },
];

/// Every `.rs` file at or under `path`.
fn rust_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_owned()];
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).expect("a readable source folder") {
        let entry = entry.expect("a folder entry").path();
        if entry.is_dir() {
            files.extend(rust_files(&entry));
        } else if entry.extension().is_some_and(|ext| ext == "rs") {
            files.push(entry);
        }
    }
    files
}

/// The lines of `source` naming one of `forbidden` as a path or word, comments aside.
fn violations(source: &str, forbidden: &[&str]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (index, line) in source.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        for name in forbidden {
            let named = code.match_indices(name).any(|(at, _)| {
                let before = code[..at].chars().next_back();
                let after = code[at + name.len()..].chars().next();
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                !word(before) && !word(after)
            });
            if named {
                found.push((index + 1, format!("{name} in `{}`", line.trim())));
            }
        }
    }
    found
}

#[test]
fn no_layer_imports_from_a_layer_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut broken = Vec::new();
    for rule in RULES {
        let files = rust_files(&src.join(rule.folder));
        assert!(!files.is_empty(), "no files under src/{}", rule.folder);
        for file in files {
            let source = std::fs::read_to_string(&file).expect("a readable source file");
            for (line, what) in violations(&source, rule.forbidden) {
                broken.push(format!(
                    "{}:{line}: {what}: {}",
                    file.strip_prefix(&src).unwrap_or(&file).display(),
                    rule.why
                ));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "layer rule broken:\n{}",
        broken.join("\n")
    );
}

#[test]
fn every_rule_catches_a_deliberate_violation_of_each_name() {
    for rule in RULES {
        for name in rule.forbidden {
            let file = format!("use {name}::Something;\nfn quiet() {{}}\n");
            let found = violations(&file, rule.forbidden);
            assert_eq!(
                found.iter().map(|(line, _)| *line).collect::<Vec<_>>(),
                vec![1],
                "src/{} does not catch {name}: {found:?}",
                rule.folder
            );
        }
    }
}

#[test]
fn the_scan_catches_a_deliberate_violation() {
    let storage_file = "use crate::error::ApiError;\nuse axum::http::StatusCode;\n";
    let found = violations(storage_file, HTTP);
    assert_eq!(
        found.iter().map(|(line, _)| *line).collect::<Vec<_>>(),
        vec![1, 1, 2, 2],
        "{found:?}"
    );
    // Comments and longer names that merely contain a word are not imports.
    assert!(violations("// axum is the HTTP layer\nlet taxumx = 1;\n", HTTP).is_empty());
}
