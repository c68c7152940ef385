//! Content that waits for the page's first paint. A comparison of a hundred experiments
//! builds thousands of table cells and matrices below its charts; built in the same turn
//! as the charts, they delay the charts' points request by a second. Mounted two frames
//! later instead, they build while the points are on their way.

use leptos::prelude::*;

/// Renders `children` two animation frames after it is mounted: after the first frame
/// has laid out what is above it, and its charts have sized themselves and asked.
#[component]
pub fn AfterFirstPaint(children: Children) -> impl IntoView {
    let ready = RwSignal::new(false);
    let children = StoredValue::new_local(Some(children));
    // Then behind every timer set so far: the charts send their points request from
    // one (`points_batch`), and it goes before this build holds the page for ~0.3 s.
    // Gone before then (the user navigated on): there is nothing to set.
    request_animation_frame(move || {
        request_animation_frame(move || {
            set_timeout(
                move || {
                    let _ = ready.try_set(true);
                },
                std::time::Duration::ZERO,
            );
        })
    });
    move || {
        ready.get().then(|| {
            children
                .try_update_value(Option::take)
                .flatten()
                .map(|build| build())
        })
    }
}
