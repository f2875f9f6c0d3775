package web

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	filter "github.com/scim2/filter-parser/v2"

	"accountportal/app/identity"
	"accountportal/models"
)

// SCIM filters (RFC 7644 section 3.4.2.2) are parsed with
// github.com/scim2/filter-parser/v2 and translated into a models.UserMatch:
// only exact comparisons of attributes the users table indexes, joined by
// and / or. Anything else is 400 invalidFilter, never a 500.

// maxFilterLen bounds a filter's length before it is parsed: identity
// providers send short filters, and the parser's work grows with it.
const maxFilterLen = 1000

// maxFilterTerms bounds the comparisons of one filter.
const maxFilterTerms = 20

func invalidFilter(format string, a ...any) error {
	return scimBad("invalidFilter", fmt.Sprintf(format, a...))
}

// scimFilter translates a SCIM filter into a match of users.
func scimFilter(raw string) (m *models.UserMatch, err error) {
	if len(raw) > maxFilterLen {
		return nil, invalidFilter("The filter is longer than %d characters.", maxFilterLen)
	}
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, invalidFilter("The filter is empty.")
	}
	rewritten, err := rewriteValuePathSub(raw)
	if err != nil {
		return nil, err
	}
	defer func() {
		// The parser is a dependency: whatever it does with odd input
		// must still be a 400.
		if r := recover(); r != nil {
			m, err = nil, invalidFilter("The filter could not be read.")
		}
	}()
	expr, perr := filter.ParseFilter([]byte(rewritten))
	if perr != nil {
		return nil, invalidFilter("The filter could not be read: check its quotes, brackets and operators (RFC 7644 section 3.4.2.2).")
	}
	terms := 0
	out, err := translateFilter(expr, &terms)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// rewriteValuePathSub rewrites `attr[F].sub op value` (which Microsoft
// Entra ID sends, as `emails[type eq "work"].value eq "…"`, but RFC 7644's
// grammar and the parser do not take) into `(attr[F] and attr.sub op
// value)`: the same for a single-valued attribute, as a user's emails are
// here.
func rewriteValuePathSub(s string) (string, error) {
	var b strings.Builder
	inQuote := false
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case inQuote && ch == '\\':
			b.WriteByte(ch)
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
			continue
		case ch == '"':
			inQuote = !inQuote
		case !inQuote && ch == ']' && i+1 < len(s) && s[i+1] == '.':
			// Find the attribute before its '['.
			cur := b.String()
			open := strings.LastIndexByte(cur, '[')
			if open < 0 {
				return "", invalidFilter("The filter has a ']' without its '['.")
			}
			start := open
			for start > 0 && isAttrByte(cur[start-1]) {
				start--
			}
			attr := cur[start:open]
			if attr == "" {
				return "", invalidFilter("The filter has a '[' without an attribute before it.")
			}
			// The sub-attribute and its comparison.
			j := i + 2
			for j < len(s) && isAttrByte(s[j]) {
				j++
			}
			sub := s[i+2 : j]
			end, err := comparisonEnd(s, j)
			if err != nil {
				return "", err
			}
			b.Reset()
			b.WriteString(cur[:start] + "(" + attr + cur[open:] + "] and " + attr + "." + sub + s[j:end] + ")")
			i = end - 1
			continue
		}
		b.WriteByte(ch)
	}
	return b.String(), nil
}

func isAttrByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == ':' || c == '$' || c == '.'
}

// comparisonEnd returns where ` op value` starting at i ends.
func comparisonEnd(s string, i int) (int, error) {
	skip := func() {
		for i < len(s) && s[i] == ' ' {
			i++
		}
	}
	skip()
	opStart := i
	for i < len(s) && s[i] != ' ' && s[i] != ')' {
		i++
	}
	if strings.EqualFold(s[opStart:i], "pr") {
		return i, nil
	}
	skip()
	if i < len(s) && s[i] == '"' {
		for i++; i < len(s); i++ {
			if s[i] == '\\' {
				i++
				continue
			}
			if s[i] == '"' {
				return i + 1, nil
			}
		}
		return 0, invalidFilter("The filter has a string without its closing quote.")
	}
	for i < len(s) && s[i] != ' ' && s[i] != ')' {
		i++
	}
	return i, nil
}

// translateFilter turns a parsed filter into a match; terms counts the
// comparisons.
func translateFilter(e filter.Expression, terms *int) (models.UserMatch, error) {
	switch e := e.(type) {
	case *filter.LogicalExpression:
		return translateLogical(e, terms, translateFilter)
	case *filter.AttributeExpression:
		*terms++
		if *terms > maxFilterTerms {
			return models.UserMatch{}, invalidFilter("The filter has more than %d comparisons.", maxFilterTerms)
		}
		return translateComparison(e, "")
	case *filter.ValuePath:
		name, err := coreAttr(e.AttributePath)
		if err != nil {
			return models.UserMatch{}, err
		}
		if name != "emails" || e.AttributePath.SubAttribute != nil {
			return models.UserMatch{}, invalidFilter("Only emails takes a value filter in brackets.")
		}
		return translateEmailFilter(e.ValueFilter, terms)
	case *filter.NotExpression:
		return models.UserMatch{}, invalidFilter("The filter operator not is not supported; use eq with and / or.")
	}
	return models.UserMatch{}, invalidFilter("The filter could not be read.")
}

