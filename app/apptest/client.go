package apptest

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// Client is one browser: its own cookie jar, redirects not followed.
type Client struct {
	t    testing.TB
	base string
	HTTP *http.Client
	// Header is added to every request (e.g. a User-Agent or Origin).
	Header http.Header
}

// Client returns a new browser for this portal.
func (e *Env) Client() *Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.T.Fatal(err)
	}
	return &Client{t: e.T, base: e.URL, Header: http.Header{}, HTTP: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// NewClient returns a browser for the portal at base, outside an Env.
func NewClient(t testing.TB, base string) *Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Client{t: t, base: base, Header: http.Header{}, HTTP: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// At returns the same browser (its cookies) talking to another address,
// as when a load balancer sends the next request to another replica.
func (c *Client) At(base string) *Client {
	return &Client{t: c.t, base: base, Header: c.Header, HTTP: c.HTTP}
}

// Response is a finished request with its parsed page.
type Response struct {
	Status   int
	Header   http.Header
	Body     string
	Location string
	Doc      *goquery.Document
}

// Do sends a request and reads the whole response.
func (c *Client) Do(req *http.Request) *Response {
	c.t.Helper()
	for k, vs := range c.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	doc, err := goquery.NewDocumentFromReader(res.Body)
	if err != nil {
		c.t.Fatalf("parse %s: %v", req.URL, err)
	}
	html, _ := doc.Html()
	return &Response{Status: res.StatusCode, Header: res.Header, Body: html,
		Location: res.Header.Get("Location"), Doc: doc}
}

// Get fetches path.
func (c *Client) Get(path string) *Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.Do(req)
}

// Post sends form values to path as a browser form would.
func (c *Client) Post(path string, values url.Values) *Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(values.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// Submit fills the form matched by selector on page with fields, keeps its
// other inputs (the CSRF token among them) and posts it to its action.
func (c *Client) Submit(page *Response, selector string, fields map[string]string) *Response {
	c.t.Helper()
	form := page.Doc.Find(selector)
	if form.Length() == 0 {
		c.t.Fatalf("no form %q on page (status %d):\n%s", selector, page.Status, page.Body)
	}
	values := url.Values{}
	form.Find("input[name]").Each(func(_ int, s *goquery.Selection) {
		// A browser sends a checkbox or radio button only when it is checked.
		if typ := s.AttrOr("type", ""); (typ == "checkbox" || typ == "radio") && s.AttrOr("checked", "-") == "-" {
			return
		}
		values.Add(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	for k, v := range fields {
		values.Set(k, v)
	}
	action, _ := form.Attr("action")
	return c.Post(action, values)
}

// CSRF returns the CSRF token of the first form on page.
func CSRF(page *Response) string {
	v, _ := page.Doc.Find("input[name=csrf_token]").First().Attr("value")
	return v
}

// SignIn goes through both sign-in steps (and the license agreement when it
// is asked for) and reports the final response.
func (c *Client) SignIn(username, password string) *Response {
	c.t.Helper()
	res := c.Submit(c.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": username})
	if res.Status != http.StatusSeeOther {
		return res
	}
	res = c.Submit(c.Get(res.Location), "form[data-testid=login-password-form]", map[string]string{"password": password})
	if res.Status == http.StatusSeeOther && res.Location == "/login/agreement" {
		res = c.Submit(c.Get("/login/agreement"), "form[action='/login/agreement']", nil)
	}
	return res
}

// Cookie returns the value of the named cookie the browser holds.
func (c *Client) Cookie(name string) *http.Cookie {
	u, _ := url.Parse(c.base)
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

// CookieHeader is the browser's cookies as one Cookie header, for tools
// (load generators, scanners) that send requests as this browser.
func (c *Client) CookieHeader() string {
	u, _ := url.Parse(c.base)
	var parts []string
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; ")
}

// SetCookie puts a cookie in the browser, as an attacker copying one would.
func (c *Client) SetCookie(ck *http.Cookie) {
	u, _ := url.Parse(c.base)
	c.HTTP.Jar.SetCookies(u, []*http.Cookie{ck})
}

// Request sends a request built by the caller (for odd headers or bodies).
func (c *Client) Request(method, path string, body url.Values, edit func(*http.Request)) *Response {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if edit != nil {
		edit(req)
	}
	return c.Do(req)
}

// Path returns the path (and query) of an absolute URL of this portal.
func (c *Client) Path(link string) string {
	c.t.Helper()
	if !strings.HasPrefix(link, c.base) {
		c.t.Fatalf("link %q is not on %s", link, c.base)
	}
	return strings.TrimPrefix(link, c.base)
}

// Raw fetches path and returns the body as text, for downloads that are
// not HTML.
func (c *Client) Raw(path string) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return res, string(body)
}
