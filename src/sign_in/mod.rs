//! The sign-in page: a pasted token, checked against the server before the session
//! keeps it. A page above the API client; the session it fills sits below the client.

mod sign_in_page;

pub use sign_in_page::SignInPage;
