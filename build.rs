//! Turns `CLAIMPACK_INTEROP=1` into the `interop` cfg, so that tests which need an
//! outside tool (bagit.py, sha256sum, python3, openssl, chromium, …) are listed as
//! ignored — with the reason — instead of skipping silently, and run for real (failing
//! loudly when the tool is missing) once the variable is set.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(interop)");
    println!("cargo::rerun-if-env-changed=CLAIMPACK_INTEROP");
    if std::env::var("CLAIMPACK_INTEROP").is_ok_and(|v| v == "1") {
        println!("cargo::rustc-cfg=interop");
    }
}
