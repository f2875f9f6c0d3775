package components

import (
	"context"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/a-h/templ"

	"accountportal/views/i18n"
	"accountportal/views/viewmodel"
)

// RuleText is a password rule as the checklist shows it, in ctx's
// language, by its key (the keys of app/security's rules); a rule this
// does not know is shown as the policy wrote it.
func RuleText(ctx context.Context, r viewmodel.Rule) string {
	id, ok := ruleIDs[r.Key]
	if !ok {
		return r.Text
	}
	return i18n.T(ctx, id, map[string]any{"Min": r.Min, "Max": r.Max, "Chars": spacedChars(ctx, r.Chars)})
}

// ruleIDs are the catalog ids of the rules, by key.
var ruleIDs = map[string]string{"length": "reset.rules.length", "upper": "reset.rules.upper",
	"lower": "reset.rules.lower", "digit": "reset.rules.digit", "special": "reset.rules.special",
	"nospace": "reset.rules.nospace", "safe": "reset.rules.safe", "notusername": "reset.rules.notusername",
	"common": "reset.rules.common", "printable": "reset.rules.printable"}

// spacedChars lists the special characters one by one, naming the two
// dashes a reader could not tell apart.
func spacedChars(ctx context.Context, chars string) string {
	named := strings.NewReplacer("-", "- ("+i18n.T(ctx, "reset.rules.hyphen")+")",
		"–", "– ("+i18n.T(ctx, "reset.rules.en_dash")+")")
	return named.Replace(strings.Join(strings.Split(chars, ""), " "))
}

// PasswordProblem is the form's message for the rules a password broke,
// in ctx's language: the checklist's words, after the checklist's title.
func PasswordProblem(ctx context.Context, failed []viewmodel.Rule) string {
	texts := make([]string, len(failed))
	for i, r := range failed {
		texts[i] = lowerFirst(RuleText(ctx, r))
	}
	return i18n.T(ctx, "reset.rules.needs", map[string]any{"Rules": strings.Join(texts, i18n.T(ctx, "reset.rules.separator"))})
}

// lowerFirst puts a rule's first letter in lower case, as it reads inside
// a sentence. German rules are written to start with a word that is not
// a noun.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// checklistSaid are the live texts the checklist's script announces, by
// the number of rules met: "data-said-3" holds what it says when three of
// the total are met, in the page's language and plural forms.
func checklistSaid(ctx context.Context, rules []viewmodel.Rule) templ.Attributes {
	out := templ.Attributes{}
	for met := 0; met <= len(rules); met++ {
		out["data-said-"+strconv.Itoa(met)] = i18n.N(ctx, "reset.rules.met", met, map[string]any{"Total": len(rules)})
	}
	return out
}

// QuestionText is a security question in ctx's language: the offered
// questions are stored as the English text chosen (app/profile's
// SecurityQuestions), a question of the user's own as typed.
func QuestionText(ctx context.Context, q string) string {
	if id, ok := questionIDs[q]; ok {
		return i18n.T(ctx, id)
	}
	return q
}

// questionIDs are the catalog ids of the offered questions, by the English
// text stored.
var questionIDs = map[string]string{
	"What was the name of your first pet?":      "reset.question.first_pet",
	"In what city were you born?":               "reset.question.birth_city",
	"What was the name of your primary school?": "reset.question.primary_school",
	"What was the make of your first car?":      "reset.question.first_car",
	"What is your oldest cousin's first name?":  "reset.question.oldest_cousin",
	"In what city did your parents meet?":       "reset.question.parents_met",
	"What was your childhood nickname?":         "reset.question.nickname",
}
