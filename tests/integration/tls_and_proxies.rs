//! The network between the runner and Confluence: an internal CA trusted only when given, and
//! `HTTP_PROXY` / `NO_PROXY` from the environment.

use crate::common::*;

/// A local TLS front for the fake, with a certificate from a private CA.
async fn tls_front(backend_port: u16) -> (u16, String) {
    use std::sync::Arc;
    use tokio_rustls::rustls;

    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(rcgen::DnType::CommonName, "Test Internal CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let ca_issuer = rcgen::Issuer::new(ca_params, ca_key);
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf_params = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &ca_issuer).unwrap();

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let server = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                let Ok(mut backend) = tokio::net::TcpStream::connect(("127.0.0.1", backend_port)).await else { return };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut backend).await;
            });
        }
    });
    (port, ca.pem())
}

/// Confluence behind a certificate from an internal CA: refused until CONFLUENCE_CA_CERT names it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn internal_ca_is_trusted_only_when_given() {
    let site = site_with_previous(Flavor::DataCenter).await;
    let backend_port: u16 = site.fake.base_url().rsplit(':').next().unwrap().parse().unwrap();
    let (port, ca_pem) = tls_front(backend_port).await;
    let ca_path = site.dir.path().join("internal-ca.pem");
    std::fs::write(&ca_path, ca_pem).unwrap();
    let env =
        site.env().set("CONFLUENCE_BASE_URL", &format!("https://127.0.0.1:{port}")).set("CONFLUENCE_MAX_RETRIES", "0");

    let untrusted = site.run(&env).await;
    untrusted.assert_code(1);
    assert!(untrusted.stderr.to_lowercase().contains("certificate"), "{}", untrusted.stderr);

    let trusted = site.run(&env.clone().set("CONFLUENCE_CA_CERT", ca_path.to_str().unwrap())).await;
    trusted.assert_code(0);
    assert_eq!(trusted.json()["created"], true);
    assert!(!trusted.stderr.contains("plain http"), "no plain-http warning over https");
}

/// `HTTP_PROXY` is honoured: the site's host does not even resolve; only the proxy (here the fake
/// itself, which serves absolute-form requests) is reachable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn proxies_from_the_environment_are_used() {
    let site = site_with_previous(Flavor::DataCenter).await;
    let proxy = site.fake.base_url();
    let env = site.env().set("CONFLUENCE_BASE_URL", "http://confluence.invalid").set("HTTP_PROXY", &proxy);
    let run = site.run(&env).await;
    run.assert_code(0);
    assert_eq!(run.json()["created"], true);
    assert!(!site.fake.requests().is_empty());
    let before = site.fake.requests().len();
    let blocked = site.run(&env.set("NO_PROXY", "confluence.invalid").set("CONFLUENCE_MAX_RETRIES", "0")).await;
    blocked.assert_code(1);
    assert!(blocked.stderr.contains("confluence.invalid"), "{}", blocked.stderr);
    assert_eq!(site.fake.requests().len(), before, "NO_PROXY: nothing reached the proxy");
}
