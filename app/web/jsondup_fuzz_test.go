package web

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// faultsOf finds a member named twice at any depth, without regard to case
// as encoding/json folds it, and names its path.
func TestDuplicateMember(t *testing.T) {
	for raw, want := range map[string]string{
		`{"email":"a@x","email":"b@x"}`:                               "email",
		`{"email":"a@x","Email":"b@x"}`:                               "Email",
		`{"reason":"x"}`:                                              "",
		`{"name":{"givenName":"A","familyName":"B","givenName":"C"}}`: "name.givenName",
		`{"Operations":[{"op":"add"},{"op":"add","op":"remove"}]}`:    "Operations[1].op",
		`{"a":{"b":1},"c":{"b":2}}`:                                   "",
		`{"a":[{"b":1,"b":2}]}`:                                       "a[0].b",
		`[1,{"x":[],"y":{},"x":null}]`:                                "[1].x",
		`"just a string"`:                                             "",
		`{"a":"\u0062","a\u0062":1,"ab":2}`:                           "ab",
		`{"":1,"":2}`:                                                 `""`,
		`{"email":`:                                                   "",
		`{"username":"a","uſername":"b"}`:                             "uſername",
		`{"kelvin":1,"\u212Aelvin":2}`:                                "\u212Aelvin", // U+212A KELVIN SIGN
		`{"KELVIN":1,"ſ":2,"Kelvin":3}`:                               "Kelvin",
		`{"ǆ":1,"ǅ":2}`:                                               "ǅ",
		`{"straße":1,"STRASSE":2}`:                                    "",
	} {
		if got := faultsOf([]byte(raw)).twice; got != want {
			t.Errorf("%s: %q, want %q", raw, got, want)
		}
	}
}

// seedsOfBodies are request bodies of the API and SCIM, with and without
// members given twice.
var seedsOfBodies = []string{
	`{"reason":"left"}`,
	`{"email":"a@x","email":"b@x"}`,
	`{"display_name":"A","Display_Name":"B"}`,
	`{"role_ids":[1,2],"role_ids":[3]}`,
	`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","name":{"givenName":"A","givenName":"B"}}`,
	`{"emails":[{"value":"a@x","value":"b@x"}]}`,
	`{"Operations":[{"op":"replace","path":"active","value":false,"value":true}]}`,
	`{"a":{"b":{"c":{"d":1,"d":2}}}}`,
	`{"x":1}{"x":2}`,
	`{"username":"a","uſername":"b"}`,
	`{"user_id":1,"\u017Fuser_id":2,"uſer_id":3}`,
	`{"kelvin":1,"\u212Aelvin":2}`,
	`{"Kelvin":{"ǅ":1,"ǆ":2}}`,
	`{"display_name":"Tess\ud800","d\uD83D\uDE00":1}`,
}

// For any JSON, duplicateMember reports a member given twice exactly when
// decoding loses one: a decoded value holds as many strings (names and
// string values) as the text only when no member of an object was
// dropped for a later one of the same name; names that differ only in
// case, which decoding into a map keeps apart, count as given twice too.
func FuzzDuplicateMember(f *testing.F) {
	for _, s := range seedsOfBodies {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		dup := faultsOf([]byte(raw)).twice
		var v any
		if json.Unmarshal([]byte(raw), &v) != nil {
			return
		}
		lost := stringTokens(raw) != stringsIn(v)
		if want := lost || namesFoldTogether(v); (dup != "") != want {
			t.Fatalf("%s: duplicate %q, but decoding lost a member: %v, or names differ only in case: %v",
				raw, dup, lost, namesFoldTogether(v))
		}
	})
}

// stringTokens counts the strings of JSON text, names included.
func stringTokens(raw string) int {
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	n := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return n
		}
		if _, ok := tok.(string); ok {
			n++
		}
	}
}

// stringsIn counts the strings of a decoded value, names included.
func stringsIn(v any) int {
	switch v := v.(type) {
	case string:
		return 1
	case []any:
		n := 0
		for _, e := range v {
			n += stringsIn(e)
		}
		return n
	case map[string]any:
		n := len(v)
		for _, e := range v {
			n += stringsIn(e)
		}
		return n
	}
	return 0
}

// namesFoldTogether reports whether an object in v has two names that
// differ only in case, as strings.EqualFold (simple folding, the
// decoder's rule for matching names to fields) compares them.
func namesFoldTogether(v any) bool {
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			if namesFoldTogether(e) {
				return true
			}
		}
	case map[string]any:
		var seen []string
		for k, e := range v {
			if slices.ContainsFunc(seen, func(s string) bool { return strings.EqualFold(s, k) }) || namesFoldTogether(e) {
				return true
			}
			seen = append(seen, k)
		}
	}
	return false
}

// faultsOf finds an escaped half of a surrogate pair without its other
// half, in a name or a value, and names its path; a whole pair, another
// escape ending in a backslash, or U+FFFD itself is no fault.
func TestLoneSurrogate(t *testing.T) {
	for raw, want := range map[string]string{
		`{"display_name":"Tess\ud800"}`:                        "display_name",
		`{"display_name":"Tess\uDC00x"}`:                       "display_name",
		`{"a":"\ud800\u0041"}`:                                 "a",
		`{"a":"\ud800\ud800\udc00"}`:                           "a",
		`{"a":"\ud83d\ude00","b":["x","\udfff"]}`:              "b[1]",
		`{"name":{"given\ud800":"x"}}`:                         "name.given\ufffd",
		`"\ud800"`:                                             "body",
		`{"a":"\ud83d\ude00 \uD83D\uDE00"}`:                    "",
		`{"a":"\\ud800"}`:                                      "",
		`{"a":"\\\ud800"}`:                                     "a",
		`{"a":"\ufffd �"}`:                                     "",
		`{"a":"x","a":"\ud800"}`:                               "a",
		`{"a":"\ud800","a":"x"}`:                               "a",
		`{"a":[{"b":1,"b":2}],"c":{"d":"\udbff\udfff\udbff"}}`: "c.d",
	} {
		if got := faultsOf([]byte(raw)).loneSurrogate; got != want {
			t.Errorf("%s: %q, want %q", raw, got, want)
		}
	}
	if f := faultsOf([]byte(`{"a":"\ud800","b":1,"B":2}`)); f.twice != "B" || f.loneSurrogate != "a" {
		t.Errorf("both faults: %+v, want B given twice and a lone surrogate in a", f)
	}
}
