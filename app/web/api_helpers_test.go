package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"accountportal/app/apptest"
	"accountportal/app/web/apidoc"
)

// The API's tests call it through apiClient, which checks every request
// and every response against the OpenAPI description (apidoc) with
// kin-openapi: a request must be valid by the description unless the test
// says it sends an invalid one on purpose (then it must be invalid by the
// description too, so the description states the rule the server
// enforces), and every response must be one the description allows, with
// its status, headers and body.

// apiDoc loads and validates the description once per test binary.
var apiDoc = sync.OnceValues(func() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(apidoc.OpenAPI)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	return doc, nil
})

// apiClient calls the API of one portal with one token ("" for none).
type apiClient struct {
	t      testing.TB
	base   string
	token  string
	http   *http.Client
	router routers.Router
	doc    *openapi3.T
}

func newAPIClient(t testing.TB, e *apptest.Env, token string) *apiClient {
	t.Helper()
	if _, err := apiDoc(); err != nil {
		t.Fatalf("the OpenAPI description does not load or validate: %v", err)
	}
	router, doc := describedRouter(t, e.URL)
	return &apiClient{t: t, base: e.URL, token: token, http: &http.Client{}, router: router, doc: doc}
}

// describedRouter finds the description's operations on the portal at
// base: a copy of the description whose server is that portal.
func describedRouter(t testing.TB, base string) (routers.Router, *openapi3.T) {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(apidoc.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	doc.Servers = openapi3.Servers{{URL: base + "/api/v1"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return router, doc
}

// checkDescribed checks a call of the integration sign-in, sent with an
// apptest client by the app password tests, and its answer against the
// description, as apiClient.do checks the API's calls: a request without
// Basic credentials must break the description, any other must keep it,
// and the answer must be one the description allows (a problem, for a
// method the description does not have).
func checkDescribed(t testing.TB, sent *http.Request, res *apptest.Response) {
	t.Helper()
	base := sent.URL.Scheme + "://" + sent.URL.Host
	router, doc := describedRouter(t, base)
	c := &apiClient{t: t, base: base, router: router, doc: doc}
	cl := call{method: sent.Method, path: sent.URL.RequestURI()}
	check, err := http.NewRequest(sent.Method, sent.URL.String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	check.Header = sent.Header.Clone()
	route, params, routeErr := router.FindRoute(check)
	body := jsonOf(res)
	out := &apiRes{Status: res.Status, Header: res.Header, Body: []byte(body)}
	if routeErr != nil {
		c.validateProblem(cl, out)
		return
	}
	input := &openapi3filter.RequestValidationInput{Request: check, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: credentialsPresent, MultiError: true}}
	reqErr := openapi3filter.ValidateRequest(context.Background(), input)
	if _, _, basicSent := sent.BasicAuth(); (reqErr == nil) != (strings.HasPrefix(strings.ToLower(sent.Header.Get("Authorization")), "basic ") || basicSent) {
		t.Fatalf("%s %s: the description's verdict on the request (%v) is not the server's rule", cl.method, cl.path, reqErr)
	}
	rv := &openapi3filter.ResponseValidationInput{RequestValidationInput: input, Status: res.Status, Header: res.Header,
		Body: io.NopCloser(strings.NewReader(body)), Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), rv); err != nil {
		t.Fatalf("%s %s: the response %d does not match the description: %v\n%s", cl.method, cl.path, res.Status, err, body)
	}
	checkHeadersDescribed(t, route, cl, res.Status, res.Header)
}

// checkHeadersDescribed fails the test when the answer carries a rate
// limit header (RateLimit-*, Retry-After) that its response in the
// description does not list: kin-openapi checks only the headers a
// response describes, so without this the description could leave out a
// header the server sends.
func checkHeadersDescribed(t testing.TB, route *routers.Route, cl call, status int, h http.Header) {
	t.Helper()
	ref := route.Operation.Responses.Status(status)
	if ref == nil || ref.Value == nil {
		return // ValidateResponse has failed the test already
	}
	described := map[string]bool{}
	for name := range ref.Value.Headers {
		described[http.CanonicalHeaderKey(name)] = true
	}
	for name := range h {
		limits := strings.HasPrefix(name, "Ratelimit-") || name == "Retry-After"
		if limits && !described[name] {
			t.Fatalf("%s %s: the response %d sends %s, which the description does not list for it", cl.method, cl.path, status, name)
		}
	}
}

// with returns a client of the same portal with another token.
func (c *apiClient) with(token string) *apiClient {
	cp := *c
	cp.token = token
	return &cp
}

// apiRes is an answer of the API.
type apiRes struct {
	Status int
	Header http.Header
	Body   []byte
}

// problem reads a problem details answer.
func (r *apiRes) problem(t testing.TB) map[string]any {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json; body %s", ct, r.Body)
	}
	var p map[string]any
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatalf("problem: %v: %s", err, r.Body)
	}
	return p
}

