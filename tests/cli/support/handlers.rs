//! The fake server's answers: SAYMON's endpoints as shared/saymon-api.md describes them,
//! with the failures a test asks for.

use super::*;

pub(super) fn router(state: AppState) -> Router {
    Router::new()
        .route(
            "/node/api/users/{id}/auth-token",
            post(create_token).delete(delete_token),
        )
        .route("/node/api/users/current", get(current_user))
        .route(
            "/node/api/version/hash",
            get(|| async { axum::Json("3f2a9c1") }),
        )
        .route("/node/api/objects", get(objects).post(objects))
        .route("/node/api/objects/{id}", get(objects).patch(objects))
        .route("/node/api/objects/{id}/stat", post(objects))
        .route("/node/api/objects/{id}/children", get(objects))
        .route("/node/api/objects/search", post(objects))
        .route("/node/api/big", get(big))
        .route("/node/api/incidents", get(incidents))
        .route(
            "/node/api/raw",
            get(|State(state): State<AppState>| async move {
                let body = state.lock().unwrap().raw_answer.clone();
                ([(header::CONTENT_TYPE, "application/json")], body).into_response()
            }),
        )
        // An endpoint that answers 401 of its own, whatever the token: a 401 that does
        // not mean the token is dead.
        .route(
            "/node/api/guarded",
            get(|| async { error(StatusCode::UNAUTHORIZED, "Unauthorized", "Guarded.") }),
        )
        .fallback(|| async { error(StatusCode::NOT_FOUND, "NotFound", "Not found.") })
        .layer(axum::middleware::from_fn_with_state(state.clone(), record))
        .with_state(state)
}

/// Count the requests in flight around `answer`.
async fn record(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    {
        let mut shared = state.lock().unwrap();
        shared.in_flight += 1;
        shared.max_in_flight = shared.max_in_flight.max(shared.in_flight);
    }
    let response = answer(state.clone(), request, next).await;
    state.lock().unwrap().in_flight -= 1;
    response
}

/// Record every request, and apply the modes that affect every request.
async fn answer(
    state: AppState,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 16 << 20)
        .await
        .unwrap_or_default();
    let mode = {
        let mut shared = state.lock().unwrap();
        shared.seen.push(Seen {
            method: parts.method.to_string(),
            path: parts.uri.path().to_string(),
            query: parts.uri.query().map(str::to_string),
            basic_login: basic(&parts.headers).map(|(login, _)| login),
            content_type: parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            headers: parts
                .headers
                .iter()
                .map(|(name, value)| (name.to_string(), value.as_bytes().to_vec()))
                .collect(),
            body: body.to_vec(),
        });
        if shared.throttle > 0 {
            shared.throttle -= 1;
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, shared.retry_after.to_string())],
                axum::Json(json!({"code": "TooManyRequests", "message": "Slow down."})),
            )
                .into_response();
        }
        (shared.mode, shared.delay)
    };
    let (mode, delay) = mode;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let request = axum::extract::Request::from_parts(parts, axum::body::Body::from(body));
    match mode {
        Mode::Html502 => (
            StatusCode::BAD_GATEWAY,
            [(header::CONTENT_TYPE, "text/html")],
            "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
        )
            .into_response(),
        Mode::RedirectAway(port) => {
            let path = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
            (
                StatusCode::FOUND,
                [(header::LOCATION, format!("http://127.0.0.2:{port}{path}"))],
            )
                .into_response()
        }
        Mode::RedirectLoop => {
            let path = request.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
            (
                StatusCode::TEMPORARY_REDIRECT,
                [(header::LOCATION, path.to_string())],
            )
                .into_response()
        }
        Mode::Stall => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            next.run(request).await
        }
        Mode::HostileError => (
            StatusCode::FORBIDDEN,
            axum::Json(json!({"code": format!("Forbidden{HOSTILE_TEXT}"), "message": HOSTILE_TEXT})),
        )
            .into_response(),
        Mode::EchoError => {
            let uri = request.uri().to_string();
            let token = api_token(request.uri()).unwrap_or_default();
            (
                StatusCode::BAD_REQUEST,
                axum::Json(json!({"code": "BadRequest", "message": format!("bad request for {uri}, token {token}")})),
            )
                .into_response()
        }
        Mode::EchoTokenHeader => {
            let token = api_token(request.uri()).unwrap_or_default();
            let mut response = next.run(request).await;
            if let Ok(value) = header::HeaderValue::from_str(&token) {
                response.headers_mut().insert("x-echo-token", value);
            }
            response
        }
        Mode::Says(text) => (
            StatusCode::OK,
            [("x-said", text), ("content-type", "text/plain")],
            text,
        )
            .into_response(),
        Mode::HugeError(size) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/plain")],
            x_stream(size),
        )
            .into_response(),
        _ => next.run(request).await,
    }
}

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        axum::Json(json!({"code": code, "message": message})),
    )
        .into_response()
}

