use crate::encode;
pub use crate::encode::{PathStyle, QueryStyle};
use crate::multipart::Multipart;
use bytes::Bytes;
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

/// A request body, already serialized.
#[derive(Debug, Clone)]
pub enum Body {
    Json(Vec<u8>),
    /// `application/x-www-form-urlencoded`
    Form(String),
    /// Raw bytes with their media type (`application/octet-stream`, images, ...).
    Bytes {
        content_type: String,
        data: Bytes,
    },
    /// Text with its media type (`text/plain`, ...).
    Text {
        content_type: String,
        text: String,
    },
    /// `multipart/form-data`.
    Multipart(Multipart),
}

/// One operation call, described by the generated code and sent by [`crate::Transport`].
///
/// Building never fails on the spot: the first problem (a path parameter that would leave its
/// segment, a body that cannot be serialized) is kept and reported by `send`, so generated code
/// reads as a straight chain.
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) template: &'static str,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) cookies: Vec<(String, String)>,
    pub(crate) body: Option<Body>,
    pub(crate) accept: Option<&'static str>,
    pub(crate) security: &'static [&'static [&'static str]],
    /// A whole URL an answer named (a next page, a resume URL), sent instead of the base URL
    /// and `path`.
    pub(crate) url: Option<reqwest::Url>,
    /// A whole query string set as one value (OpenAPI 3.2 `querystring`), already encoded.
    pub(crate) raw_query: Option<String>,
    pub(crate) problem: Option<String>,
}

impl Request {
    /// A request for `method` on a path template such as `/runs/{run_id}`.
    pub fn new(method: Method, template: &'static str) -> Self {
        Request {
            method,
            template,
            path: template.to_owned(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            accept: None,
            security: &[],
            url: None,
            raw_query: None,
            problem: None,
        }
    }

    /// A `GET` request on a path template.
    pub fn get(template: &'static str) -> Self {
        Request::new(Method::GET, template)
    }

    /// A `POST` request on a path template.
    pub fn post(template: &'static str) -> Self {
        Request::new(Method::POST, template)
    }

    /// A `PUT` request on a path template.
    pub fn put(template: &'static str) -> Self {
        Request::new(Method::PUT, template)
    }

    /// A `PATCH` request on a path template.
    pub fn patch(template: &'static str) -> Self {
        Request::new(Method::PATCH, template)
    }

    /// A `DELETE` request on a path template.
    pub fn delete(template: &'static str) -> Self {
        Request::new(Method::DELETE, template)
    }

    /// Sets the whole query string from one value, serialized by `media_type` (OpenAPI 3.2's
    /// `querystring` parameter): an object as form pairs (`application/x-www-form-urlencoded`,
    /// arrays repeated), or, for a JSON media type, the value's JSON text, percent-encoded.
    pub fn query_string(mut self, value: &impl Serialize, media_type: &str) -> Self {
        let Some(value) = self.value_of("query string", media_type, value) else {
            return self;
        };
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if essence.contains("json") {
            let text = value.to_string();
            self.raw_query =
                Some(percent_encoding::utf8_percent_encode(&text, encode::QUERY_VALUE).to_string());
            return self;
        }
        match value {
            Value::Null => {}
            Value::Object(map) => {
                for (name, item) in &map {
                    let pairs = encode::query_pairs(name, item, QueryStyle::Form { explode: true });
                    self.query.extend(pairs);
                }
            }
            Value::String(text) => {
                self.raw_query = Some(
                    percent_encoding::utf8_percent_encode(&text, encode::QUERY_TEXT).to_string(),
                )
            }
            other => {
                self.fail(format!(
                    "a query string of media type {media_type:?} must be an object, found {other}"
                ));
            }
        }
        self
    }

    /// Sets `field` of the JSON object body to the string `value` (the field a setting names to
    /// choose between a blocking answer and a stream, which the caller never sets by hand).
    /// Without a JSON object body, the body becomes `{field: value}`.
    pub fn json_field(mut self, field: &str, value: &str) -> Self {
        let (Ok(key), Ok(text)) = (serde_json::to_string(field), serde_json::to_string(value))
        else {
            return self;
        };
        // The usual case, an object the field is not in yet: written at its start, without
        // parsing the body again.
        if let Some(Body::Json(bytes)) = &mut self.body
            && bytes.first() == Some(&b'{')
            && !bytes.windows(key.len()).any(|w| w == key.as_bytes())
        {
            let empty = bytes[1..].iter().all(u8::is_ascii_whitespace)
                || bytes[1..].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'}');
            let mut entry = Vec::with_capacity(key.len() + text.len() + 2);
            entry.extend_from_slice(key.as_bytes());
            entry.push(b':');
            entry.extend_from_slice(text.as_bytes());
            if !empty {
                entry.push(b',');
            }
            bytes.splice(1..1, entry);
            return self;
        }
        let mut object = match &self.body {
            Some(Body::Json(bytes)) => match serde_json::from_slice::<Value>(bytes) {
                Ok(Value::Object(map)) => map,
                _ => return self,
            },
            None => serde_json::Map::new(),
            Some(_) => return self,
        };
        object.insert(field.to_owned(), Value::String(value.to_owned()));
        match serde_json::to_vec(&Value::Object(object)) {
            Ok(bytes) => self.body = Some(Body::Json(bytes)),
            Err(e) => self.fail(format!("the request body cannot be serialized: {e}")),
        }
        self
    }

