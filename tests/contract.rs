//! Contract tests against Prism, a third-party mock server driven by each API document.
