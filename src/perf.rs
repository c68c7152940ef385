//! User Timing marks (`performance.mark` / `measure`) at the moments the benchmarks of
//! `make bench` read: a line chart drawn, the experiments table painted after its data
//! arrived. Cheap, and visible in any browser's performance panel too.

/// Names a moment.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.mark(name);
    }
}

/// Records the time from the latest `start` mark to now as `name`; nothing when `start`
/// was never marked.
pub fn measure_since(name: &str, start: &str) {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.measure_with_start_mark(name, start);
    }
}

/// Names of the marks and measures.
pub mod names {
    /// The WebAssembly is running: `start` was called.
    pub const APP_STARTED: &str = "trackboard:app-started";
    /// `config.json` read (or its defaults taken).
    pub const CONFIG_LOADED: &str = "trackboard:config-loaded";
    /// A chart asked for points (the first ask of a batch).
    pub const POINTS_ASKED: &str = "trackboard:points-asked";
    /// Before a line chart draws its points.
    pub const LINE_DRAW_START: &str = "trackboard:line-draw-start";
    /// A line chart's drawing, one entry per draw.
    pub const LINE_DRAW: &str = "trackboard:line-draw";
    /// A project's experiments arrived from the server.
    pub const EXPERIMENTS_LOADED: &str = "trackboard:experiments-loaded";
    /// From the experiments' arrival to the frame that shows the table.
    pub const TABLE_PAINTED: &str = "trackboard:table-painted";
    /// The parallel coordinates were drawn, one mark per draw.
    pub const PARALLEL_DRAWN: &str = "trackboard:parallel-drawn";
    /// A grouped chart drew its bands, one mark per draw with at least one band.
    pub const BANDS_DRAWN: &str = "trackboard:bands-drawn";
    /// A page of the asset browser's evaluated assets arrived.
    pub const ASSETS_LOADED: &str = "trackboard:assets-loaded";
    /// An asset's outlines were drawn over its image, one entry per draw.
    pub const ASSET_DRAWN: &str = "trackboard:asset-drawn";
}
