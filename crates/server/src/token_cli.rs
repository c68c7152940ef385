//! `trackboard-server token create|list|revoke`: token management from the shell, for
//! the first admin and for machines without a dashboard.

use crate::auth;
use crate::config::TokenAction;
use crate::domain::checked_name;
use crate::listing::{PageRequest, SqlOrder};
use crate::storage::Storage;
use anyhow::Context;
use std::fmt::Write;

/// Runs one token action and answers what to print.
pub async fn run(storage: &Storage, action: &TokenAction) -> anyhow::Result<String> {
    match action {
        TokenAction::Create { name, scope } => {
            let name =
                checked_name("name", name, 200).map_err(|error| anyhow::anyhow!("{error}"))?;
            let created = auth::issue_token(storage, &name, *scope).await?;
            Ok(format!(
                "Created token {} ({}, scope {}). Its secret, shown only this once:\n{}\n",
                created.token.id,
                created.token.name,
                created.token.scope.as_str(),
                created.secret
            ))
        }
        TokenAction::List => {
            let (tokens, _) = storage
                .list_tokens(
                    PageRequest {
                        limit: u32::MAX,
                        offset: 0,
                    },
                    &SqlOrder::by_id(),
                )
                .await?;
            let mut out = String::from("id\tscope\tcreated_at\trevoked_at\tname\n");
            for token in tokens {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}",
                    token.id,
                    token.scope.as_str(),
                    token.created_at,
                    token.revoked_at.as_deref().unwrap_or("-"),
                    token.name
                )?;
            }
            Ok(out)
        }
        TokenAction::Revoke { id } => {
            let token = storage
                .revoke_token(*id)
                .await?
                .with_context(|| format!("no token with id {id}"))?;
            Ok(format!("Revoked token {} ({}).\n", token.id, token.name))
        }
    }
}

/// On first start (no token was ever created) makes an admin token, so the new user
/// can sign in; answers its secret, or `None` when tokens already exist.
pub async fn bootstrap_admin(storage: &Storage) -> anyhow::Result<Option<String>> {
    if storage.count_tokens().await? > 0 {
        return Ok(None);
    }
    let created = auth::issue_token(
        storage,
        "first admin (created at first start)",
        trackboard_api::TokenScope::Admin,
    )
    .await?;
    Ok(Some(created.secret))
}
