package web

import (
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
)

// The lists' query parameters are read strictly, and every refusal names
// the parameter and the form it takes, so a client can correct it without
// reading the description.

// listLimit is the refusal of a page size the lists do not offer.
const listLimit = "limit must be 25, 50 or 100."

// listParams checks the names of a list's query parameters: each must be
// one the list takes (known), given once (Go would read the first and
// drop the rest silently). It returns a problem per name.
func listParams(c echo.Context, known []string) map[string]string {
	problems := map[string]string{}
	for name, values := range c.QueryParams() {
		switch {
		case !slices.Contains(known, name):
			problems[name] = name + " is not a parameter of this list; it takes " + strings.Join(known, ", ") + "."
		case len(values) > 1:
			problems[name] = name + " is given more than once; send it once."
		}
	}
	return problems
}
