//! Entry point of the dashboard's WebAssembly: only mounts the app.

fn main() {
    trackboard::start();
}
