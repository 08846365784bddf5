// Migrations and seeds are embedded in the binary: rebuild when they change.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
    println!("cargo:rerun-if-changed=../sql/seeds");
}
