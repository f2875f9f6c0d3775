package web

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"accountportal/models"
)

func eqM(field string, v any) models.UserMatch { return models.UserMatch{Field: field, Value: v} }

// The filters identity providers send, translated into the store's match.
func TestSCIMFilterTranslation(t *testing.T) {
	always, never := models.UserMatch{Always: true}, models.UserMatch{Never: true}
	cases := []struct {
		filter string
		want   models.UserMatch
	}{
		{`userName eq "Ada@Example.com"`, eqM(models.MatchUsernameKey, "ada@example.com")},
		{`USERNAME Eq "tess"`, eqM(models.MatchUsernameKey, "tess")},
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "tess"`, eqM(models.MatchUsernameKey, "tess")},
		{`externalId eq "AbC-1"`, eqM(models.MatchExternalID, "AbC-1")},
		{`id eq "42"`, eqM(models.MatchID, int64(42))},
		{`id eq "x"`, never},
		{`emails.value eq "T@Example.com"`, eqM(models.MatchEmailKey, "t@example.com")},
		{`emails eq "t@example.com"`, eqM(models.MatchEmailKey, "t@example.com")},
		{`emails[type eq "work"].value eq "t@example.com"`, models.UserMatch{And: true, Parts: []models.UserMatch{always, eqM(models.MatchEmailKey, "t@example.com")}}},
		{`emails[type eq "home"].value eq "t@example.com"`, models.UserMatch{And: true, Parts: []models.UserMatch{never, eqM(models.MatchEmailKey, "t@example.com")}}},
		{`emails[value eq "t@example.com"]`, eqM(models.MatchEmailKey, "t@example.com")},
		{`active eq false`, eqM(models.MatchActive, false)},
		{`userName eq "a\"b"`, eqM(models.MatchUsernameKey, `a"b`)},
		{`userName eq "a" and externalId eq "b"`, models.UserMatch{And: true, Parts: []models.UserMatch{eqM(models.MatchUsernameKey, "a"), eqM(models.MatchExternalID, "b")}}},
		{`userName eq "a" or externalId eq "b"`, models.UserMatch{Or: true, Parts: []models.UserMatch{eqM(models.MatchUsernameKey, "a"), eqM(models.MatchExternalID, "b")}}},
		{`userName eq "a" and (externalId eq "b" or emails[type eq "work"].value eq "c@d.e")`, models.UserMatch{And: true, Parts: []models.UserMatch{
			eqM(models.MatchUsernameKey, "a"),
			{Or: true, Parts: []models.UserMatch{eqM(models.MatchExternalID, "b"), {And: true, Parts: []models.UserMatch{always, eqM(models.MatchEmailKey, "c@d.e")}}}}}}},
	}
	for _, tc := range cases {
		got, err := scimFilter(tc.filter)
		if err != nil {
			t.Errorf("%s: %v", tc.filter, err)
			continue
		}
		if !reflect.DeepEqual(*got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.filter, *got, tc.want)
		}
	}
}

// Filters this service does not take are 400 invalidFilter, saying why.
func TestSCIMFilterRefused(t *testing.T) {
	cases := map[string]string{
		``:                                   "empty",
		`userName`:                           "could not be read",
		`userName eq`:                        "could not be read",
		`userName eq "a`:                     "could not be read",
		`(userName eq "a"`:                   "could not be read",
		`userName co "a"`:                    "operator co",
		`userName sw "a"`:                    "operator sw",
		`userName pr`:                        "operator pr",
		`not (userName eq "a")`:              "not is not supported",
		`displayName eq "Ada"`:               "not displayname",
		`title eq "x"`:                       "not title",
		`userName eq 5`:                      "string",
		`active eq "yes"`:                    "true or false",
		`urn:example:x:userName eq "a"`:      "core User schema",
		`name[givenName eq "a"]`:             "Only emails",
		`emails[type eq "work"].value eq "x`: "closing quote",
		`userName eq "a\u0000"`:              "control characters",
		`userName eq "\x"`:                   "could not be read",
		strings.Repeat(`userName eq "a" or `, 25) + `userName eq "a"`: "more than 20",
		strings.Repeat("a", 1001):                                     "longer than",
	}
	for f, want := range cases {
		_, err := scimFilter(f)
		var se *scimErr
		if !errors.As(err, &se) || se.status != http.StatusBadRequest || se.scimType != "invalidFilter" {
			t.Errorf("%q: %v, want 400 invalidFilter", f, err)
			continue
		}
		if !strings.Contains(strings.ToLower(se.detail), strings.ToLower(want)) {
			t.Errorf("%q: detail %q, want it to mention %q", f, se.detail, want)
		}
	}
}

// FuzzSCIMFilter: whatever the filter, the translation is a match the
// store can run or a 400 invalidFilter, never a panic or another error.
func FuzzSCIMFilter(f *testing.F) {
	for _, s := range []string{`userName eq "a"`, `emails[type eq "work"].value eq "x@y"`, `a eq "b" and (c eq "d" or e eq "f")`,
		`emails[value eq "x"]`, `]. eq "`, `x[y].z`, `id eq "1"`, `active eq true`, `"\"`, `emails[type eq "work"].value pr`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := scimFilter(s)
		if err != nil {
			var se *scimErr
			if !errors.As(err, &se) || se.status != http.StatusBadRequest || se.scimType != "invalidFilter" {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if _, _, err := m.Condition(); err != nil {
			t.Fatalf("%q: the store cannot run %+v: %v", s, m, err)
		}
	})
}
