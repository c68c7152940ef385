//! A dataset version's assets from the datasets page: upload images (each an asset
//! without ground truth) or a COCO annotation file with its images (all or nothing),
//! and run a train/test split.

use crate::api::ApiClient;
use crate::components::field_message;
use crate::error::AppError;
use crate::format;
use leptos::html::Input;
use leptos::prelude::*;
use std::collections::BTreeMap;
use trackboard_api::{DatasetVersion, SplitRequest, SplitSide};
use web_sys::File;

/// The files picked in a file input.
fn picked(input: &NodeRef<Input>) -> Vec<File> {
    let Some(list) = input.get_untracked().and_then(|input| input.files()) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|index| list.get(index))
        .collect()
}

/// One side of a split in words: `19 assets (car 10, cyclist 4)`.
pub fn side_text(side: &SplitSide) -> String {
    let counts: BTreeMap<&str, u64> = side
        .label_counts
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    let labels: Vec<String> = counts
        .iter()
        .map(|(label, n)| format!("{label} {n}"))
        .collect();
    let assets = format::count(side.asset_ids.len() as u64, "asset", "assets");
    if labels.is_empty() {
        assets
    } else {
        format!("{assets} ({})", labels.join(", "))
    }
}

#[component]
pub fn VersionAssets(
    version: DatasetVersion,
    #[prop(into)] changed: Callback<()>,
) -> impl IntoView {
    let version_id = version.id;
    let images = NodeRef::<Input>::new();
    let coco = NodeRef::<Input>::new();
    let status = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let client = expect_context::<ApiClient>();
    let upload_client = client.clone();
    let upload = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (files, coco_file) = (picked(&images), picked(&coco).into_iter().next());
        if files.is_empty() {
            status.set(Some(Err("Pick one or more images first.".into())));
            return;
        }
        let client = upload_client.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let outcome = match coco_file {
                Some(coco_file) => client
                    .import_coco(version_id, &coco_file, &files)
                    .await
                    .map(|done| {
                        format!(
                            "Imported {} with their annotations.",
                            format::count(done.asset_ids.len() as u64, "asset", "assets")
                        )
                    })
                    .map_err(|error| error.to_string()),
                None => {
                    let mut done = 0;
                    let mut failed = None;
                    for file in &files {
                        status.set(Some(Ok(format!(
                            "Uploading {} of {}…",
                            done + 1,
                            files.len()
                        ))));
                        match client.upload_asset(version_id, file).await {
                            Ok(_) => done += 1,
                            Err(error) => {
                                failed = Some(format!(
                                    "{}: {error} ({done} uploaded before it)",
                                    file.name()
                                ));
                                break;
                            }
                        }
                    }
                    match failed {
                        Some(problem) => Err(problem),
                        None => Ok(format!(
                            "Uploaded {}.",
                            format::count(done as u64, "asset", "assets")
                        )),
                    }
                }
            };
            busy.set(false);
            status.set(Some(outcome));
            changed.run(());
        });
    };
    let proportion = RwSignal::new("0.8".to_owned());
    let seed = RwSignal::new("0".to_owned());
    let split = Action::new_local(move |request: &SplitRequest| {
        let (client, request) = (client.clone(), request.clone());
        async move { client.split(version_id, &request).await }
    });
    let local_problem = RwSignal::new(None::<String>);
    let run_split = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Ok(share) = proportion.get_untracked().trim().parse::<f64>() else {
            local_problem.set(Some("the train share is a number between 0 and 1".into()));
            return;
        };
        let Ok(seed) = seed.get_untracked().trim().parse::<u64>() else {
            local_problem.set(Some("the seed is a whole number, 0 or more".into()));
            return;
        };
        local_problem.set(None);
        split.dispatch(SplitRequest {
            proportion: share,
            seed,
        });
    };
    let split_error = move || split.value().get().and_then(Result::err);
    let split_message = move || {
        local_problem
            .get()
            .or_else(|| field_message(&split_error(), "proportion"))
            .or_else(|| {
                split_error()
                    .filter(|e| !matches!(e, AppError::Server { field: Some(_), .. }))
                    .map(|e| e.to_string())
            })
    };
    let split_result = move || {
        split.value().get().and_then(Result::ok).map(|split| {
            view! { <p class="split-result" role="status">{format!("Train: {} · Test: {}", side_text(&split.train), side_text(&split.test))}</p> }
        })
    };
    let id = move |field: &str| format!("version-{field}-{version_id}");
    view! {
        <section class="version-assets" aria-label=format!("Assets of version {}", version.version)>
            <form class="edit-form" aria-label="Upload assets" on:submit=upload>
                <h3 class="form-title">{format!("Assets of {}", version.version)}</h3>
                <label for=id("images")>"Images"</label>
                <input id=id("images") type="file" multiple accept="image/png,image/jpeg,image/webp,image/gif" node_ref=images/>
                <label for=id("coco")>"COCO annotation file (optional: the images' boxes, polygons and masks)"</label>
                <input id=id("coco") type="file" accept=".json,application/json" node_ref=coco/>
                <div class="form-buttons">
                    <button type="submit" disabled=move || busy.get()>{move || if busy.get() { "Uploading…" } else { "Upload" }}</button>
                </div>
                {move || status.get().map(|outcome| match outcome {
                    Ok(text) => view! { <p class="muted" role="status">{text}</p> }.into_any(),
                    Err(text) => view! { <p class="field-error" role="alert">{text}</p> }.into_any(),
                })}
            </form>
            <form class="edit-form" aria-label="Train/test split" on:submit=run_split>
                <h3 class="form-title">"Train/test split"</h3>
                <label for=id("proportion")>"Train share"</label>
                <input id=id("proportion") inputmode="decimal" prop:value=move || proportion.get()
                    on:input=move |e| proportion.set(event_target_value(&e))
                    aria-invalid=move || split_message().is_some().to_string()/>
                <label for=id("seed")>"Seed"</label>
                <input id=id("seed") inputmode="numeric" prop:value=move || seed.get()
                    on:input=move |e| seed.set(event_target_value(&e))/>
                <p class="field-error" role="alert">{split_message}</p>
                <div class="form-buttons"><button type="submit">"Split"</button></div>
                {split_result}
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_side_says_its_assets_and_labels() {
        let side = SplitSide {
            asset_ids: vec![1, 2, 3],
            label_counts: [("cyclist".to_owned(), 1), ("car".to_owned(), 3)]
                .into_iter()
                .collect(),
        };
        assert_eq!(side_text(&side), "3 assets (car 3, cyclist 1)");
        let empty = SplitSide {
            asset_ids: vec![],
            label_counts: Default::default(),
        };
        assert_eq!(side_text(&empty), "0 assets");
    }
}
