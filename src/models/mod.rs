//! The model registry: the list of models and a model with its versions.

mod model_page;
mod models_page;

pub use model_page::ModelPage;
pub use models_page::ModelsPage;