// decode reads a JSON answer into dst.
func (r *apiRes) decode(t testing.TB, dst any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, dst); err != nil {
		t.Fatalf("decode: %v: %s", err, r.Body)
	}
}

// call is one request: its method, path, body and headers, and whether it
// is invalid by the description on purpose.
type call struct {
	method, path string
	body         []byte
	header       map[string]string
	// invalid says the request breaks the description on purpose.
	invalid bool
	// unrouted says the path or method is not in the description.
	unrouted bool
}

func (c *apiClient) get(path string) *apiRes { return c.do(call{method: http.MethodGet, path: path}) }

func (c *apiClient) post(path string, body string, header ...string) *apiRes {
	h := map[string]string{"Content-Type": "application/json"}
	for i := 0; i+1 < len(header); i += 2 {
		h[header[i]] = header[i+1]
	}
	return c.do(call{method: http.MethodPost, path: path, body: []byte(body), header: h})
}

func (c *apiClient) newRequest(cl call) *http.Request {
	c.t.Helper()
	req, err := http.NewRequest(cl.method, c.base+cl.path, bytes.NewReader(cl.body))
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range cl.header {
		req.Header.Set(k, v)
	}
	return req
}

// do sends the call and validates it and its answer against the
// description, failing the test on any mismatch.
func (c *apiClient) do(cl call) *apiRes {
	c.t.Helper()
	ctx := context.Background()
	check := c.newRequest(cl)
	route, params, routeErr := c.router.FindRoute(check)
	var input *openapi3filter.RequestValidationInput
	switch {
	case cl.unrouted && routeErr == nil:
		c.t.Fatalf("%s %s is in the description, but the test says it is not", cl.method, cl.path)
	case !cl.unrouted && routeErr != nil:
		c.t.Fatalf("%s %s: not in the description: %v", cl.method, cl.path, routeErr)
	case routeErr == nil:
		input = &openapi3filter.RequestValidationInput{Request: check, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: bearerPresent, MultiError: true}}
		err := openapi3filter.ValidateRequest(ctx, input)
		if cl.invalid && err == nil {
			c.t.Fatalf("%s %s: the test sends it as invalid, but the description accepts it", cl.method, cl.path)
		}
		if !cl.invalid && err != nil {
			c.t.Fatalf("%s %s: the request does not match the description: %v", cl.method, cl.path, err)
		}
	}

	res, err := c.http.Do(c.newRequest(cl))
	if err != nil {
		c.t.Fatalf("%s %s: %v", cl.method, cl.path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	out := &apiRes{Status: res.StatusCode, Header: res.Header, Body: body}
	if res.StatusCode >= 500 {
		c.t.Errorf("%s %s: %d %s", cl.method, cl.path, res.StatusCode, body)
	}
	if input == nil {
		c.validateProblem(cl, out)
		return out
	}
	// A request invalid by the description is still answered by one of
	// the responses its operation describes.
	input.Request = check
	rv := &openapi3filter.ResponseValidationInput{RequestValidationInput: input, Status: res.StatusCode, Header: res.Header,
		Body: io.NopCloser(bytes.NewReader(body)), Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	if err := openapi3filter.ValidateResponse(ctx, rv); err != nil {
		c.t.Fatalf("%s %s: the response %d does not match the description: %v\n%s", cl.method, cl.path, res.StatusCode, err, body)
	}
	checkHeadersDescribed(c.t, route, cl, res.StatusCode, res.Header)
	return out
}

// validateProblem checks an answer to a path the description does not
// have: a problem details object by the description's Problem schema.
func (c *apiClient) validateProblem(cl call, r *apiRes) {
	c.t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		c.t.Fatalf("%s %s: content type %q, want application/problem+json", cl.method, cl.path, ct)
	}
	var v any
	if err := json.Unmarshal(r.Body, &v); err != nil {
		c.t.Fatalf("%s %s: %v", cl.method, cl.path, err)
	}
	schema := c.doc.Components.Schemas["Problem"].Value
	if err := schema.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
		c.t.Fatalf("%s %s: not a Problem: %v\n%s", cl.method, cl.path, err, r.Body)
	}
}

// bearerPresent is the description's bearer scheme as a client sees it:
// an Authorization header with a Bearer credential. Whether the token is
// good is the server's to say (401).
func bearerPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	return schemePresent(in, "Bearer")
}

// credentialsPresent is bearerPresent for either of the description's
// schemes: a Bearer token, or Basic credentials (an app password).
func credentialsPresent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if in.SecurityScheme != nil && strings.EqualFold(in.SecurityScheme.Scheme, "basic") {
		return schemePresent(in, "Basic")
	}
	return schemePresent(in, "Bearer")
}

func schemePresent(in *openapi3filter.AuthenticationInput, want string) error {
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	if scheme, cred, ok := strings.Cut(h, " "); !ok || !strings.EqualFold(scheme, want) || cred == "" {
		return errors.New("no " + want + " credentials")
	}
	return nil
}
