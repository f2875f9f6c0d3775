package mail

import (
	"strings"
	"testing"
)

// FuzzMessageValidate: a message that passes has no header injection and
// exactly one bare recipient.
func FuzzMessageValidate(f *testing.F) {
	f.Add("ada@example.com", "Your password was changed", "Hello")
	f.Add("Ada <ada@example.com>", "s", "t")
	f.Add("a@example.com\r\nBcc: x@evil.example", "s", "t")
	f.Add("a@example.com, b@example.com", "s\nX-Evil: 1", "t")
	f.Fuzz(func(t *testing.T, to, subject, text string) {
		m := Message{To: to, Subject: subject, Text: text}
		if m.Validate() != nil {
			return
		}
		if strings.ContainsAny(to+subject, "\r\n") || strings.ContainsAny(to, ",<> ") {
			t.Fatalf("accepted %q / %q", to, subject)
		}
	})
}
