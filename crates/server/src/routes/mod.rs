//! The API's routes, one file per resource. Every handler carries its OpenAPI
//! description (`#[utoipa::path]`) and is registered through `routes!`, so the router
//! and the OpenAPI document are built from one list and cannot drift apart.

mod artifacts;
mod assets;
mod checkpoints;
mod coco_predictions;
mod compared;
mod datasets;
mod evaluations;
mod experiment_list;
mod experiments;
mod health;
mod image_links;
mod images;
mod job;
mod line_groups;
mod logs;
mod models;
mod points;
mod projects;
mod respond;
mod tokens;
mod upload;
mod views;

/// Every log of an experiment, for what reads a whole comparison outside a request.
use crate::auth;
use crate::error::ApiError;
use crate::state::{AppState, Limits};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::routing::get;
use axum::{middleware, Extension, Json, Router};
use std::collections::BTreeMap;
use std::sync::Arc;
use trackboard_api::{ErrorEnvelope, TokenScope};
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{OpenApi, Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

/// Room for a multipart body's boundaries and text fields beyond the file's own limit.
const UPLOAD_SLACK: usize = 64 * 1024;
/// Where the OpenAPI document is served (behind a read token, like every route but health).
pub const OPENAPI_PATH: &str = "/v1/openapi.json";
/// The route open to anonymous callers, as the router sees it (under `/api`), besides
/// image links (which carry their own signature).
const HEALTH_PATH: &str = "/v1/health";
/// Where image links open, as the router sees it.
const LINKED_IMAGES_PATH: &str = "/v1/linked-images/";
/// The name of the bearer security scheme in the OpenAPI document.
const BEARER: &str = "bearer";

/// Every API route, to be nested under `/api`. All but health need a bearer token with
/// the scope their group declares ([`scoped_routes`]). Unknown paths and methods are
/// answered in the error envelope, so a client never has to parse plain text.
pub fn api_router(state: AppState) -> Router {
    let mut document = public_routes().to_openapi();
    let mut router = public_routes().split_for_parts().0;
    for (scope, routes) in scoped_routes(state.limits) {
        let (mut group, group_doc) = routes.split_for_parts();
        if scope == TokenScope::Read {
            // The document of the whole API, filled in below, is itself a read.
            group = group.route(OPENAPI_PATH, get(serve_document));
        }
        document.merge(declare_scope(group_doc, scope));
        router = router.merge(group.route_layer(middleware::from_fn_with_state(
            auth::ScopeGuard {
                state: state.clone(),
                needed: scope,
            },
            auth::require_scope,
        )));
    }
    let document = Arc::new(finish_document(document));
    router
        .fallback(unknown_route)
        .method_not_allowed_fallback(wrong_method)
        .layer(Extension(document))
        .with_state(state)
}

async fn serve_document(Extension(document): Extension<Arc<OpenApi>>) -> Json<OpenApi> {
    Json(document.as_ref().clone())
}

/// The OpenAPI 3 document of the whole API, as served at `/api/v1/openapi.json`.
pub fn openapi() -> OpenApi {
    let mut document = public_routes().to_openapi();
    for (scope, mut routes) in scoped_routes(Limits::default()) {
        document.merge(declare_scope(routes.to_openapi(), scope));
    }
    finish_document(document)
}

/// Writes `scope` into every operation's security requirement, so the document says
/// who may call what, exactly as the group's layer enforces it.
fn declare_scope(mut document: OpenApi, scope: TokenScope) -> OpenApi {
    for item in document.paths.paths.values_mut() {
        for operation in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
            &mut item.head,
        ]
        .into_iter()
        .flatten()
        {
            operation.security = Some(vec![SecurityRequirement::new(BEARER, [scope.as_str()])]);
        }
    }
    document
}

fn finish_document(mut document: OpenApi) -> OpenApi {
    document.info.title = "Trackboard tracking server API".to_owned();
    document.info.version = env!("CARGO_PKG_VERSION").to_owned();
    document.info.description = Some(
        "The REST API that training scripts write to and the Trackboard dashboard reads. \
         Every route but health and image links (signed, see `/image-links`) needs \
         `Authorization: Bearer <token>`; each operation's \
         security requirement names the scope it needs (read, write or admin; a stronger \
         scope may do what a weaker one may). See docs/API.md."
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
    // `Refused` names the envelope by reference; its schema and those it uses go here.
    let mut envelope = vec![(ErrorEnvelope::name().into_owned(), ErrorEnvelope::schema())];
    ErrorEnvelope::schemas(&mut envelope);
    components.schemas.extend(envelope);
    components.add_security_scheme(
        BEARER,
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
    );
    document
}

fn public_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health::health))
        .routes(routes!(image_links::linked_image))
}

/// Every protected route, grouped by the scope it needs. A route's group is its
/// declaration of who may call it: the group's layer enforces it and the OpenAPI
/// document shows it. A new route goes into the group of the scope it needs.
fn scoped_routes(limits: Limits) -> [(TokenScope, OpenApiRouter<AppState>); 3] {
    [
        (TokenScope::Read, read_routes()),
        (TokenScope::Write, write_routes(limits)),
        (TokenScope::Admin, admin_routes()),
    ]
}

