//! `eventyard`: the command-line face of the same engine the playground runs.
fn main() {
    println!("eventyard {}", env!("CARGO_PKG_VERSION"));
}
