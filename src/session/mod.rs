//! Who is signed in: an API token kept in local storage. It arrives either in the URL
//! fragment the server printed at first start (`/#token=…`, never sent to any server)
//! or pasted on the sign-in page (`crate::sign_in`). Below the API client, which reads
//! the token and ends the session on a 401.

mod expiry;
mod token_store;

pub use expiry::ReturnToSignIn;
pub use token_store::{
    adopt_token_from_url, forget_token, store_token, stored_token, token_in_fragment,
};

use leptos::prelude::*;

/// Whether a token is stored, as a signal the header and sign-in page share; and
/// whether the server just refused it, which sends the user to sign in again.
#[derive(Clone, Copy, Debug)]
pub struct Session {
    pub signed_in: RwSignal<bool>,
    /// Set when any API call met a 401; [`ReturnToSignIn`] acts on it and clears it.
    pub expired: RwSignal<bool>,
}

impl Session {
    /// Reads the current state from local storage.
    pub fn new() -> Session {
        Session {
            signed_in: RwSignal::new(stored_token().is_some()),
            expired: RwSignal::new(false),
        }
    }

    /// Stores `token` and marks the session signed in.
    pub fn sign_in(&self, token: &str) {
        store_token(token);
        self.signed_in.set(true);
    }

    /// Forgets the token.
    pub fn sign_out(&self) {
        forget_token();
        self.signed_in.set(false);
    }

    /// The server refused the token: forget it and ask for a new one. Safe to call from
    /// any task, after its component is gone.
    pub fn expire(&self) {
        forget_token();
        self.signed_in.try_set(false);
        self.expired.try_set(true);
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}
