//! Content that waits for the page's first paint. A comparison of a hundred experiments
//! builds thousands of table cells and matrices below its charts; built in the same turn
//! as the charts, they delay the charts' points request by a second. Mounted two frames
//! later instead, they build while the points are on their way (or, asked for, once the
//! charts have drawn them).

use crate::charts::when_points_settled;
use leptos::prelude::*;
use std::time::Duration;

/// The longest content waits for the charts' points (a slow server must not hide it).
const POINTS_WAIT_CAP: Duration = Duration::from_millis(1_000);

/// Renders `children` two animation frames after it is mounted: after the first frame
/// has laid out what is above it, and its charts have sized themselves and asked. With
/// `after_charts`, also after their points have been answered and drawn (at most
/// [`POINTS_WAIT_CAP`] later): where the charts are what the page is read for.
#[component]
pub fn AfterFirstPaint(#[prop(optional)] after_charts: bool, children: Children) -> impl IntoView {
    let ready = RwSignal::new(false);
    let children = StoredValue::new_local(Some(children));
    // Once only: a second set would rebuild the content, whose builder is spent.
    // Gone before then (the user navigated on): there is nothing to set.
    let open = move || {
        if ready.try_get_untracked() == Some(false) {
            ready.set(true);
        }
    };
    // Then behind every timer set so far: the charts send their points request from
    // one (`points_batch`), and it goes before this build holds the page for ~0.3 s.
    request_animation_frame(move || {
        request_animation_frame(move || {
            set_timeout(
                move || {
                    if after_charts {
                        when_points_settled(open);
                        set_timeout(open, POINTS_WAIT_CAP);
                    } else {
                        open();
                    }
                },
                Duration::ZERO,
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
