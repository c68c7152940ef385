//! Draws a confusion matrix on any plotters backend, for the PNG export: the same
//! labels, colours and cell texts as the HTML matrix on the page.

use super::heatmap_model::{cell_colour, cell_text, CellMode, HeatmapModel};
use super::theme::ChartTheme;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// CSS pixels of one cell in an exported matrix.
pub const HEATMAP_CELL: f64 = 64.0;
/// CSS pixels of the row labels' column, of the column labels' row, and of the title.
pub const HEATMAP_LABELS: (f64, f64, f64) = (110.0, 28.0, 30.0);

/// The device-pixel size of an exported matrix of `rows` × `columns` cells.
pub fn heatmap_size(rows: usize, columns: usize, theme: &ChartTheme) -> (u32, u32) {
    let (label_width, label_height, title) = HEATMAP_LABELS;
    let width = label_width + HEATMAP_CELL * columns as f64 + 8.0;
    let height = title + label_height + HEATMAP_CELL * rows as f64 + 8.0;
    (theme.px(width), theme.px(height))
}

/// Paints `title`, the column labels, the row labels and every cell with its text.
pub fn draw_heatmap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    model: &HeatmapModel,
    mode: CellMode,
    title: &str,
    theme: &ChartTheme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    root.fill(&theme.background)?;
    let px = |css: f64| theme.px(css) as i32;
    let (label_width, label_height, title_height) = HEATMAP_LABELS;
    let font = |size: f64, colour: &RGBColor, anchor: Pos| {
        ("sans-serif", f64::from(theme.px(size)))
            .into_font()
            .color(colour)
            .pos(anchor)
    };
    let centre = Pos::new(HPos::Center, VPos::Center);
    root.draw(&Text::new(
        title.to_owned(),
        (px(8.0), px(title_height / 2.0)),
        font(15.0, &theme.text, Pos::new(HPos::Left, VPos::Center)),
    ))?;
    let (left, top, cell) = (
        px(label_width),
        px(title_height + label_height),
        px(HEATMAP_CELL),
    );
    for (index, label) in model.columns.iter().enumerate() {
        let x = left + cell * index as i32 + cell / 2;
        root.draw(&Text::new(
            label.clone(),
            (x, px(title_height + label_height / 2.0)),
            font(12.0, &theme.text, centre),
        ))?;
    }
    for (row, (label, cells)) in model.rows.iter().zip(&model.cells).enumerate() {
        let y = top + cell * row as i32;
        root.draw(&Text::new(
            label.clone(),
            (left - px(8.0), y + cell / 2),
            font(12.0, &theme.text, Pos::new(HPos::Right, VPos::Center)),
        ))?;
        for (column, value) in cells.iter().enumerate() {
            let x = left + cell * column as i32;
            let ((r, g, b), light) = cell_colour(*value, model.max);
            root.draw(&Rectangle::new(
                [(x, y), (x + cell - 1, y + cell - 1)],
                RGBColor(r, g, b).filled(),
            ))?;
            let ink = if light {
                RGBColor(255, 255, 255)
            } else {
                RGBColor(0, 0, 0)
            };
            root.draw(&Text::new(
                cell_text(*value, mode),
                (x + cell / 2, y + cell / 2),
                font(12.0, &ink, centre),
            ))?;
        }
    }
    root.present()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::test_pixels::Pixels;
    use trackboard_api::HeatmapData;

    #[test]
    fn every_cell_is_filled_in_its_colour_with_its_text_and_labels() {
        let data = HeatmapData {
            categories: vec!["car".into(), "bus".into()],
            values: vec![
                vec![30.0, 0.0, 5.0],
                vec![2.0, 7.0, 1.0],
                vec![4.0, 0.0, 0.0],
            ],
        };
        let model = HeatmapModel::new(&data, CellMode::Counts).expect("3×3");
        let theme = ChartTheme::new(false, 1.0);
        let (width, height) = heatmap_size(3, 3, &theme);
        assert_eq!((width, height), (110 + 3 * 64 + 8, 30 + 28 + 3 * 64 + 8));
        let buffer = Pixels::new(width, height);
        let root = buffer.clone().into_drawing_area();
        draw_heatmap(&root, &model, CellMode::Counts, "confusion", &theme).expect("draws");

        // The middle of the cell at row r, column c, away from its text.
        let cell_pixel = |r: u32, c: u32| buffer.at(110 + c * 64 + 4, 58 + r * 64 + 4);
        assert_eq!(
            cell_pixel(0, 0),
            cell_colour(30.0, 30.0).0,
            "the largest count is darkest"
        );
        assert_eq!(cell_pixel(0, 1), cell_colour(0.0, 30.0).0);
        assert_eq!(
            cell_pixel(2, 0),
            cell_colour(4.0, 30.0).0,
            "the FP row is drawn"
        );
        let background = theme.background;
        assert_eq!(
            buffer.at(4, height - 2),
            (background.0, background.1, background.2)
        );
        let texts = buffer.texts.borrow();
        for expected in ["confusion", "car", "bus", "FP", "FN", "30", "7"] {
            assert!(
                texts.iter().any(|t| t == expected),
                "{expected} missing from {texts:?}"
            );
        }
        assert_eq!(texts.iter().filter(|t| *t == "FN").count(), 1);
    }
}
