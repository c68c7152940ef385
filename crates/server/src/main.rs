//! `trackboard-server`: opens the database, seeds the demo on first start, serves.

use anyhow::Context;
use axum::serve::ListenerExt;
use clap::Parser;
use tracing_subscriber::EnvFilter;
use trackboard_server::objects::Objects;
use trackboard_server::{
    app, demo, snapshot, token_cli, AppState, Cli, Command, Limits, ServeConfig, SnapshotCommand,
    Storage, StoreFlags,
};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Token(command)) => {
            let storage = Storage::open(&command.database_url).await?;
            print!("{}", token_cli::run(&storage, &command.action).await?);
            Ok(())
        }
        Some(Command::Snapshot(command)) => snapshot(command).await,
        None => serve(cli.serve).await,
    }
}

/// The database and the object store the flags name.
async fn open_stores(flags: &StoreFlags) -> anyhow::Result<(Storage, Objects)> {
    let storage = Storage::open(&flags.database_url).await?;
    let objects = match &flags.object_store_url {
        Some(url) => Objects::from_url(url)?,
        None => Objects::local(&flags.artifact_dir)?,
    };
    Ok((storage, objects))
}

async fn snapshot(command: SnapshotCommand) -> anyhow::Result<()> {
    let (storage, objects) = open_stores(&command.stores).await?;
    let written = snapshot::write(
        &storage,
        &objects,
        &command.dashboard_dir,
        &command.selection(),
        &command.out,
    )
    .await?;
    println!(
        "Wrote {}: {} experiments, {} series ({} points), {} images, {} files. Serve it from any static host.",
        command.out.display(),
        written.experiments,
        written.series,
        written.points,
        written.images,
        written.files
    );
    Ok(())
}

async fn serve(config: ServeConfig) -> anyhow::Result<()> {
    let (storage, objects) = open_stores(&config.stores).await?;
    if !config.no_demo && demo::seed_if_empty(&storage, &objects).await? {
        tracing::info!("created the demo project");
    }

    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    let address = listener.local_addr()?;
    // Answers streamed in parts (an image, an artifact, a compressed JSON answer) leave
    // as they are written: with Nagle's algorithm a part waited for the client's delayed
    // acknowledgement of the one before, up to 40 ms an answer.
    let listener = listener.tap_io(|connection| {
        if let Err(error) = connection.set_nodelay(true) {
            tracing::warn!("could not set TCP_NODELAY on a connection: {error}");
        }
    });
    if let Some(secret) = token_cli::bootstrap_admin(&storage).await? {
        // Shown once: only its hash is stored. The fragment never reaches a server log.
        println!("First start: created an admin token (shown only this once):\n  {secret}");
        println!("Sign the dashboard in: http://{address}/#token={secret}");
        println!(
            "More tokens: trackboard-server token create --name NAME --scope read|write|admin"
        );
    }
    // Jobs whose server died (a replica killed mid-computation) are computed here.
    trackboard_server::metrics_job::configure_lease(std::time::Duration::from_secs(
        config.job_lease_seconds,
    ));
    tokio::spawn(trackboard_server::metrics_job::watch_leases(
        storage.clone(),
        trackboard_server::metrics_job::lease(),
    ));
    let links = trackboard_server::links::LinkSigner::load(&storage).await?;
    let router = app(
        AppState {
            storage,
            objects,
            limits: Limits {
                artifact_bytes: config.max_artifact_bytes,
                image_bytes: config.max_image_bytes,
                log_body_bytes: config.max_log_body_bytes,
            },
            cors_origins: config.cors_origins.clone(),
            links,
        },
        Some(config.dashboard_dir.clone()),
    );
    // Printed on stdout (logs go to stderr) so scripts and tests can read the URL.
    println!("Trackboard is running at http://{address}/");
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("server failed")
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => return ctrl_c.await.unwrap_or(()),
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = terminate.recv() => {},
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await.unwrap_or(());
}
