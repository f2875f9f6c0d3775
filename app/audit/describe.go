package audit

import (
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"

	"accountportal/models"
)

// Description is an event in words: one sentence saying who did what to
// whom, and its details as labelled values, as authentik and Okta's System
// Log show theirs. The raw entry stays available for whoever needs it.
type Description struct {
	Sentence string
	Details  []Detail
}

// Detail is one labelled value of an event; a change has Before and After
// instead of Value.
type Detail struct {
	Label  string
	Value  string
	Before string
	After  string
	Change bool
}

// Words names a code an event's details hold (a permission key) for
// people, returning any other text as it is; the packages that own the
// codes import this one, so the caller passes their words in.
type Words func(code string) string

// parties are the names a sentence is built from.
type parties struct {
	actor, target, username, account string
	details                          map[string]any
	words                            Words
	// sameParty says the actor acted on themself, as in every
	// self-service entry.
	sameParty bool
}

// sentence words one action for the parties of an event.
type sentence func(p parties) string

// Describe words an event for people, with words (nil for none) naming
// the codes in its details. An action it does not know still gets a
// sentence, naming its code, so an old or new entry never vanishes.
func Describe(e models.AuditEvent, words Words) Description {
	details := map[string]any{}
	if e.Details != "" {
		_ = json.Unmarshal([]byte(e.Details), &details)
	}
	p := parties{actor: actorName(e.ActorName, details), target: personName(e.TargetName),
		username: username(e.TargetName), account: accountName(details), details: details, words: words,
		sameParty: sameParty(e)}
	if p.target == "" {
		p.target = "someone"
	}
	say, ok := sentences[e.Action]
	if !ok {
		say = func(p parties) string { return p.actor + " did " + e.Action + targetSuffix(p) }
	}
	return Description{Sentence: capitalize(say(p)), Details: describeDetails(e.Action, details, words)}
}

// known reports whether Describe has a sentence of its own for action.
func known(action string) bool {
	_, ok := sentences[action]
	return ok
}

func targetSuffix(p parties) string {
	if p.target == "someone" {
		return ""
	}
	return " to " + p.target
}

// operatorPrefix starts the name of a provider's operator in a customer's
// log (provider.OperatorParty), which names them as the customer reads it.
const operatorPrefix = "the provider's operator "

// actorName is who did it: the name without its username, an operator as
// "Olga Ops (the provider's operator)", and work done without a person by
// the command line or the portal itself.
func actorName(name string, details map[string]any) string {
	if rest, ok := strings.CutPrefix(name, operatorPrefix); ok {
		return personName(rest) + " (the provider's operator)"
	}
	if name != "" {
		return personName(name)
	}
	if by, _ := details["by"].(string); by != "" {
		return "the command line"
	}
	return "the portal"
}

// personName drops the "(username)" audit.PartyOf adds: sentences name
// people as the console does, and the raw entry keeps the username.
func personName(name string) string {
	if i := strings.LastIndex(name, " ("); i > 0 && strings.HasSuffix(name, ")") {
		return name[:i]
	}
	return name
}

// username is the username in a "Name (username)" party, or the whole
// name when it has none.
func username(name string) string {
	if i := strings.LastIndex(name, " ("); i > 0 && strings.HasSuffix(name, ")") {
		return name[i+2 : len(name)-1]
	}
	if name == "" {
		return "someone"
	}
	return name
}

// accountName names the customer account of a provider's entry, which
// carries it in its details; a customer's own log says "the account".
func accountName(details map[string]any) string {
	if name, _ := details["account_name"].(string); name != "" {
		return "the account " + name
	}
	return "the account"
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// text is a detail as a string for a sentence, "" when it is missing.
func (p parties) text(key string) string {
	v, ok := p.details[key]
	if !ok || v == nil {
		return ""
	}
	return value(v, p.words)
}

func (p parties) self() bool { return p.sameParty }

// sameParty compares the ids of the actor and the target when both are
// recorded (two people may share a name), else their names.
func sameParty(e models.AuditEvent) bool {
	if e.ActorID != nil && e.TargetID != nil {
		return *e.ActorID == *e.TargetID
	}
	return e.ActorName == e.TargetName
}