    /// Sends the request to `url`, a whole URL that an answer named (the next page, a link to
    /// resume from), instead of the base URL and the path template; the query parameters set
    /// on the request are added to its own. Credentials go with it only when it is on the base
    /// URL's origin or a host the client trusts.
    pub fn absolute_url(mut self, url: &str) -> Self {
        match reqwest::Url::parse(url) {
            Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => self.url = Some(parsed),
            // The URL is not quoted: an answer's link may carry anything.
            Ok(_) | Err(_) => self.fail("a URL given by the server is not an http(s) URL".into()),
        }
        self
    }

    /// Sends the request to `url`, a next page's whole URL as the previous answer gave it (in
    /// its body or its `Link` header), which carries the listing's parameters itself: the query
    /// parameters set on the request are dropped. Credentials go as with
    /// [`absolute_url`](Self::absolute_url).
    pub fn next_page(mut self, url: &str) -> Self {
        self.query.clear();
        self.raw_query = None;
        self.absolute_url(url)
    }

    /// A request for a method known by its name only (OpenAPI 3.2's `QUERY`, or one of its
    /// `additionalOperations` such as `COPY`).
    pub fn named(method: &'static str, template: &'static str) -> Self {
        match Method::from_bytes(method.as_bytes()) {
            Ok(method) => Request::new(method, template),
            Err(_) => Request::new(Method::GET, template)
                .failed(format!("{method:?} is not a valid HTTP method")),
        }
    }

    fn fail(&mut self, problem: String) {
        if self.problem.is_none() {
            self.problem = Some(problem);
        }
    }

    fn value_of(&mut self, what: &str, name: &str, value: &impl Serialize) -> Option<Value> {
        match serde_json::to_value(value) {
            Ok(v) => Some(v),
            Err(e) => {
                self.fail(format!("{what} `{name}` cannot be serialized: {e}"));
                None
            }
        }
    }

    /// Fills `{name}` in the path template with `value`, percent-encoded within its segment.
    pub fn path_param(self, name: &str, value: &impl Serialize) -> Self {
        self.path_param_with(name, value, PathStyle::default())
    }

    /// Fills `{name}` in the path template with `value` serialized in `style`.
    pub fn path_param_with(mut self, name: &str, value: &impl Serialize, style: PathStyle) -> Self {
        let Some(value) = self.value_of("path parameter", name, value) else {
            return self;
        };
        let text = match encode::path_value(name, &value, style) {
            None => return self.failed(format!("path parameter `{name}` is null")),
            Some(t) if t.is_empty() || t == "." || t == ".." || t == "%2E" || t == "%2E%2E" => {
                return self.failed(format!(
                    "path parameter `{name}` is {t:?}, which cannot stand for a path segment"
                ));
            }
            Some(t) => t,
        };
        let mut placeholder = String::with_capacity(name.len() + 2);
        placeholder.push('{');
        placeholder.push_str(name);
        placeholder.push('}');
        self.path = self.path.replace(&placeholder, &text);
        self
    }

    fn failed(mut self, problem: String) -> Self {
        self.fail(problem);
        self
    }

    /// Adds a query parameter; `None`/null adds nothing.
    pub fn query(mut self, name: &str, value: &impl Serialize, style: QueryStyle) -> Self {
        if let Some(value) = self.value_of("query parameter", name, value) {
            let pairs = encode::query_pairs(name, &value, style);
            self.query.extend(pairs);
        }
        self
    }

    /// Adds a header parameter (`simple` style); `None`/null adds nothing.
    pub fn header(self, name: &str, value: &impl Serialize) -> Self {
        self.header_with(name, value, false)
    }

    /// Adds a header parameter (`simple` style, objects as `k=v` pairs when `explode`).
    pub fn header_with(mut self, name: &str, value: &impl Serialize, explode: bool) -> Self {
        if let Some(value) = self.value_of("header", name, value)
            && let Some(text) = encode::simple(&value, explode)
        {
            self.headers.push((name.to_owned(), text));
        }
        self
    }

    /// Adds a cookie parameter; `None`/null adds nothing.
    pub fn cookie(mut self, name: &str, value: &impl Serialize) -> Self {
        if let Some(value) = self.value_of("cookie", name, value)
            && let Some(text) = encode::cookie_form(&value)
        {
            self.cookies.push((name.to_owned(), text));
        }
        self
    }

    /// A JSON body.
    pub fn json(mut self, value: &impl Serialize) -> Self {
        match serde_json::to_vec(value) {
            Ok(bytes) => self.body = Some(Body::Json(bytes)),
            Err(e) => self.fail(format!("the request body cannot be serialized: {e}")),
        }
        self
    }

