package mail

import (
	"strings"
	"testing"
)

// FuzzParseSMTPURL: the PORTAL_SMTP_URL parser never panics, and what it
// accepts has a host and port and never shows its password when redacted.
func FuzzParseSMTPURL(f *testing.F) {
	f.Add("smtp://user:secret@mail.example.com:587")
	f.Add("smtps://mail.example.com")
	f.Add("smtp://mail.example.com?tls=none")
	f.Add("http://x")
	f.Add("smtp://:@:0?tls=%zz")
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := ParseSMTPURL(raw)
		if err != nil {
			return
		}
		if c.Host == "" || c.Port <= 0 || c.Port > 65535 {
			t.Fatalf("accepted %q as %+v", raw, c)
		}
		if c.Password != "" && strings.Contains(c.Redacted(), ":"+c.Password+"@") {
			t.Fatalf("redacted form %q shows the password", c.Redacted())
		}
	})
}
