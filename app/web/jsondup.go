package web

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// Go's JSON decoder keeps the last of two members with one name, so
// {"email":"a@x","email":"b@x"} would act on b@x while a proxy, a log or
// a signature check upstream may have read a@x. The API and SCIM refuse
// such bodies instead (RFC 8259 leaves their meaning open).

// duplicateMember returns the path of the first member an object in raw
// names twice, at any depth ("email", "name.givenName",
// "Operations[1].path"; an empty name is ""), or "" when none does. Names are compared without
// regard to case, as encoding/json matches them to fields and SCIM to
// attributes. raw must be JSON its caller has decoded already (so its
// nesting is within the decoder's bound); anything else gives "".
func duplicateMember(raw []byte) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	dup, _ := duplicateIn(dec, "")
	return dup
}

// duplicateIn reads the next value from dec and returns the path of a
// member named twice within it, at path.
func duplicateIn(dec *json.Decoder, path string) (string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", err
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return "", err
			}
			name, _ := tok.(string)
			if name == "" {
				name = `""` // so the path of a duplicate is never ""
			}
			member := name
			if path != "" {
				member = path + "." + name
			}
			folded := strings.ToLower(name)
			if seen[folded] {
				return member, nil
			}
			seen[folded] = true
			if dup, err := duplicateIn(dec, member); dup != "" || err != nil {
				return dup, err
			}
		}
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if dup, err := duplicateIn(dec, path+"["+strconv.Itoa(i)+"]"); dup != "" || err != nil {
				return dup, err
			}
		}
	default:
		return "", nil
	}
	_, err = dec.Token() // the closing delimiter
	return "", err
}

// givenTwice says that a member is named twice.
func givenTwice(path string) string { return path + " is given twice; send each member once." }
