package web

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
)

// Go's JSON decoder keeps the last of two members with one name, so
// {"email":"a@x","email":"b@x"} would act on b@x while a proxy, a log or
// a signature check upstream may have read a@x. And it reads an escaped
// half of a UTF-16 surrogate pair without its other half ("\ud800") as
// U+FFFD, so the portal would keep a character nobody sent. The API and
// SCIM refuse such bodies instead (RFC 8259 leaves their meaning open).

// bodyFaults is what a body that decodes may still hold that the API and
// SCIM refuse: the path of the first member an object names twice
// ("email", "name.givenName", "Operations[1].path"; an empty name is ""),
// and of the first name or string value holding a lone surrogate escape
// ("body" when the body is that string); "" where there is none.
type bodyFaults struct {
	twice, loneSurrogate string
}

// faultsOf walks raw, which must be JSON its caller has decoded already
// (so its nesting is within the decoder's bound); anything else gives
// what was found before the walk stopped.
//
// Names are compared as encoding/json matches them to fields: without
// regard to case by Unicode simple folding, so "uſername" (U+017F, long
// s) and "username" are one member, as are "Kelvin" with U+212A and
// "kelvin". SCIM's attribute names are ASCII, so no two of them fold
// together.
func faultsOf(raw []byte) bodyFaults {
	w := bodyWalk{raw: raw, dec: json.NewDecoder(bytes.NewReader(raw))}
	w.dec.UseNumber()
	_ = w.value("")
	return w.found
}

// bodyWalk reads raw token by token, keeping what it has found.
type bodyWalk struct {
	raw   []byte
	dec   *json.Decoder
	found bodyFaults
}

// token returns the next token and whether its text holds a lone
// surrogate escape: the text read for it runs from the end of the last
// token, so it may start with a separator, which holds no backslash.
func (w *bodyWalk) token() (json.Token, bool, error) {
	start := w.dec.InputOffset()
	tok, err := w.dec.Token()
	if err != nil {
		return nil, false, err
	}
	_, isString := tok.(string)
	return tok, isString && hasLoneSurrogate(w.raw[start:w.dec.InputOffset()]), nil
}

// note keeps the first path of each fault.
func (w *bodyWalk) note(dst *string, path string) {
	if *dst == "" {
		*dst = path
	}
}

// done says whether both faults are found, so the walk may stop.
func (w *bodyWalk) done() bool { return w.found.twice != "" && w.found.loneSurrogate != "" }

// value reads the next value, at path.
func (w *bodyWalk) value(path string) error {
	tok, lone, err := w.token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		if err := w.members(path); err != nil {
			return err
		}
	case json.Delim('['):
		for i := 0; w.dec.More() && !w.done(); i++ {
			if err := w.value(path + "[" + strconv.Itoa(i) + "]"); err != nil {
				return err
			}
		}
	default:
		if lone && path == "" {
			path = "body"
		}
		if lone {
			w.note(&w.found.loneSurrogate, path)
		}
		return nil
	}
	if w.done() {
		return nil
	}
	_, _, err = w.token() // the closing delimiter
	return err
}

// members reads an object's members up to its closing brace.
func (w *bodyWalk) members(path string) error {
	seen := map[string]bool{}
	for w.dec.More() && !w.done() {
		tok, lone, err := w.token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		if name == "" {
			name = `""` // so the path of a fault is never ""
		}
		member := name
		if path != "" {
			member = path + "." + name
		}
		if lone {
			w.note(&w.found.loneSurrogate, member)
		}
		if folded := foldedName(name); seen[folded] {
			w.note(&w.found.twice, member)
		} else {
			seen[folded] = true
		}
		if err := w.value(member); err != nil {
			return err
		}
	}
	return nil
}

// hasLoneSurrogate reports whether JSON text holds a \u escape of a
// surrogate (U+D800 to U+DFFF) that is not a high one followed at once by
// a low one: the decoder reads such an escape as U+FFFD.
func hasLoneSurrogate(text []byte) bool {
	for i := 0; i < len(text); i++ {
		if text[i] != '\\' {
			continue
		}
		r, ok := escapedRune(text[i:])
		switch {
		case !ok:
			i++ // another escape: skip its letter, which may be a backslash
		case r >= 0xDC00 && r <= 0xDFFF:
			return true
		case r >= 0xD800 && r <= 0xDBFF:
			low, ok := escapedRune(text[i+6:])
			if !ok || low < 0xDC00 || low > 0xDFFF {
				return true
			}
			i += 11
		default:
			i += 5
		}
	}
	return false
}

// escapedRune reads a \uXXXX escape at the start of text.
func escapedRune(text []byte) (rune, bool) {
	if len(text) < 6 || text[0] != '\\' || text[1] != 'u' {
		return 0, false
	}
	v, err := strconv.ParseUint(string(text[2:6]), 16, 16)
	return rune(v), err == nil
}

// foldedName spells name so that two names encoding/json takes for the
// same field spell the same: every rune becomes the smallest of its simple
// folding orbit (k, K and U+212A all become K). strings.ToLower is not
// enough: it leaves U+017F and U+212A as they are, which the decoder
// matches to s and k.
func foldedName(name string) string { return strings.Map(smallestFold, name) }

// smallestFold returns the smallest rune of r's simple folding orbit.
func smallestFold(r rune) rune {
	smallest := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		smallest = min(smallest, f)
	}
	return smallest
}

// givenTwice says that a member is named twice.
func givenTwice(path string) string { return path + " is given twice; send each member once." }

// loneSurrogate says that a member holds half a surrogate pair.
func loneSurrogate(path string) string {
	return path + ` holds an escaped half of a UTF-16 surrogate pair (\uD800 to \uDFFF) without its other half, which is no character; send the character itself or both halves.`
}
