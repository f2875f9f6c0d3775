package i18n

import (
	"context"
	"testing"
)

func TestSourcePatterns(t *testing.T) {
	tests := []struct {
		text, message string
		want          map[string]string
	}{
		{"You can try {{.Count}} more times.", "You can try 3 more times.", map[string]string{"Count": "3"}},
		{"You can try {{.Count}} more times.", "You can try 3 more time.", nil},
		{"{{.Name}} is {{.Count}} (too long).", "Bo is 7 (too long).", map[string]string{"Name": "Bo", "Count": "7"}},
		{"{{.Name}} is {{.Count}} (too long).", "Bo is 7 (too long)!", nil},
		{"Plain text.", "Plain text.", nil},
	}
	for _, tt := range tests {
		s := sourceOf("problem.x", tt.text, false)
		if s.re == nil {
			if tt.want != nil {
				t.Errorf("%q: no pattern", tt.text)
			}
			continue
		}
		m := s.re.FindStringSubmatch(tt.message)
		if (m != nil) != (tt.want != nil) {
			t.Errorf("%q ~ %q: matched %v", tt.text, tt.message, m != nil)
		}
		if m == nil || tt.want == nil {
			continue
		}
		for i, name := range s.names {
			if tt.want[name] != m[i+1] {
				t.Errorf("%q ~ %q: %s = %q, want %q", tt.text, tt.message, name, m[i+1], tt.want[name])
			}
		}
	}
}

func TestLocalSaysAServicesMessageInTheReadersLanguage(t *testing.T) {
	es := WithLanguage(context.Background(), "es")
	fr, de := WithLanguage(context.Background(), "fr"), WithLanguage(context.Background(), "de")
	tests := []struct {
		ctx           context.Context
		english, want string
	}{
		{es, "Enter your password", "Introduzca su contraseña"},
		{es, "A message no catalog has", "A message no catalog has"},
		{es, "", ""},
		{context.Background(), "Enter your password", "Enter your password"},
		// A reason inside a refusal, and a list of privileges' names, are
		// said by their own entries.
		{fr, "You cannot change this role: it would change Zoë Nuñez, and they hold privileges you do not: Billing changes, Updates to billing information.",
			"Vous ne pouvez pas modifier ce rôle\u00a0: cela modifierait Zoë Nuñez, et cette personne détient des privilèges que vous n’avez pas\u00a0: Modifications de la facturation, Mise à jour des informations de facturation."},
		{fr, "You cannot change this role: it would change Zoë Nuñez, and a reason no catalog has.",
			"Vous ne pouvez pas modifier ce rôle\u00a0: cela modifierait Zoë Nuñez, et a reason no catalog has."},
		{es, "1 user holds this role. Unassign them before deleting it.", "1 usuario tiene este rol. Quíteselo antes de eliminarlo."},
		{de, "1234 users hold this role. Unassign them before deleting it.", "1.234 Benutzer haben diese Rolle. Entziehen Sie sie ihnen, bevor Sie die Rolle löschen."},
		{de, "Several users have this email address, among them Ann, Bo, Cy", "Mehrere Benutzer haben diese E-Mail-Adresse, darunter Ann, Bo, Cy"},
	}
	for _, tt := range tests {
		if got := Local(tt.ctx, tt.english); got != tt.want {
			t.Errorf("Local(%s, %q) = %q, want %q", Lang(tt.ctx), tt.english, got, tt.want)
		}
	}
}

func TestNumbersAsTheLanguageWritesThem(t *testing.T) {
	for _, tt := range []struct {
		lang string
		n    int
		want string
	}{{"en", 1234567, "1,234,567"}, {"es", 1234, "1.234"}, {"fr", 1234, "1\u00a0234"}, {"de", 1234, "1.234"}, {"de", 7, "7"}} {
		if got := Number(WithLanguage(context.Background(), tt.lang), tt.n); got != tt.want {
			t.Errorf("%s %d: %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}
