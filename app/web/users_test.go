package web_test

import (
	"context"

	"github.com/PuerkitoBio/goquery"

	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestUsersListSearchFilterAndCSV(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newWorld(t, d)
		e := w.e
		acct := e.User("ada").AccountID
		e.AddUser(acct, "susan", personaPassword, models.StatusSuspended)
		evil := e.AddUser(acct, "eve", personaPassword, models.StatusActive)
		_ = e.Store().Users.SetDisplayName(context.Background(), evil.ID, "=cmd|' /C calc'!A0", e.Clock.Now())
		c := w.client(t, primary)

		names := func(res *apptest.Response) string {
			var out []string
			res.Doc.Find("[data-testid=user-row] .hint-inline").Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
			return strings.Join(out, ",")
		}
		cases := []struct{ query, want string }{
			{"q=USER+C", "cleo,cora"},
			{"q=susan", "susan"},
			{"status=suspended", "susan"},
			{"privileged=yes&sort=username", "ada,bill,cleo,cora,ivan,olga"},
			{"role=" + w.roleID, "cleo"},
			{"q=%25", ""},
		}
		for _, tc := range cases {
			res := c.Get("/admin/users?" + tc.query)
			if res.Status != http.StatusOK || names(res) != tc.want {
				t.Errorf("%s: %d %q, want %q", tc.query, res.Status, names(res), tc.want)
			}
		}
		// The role filter offers the built-in roles, then the account's own.
		var options []string
		c.Get("/admin/users").Doc.Find("select[name=role] option").Each(func(_ int, o *goquery.Selection) {
			v, _ := o.Attr("value")
			options = append(options, v+"="+o.Text())
		})
		if len(options) < 3 || !strings.Contains(strings.Join(options, ","), "Billing Admin") || options[len(options)-1] != w.roleID+"=Auditor" {
			t.Errorf("role filter options: %v", options)
		}
		res, body := c.Raw("/admin/users.csv?status=active")
		if !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("csv headers %v", res.Header)
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range rows[1:] {
			if r[3] != "active" {
				t.Fatalf("filter not applied: %v", r)
			}
			if r[1] == "eve" {
				found = true
				if !strings.HasPrefix(r[0], "'=") {
					t.Fatalf("formula not escaped: %q", r[0])
				}
			}
		}
		if !found || rows[0][0] != "name" {
			t.Fatalf("csv rows: %v", rows[:2])
		}
	})
}