    /// An `application/x-www-form-urlencoded` body made of the value's properties.
    pub fn form(mut self, value: &impl Serialize) -> Self {
        let Some(value) = self.value_of("form body", "body", value) else {
            return self;
        };
        let mut fields = Vec::new();
        match &value {
            Value::Object(map) => {
                for (name, field) in map {
                    fields.extend(encode::query_pairs(name, field, QueryStyle::default()));
                }
            }
            Value::Null => {}
            _ => return self.failed("a form body must be an object".to_owned()),
        }
        let encoded: Vec<String> = fields
            .iter()
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    encode::form_component(k),
                    encode::form_component(v)
                )
            })
            .collect();
        self.body = Some(Body::Form(encoded.join("&")));
        self
    }

    /// A `multipart/form-data` body.
    pub fn multipart(mut self, form: Multipart) -> Self {
        self.body = Some(Body::Multipart(form));
        self
    }

    /// A raw body with its media type.
    pub fn bytes(mut self, content_type: &str, data: impl Into<Bytes>) -> Self {
        self.body = Some(Body::Bytes {
            content_type: content_type.to_owned(),
            data: data.into(),
        });
        self
    }

    /// A text body with its media type.
    pub fn text(mut self, content_type: &str, text: impl Into<String>) -> Self {
        self.body = Some(Body::Text {
            content_type: content_type.to_owned(),
            text: text.into(),
        });
        self
    }

    /// The media type the operation documents for its successful response.
    pub fn accept(mut self, media_type: &'static str) -> Self {
        self.accept = Some(media_type);
        self
    }

    /// The operation's security requirements: alternatives, each a set of scheme names.
    pub fn security(mut self, requirements: &'static [&'static [&'static str]]) -> Self {
        self.security = requirements;
        self
    }

    /// The path with its parameters filled in.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query pairs so far, not yet percent-encoded.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_of(request: &Request) -> serde_json::Value {
        match &request.body {
            Some(Body::Json(bytes)) => serde_json::from_slice(bytes).unwrap(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_json_field_is_set_whatever_the_body_holds() {
        let set = |request: Request| request.json_field("response_mode", "streaming");
        let with = |value: serde_json::Value| Request::new(Method::POST, "/run").json(&value);
        assert_eq!(
            body_of(&set(with(
                serde_json::json!({"user": "u", "inputs": {"response_mode": 1}})
            ))),
            serde_json::json!({"response_mode": "streaming", "user": "u", "inputs": {"response_mode": 1}})
        );
        assert_eq!(
            body_of(&set(with(serde_json::json!({})))),
            serde_json::json!({"response_mode": "streaming"})
        );
        assert_eq!(
            body_of(&set(with(serde_json::json!({"response_mode": "blocking"})))),
            serde_json::json!({"response_mode": "streaming"})
        );
        assert_eq!(
            body_of(&set(Request::new(Method::POST, "/run"))),
            serde_json::json!({"response_mode": "streaming"})
        );
        // A body that is not an object is left as it is.
        assert_eq!(
            body_of(&set(with(serde_json::json!([1])))),
            serde_json::json!([1])
        );
    }

    #[test]
    fn path_parameters_stay_in_their_segment() {
        let req = Request::new(Method::GET, "/runs/{run_id}/steps").path_param("run_id", &"../x?y");
        assert_eq!(req.path(), "/runs/..%2Fx%3Fy/steps");
        assert!(req.problem.is_none());
    }

    #[test]
    fn dot_segments_and_empty_values_are_refused() {
        for bad in ["", ".", ".."] {
            let req = Request::new(Method::GET, "/runs/{id}").path_param("id", &bad);
            assert!(req.problem.unwrap().contains("`id`"));
        }
        let req = Request::new(Method::GET, "/runs/{id}").path_param("id", &Option::<String>::None);
        assert_eq!(req.problem.as_deref(), Some("path parameter `id` is null"));
    }

    #[test]
    fn optional_parameters_add_nothing_when_absent() {
        let req = Request::new(Method::GET, "/x")
            .query("a", &Option::<String>::None, QueryStyle::default())
            .header("X-A", &Option::<String>::None)
            .query("b", &Some(3), QueryStyle::default());
        assert_eq!(req.query_pairs(), &[("b".to_owned(), "3".to_owned())]);
        assert!(req.headers.is_empty());
    }

    #[test]
    fn form_bodies_are_urlencoded() {
        #[derive(Serialize)]
        struct F {
            name: &'static str,
            tags: Vec<&'static str>,
        }
        let req = Request::new(Method::POST, "/x").form(&F {
            name: "a b&c",
            tags: vec!["x", "y"],
        });
        match req.body {
            Some(Body::Form(text)) => assert_eq!(text, "name=a+b%26c&tags=x&tags=y"),
            other => panic!("unexpected body {other:?}"),
        }
    }
}
