package web

import (
	"fmt"
	"slices"
	"strings"
)

// bodyAttr is one attribute of a User body or of a PATCH value object:
// its name as sent, its path (attrKey's: lower case, without the core
// schema's URN) and its value.
type bodyAttr struct {
	name, path string
	value      any
}

// bodyAttrs reads the attributes of a User body or a PATCH value object in
// the order of their paths, leaving out the enterprise extension's. One
// attribute given under two spellings (plain and URN-qualified, or inside
// its parent and as a dotted name: emails and emails.value) is refused:
// which of the two would win depended on Go's map order. Names that differ
// only in case are the body reader's to refuse.
func bodyAttrs(m map[string]any) ([]bodyAttr, error) {
	out := make([]bodyAttr, 0, len(m))
	for k, v := range m {
		path, ok, err := attrKey(k)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, bodyAttr{name: k, path: path, value: v})
		}
	}
	slices.SortFunc(out, func(a, b bodyAttr) int { return strings.Compare(a.path, b.path) })
	for i, a := range out {
		for _, b := range out[i+1:] {
			if overlaps(a.path, b.path) {
				return nil, attrGivenTwice(a.name, b.name)
			}
		}
	}
	return out, nil
}

// overlaps reports whether two attribute paths name the same value, or one
// a part of the other.
func overlaps(a, b string) bool {
	return a == b || strings.HasPrefix(b, a+".") || strings.HasPrefix(a, b+".")
}

// attrGivenTwice refuses one attribute named twice, the shorter name first.
func attrGivenTwice(one, other string) error {
	if len(other) < len(one) || len(other) == len(one) && other < one {
		one, other = other, one
	}
	return scimBad("invalidSyntax", fmt.Sprintf("The attribute %s is given twice (as %s and as %s); send it once.", one, one, other))
}

// memberNamed is the value of m's member name in any case (RFC 7643
// section 2.1: attribute names are case-insensitive), nil when there is
// none. The body reader refuses names that differ only in case, so there
// is at most one.
func memberNamed(m map[string]any, name string) any {
	for k, v := range m {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}
