//! The dashboard's layers, kept by a test: app shells → pages → widgets → the API
//! client (whose transports sit below it) → foundations. A module may name modules of
//! its own layer or of a layer below, never above, so a page can use the client but the
//! client never imports a page or its URL state.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

/// The top-level modules of `src/`, highest layer first.
const LAYERS: &[(&str, &[&str])] = &[
    ("app shells", &["app", "snapshot_app", "main", "lib"]),
    (
        "pages",
        &[
            "projects",
            "experiments",
            "compare",
            "datasets",
            "evaluations",
            "models",
            "views",
            "sign_in",
        ],
    ),
    ("widgets", &["charts", "components", "layout"]),
    ("the API client", &["api", "config"]),
    (
        "foundations",
        &["error", "session", "links", "format", "perf"],
    ),
];

/// Files of the client's transports: they answer the client and never name it.
const TRANSPORTS: &[&str] = &["api/snapshot_source.rs", "api/early.rs"];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS
        .iter()
        .position(|(_, modules)| modules.contains(&module))
}

/// The code of `source` without its comments (line comments and doc comments).
fn code_lines(source: &str) -> impl Iterator<Item = (usize, &str)> {
    source
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.split("//").next().unwrap_or_default()))
}

/// Every place in `files` (path under `src/`, source) that names a module of a higher
/// layer, or where a transport names the client.
fn upward_imports(files: &[(String, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, source) in files {
        let own = path
            .split('/')
            .next()
            .unwrap_or_default()
            .trim_end_matches(".rs");
        let Some(own_layer) = layer_of(own) else {
            found.push(format!(
                "{path}: src/{own} is in no layer of tests/module_layers.rs"
            ));
            continue;
        };
        for (line, code) in code_lines(source) {
            for (at, _) in code.match_indices("crate::") {
                let named: String = code[at + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                match layer_of(&named) {
                    Some(layer) if layer < own_layer => found.push(format!(
                        "{path}:{line}: {} ({}) names crate::{named} ({})",
                        own, LAYERS[own_layer].0, LAYERS[layer].0
                    )),
                    None if named != own => {
                        found.push(format!("{path}:{line}: crate::{named} is in no layer"))
                    }
                    _ => {}
                }
            }
            if TRANSPORTS.contains(&path.as_str()) && code.contains("ApiClient") {
                found.push(format!("{path}:{line}: a transport names the client"));
            }
        }
    }
    found
}

fn sources(dir: &Path, under: &Path, into: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("a readable source folder") {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            sources(&path, under, into);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let relative = path.strip_prefix(under).expect("under src/");
            let source = std::fs::read_to_string(&path).expect("a readable source file");
            into.push((relative.to_string_lossy().replace('\\', "/"), source));
        }
    }
}

#[test]
fn no_module_imports_from_a_layer_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &src, &mut files);
    assert!(files.len() > 50, "read only {} files", files.len());
    let found = upward_imports(&files);
    assert!(found.is_empty(), "layer rule broken:\n{}", found.join("\n"));
}

#[test]
fn a_deliberate_violation_of_each_kind_is_caught() {
    let file = |path: &str, source: &str| vec![(path.to_owned(), source.to_owned())];
    // The client importing a page, a widget importing the client's caller, a
    // foundation importing the client, a transport naming the client.
    for (path, source) in [
        (
            "api/experiments.rs",
            "use crate::evaluations::BrowserQuery;",
        ),
        (
            "components/error_panel.rs",
            "use crate::compare::ComparePage;",
        ),
        ("links.rs", "use crate::api::ApiClient;"),
        ("api/snapshot_source.rs", "fn f(client: &ApiClient) {}"),
        ("brand_new.rs", "fn f() {}"),
    ] {
        assert_eq!(
            upward_imports(&file(path, source)).len(),
            1,
            "{path}: {source}"
        );
    }
    // Downward and sideways imports, and comments, are fine.
    for (path, source) in [
        (
            "compare/compare_page.rs",
            "use crate::api::ApiClient; use crate::views::SaveViewForm;",
        ),
        ("api/mod.rs", "use crate::error::AppError;"),
        (
            "session/mod.rs",
            "// the sign-in page (`crate::sign_in`) fills it",
        ),
    ] {
        assert!(
            upward_imports(&file(path, source)).is_empty(),
            "{path}: {source}"
        );
    }
}
