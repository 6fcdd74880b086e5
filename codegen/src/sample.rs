//! Random, valid OpenAPI documents, for checking that whatever a document contains, the
//! generated crate compiles (`cargo xtask corpus --random`) and nothing panics (the robustness
//! test). Deterministic: the same seed gives the same document.

use serde_json::{Map, Value, json};

/// A small deterministic random number generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Names that are hard for a generator: keywords, prelude and runtime names, symbols, other
/// scripts, collisions after case conversion, the empty name and a very long one.
const HARD_NAMES: [&str; 48] = [
    "id",
    "type",
    "self",
    "Self",
    "client",
    "body",
    "send",
    "new",
    "value",
    "async",
    "match",
    "@odata.type",
    "$ref",
    "+1",
    "-1",
    "名前",
    "café",
    "",
    "123",
    "x-y",
    "Result",
    "Option",
    "String",
    "Box",
    "Vec",
    "Some",
    "None",
    "Ok",
    "Err",
    "From",
    "Default",
    "Clone",
    "serde",
    "std",
    "crate",
    "super",
    "fooBar",
    "foo_bar",
    "FooBar",
    "Error",
    "ErrorBody",
    "Client",
    "types",
    "requests",
    "Other",
    "Unknown",
    "Value",
    "user_agent",
];

fn name(rng: &mut Rng) -> String {
    if rng.chance(60) {
        return rng.pick(&HARD_NAMES).to_string();
    }
    if rng.chance(3) {
        return "a_long_name_".repeat(17);
    }
    let alphabet: Vec<char> = "abcXYZ_-. 09é".chars().collect();
    (0..1 + rng.below(12))
        .map(|_| *rng.pick(&alphabet))
        .collect()
}

/// Texts that are hard to put into doc comments, manifests and string literals: every kind of
/// line end, quotes and backslashes, comment and code-fence markers, control characters.
const HARD_TEXTS: [&str; 12] = [
    "Plain words.",
    "Windows\r\nline ends\r\n\r\nand paragraphs",
    "lone\rcarriage\n\rreturns\r",
    "quotes \" ' and back\\slashes C:\\path\\n \\u{41}",
    "*/ /* a comment that ends early // and /// three",
    "```\nfn main() { not rust }\n```",
    "```\nan unclosed fence",
    "    indented like code\n\tand tabbed",
    "control \u{0}\u{7}\u{1b}[31m characters",
    "<b>markup</b> & [a link](http://example.com) #[doc = \"x\"]",
    "line separators\u{2028}and\u{2029}paragraph ones\u{85}",
    "",
];

fn text(rng: &mut Rng) -> String {
    rng.pick(&HARD_TEXTS).to_string()
}

fn pointer_token(text: &str) -> String {
    text.replace('~', "~0").replace('/', "~1")
}

fn schema(rng: &mut Rng, depth: usize, components: &[String]) -> Value {
    let kind = rng.below(if depth < 4 { 17 } else { 6 });
    match kind {
        0 => {
            let format = *rng.pick(&[
                "date-time",
                "date",
                "uuid",
                "byte",
                "binary",
                "password",
                "uri",
                "",
            ]);
            if format.is_empty() {
                json!({"type": "string"})
            } else {
                json!({"type": "string", "format": format})
            }
        }
        1 => {
            json!({"type": "integer", "format": rng.pick(&["int32", "int64", "uint64", "int8", "uint8"])})
        }
        2 => json!({"type": rng.pick(&["number", "boolean"])}),
        3 if !components.is_empty() => {
            let target = rng.pick(components).clone();
            json!({"$ref": format!("#/components/schemas/{}", pointer_token(&target))})
        }
        4 => {
            json!({"type": "string", "enum": (0..1 + rng.below(6)).map(|_| name(rng)).collect::<Vec<_>>()})
        }
        5 | 3 => json!({}),
        6 => json!({"type": "array", "items": schema(rng, depth + 1, components)}),
        7 => {
            let additional = match rng.below(3) {
                0 => json!(true),
                1 => json!(false),
                _ => schema(rng, depth + 1, components),
            };
            json!({"type": "object", "additionalProperties": additional})
        }
        8 => {
            json!({"oneOf": (0..2 + rng.below(3)).map(|_| schema(rng, depth + 1, components)).collect::<Vec<_>>()})
        }
        9 => json!({"anyOf": [schema(rng, depth + 1, components), {"type": "null"}]}),
        10 => {
            json!({"allOf": (0..1 + rng.below(3)).map(|_| schema(rng, depth + 1, components)).collect::<Vec<_>>()})
        }
        11 => json!({"type": ["string", "integer", "null"]}),
        12 => json!({"type": "integer", "enum": [rng.below(300) as i64 - 5, 7, -3]}),
        13 => {
            json!({"oneOf": [{"const": 1, "title": name(rng)}, {"const": 2, "title": name(rng)}]})
        }
        14 => json!({"enum": [1, "a", null]}),
        15 => {
            let mut alternatives = Vec::new();
            for component in components.iter().take(3) {
                alternatives.push(
                    json!({"$ref": format!("#/components/schemas/{}", pointer_token(component))}),
                );
            }
            let mut union =
                json!({"oneOf": alternatives, "discriminator": {"propertyName": "kind"}});
            if rng.chance(50) {
                // Properties common to every alternative, written beside them.
                let shared = name(rng);
                union["properties"] = json!({shared.clone(): schema(rng, depth + 1, components)});
                union["required"] = json!([shared]);
            }
            union
        }
        _ => {
            let mut properties = Map::new();
            for _ in 0..1 + rng.below(6) {
                let mut property = schema(rng, depth + 1, components);
                if rng.chance(15)
                    && let Value::Object(map) = &mut property
                {
                    map.insert(
                        "default".to_owned(),
                        rng.pick(&[json!("x"), json!(1), json!(true), json!(2.5), json!(null)])
                            .clone(),
                    );
                }
                properties.insert(name(rng), property);
            }
            let required: Vec<&String> = properties.keys().filter(|_| rng.chance(40)).collect();
            let mut object = json!({"type": "object", "properties": properties, "required": required, "description": text(rng)});
            if rng.chance(30) {
                object["nullable"] = json!(true);
            }
            object
        }
    }
}

