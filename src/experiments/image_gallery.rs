use super::image_urls::{fetch_image, image_urls};
use leptos::ev;
use leptos::prelude::*;
use trackboard_api::LoggedImage;

/// The next index after `current` in a list of `len` moving by `delta`, wrapping around.
pub fn step_index(current: usize, len: usize, delta: isize) -> usize {
    if len == 0 {
        return 0;
    }
    (current as isize + delta).rem_euclid(len as isize) as usize
}

/// While a full view is open (`selected` is the index shown, of `count`), the arrow
/// keys move to the next or previous one, wrapping around, and Escape closes it.
pub fn move_with_arrow_keys(selected: RwSignal<Option<usize>>, count: usize) {
    let keys = window_event_listener(ev::keydown, move |event| {
        if let Some(current) = selected.get_untracked() {
            match event.key().as_str() {
                "ArrowRight" => selected.set(Some(step_index(current, count, 1))),
                "ArrowLeft" => selected.set(Some(step_index(current, count, -1))),
                "Escape" => selected.set(None),
                _ => {}
            }
        }
    });
    on_cleanup(move || keys.remove());
}

/// An image's caption and step, as shown under it.
pub fn caption_of(image: &LoggedImage) -> String {
    match (image.caption.is_empty(), image.step) {
        (false, Some(step)) => format!("{} · step {step}", image.caption),
        (false, None) => image.caption.clone(),
        (true, Some(step)) => format!("step {step}"),
        (true, None) => String::new(),
    }
}

/// The images of an IMAGE log: thumbnails with captions and steps; a click opens one
/// full size, the arrow keys move through them and Escape closes.
#[component]
pub fn ImageGallery(name: String, images: Vec<LoggedImage>) -> impl IntoView {
    let urls = image_urls();
    for image in &images {
        fetch_image(urls, image.id);
    }
    let selected = RwSignal::new(None::<usize>);
    let count = images.len();
    move_with_arrow_keys(selected, count);
    let all = StoredValue::new(images.clone());
    let lightbox = move || {
        selected.get().and_then(|index| all.with_value(|images| images.get(index).cloned())).map(|image| {
            let caption = caption_of(&image);
            view! {
                <div class="lightbox" role="dialog" aria-modal="true" aria-label=format!("Image {} of {count}", selected.get().unwrap_or(0) + 1)
                    on:click=move |_| selected.set(None)>
                    <img src=move || urls.url(image.id) alt=caption.clone()/>
                    <p>{caption.clone()} <span class="muted">" — ← → to move, Esc to close"</span></p>
                </div>
            }
        })
    };
    view! {
        <figure class="chart gallery">
            <figcaption>{name}</figcaption>
            <ul class="thumbnails">
                {images.into_iter().enumerate().map(|(index, image)| {
                    let caption = caption_of(&image);
                    let id = image.id;
                    view! {
                        <li>
                            <button type="button" class="thumbnail" on:click=move |_| selected.set(Some(index))
                                aria-label=format!("Open image {}: {caption}", index + 1)>
                                <img src=move || urls.url(id) alt=caption.clone()/>
                            </button>
                            <span class="thumbnail-caption">{caption.clone()}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {lightbox}
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_wrap_around_the_gallery() {
        assert_eq!(step_index(0, 3, 1), 1);
        assert_eq!(step_index(2, 3, 1), 0);
        assert_eq!(step_index(0, 3, -1), 2);
        assert_eq!(step_index(0, 0, 1), 0);
    }

    #[test]
    fn captions_join_text_and_step() {
        let mut image = LoggedImage {
            id: 1,
            caption: "frame".into(),
            step: Some(10),
            content_type: "image/png".into(),
            size: 1,
            created_at: String::new(),
        };
        assert_eq!(caption_of(&image), "frame · step 10");
        image.caption.clear();
        assert_eq!(caption_of(&image), "step 10");
        image.step = None;
        assert_eq!(caption_of(&image), "");
    }
}
