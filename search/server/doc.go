// Package server exposes the search engine over HTTP with gin: the JSON API,
// health and metrics, and the embedded search page and widget.
//
// # The write API
//
// PUT and DELETE /api/articles/{id}, POST /api/articles/_bulk (JSON
// Lines). Every write carries a key (Authorization: Bearer KEY; the scheme
// name in any case, RFC 7235) among Options.WriteKeys: 401 without one or
// with a wrong one, 403 when the server takes no writes. Keys are compared
// in constant time (their SHA-256, so their lengths leak nothing either)
// and never logged. An id in the path must be valid UTF-8 without control
// characters (400, on GET as well). Bodies are read as body.go says (413,
// 400, 408, 415); a write the disk has no room for is answered 507.
package server