/// SAYMON's 401 for a bad token: the message is itself JSON.
fn token_error(message: &str) -> Response {
    let inner = json!({"errorCode": 3, "message": message}).to_string();
    error(StatusCode::UNAUTHORIZED, "Unauthorized", &inner)
}

/// The login and password of a Basic Authorization header. The password may contain `:`.
fn basic(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (login, password) = text.split_once(':')?;
    Some((login.to_string(), password.to_string()))
}

fn api_token(uri: &Uri) -> Option<String> {
    let query = uri.query()?;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "api-token")
        .map(|(_, v)| v.into_owned())
}

/// The index of the user the request authenticates as, or the error to answer.
#[allow(clippy::result_large_err)] // a test server; the Err is the response itself
fn authenticate(shared: &Shared, headers: &HeaderMap, uri: &Uri) -> Result<usize, Response> {
    if let Some(token) = api_token(uri) {
        if shared.mode == Mode::TokenAuthOff {
            return Err(token_error("Invalid API token."));
        }
        return shared
            .users
            .iter()
            .position(|u| u.token.as_deref() == Some(token.as_str()))
            .ok_or_else(|| token_error("Invalid API token."));
    }
    if let Some((login, password)) = basic(headers) {
        return shared
            .users
            .iter()
            .position(|u| (u.login == login || u.email == login) && u.password == password)
            .ok_or_else(|| {
                error(
                    StatusCode::UNAUTHORIZED,
                    "InvalidCredentials",
                    "Invalid login or password.",
                )
            });
    }
    Err(token_error("Not logged in."))
}

fn user_json(user: &User) -> Value {
    json!({
        "id": user.id,
        "login": user.login,
        "displayName": user.display_name,
        "email": user.email,
        "permissions": ["manage-objects"],
        "authenticationToken": user.token,
        "status": 1,
        "group": "5e21b752308c3c66d64e0000",
        "language": "en",
    })
}

async fn current_user(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let shared = state.lock().unwrap();
    match authenticate(&shared, &headers, &uri) {
        Ok(i) => axum::Json(user_json(&shared.users[i])).into_response(),
        Err(response) => response,
    }
}

async fn create_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    method: Method,
    _body: Bytes,
) -> Response {
    let (response, slow) = create_token_now(&state, &id, &headers, &uri, &method);
    if slow {
        tokio::time::sleep(Duration::from_secs(30)).await;
    }
    response
}

/// Token creation, under the lock; whether to stall before answering.
fn create_token_now(
    state: &AppState,
    id: &str,
    headers: &HeaderMap,
    uri: &Uri,
    method: &Method,
) -> (Response, bool) {
    let mut shared = state.lock().unwrap();
    let me = match authenticate(&shared, headers, uri) {
        Ok(i) => i,
        Err(response) => return (response, false),
    };
    let Some(target) = shared.users.iter().position(|u| u.id == id) else {
        return (
            error(StatusCode::NOT_FOUND, "NotFound", "User not found."),
            false,
        );
    };
    if target != me {
        return (
            error(
                StatusCode::FORBIDDEN,
                "Forbidden",
                "Permission 'manage-users' required.",
            ),
            false,
        );
    }
    assert_eq!(method, Method::POST);
    match shared.mode {
        Mode::EmptyToken => return (axum::Json("").into_response(), false),
        Mode::HtmlToken => {
            let page = (
                [(header::CONTENT_TYPE, "text/html")],
                "<!DOCTYPE html><html><head><title>Sign in to the network</title></head></html>",
            );
            return (page.into_response(), false);
        }
        _ => {}
    }
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let token = shared
        .next_token
        .take()
        .unwrap_or_else(|| format!("tok{n:05}-{:x}-canary", std::process::id()));
    shared.users[target].token = Some(token.clone());
    shared.token_creations += 1;
    shared.issued.push(token.clone());
    if let Some(cue) = &shared.on_token_created {
        cue();
    }
    (
        axum::Json(token).into_response(),
        shared.mode == Mode::SlowAfterCreating,
    )
}

async fn delete_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let mut shared = state.lock().unwrap();
    let me = match authenticate(&shared, &headers, &uri) {
        Ok(i) => i,
        Err(response) => return response,
    };
    if shared.users[me].id != id {
        return error(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "Permission 'manage-users' required.",
        );
    }
    shared.users[me].token = None;
    StatusCode::NO_CONTENT.into_response()
}

