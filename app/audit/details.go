package audit

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"

	"accountportal/models"
	"accountportal/views/i18n"
)

// labels are the humanised names of the detail keys the portal writes;
// a key not listed is shown with its underscores as spaces.
var labels = map[string]string{
	"api_token": "Through API token", "token": "API token",
	"reason": "Reason", "why": "Why", "locked_until": "Locked until", "sessions_ended": "Sessions ended",
	"limit": "Limit", "permissions": "Permissions", "done": "Done", "skipped": "Skipped", "failed": "Failed",
	"email": "Email address", "reset_unblocked": "Password reset unblocked", "question_cleared": "Security question cleared",
	"passphrase_set": "Support passphrase set", "while": "While", "new_email": "New email address",
	"expires_at": "Link expires", "company": "Company", "primary_admin_email": "Primary Admin's email address",
	"primary_admin_username": "Primary Admin's username", "account_number": "Account number",
	"purge_after": "Purged after", "verified_at": "Caller verified at", "closed_at": "Closed at",
	"title": "Title", "effective": "In effect from", "area": "Area asked about", "method": "Proof",
	"left": "Backup codes left", "failures": "Wrong codes", "wrong_answers": "Wrong answers",
	"signed_out_everywhere": "Signed out everywhere", "to": "Sent to",
	"change": "To set it up again", "users": "Users",
	// Keys of a user's details and of the account's security settings
	// (models.AccountSecurity), changed before → after.
	"name": "Name", "username": "Username", "PasswordPreset": "Password rules",
	"IntegrationSafe": "Integration-safe passwords", "RequireSecurityQuestion": "Security question required",
	"MFAPolicy": "Multi-factor authentication", "SessionIdleMinutes": "Idle timeout (minutes)",
	"SessionAbsoluteMinutes": "Session limit (minutes)", "AppPasswords": "App passwords for integrations",
	"app_passwords_revoked": "App passwords revoked",
	// The language and time zone: a user's own (language, time_zone) and
	// the account's defaults (Language, TimeZone).
	"language": "Language", "time_zone": "Time zone", "Language": "Default language", "TimeZone": "Default time zone",
}

// inSentence are keys the sentence already says, or that only the raw
// entry needs (ids, like the role ids a user was created with).
var inSentence = map[string]bool{"by": true, "all": true, "account_name": true, "action": true,
	"name": true, "role": true, "version": true, "roles": true, "by_admin": true}

// changeLabels name what a before → after (or from → to) pair of an
// action is about.
var changeLabels = map[string]string{
	"privileges.areas_changed": "Admin privileges", "privileges.removed": "Admin privileges",
	"role.assigned": "Admin privileges", "role.unassigned": "Admin privileges",
	"profile.details_changed": "Display name", "email_change.confirmed": "Email address",
	"provider.account_suspended": "Status", "provider.account_reactivated": "Status",
	"provider.account_closed": "Status",
}

// describeDetails turns an event's details into labelled values: changes
// first, then the other facts in the order of their labels.
func describeDetails(action string, details map[string]any, words Words) []Detail {
	var out []Detail
	rest := map[string]any{}
	for k, v := range details {
		rest[k] = v
	}
	for _, pair := range [][2]string{{"before", "after"}, {"from", "to"}} {
		before, okB := rest[pair[0]]
		after, okA := rest[pair[1]]
		if !okB || !okA {
			continue
		}
		delete(rest, pair[0])
		delete(rest, pair[1])
		out = append(out, changes(changeLabel(action, details), before, after, words)...)
	}
	var facts []Detail
	for k, v := range rest {
		if inSentence[k] || strings.HasSuffix(k, "_id") {
			continue
		}
		facts = append(facts, Detail{Label: label(k), Value: value(v, words)})
	}
	sort.Slice(facts, func(i, j int) bool { return facts[i].Label < facts[j].Label })
	return append(out, facts...)
}

// changeLabel names a change: a role's own permissions when the role
// changed, else by the action.
func changeLabel(action string, details map[string]any) string {
	if action == "role.updated" {
		if _, member := details["role"]; member {
			return "Admin privileges"
		}
		return "Permissions"
	}
	if l, ok := changeLabels[action]; ok {
		return l
	}
	return "Change"
}

