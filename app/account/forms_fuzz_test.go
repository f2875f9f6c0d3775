package account

import (
	"testing"
	"time"

	"accountportal/app/apperr"
	"accountportal/models"
	"accountportal/views/i18n"
)

// FuzzSecuritySettings: the security settings form never panics, and
// settings it accepts are a known policy and preset with timeouts in
// bounds, the absolute one no shorter than the idle one.
func FuzzSecuritySettings(f *testing.F) {
	f.Add("admins", "nist", "30", "720", "es", "Europe/Madrid")
	f.Add("", "", "", "", "", "")
	f.Add("everyone", "classic", " 5 ", "4", "xx", "Mars/Base")
	f.Add("off", "classic", "99999999999999999999", "-1", "de\x00", "../../etc/passwd")
	s := NewSettings(nil, time.Now, 30*time.Minute, 12*time.Hour)
	f.Fuzz(func(t *testing.T, policy, preset, idle, absolute, lang, zone string) {
		sec, err := s.parse(SecurityInput{MFAPolicy: policy, Preset: preset, IdleMinutes: idle, AbsoluteMinutes: absolute,
			Language: &lang, TimeZone: &zone}, &models.Account{})
		if err != nil {
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("error %v", err)
			}
			return
		}
		if sec.Language != "" && !i18n.Supported(sec.Language) || sec.TimeZone != "" && i18n.ZoneOf(sec.TimeZone) == nil {
			t.Fatalf("accepted language %q, zone %q", sec.Language, sec.TimeZone)
		}
		switch sec.MFAPolicy {
		case models.MFAOff, models.MFAOptional, models.MFAAdmins, models.MFAEveryone:
		default:
			t.Fatalf("accepted policy %q", sec.MFAPolicy)
		}
		i, a := 30, 720
		if sec.SessionIdleMinutes != nil {
			i = *sec.SessionIdleMinutes
		}
		if sec.SessionAbsoluteMinutes != nil {
			a = *sec.SessionAbsoluteMinutes
		}
		if i < 5 || i > 1440 || a < 15 || a > 43200 || a < i {
			t.Fatalf("accepted idle %d, absolute %d", i, a)
		}
	})
}

// FuzzSetupValidate: the first-run form never panics the validator.
func FuzzSetupValidate(f *testing.F) {
	f.Add("Acme Telecom Ltd", "Ada Admin", "ada@example.com", "ada", "Zebra+Lamp7x", "blue harbour lantern", "", "")
	f.Add("", "", "", "", "", "", "?", "")
	f.Fuzz(func(t *testing.T, company, name, email, username, password, passphrase, question, answer string) {
		in := tidy(SetupInput{CompanyName: company, DisplayName: name, Email: email, Username: username,
			Credentials: Credentials{Password: password, PasswordConfirm: password, Passphrase: passphrase,
				SecurityQuestion: question, SecurityAnswer: answer}})
		errs := validate(in)
		for field, msg := range errs {
			if msg == "" {
				t.Fatalf("empty message for %s", field)
			}
		}
	})
}
