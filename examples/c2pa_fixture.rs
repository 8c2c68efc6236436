//! Makes the signed test photos in `tests/data/c2pa/`: a JPEG signed with the c2pa
//! SDK's ES256 test certificate, recording either a capture by a camera or an AI
//! generation. The certificate chains to `test_cert_root_bundle.pem`, so the photos
//! are trusted with `--c2pa-trust` and untrusted without. No time-stamp is asked for:
//! that would need the network.
//!
//! cargo run --example c2pa_fixture -- assets/demo/box-front.jpg tests/data/c2pa/camera-capture.jpg digitalCapture
//! cargo run --example c2pa_fixture -- assets/demo/box-front.jpg tests/data/c2pa/ai-generated.jpg trainedAlgorithmicMedia

#[cfg(feature = "content-credentials")]
fn main() -> Result<(), Box<dyn std::error::Error>> {
    use std::io::Cursor;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output, source_type] = args.as_slice() else {
        return Err("usage: c2pa_fixture IN.jpg OUT.jpg DIGITAL_SOURCE_TYPE".into());
    };
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/c2pa");
    let signer = c2pa::create_signer::from_keys(
        &std::fs::read(folder.join("es256.pub"))?,
        &std::fs::read(folder.join("es256.pem"))?,
        c2pa::SigningAlg::Es256,
        None,
    )?;
    let definition = serde_json::json!({
        "claim_generator_info": [{"name": "claimpack test camera", "version": "1.0"}],
        "title": "box-front.jpg",
        "assertions": [{
            "label": "c2pa.actions.v2",
            "data": {"actions": [{
                "action": "c2pa.created",
                "digitalSourceType": format!("http://cv.iptc.org/newscodes/digitalsourcetype/{source_type}"),
            }]},
        }],
    });
    let mut builder = c2pa::Builder::from_context(c2pa::Context::new())
        .with_definition(definition.to_string())?;
    let mut source = Cursor::new(std::fs::read(input)?);
    let mut signed = Cursor::new(Vec::new());
    builder.sign(signer.as_ref(), "image/jpeg", &mut source, &mut signed)?;
    std::fs::write(output, signed.into_inner())?;
    Ok(())
}

#[cfg(not(feature = "content-credentials"))]
fn main() {
    eprintln!("c2pa_fixture needs the content-credentials feature");
    std::process::exit(2);
}