// changes is one change per field that differs when before and after are
// records (a user's details, the security settings), else one change.
func changes(what string, before, after any, words Words) []Detail {
	b, bMap := before.(map[string]any)
	a, aMap := after.(map[string]any)
	if !bMap || !aMap {
		return []Detail{{Label: what, Before: value(before, words), After: value(after, words), Change: true}}
	}
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	var out []Detail
	for k := range keys {
		bv, av := fieldValue(k, b[k], words), fieldValue(k, a[k], words)
		if bv != av {
			out = append(out, Detail{Label: label(k), Before: bv, After: av, Change: true})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out
}

// settingWords name the values of the account's security settings
// (models.AccountSecurity) as the Security page offers them, and a
// language by its name in itself, as the language menus do.
var settingWords = map[string]func(string) string{
	"MFAPolicy": models.MFAPolicyLabel, "PasswordPreset": models.PasswordPresetLabel,
	"Language": languageName, "language": languageName,
}

// blankWords say what a setting left blank means, as the pages that
// offer it say: an account with no default language lets each user's
// browser choose, one with no default zone shows UTC; a user with no
// language or zone of their own has the account's.
var blankWords = map[string]string{"Language": "Each user's browser language", "TimeZone": "UTC",
	"language": "The account's default", "time_zone": "The account's default"}

// languageName is the language with the code in its own words ("Français"),
// or the code when the portal does not speak it.
func languageName(code string) string {
	if name := i18n.Name(code); name != "" {
		return name
	}
	return code
}

// fieldValue words one field of a record: a security setting as the
// Security page says it, a timeout left blank as the portal's default.
func fieldValue(key string, v any, words Words) string {
	if name, ok := settingWords[key]; ok {
		if s, isText := v.(string); isText && s != "" {
			return name(s)
		}
	}
	if v == nil && (key == "SessionIdleMinutes" || key == "SessionAbsoluteMinutes") {
		return "Portal default"
	}
	if blank, ok := blankWords[key]; ok && v == "" {
		return blank
	}
	return value(v, words)
}

func label(key string) string {
	if l, ok := labels[key]; ok {
		return l
	}
	return capitalize(strings.ReplaceAll(key, "_", " "))
}

// value words one JSON value: yes/no, whole numbers without a point,
// lists joined, times in full UTC, codes in words, nothing as "none".
func value(v any, words Words) string {
	switch v := v.(type) {
	case nil:
		return "none"
	case bool:
		if v {
			return "Yes"
		}
		return "No"
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case string:
		if v == "" {
			return "none"
		}
		if t, err := time.Parse(time.RFC3339, v); err == nil {
			return t.UTC().Format("2 Jan 2006 at 15:04 UTC")
		}
		if words != nil {
			return words(v)
		}
		return v
	case []any:
		if len(v) == 0 {
			return "none"
		}
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = value(x, words)
		}
		return strings.Join(parts, ", ")
	}
	raw, _ := json.Marshal(v)
	return string(raw)
}

// RawEntry is the whole stored entry as indented JSON, for the disclosure
// under an event: its code, parties, origin and details as written.
func RawEntry(e models.AuditEvent) string {
	var details any = map[string]any{}
	if e.Details != "" && json.Unmarshal([]byte(e.Details), &details) != nil {
		details = e.Details
	}
	entry := struct {
		At        string `json:"at"`
		Action    string `json:"action"`
		Actor     string `json:"actor,omitempty"`
		Target    string `json:"target,omitempty"`
		IP        string `json:"ip,omitempty"`
		UserAgent string `json:"user_agent,omitempty"`
		Details   any    `json:"details"`
	}{e.At.UTC().Format(time.RFC3339), e.Action, e.ActorName, e.TargetName, e.IP, e.UserAgent, details}
	// Not escaped for HTML: the page escapes it, and "<" should read as "<".
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(entry)
	return strings.TrimSuffix(b.String(), "\n")
}
