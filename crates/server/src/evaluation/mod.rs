//! Metrics of an experiment's evaluations, computed here in Rust and equal to the
//! references users trust: the COCO evaluation of pycocotools (`coco`, with its polygon
//! rasterisation in `mask`) and classification counts (`classification`); and a
//! version's ground truth as a COCO file (`coco_export`). Pure: no storage, no HTTP.

pub mod classification;
pub mod coco;
pub mod coco_export;
pub mod mask;
pub mod metrics;
pub mod outcomes;
