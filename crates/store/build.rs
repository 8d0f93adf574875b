// `sqlx::migrate!` embeds the migration files; rebuild when one is added or edited.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
