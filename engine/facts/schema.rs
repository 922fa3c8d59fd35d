//! JSON Schema of the standard facts vocabulary (filled in with the schema work).