/// A few SAYMON object endpoints, enough for `api`: list, get (only id 1 exists), create
/// and patch (echoing the JSON body), and writing metrics (204).
async fn objects(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    {
        let shared = state.lock().unwrap();
        if let Err(response) = authenticate(&shared, &headers, &uri) {
            return response;
        }
    }
    let path = uri.path();
    if path.ends_with("/stat") {
        return StatusCode::NO_CONTENT.into_response();
    }
    let sent: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    match (method.as_str(), path) {
        ("GET", "/node/api/objects") => axum::Json(json!([
            {"id": "1", "name": "Server room", "class_id": "2"},
            {"id": "2", "name": "UPS", "class_id": "3"}
        ]))
        .into_response(),
        // Object 1's one child; the search matches by the body's `name`, or finds all.
        ("GET", "/node/api/objects/1/children") => axum::Json(json!([
            {"id": "2", "name": "UPS", "class_id": "3", "parent_id": "1"}
        ]))
        .into_response(),
        ("POST", "/node/api/objects/search") => {
            let all = [("1", "Server room", "2"), ("2", "UPS", "3")];
            let found: Vec<Value> = all
                .iter()
                .filter(|(_, name, _)| sent.get("name").is_none_or(|n| n == name))
                .map(|(id, name, class)| json!({"id": id, "name": name, "class_id": class}))
                .collect();
            axum::Json(found).into_response()
        }
        ("POST", _) => {
            let mut object = sent;
            object["id"] = json!("5e21b752308c3c66d64e0abc");
            (StatusCode::OK, axum::Json(object)).into_response()
        }
        (_, "/node/api/objects/1") => {
            let mut object = json!({"id": "1", "name": "Server room", "class_id": "2"});
            if let Value::Object(changes) = sent {
                for (k, v) in changes {
                    object[k] = v;
                }
            }
            axum::Json(object).into_response()
        }
        _ => error(StatusCode::NOT_FOUND, "NotFound", "Object not found."),
    }
}

/// `GET big?size=N`: N bytes of text, made as they are sent (never held whole).
/// SAYMON's incidents list: `limit` (capped by the server) and `skip`, a bare array.
async fn incidents(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    static ANSWERS: AtomicUsize = AtomicUsize::new(0);
    let (total, cap, text, ignore_skip, fail_at, modulo, stamp, shifting) = {
        let shared = state.lock().unwrap();
        if let Err(response) = authenticate(&shared, &headers, &uri) {
            return response;
        }
        (
            shared.incidents,
            shared.page_cap,
            shared.incident_text,
            shared.ignore_skip,
            shared.fail_at_skip,
            shared.skip_modulo,
            shared.stamp,
            shared.shifting,
        )
    };
    let answer = ANSWERS.fetch_add(1, Ordering::Relaxed);
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let number = |key: &str, default: usize| {
        query
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(default)
    };
    let limit = number("limit", cap).min(cap);
    let skip = if ignore_skip { 0 } else { number("skip", 0) };
    let skip = modulo.map_or(skip, |m| skip % m);
    let skip = if shifting {
        skip.saturating_sub(1)
    } else {
        skip
    };
    if fail_at == Some(skip) {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalError",
            "Database is down.",
        );
    }
    let filler = "x".repeat(text);
    let items: Vec<Value> = (skip..total.min(skip + limit))
        .map(|i| {
            let mut item =
                json!({"id": i, "name": format!("incident {i}"), "state": i % 3, "text": filler});
            if stamp {
                item["answered"] = json!(answer);
            }
            item
        })
        .collect();
    axum::Json(items).into_response()
}

async fn big(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    {
        let shared = state.lock().unwrap();
        if let Err(response) = authenticate(&shared, &headers, &uri) {
            return response;
        }
    }
    let size: usize = url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "size")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(1 << 20);
    (
        [(header::CONTENT_TYPE, "application/octet-stream")],
        x_stream(size),
    )
        .into_response()
}

/// A body of `size` bytes of `x`, made as it is sent (never held whole).
fn x_stream(size: usize) -> axum::body::Body {
    const CHUNK: usize = 64 << 10;
    static DATA: [u8; CHUNK] = [b'x'; CHUNK];
    let chunks = (0..size.div_ceil(CHUNK)).map(move |i| {
        let len = CHUNK.min(size - i * CHUNK);
        Ok::<_, std::convert::Infallible>(Bytes::from_static(&DATA[..len]))
    });
    axum::body::Body::from_stream(futures_util::stream::iter(chunks))
}
