package web_test

import (
	"net/url"

	"accountportal/app/apptest"
)

// formOf returns the first form's hidden inputs (its CSRF token) plus fields.
func formOf(page *apptest.Response, fields map[string]string) url.Values {
	v := url.Values{"csrf_token": {apptest.CSRF(page)}}
	for k, val := range fields {
		v.Set(k, val)
	}
	return v
}
