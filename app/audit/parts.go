package audit

import (
	"encoding/json"
	"sort"
	"strings"

	"accountportal/models"
)

// Who did an event, as Parts tells it apart: a person (Actor names
// them), a provider's operator (Actor names them), the command line or
// the portal itself.
const (
	ByPerson = iota
	ByOperator
	ByCommandLine
	ByPortal
)

// Parts are the pieces an event's sentence is built from, for a page that
// words the sentence in the reader's language rather than Describe's
// English: names as Describe uses them, without its English words
// ("someone", "the account", "the portal").
type Parts struct {
	// Actor is the person or operator who acted; ActorKind says which
	// (By*).
	Actor     string
	ActorKind int
	// Target is the person acted on and Username theirs; "" when none is
	// recorded.
	Target, Username string
	// Account is the customer account a provider's entry names; "" for
	// the reader's own.
	Account string
	// Self says the actor acted on themself.
	Self    bool
	details map[string]any
}

// PartsOf reads an event's parts.
func PartsOf(e models.AuditEvent) Parts {
	details := map[string]any{}
	if e.Details != "" {
		_ = json.Unmarshal([]byte(e.Details), &details)
	}
	p := Parts{Target: personName(e.TargetName), Self: sameParty(e), details: details}
	if e.TargetName != "" {
		p.Username = username(e.TargetName)
	}
	switch rest, op := strings.CutPrefix(e.ActorName, operatorPrefix); {
	case op:
		p.Actor, p.ActorKind = personName(rest), ByOperator
	case e.ActorName != "":
		p.Actor, p.ActorKind = personName(e.ActorName), ByPerson
	default:
		p.ActorKind = ByPortal
		if by, _ := details["by"].(string); by != "" {
			p.ActorKind = ByCommandLine
		}
	}
	p.Account, _ = details["account_name"].(string)
	return p
}

// Text is a detail as its sentence writes it (a number, a name, a
// version), "" when it is missing.
func (p Parts) Text(key string) string {
	return parties{details: p.details}.text(key)
}

// Actions lists every action Describe has a sentence of its own for, for
// the pages that word the sentences in the reader's language to check they
// know each.
func Actions() []string {
	out := make([]string, 0, len(sentences))
	for a := range sentences {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}
