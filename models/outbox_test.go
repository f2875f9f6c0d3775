package models_test

import (
	"context"
	"testing"

	"accountportal/models"
	"accountportal/models/modelstest"
)

// A notice sent alike to many users in one statement still greets each by
// name: the text gets the name as typed, the HTML gets it escaped.
func TestSharedMailSaysEachRecipientsName(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "12345678")
		tricky := newUser(t, s, a.ID, "tricky", false)
		plain := newUser(t, s, a.ID, "plain", false)
		if err := s.Users.SetDisplayName(ctx, tricky.ID, `Ann <b> & "Co"`, t0); err != nil {
			t.Fatal(err)
		}
		text := "Hello " + models.RecipientName + ",\n"
		html := "<p>Hello " + models.RecipientName + ",</p>"
		if err := s.Outbox.EnqueueToUsers(ctx, []int64{tricky.ID, plain.ID}, "Notice", text, html, t0); err != nil {
			t.Fatal(err)
		}
		msgs, err := s.Outbox.Lease(ctx, "test", t0, t0.Add(1e9), 10)
		if err != nil || len(msgs) != 2 {
			t.Fatalf("leased %d (%v)", len(msgs), err)
		}
		want := map[string][2]string{
			"tricky@example.com": {"Hello Ann <b> & \"Co\",\n", "<p>Hello Ann &lt;b&gt; &amp; &#34;Co&#34;,</p>"},
			"plain@example.com":  {"Hello User plain,\n", "<p>Hello User plain,</p>"},
		}
		for _, m := range msgs {
			w := want[m.ToAddr]
			if m.TextBody != w[0] || m.HTMLBody != w[1] {
				t.Errorf("%s: text %q html %q, want %q %q", m.ToAddr, m.TextBody, m.HTMLBody, w[0], w[1])
			}
		}
	})
}
