//! Each construct fixture (codegen/tests/fixtures/) decodes a sample value into its generated types
//! and encodes it back unchanged; requests carry the parts those constructs describe.
