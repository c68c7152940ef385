//! The API's routes, one file per resource. Every handler carries its OpenAPI
//! description (`#[utoipa::path]`) and is registered through `routes!`, so the router
//! and the OpenAPI document are built from one list and cannot drift apart.

mod artifacts;
mod datasets;
mod experiments;
mod health;
mod images;
mod job;
mod logs;
mod models;
mod points;
mod projects;
mod tokens;
mod upload;

pub use artifacts::DEFAULT_ARTIFACT_LIMIT;
pub use images::DEFAULT_IMAGE_LIMIT;

use crate::error::ApiError;
use crate::{auth, AppState, Limits};
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::{middleware, Json, Router};
use std::sync::Arc;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

/// The default largest log request body: room for a batch of 100,000 points, while a
/// request of ten million points is refused (413) before it is parsed.
pub const DEFAULT_LOG_BODY_LIMIT: u64 = 16 * 1024 * 1024;
/// Room for a multipart body's boundaries and text fields beyond the file's own limit.
const UPLOAD_SLACK: usize = 64 * 1024;
/// Where the OpenAPI document is served (behind a read token, like every route but health).
pub const OPENAPI_PATH: &str = "/v1/openapi.json";

/// Every API route, to be nested under `/api`. All but health need a bearer token
/// ([`auth::require_token`]). Unknown paths and methods are answered in the error
/// envelope, so a client never has to parse plain text.
pub fn api_router(state: AppState) -> Router {
    let (public, public_doc) = public_routes().split_for_parts();
    let (protected, protected_doc) = protected_routes(state.limits).split_for_parts();
    let document = Arc::new(finish_document(public_doc, protected_doc));
    let protected = protected
        .route(
            OPENAPI_PATH,
            get(move || async move { Json(document.as_ref().clone()) }),
        )
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::require_token,
        ));
    public
        .merge(protected)
        .fallback(unknown_route)
        .method_not_allowed_fallback(wrong_method)
        .with_state(state)
}

/// The OpenAPI 3 document of the whole API, as served at `/api/v1/openapi.json`.
pub fn openapi() -> OpenApi {
    let (_, public_doc) = public_routes().split_for_parts();
    let (_, protected_doc) = protected_routes(Limits::default()).split_for_parts();
    finish_document(public_doc, protected_doc)
}

fn finish_document(public: OpenApi, protected: OpenApi) -> OpenApi {
    let mut document = public;
    document.merge(protected);
    document.info.title = "Trackboard tracking server API".to_owned();
    document.info.version = env!("CARGO_PKG_VERSION").to_owned();
    document.info.description = Some(
        "The REST API that training scripts write to and the Trackboard dashboard reads. \
         Every route but health needs `Authorization: Bearer <token>`; reads need the read \
         scope, writes the write scope, token management the admin scope. See docs/API.md."
            .to_owned(),
    );
    document.info.license = None;
    document.info.contact = None;
    // The routes are nested under /api; the document names them as clients call them.
    let paths = std::mem::take(&mut document.paths.paths);
    document.paths.paths = paths
        .into_iter()
        .map(|(path, item)| (format!("/api{path}"), item))
        .collect();
    let components = document.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
    );
    document
}

fn public_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health::health))
}

fn protected_routes(limits: Limits) -> OpenApiRouter<AppState> {
    let image_limit = DefaultBodyLimit::max(
        usize::try_from(limits.image_bytes)
            .unwrap_or(usize::MAX)
            .saturating_add(UPLOAD_SLACK),
    );
    let artifact_limit = DefaultBodyLimit::max(
        usize::try_from(limits.artifact_bytes)
            .unwrap_or(usize::MAX)
            .saturating_add(UPLOAD_SLACK),
    );
    let log_limit =
        DefaultBodyLimit::max(usize::try_from(limits.log_body_bytes).unwrap_or(usize::MAX));
    OpenApiRouter::new()
        .routes(routes!(tokens::list, tokens::create))
        .routes(routes!(tokens::revoke))
        .routes(routes!(projects::list, projects::create))
        .routes(routes!(projects::get, projects::update, projects::delete))
        .routes(routes!(experiments::list, experiments::create))
        .routes(routes!(
            experiments::get,
            experiments::update,
            experiments::delete
        ))
        .routes(routes!(logs::list, logs::write, logs::delete_all).layer(log_limit))
        .routes(routes!(logs::get, logs::delete))
        .routes(routes!(logs::log_parameters))
        .routes(routes!(logs::project_values))
        .routes(routes!(points::points))
        .routes(routes!(points::csv))
        .routes(routes!(points::comparison))
        .routes(routes!(images::upload).layer(image_limit))
        .routes(routes!(images::get))
        .routes(
            routes!(artifacts::list, artifacts::upload, artifacts::delete_all)
                .layer(artifact_limit),
        )
        .routes(routes!(artifacts::get, artifacts::delete))
        .routes(routes!(artifacts::download))
        .routes(routes!(datasets::list, datasets::create))
        .routes(routes!(datasets::get))
        .routes(routes!(datasets::list_versions, datasets::create_version))
        .routes(routes!(datasets::get_version))
        .routes(routes!(datasets::attached, datasets::attach))
        .routes(routes!(datasets::detach))
        .routes(routes!(models::list, models::create))
        .routes(routes!(models::get))
        .routes(routes!(models::list_versions))
        .routes(routes!(models::get_version))
        .routes(routes!(models::export))
        .routes(routes!(job::read, job::append))
        .routes(routes!(job::set_status))
}

async fn unknown_route(uri: axum::http::Uri) -> ApiError {
    ApiError::NotFound(format!("no API route at {}", uri.path()))
}

async fn wrong_method(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError::MethodNotAllowed(format!("{method} is not allowed on {}", uri.path()))
}
