package web

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"accountportal/app/audit"
	"accountportal/models"
	"accountportal/views/i18n"
)

// The audit sentences in the reader's language say, in English, exactly
// what audit.Describe says, for every action it has a sentence for and
// each of their parties: the catalogs' [audit.s] English is the domain's.
// In the other languages each is a sentence of its own, without a
// placeholder left unfilled.
func TestAuditSentencesSpeakTheReadersLanguage(t *testing.T) {
	ctxIn := func(lang string) echo.Context {
		req := httptest.NewRequest("GET", "/", nil)
		req = req.WithContext(i18n.WithLanguage(req.Context(), lang))
		return echo.New().NewContext(req, httptest.NewRecorder())
	}
	id := func(n int64) *int64 { return &n }
	detailSets := []map[string]any{
		{},
		{"version": "3", "role": "IT Admin", "name": "Nightly", "token": "CRM sync", "users": 12, "action": "deactivate",
			"all": true, "account_name": "Acme"},
		{"action": "mfa", "by": "cli"},
	}
	actors := []string{"Pat Primary (pat)", "the provider's operator Olga Ops (olga)", ""}
	if n := len(audit.Actions()); n < 80 {
		t.Fatalf("audit.Actions lists %d actions", n)
	}
	for _, action := range audit.Actions() {
		for _, details := range detailSets {
			raw, _ := json.Marshal(details)
			for _, actor := range actors {
				for _, self := range []bool{false, true} {
					e := models.AuditEvent{Action: action, ActorName: actor, TargetName: "Sam Second (sam)", Details: string(raw),
						ActorID: id(1), TargetID: id(2)}
					if self {
						e.TargetID = id(1)
					}
					for _, target := range []string{e.TargetName, ""} {
						e.TargetName = target
						want := audit.Describe(e, nil).Sentence
						if got := localAuditSentence(ctxIn("en"), e); got != want {
							t.Errorf("%s (actor %q, target %q, self %v, %s): %q, audit says %q", action, actor, target, self, raw, got, want)
						}
						for _, lang := range []string{"es", "fr", "de"} {
							if got := localAuditSentence(ctxIn(lang), e); got == "" || got == want {
								t.Errorf("%s in %s: %q", action, lang, got)
							}
						}
					}
				}
			}
		}
	}
}

// A security settings change's values are said as the Security page says
// them, in the reader's language; a language by its own name in any; a
// default left blank as what it means (each user's browser, UTC), not
// "none".
func TestAuditSettingValuesSpeakTheReadersLanguage(t *testing.T) {
	req := httptest.NewRequest("GET", "/", nil)
	de := echo.New().NewContext(req.WithContext(i18n.WithLanguage(req.Context(), "de")), httptest.NewRecorder())
	before, _ := json.Marshal(map[string]any{"MFAPolicy": models.MFAOptional, "PasswordPreset": "classic", "Language": "", "TimeZone": ""})
	after, _ := json.Marshal(map[string]any{"MFAPolicy": models.MFAAdmins, "PasswordPreset": "nist", "Language": "fr", "TimeZone": "Europe/Paris"})
	e := models.AuditEvent{Action: "account.security_changed", ActorName: "Ada Admin (ada)",
		Details: `{"before":` + string(before) + `,"after":` + string(after) + `}`}
	said := map[string]bool{}
	for _, d := range localAuditRows(de, []models.AuditEvent{e}, time.Now())[0].Details {
		said[d.Before], said[d.After] = true, true
	}
	browsers := i18n.T(de.Request().Context(), "admin.security.browser_language")
	for _, w := range []string{"Freiwillig", "Pflicht für Administratoren", "Klassisch", "Länge zuerst (NIST)", "Français", browsers, "UTC"} {
		if !said[w] {
			t.Errorf("%q not said: %v", w, said)
		}
	}
	for _, english := range []string{"Optional", "Required for admins", "Classic", "Length first (NIST)", "fr", "keine"} {
		if said[english] {
			t.Errorf("%q left: %v", english, said)
		}
	}
}

// A built-in role is named in the reader's language in an audit sentence,
// as on the roles pages; an account's own role as its admins wrote it.
func TestAuditSentencesNameBuiltinRolesInTheReadersLanguage(t *testing.T) {
	req := httptest.NewRequest("GET", "/", nil)
	fr := echo.New().NewContext(req.WithContext(i18n.WithLanguage(req.Context(), "fr")), httptest.NewRecorder())
	id := func(n int64) *int64 { return &n }
	for role, want := range map[string]string{"IT Admin": i18n.T(fr.Request().Context(), "admin.builtin.it_admin"), "Night Crew": "Night Crew"} {
		e := models.AuditEvent{Action: "role.assigned", ActorName: "Ada Admin (ada)", ActorID: id(1), TargetName: "Sam Second (sam)",
			TargetID: id(2), Details: `{"role":"` + role + `"}`}
		if got := localAuditSentence(fr, e); !strings.Contains(got, want) || (role == "IT Admin" && strings.Contains(got, role)) {
			t.Errorf("%s: %q", role, got)
		}
	}
}