fn read_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(projects::list))
        .routes(routes!(projects::get))
        .routes(routes!(projects::results_csv))
        .routes(routes!(experiment_list::list))
        .routes(routes!(experiments::get))
        .routes(routes!(logs::list))
        .routes(routes!(logs::get))
        .routes(routes!(logs::project_values))
        .routes(routes!(checkpoints::list))
        .routes(routes!(points::points))
        .routes(routes!(points::csv))
        .routes(routes!(points::times))
        .routes(routes!(points::comparison))
        .routes(routes!(points::comparisons))
        .routes(routes!(line_groups::line_groups))
        .routes(routes!(compared::compared_experiments))
        .routes(routes!(images::get))
        .routes(routes!(image_links::image_links))
        .routes(routes!(artifacts::list))
        .routes(routes!(artifacts::get))
        .routes(routes!(artifacts::download))
        .routes(routes!(datasets::list))
        .routes(routes!(datasets::get))
        .routes(routes!(datasets::list_versions))
        .routes(routes!(datasets::get_version))
        .routes(routes!(datasets::attached))
        .routes(routes!(assets::list))
        .routes(routes!(assets::export_coco))
        .routes(routes!(assets::get))
        .routes(routes!(assets::image))
        .routes(routes!(evaluations::list))
        .routes(routes!(evaluations::get))
        .routes(routes!(evaluations::evaluated_assets))
        .routes(routes!(evaluations::metric_job))
        .routes(routes!(models::list))
        .routes(routes!(models::get))
        .routes(routes!(models::list_versions))
        .routes(routes!(models::get_version))
        .routes(routes!(job::read))
        .routes(routes!(views::list))
        .routes(routes!(views::get))
}

fn write_routes(limits: Limits) -> OpenApiRouter<AppState> {
    let upload_limit = |bytes: u64| {
        DefaultBodyLimit::max(
            usize::try_from(bytes)
                .unwrap_or(usize::MAX)
                .saturating_add(UPLOAD_SLACK),
        )
    };
    let log_limit =
        DefaultBodyLimit::max(usize::try_from(limits.log_body_bytes).unwrap_or(usize::MAX));
    OpenApiRouter::new()
        .routes(routes!(projects::create))
        .routes(routes!(projects::update, projects::delete))
        .routes(routes!(experiments::create))
        .routes(routes!(experiments::update, experiments::delete))
        .routes(routes!(logs::write, logs::delete_all).layer(log_limit))
        .routes(routes!(logs::delete, logs::set_scope))
        .routes(routes!(checkpoints::record))
        .routes(routes!(logs::log_parameters))
        .routes(routes!(logs::rewind))
        .routes(routes!(images::upload).layer(upload_limit(limits.image_bytes)))
        .routes(
            routes!(artifacts::upload, artifacts::delete_all)
                .layer(upload_limit(limits.artifact_bytes)),
        )
        .routes(routes!(artifacts::delete))
        .routes(routes!(artifacts::register))
        .routes(routes!(datasets::create))
        .routes(routes!(datasets::create_version))
        .routes(routes!(datasets::attach))
        .routes(routes!(datasets::detach))
        .routes(routes!(assets::upload).layer(upload_limit(limits.image_bytes)))
        .routes(routes!(assets::import_coco).layer(upload_limit(limits.artifact_bytes)))
        .routes(routes!(assets::delete))
        .routes(routes!(assets::split))
        .routes(routes!(evaluations::add).layer(log_limit))
        .routes(routes!(coco_predictions::import).layer(upload_limit(limits.artifact_bytes)))
        .routes(routes!(evaluations::delete))
        .routes(routes!(evaluations::compute))
        .routes(routes!(models::create))
        .routes(routes!(models::export))
        .routes(routes!(job::append))
        .routes(routes!(job::set_status))
        .routes(routes!(views::create))
        .routes(routes!(views::rename, views::delete))
}

fn admin_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(tokens::list, tokens::create))
        .routes(routes!(tokens::revoke))
}

/// The refusals every operation may answer, documented once: a 4xx in the error envelope.
pub struct Refused;

impl utoipa::IntoResponses for Refused {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let envelope = ContentBuilder::new()
            .schema(Some(Ref::from_schema_name(ErrorEnvelope::name())))
            .build();
        let refused = ResponseBuilder::new()
            .description("Refused; the error envelope says why and names the field")
            .content("application/json", envelope)
            .build();
        BTreeMap::from([("4XX".to_owned(), RefOr::T(refused))])
    }
}

/// An unknown path under `/api`: a 401 to a caller without a live token, so routes
/// cannot be discovered anonymously; a 404 otherwise.
async fn unknown_route(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> ApiError {
    match auth::authenticate(&state.storage, &headers).await {
        Ok(_) => ApiError::NotFound(format!("no API route at {}", uri.path())),
        Err(refused) => refused,
    }
}

/// A known path with another method: 405, after the same token check (health aside).
async fn wrong_method(
    State(state): State<AppState>,
    headers: HeaderMap,
    method: Method,
    uri: Uri,
) -> ApiError {
    let public = uri.path() == HEALTH_PATH || uri.path().starts_with(LINKED_IMAGES_PATH);
    match auth::authenticate(&state.storage, &headers).await {
        Err(refused) if !public => refused,
        _ => ApiError::MethodNotAllowed(format!("{method} is not allowed on {}", uri.path())),
    }
}
