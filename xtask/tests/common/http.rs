//! A small HTTP/1.1 server on 127.0.0.1 for the fetch tests: fixed answers by path, redirects,
//! and one path that accepts the request and never answers.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the server answers on a path.
#[derive(Clone)]
pub enum Answer {
    /// A status and a body.
    Body(u16, Vec<u8>),
    /// A redirect to the URL.
    Redirect(String),
    /// Nothing, ever: the connection stays open.
    Silence,
}

/// A running server; requests it received are kept.
pub struct Server {
    pub base: String,
    routes: Arc<Mutex<BTreeMap<String, Answer>>>,
    pub received: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let routes: Arc<Mutex<BTreeMap<String, Answer>>> = Arc::default();
        let received: Arc<Mutex<Vec<String>>> = Arc::default();
        let (r, seen) = (Arc::clone(&routes), Arc::clone(&received));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (r, seen) = (Arc::clone(&r), Arc::clone(&seen));
                std::thread::spawn(move || answer(stream, &r, &seen));
            }
        });
        Server {
            base,
            routes,
            received,
        }
    }

    /// Answers `path` with `answer` from now on.
    pub fn route(&self, path: &str, answer: Answer) {
        self.routes.lock().unwrap().insert(path.to_owned(), answer);
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

fn answer(
    mut stream: TcpStream,
    routes: &Mutex<BTreeMap<String, Answer>>,
    seen: &Mutex<Vec<String>>,
) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
    seen.lock().unwrap().push(path.clone());
    let found = routes.lock().unwrap().get(&path).cloned();
    let (status, headers, body) = match found {
        Some(Answer::Body(status, body)) => (status, String::new(), body),
        Some(Answer::Redirect(to)) => (302, format!("Location: {to}\r\n"), Vec::new()),
        Some(Answer::Silence) => {
            std::thread::sleep(Duration::from_secs(30));
            return;
        }
        None => (404, String::new(), b"not found".to_vec()),
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}
