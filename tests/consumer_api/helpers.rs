//! An app as the platform's client library behaves: an Ed25519 identity key, a registered
//! identity, a token, JSON requests.

use backbone_admin::domain::consumer::{ClientId, ClientSecret};
use backbone_admin::domain::{DeviceId, IdentityAddress};
use backbone_admin::facade::clients::{Clients, DEFAULT_TIER_NAME, NewClient};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signer, SigningKey};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};

use crate::common::app::*;

pub(crate) const CLIENT_ID: &str = "test-app";

/// A running app with an OAuth client, and an HTTP client for the API.
pub(crate) struct Api {
    pub app: TestApp,
    pub secret: String,
    pub http: Client,
}

/// A registered identity: its address, device and the device's credentials.
pub(crate) struct App {
    pub address: IdentityAddress,
    pub device_id: DeviceId,
    pub username: String,
    pub password: String,
}

pub(crate) fn api() -> Api {
    api_with_limit(None)
}

pub(crate) fn api_with_limit(max_identities: Option<i32>) -> Api {
    let app = spawn_app();
    let secret = ClientSecret::generate();
    let text = secret.as_str().to_owned();
    Clients::new(app.core.clone())
        .create(NewClient {
            client_id: ClientId::parse(CLIENT_ID).unwrap(),
            secret,
            default_tier: DEFAULT_TIER_NAME.to_owned(),
            max_identities,
        })
        .expect("client created");
    Api {
        app,
        secret: text,
        http: Client::new(),
    }
}

pub(crate) fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `identityPublicKey` as the client library writes it.
pub(crate) fn public_key_text(key: &SigningKey) -> String {
    b64(
        json!({ "pub": b64(key.verifying_key().as_bytes()), "alg": 3,
                "@type": "CryptoSignaturePublicKey" })
        .to_string(),
    )
}

/// The challenge text the client library signs.
pub(crate) fn challenge_text(challenge: &Value) -> String {
    json!({ "id": challenge["id"], "expiresAt": challenge["expiresAt"], "type": "Identity" })
        .to_string()
}

pub(crate) fn signature_text(key: &SigningKey, message: &str) -> String {
    b64(json!({ "sig": b64(key.sign(message.as_bytes()).to_bytes()), "alg": 2 }).to_string())
}

pub(crate) fn new_key() -> SigningKey {
    let mut seed = [0u8; 32];
    seed.copy_from_slice(&rand_bytes());
    SigningKey::from_bytes(&seed)
}

fn rand_bytes() -> Vec<u8> {
    backbone_admin::domain::ids::random_alphanumeric(32).into_bytes()
}

impl Api {
    pub(crate) fn url(&self, path: &str) -> String {
        self.app.url(path)
    }

    pub(crate) async fn post_json(
        &self,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> Response {
        let mut request = self.http.post(self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("POST")
    }

    pub(crate) async fn put_json(&self, path: &str, token: &str, body: &Value) -> Response {
        self.http
            .put(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("PUT")
    }

    pub(crate) async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut request = self.http.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("GET")
    }

    pub(crate) async fn challenge(&self) -> Value {
        let response = self.post_json("/api/v1/Challenges", None, &json!({})).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json::<Value>().await.expect("JSON")["result"].clone()
    }

    /// The registration body for `key`, signing `challenge` (override fields as needed).
    pub(crate) fn registration(&self, key: &SigningKey, challenge: &Value) -> Value {
        let text = challenge_text(challenge);
        json!({
            "clientId": CLIENT_ID,
            "clientSecret": self.secret,
            "identityPublicKey": public_key_text(key),
            "devicePassword": "a device password of some length",
            "identityVersion": 1,
            "signedChallenge": { "challenge": text, "signature": signature_text(key, &text) },
        })
    }

    /// Registers a new identity (201 expected).
    pub(crate) async fn register(&self) -> App {
        let key = new_key();
        let challenge = self.challenge().await;
        let body = self.registration(&key, &challenge);
        let response = self.post_json("/api/v1/Identities", None, &body).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        let result = response.json::<Value>().await.expect("JSON")["result"].clone();
        App {
            address: IdentityAddress::parse(result["address"].as_str().unwrap()).unwrap(),
            device_id: DeviceId::parse(result["device"]["id"].as_str().unwrap()).unwrap(),
            username: result["device"]["username"].as_str().unwrap().to_owned(),
            password: "a device password of some length".to_owned(),
        }
    }

    pub(crate) async fn token_response(&self, username: &str, password: &str) -> Response {
        self.http
            .post(self.url("/connect/token"))
            .form(&[
                ("grant_type", "password"),
                ("client_id", CLIENT_ID),
                ("client_secret", self.secret.as_str()),
                ("username", username),
                ("password", password),
            ])
            .send()
            .await
            .expect("POST /connect/token")
    }

    pub(crate) async fn token(&self, app: &App) -> String {
        let response = self.token_response(&app.username, &app.password).await;
        assert_eq!(response.status(), StatusCode::OK);
        let json: Value = response.json().await.expect("JSON");
        json["access_token"].as_str().expect("a token").to_owned()
    }

    /// A registered identity and its token.
    pub(crate) async fn signed_in(&self) -> (App, String) {
        let app = self.register().await;
        let token = self.token(&app).await;
        (app, token)
    }
}

/// The status and JSON body of a response.
pub(crate) async fn answer(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.expect("body");
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, json)
}

/// Asserts an error body with `code` and `status`.
pub(crate) async fn assert_error(response: Response, status: u16, code: &str) {
    let (got, json) = answer(response).await;
    assert_eq!(got.as_u16(), status, "{json}");
    assert_eq!(json["error"]["code"], code, "{json}");
    let id = json["error"]["id"].as_str().expect("an error id");
    assert!(id.starts_with("ERR") && id.len() == 20, "{id}");
}

/// An owner of the test helpers, for the facade.
pub(crate) fn owner_of(app: &App) -> backbone_admin::facade::Owner {
    backbone_admin::facade::Owner {
        address: app.address.clone(),
        device_id: app.device_id.clone(),
    }
}
