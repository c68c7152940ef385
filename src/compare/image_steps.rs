//! One IMAGE log of several experiments side by side, step by step: a slider picks the
//! step, every experiment shows its image of that step (or its last one before it), and
//! a full view flips between the experiments with the arrow keys.

use crate::experiments::{caption_of, fetch_image, image_urls, move_with_arrow_keys};
use leptos::prelude::*;
use trackboard_api::LoggedImage;

/// Every step any of the galleries has an image at, in order (an image without a step
/// counts as step 0).
pub fn image_steps(galleries: &[(String, Vec<LoggedImage>)]) -> Vec<i64> {
    let mut steps: Vec<i64> = galleries
        .iter()
        .flat_map(|(_, images)| images.iter().map(|image| image.step.unwrap_or(0)))
        .collect();
    steps.sort_unstable();
    steps.dedup();
    steps
}

/// The image to show at `step`: the last one logged at that step, or else the last one
/// at the latest step before it; `None` when every image comes later.
pub fn image_at(images: &[LoggedImage], step: i64) -> Option<&LoggedImage> {
    images
        .iter()
        .filter(|image| image.step.unwrap_or(0) <= step)
        .max_by_key(|image| (image.step.unwrap_or(0), image.id))
}

/// The compare view's section for the IMAGE log `name`.
#[component]
pub fn ImageSteps(name: String, galleries: Vec<(String, Vec<LoggedImage>)>) -> impl IntoView {
    let steps = image_steps(&galleries);
    let last = steps.len().saturating_sub(1);
    let position = RwSignal::new(last);
    let steps = StoredValue::new(steps);
    let galleries = StoredValue::new(galleries);
    let step = move || steps.with_value(|steps| steps.get(position.get()).copied().unwrap_or(0));
    let urls = image_urls();
    let shown = move || {
        let step = step();
        galleries.with_value(|galleries| {
            galleries
                .iter()
                .map(|(experiment, images)| (experiment.clone(), image_at(images, step).cloned()))
                .collect::<Vec<_>>()
        })
    };
    Effect::new(move |_| {
        for (_, image) in shown() {
            if let Some(image) = image {
                fetch_image(urls, image.id);
            }
        }
    });
    let count = galleries.with_value(Vec::len);
    let full_view = RwSignal::new(None::<usize>);
    move_with_arrow_keys(full_view, count);
    let source = move |id: i64| urls.url(id);
    let cells = move || {
        shown()
            .into_iter()
            .enumerate()
            .map(|(index, (experiment, image))| match image {
                Some(image) => {
                    let caption = caption_of(&image);
                    let label = format!("Open {experiment}'s image full size: {caption}");
                    view! {
                        <li>
                            <span class="image-step-experiment">{experiment}</span>
                            <button type="button" class="thumbnail" aria-label=label on:click=move |_| full_view.set(Some(index))>
                                <img src=move || source(image.id) alt=caption.clone()/>
                            </button>
                            <span class="thumbnail-caption">{caption.clone()}</span>
                        </li>
                    }
                    .into_any()
                }
                None => view! {
                    <li>
                        <span class="image-step-experiment">{experiment}</span>
                        <p class="muted">"No image yet at this step"</p>
                    </li>
                }
                .into_any(),
            })
            .collect_view()
    };
    let lightbox = move || {
        let index = full_view.get()?;
        let (experiment, image) = shown().into_iter().nth(index)?;
        let text = match &image {
            Some(image) => format!("{experiment} · {}", caption_of(image)),
            None => format!("{experiment} · no image yet at this step"),
        };
        let id = image.map(|image| image.id);
        Some(view! {
            <div class="lightbox" role="dialog" aria-modal="true" aria-label=format!("{experiment}, experiment {} of {count}", index + 1)
                on:click=move |_| full_view.set(None)>
                {id.map(|id| view! { <img src=move || source(id) alt=text.clone()/> })}
                <p>{text.clone()} <span class="muted">" — ← → for the other experiments, Esc to close"</span></p>
            </div>
        })
    };
    let slider_id = format!("image-step-{}", crate::charts::file_stem(&name));
    let max = last.to_string();
    view! {
        <figure class="chart image-steps">
            <figcaption>{name.clone()}</figcaption>
            <div class="toolbar">
                <label for=slider_id.clone()>{move || format!("Step {}", step())}</label>
                <input id=slider_id type="range" min="0" max=max step="1" prop:value=move || position.get().to_string()
                    aria-valuetext=move || format!("step {}", step())
                    on:input=move |event| {
                        if let Ok(value) = event_target_value(&event).parse::<usize>() {
                            position.set(value.min(last));
                        }
                    }/>
            </div>
            <ul class="thumbnails image-step-row">{cells}</ul>
            {lightbox}
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(id: i64, step: Option<i64>) -> LoggedImage {
        LoggedImage {
            id,
            caption: String::new(),
            step,
            content_type: "image/png".into(),
            size: 1,
            created_at: String::new(),
        }
    }

    #[test]
    fn steps_are_every_step_of_every_experiment_once() {
        let galleries = vec![
            ("a".to_owned(), vec![image(1, Some(10)), image(2, Some(0))]),
            (
                "b".to_owned(),
                vec![image(3, Some(5)), image(4, None), image(5, Some(10))],
            ),
        ];
        assert_eq!(image_steps(&galleries), vec![0, 5, 10]);
    }

    #[test]
    fn each_experiment_shows_its_image_of_the_step_or_the_last_before_it() {
        let images = vec![
            image(1, Some(0)),
            image(2, Some(10)),
            image(3, Some(10)),
            image(4, Some(20)),
        ];
        assert_eq!(
            image_at(&images, 10).map(|i| i.id),
            Some(3),
            "the last one at that step"
        );
        assert_eq!(
            image_at(&images, 15).map(|i| i.id),
            Some(3),
            "the latest before it"
        );
        assert_eq!(image_at(&images, 0).map(|i| i.id), Some(1));
        assert_eq!(image_at(&images[1..], 5), None, "every image comes later");
    }
}