fn parameter(rng: &mut Rng, location: &str, name: String, components: &[String]) -> Value {
    let styles: &[&str] = match location {
        "path" => &["simple", "label", "matrix"],
        "query" => &["form", "deepObject", "pipeDelimited", "spaceDelimited"],
        _ => &["form", "simple"],
    };
    json!({
        "name": name,
        "in": location,
        "required": location == "path" || rng.chance(40),
        "schema": schema(rng, 3, components),
        "style": rng.pick(styles),
        "explode": rng.chance(50),
        "description": text(rng),
    })
}

fn operation(rng: &mut Rng, method: &str, path_params: &[String], components: &[String]) -> Value {
    let mut parameters: Vec<Value> = path_params
        .iter()
        .map(|p| parameter(rng, "path", p.clone(), components))
        .collect();
    for _ in 0..rng.below(5) {
        let location = *rng.pick(&["query", "header", "cookie"]);
        let param_name = name(rng);
        let param_name = if param_name.is_empty() {
            "q".to_owned()
        } else {
            param_name
        };
        parameters.push(parameter(rng, location, param_name, components));
    }
    let mut op = json!({"parameters": parameters, "summary": text(rng), "description": text(rng)});
    if rng.chance(70) {
        op["operationId"] = json!(name(rng));
    }
    if method != "get" && rng.chance(70) {
        let media = *rng.pick(&[
            "application/json",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "application/octet-stream",
            "text/plain",
        ]);
        op["requestBody"] = json!({"required": rng.chance(50), "content": {media: {"schema": schema(rng, 1, components)}}});
    }
    if rng.chance(90) {
        let mut responses = Map::new();
        for _ in 0..rng.below(5) {
            let status = *rng.pick(&["200", "201", "204", "400", "404", "default", "2XX", "5XX"]);
            let mut response = json!({"description": text(rng)});
            if rng.chance(70) {
                let media = *rng.pick(&[
                    "application/json",
                    "application/problem+json",
                    "text/plain",
                    "application/octet-stream",
                ]);
                let content = if rng.chance(80) {
                    json!({"schema": schema(rng, 1, components)})
                } else {
                    json!({"example": {"code": 1, "message": "x"}})
                };
                response["content"] = json!({media: content});
            }
            responses.insert(status.to_owned(), response);
        }
        op["responses"] = Value::Object(responses);
    }
    op
}

/// A random document: components wired together with references, operations with parameters
/// in every location and style, every kind of body and response, hard names everywhere.
pub fn random_document(seed: u64) -> Value {
    let rng = &mut Rng::new(seed);
    let mut components: Vec<String> = (0..1 + rng.below(10)).map(|_| name(rng)).collect();
    components.sort();
    components.dedup();
    let mut schemas = Map::new();
    for component in &components {
        let value = schema(rng, 0, &components);
        schemas.insert(component.clone(), value);
    }
    let mut paths = Map::new();
    for i in 0..1 + rng.below(6) {
        let mut segments: Vec<String> = (0..1 + rng.below(3))
            .map(|_| rng.pick(&["a", "b", "items", "users"]).to_string())
            .collect();
        let mut params: Vec<String> = Vec::new();
        for _ in 0..rng.below(3) {
            let param = name(rng);
            if param.is_empty() || param.contains(['{', '}', '/']) || params.contains(&param) {
                continue;
            }
            segments.push(format!("{{{param}}}"));
            params.push(param);
        }
        let mut item = Map::new();
        for _ in 0..1 + rng.below(3) {
            let method = *rng.pick(&["get", "post", "put", "delete", "patch"]);
            let op = operation(rng, method, &params, &components);
            item.insert(method.to_owned(), op);
        }
        paths.insert(format!("/{}/v{i}", segments.join("/")), Value::Object(item));
    }
    let key_location = *rng.pick(&["header", "query", "cookie"]);
    let http_scheme = *rng.pick(&["bearer", "basic"]);
    json!({
        "openapi": rng.pick(&["3.0.3", "3.1.0"]),
        "info": {
            "title": format!("{}{}", name(rng), text(rng)),
            "version": text(rng),
            "description": text(rng),
        },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "key": {"type": "apiKey", "in": key_location, "name": "X-Key"},
                "http": {"type": "http", "scheme": http_scheme},
            },
        },
        "security": [{"key": []}, {"http": []}],
    })
}