// translateLogical translates both sides of an and / or with translate
// and joins them.
func translateLogical(e *filter.LogicalExpression, terms *int,
	translate func(filter.Expression, *int) (models.UserMatch, error)) (models.UserMatch, error) {
	l, err := translate(e.Left, terms)
	if err != nil {
		return l, err
	}
	r, err := translate(e.Right, terms)
	if err != nil {
		return r, err
	}
	if strings.EqualFold(string(e.Operator), string(filter.OR)) {
		return models.UserMatch{Or: true, Parts: []models.UserMatch{l, r}}, nil
	}
	return models.UserMatch{And: true, Parts: []models.UserMatch{l, r}}, nil
}

// translateEmailFilter translates the filter inside emails[…]: a user has
// one email, of type work and primary.
func translateEmailFilter(e filter.Expression, terms *int) (models.UserMatch, error) {
	switch e := e.(type) {
	case *filter.LogicalExpression:
		return translateLogical(e, terms, translateEmailFilter)
	case *filter.AttributeExpression:
		*terms++
		if *terms > maxFilterTerms {
			return models.UserMatch{}, invalidFilter("The filter has more than %d comparisons.", maxFilterTerms)
		}
		if e.AttributePath.URIPrefix != nil || e.AttributePath.SubAttribute != nil {
			return models.UserMatch{}, invalidFilter("Inside emails[…] compare value, type or primary.")
		}
		return translateComparison(e, "emails")
	}
	return models.UserMatch{}, invalidFilter("Inside emails[…] compare value, type or primary with eq, and, or.")
}

// coreAttr returns the lower-cased name of a core User attribute path,
// refusing other schemas.
func coreAttr(p filter.AttributePath) (string, error) {
	if p.URIPrefix != nil && !strings.EqualFold(*p.URIPrefix, scimUserURN) {
		return "", invalidFilter("Filter on attributes of the core User schema only.")
	}
	return strings.ToLower(p.AttributeName), nil
}

// translateComparison translates one `attr op value`; within is "emails"
// for a comparison inside emails[…].
func translateComparison(e *filter.AttributeExpression, within string) (models.UserMatch, error) {
	name, err := coreAttr(e.AttributePath)
	if err != nil {
		return models.UserMatch{}, err
	}
	if within != "" {
		name, e.AttributePath.SubAttribute = within, &e.AttributePath.AttributeName
	}
	sub := strings.ToLower(e.AttributePath.SubAttributeName())
	path := name
	if sub != "" {
		path += "." + sub
	}
	if !strings.EqualFold(string(e.Operator), string(filter.EQ)) {
		return models.UserMatch{}, invalidFilter("The operator %s is not supported; filters take eq, and, or.", e.Operator)
	}
	switch path {
	case "username", "externalid", "id", "emails", "emails.value", "emails.type":
		s, err := filterString(e.CompareValue, path)
		if err != nil {
			return models.UserMatch{}, err
		}
		switch path {
		case "username":
			return models.UserMatch{Field: models.MatchUsernameKey, Value: identity.UsernameKey(s)}, nil
		case "externalid":
			return models.UserMatch{Field: models.MatchExternalID, Value: s}, nil
		case "id":
			id, err := strconv.ParseInt(s, 10, 64)
			if err != nil || id <= 0 {
				// No user has that id.
				return models.UserMatch{Never: true}, nil
			}
			return models.UserMatch{Field: models.MatchID, Value: id}, nil
		case "emails.type":
			// Every user's one email is of type work.
			return models.UserMatch{Always: strings.EqualFold(s, "work"), Never: !strings.EqualFold(s, "work")}, nil
		}
		return models.UserMatch{Field: models.MatchEmailKey, Value: identity.EmailKey(s)}, nil
	case "active", "emails.primary":
		b, ok := e.CompareValue.(bool)
		if !ok {
			return models.UserMatch{}, invalidFilter("Compare %s with true or false.", path)
		}
		if path == "emails.primary" {
			return models.UserMatch{Always: b, Never: !b}, nil
		}
		return models.UserMatch{Field: models.MatchActive, Value: b}, nil
	}
	return models.UserMatch{}, invalidFilter("Filters take userName, externalId, id, emails.value (or emails[type eq \"work\"].value) and active; not %s.", path)
}

// filterString reads a compared string, undoing its JSON escapes.
func filterString(v any, path string) (string, error) {
	raw, ok := v.(string)
	if !ok {
		return "", invalidFilter("Compare %s with a string in double quotes.", path)
	}
	var s string
	if err := json.Unmarshal([]byte(`"`+raw+`"`), &s); err != nil {
		return "", invalidFilter("The string compared with %s has an invalid escape.", path)
	}
	if msg := checkSCIMText(s); msg != "" {
		return "", invalidFilter("The string compared with %s: %s", path, msg)
	}
	return s, nil
}
