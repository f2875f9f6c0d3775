// Package apidoc holds the OpenAPI 3.1 description of the JSON API
// (/api/v1), written by hand next to the code and served as it is at
// /api/v1/openapi.json. The web tests validate every API request and
// response of theirs against it with kin-openapi.
package apidoc

import _ "embed"

// OpenAPI is the description, as JSON.
//
//go:embed openapi.json
var OpenAPI []byte
