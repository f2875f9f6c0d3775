package profile

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"accountportal/app/textinput"
)

// Limits of the security question and its answer, in characters.
const (
	QuestionMax = 200
	AnswerMin   = 3
	AnswerMax   = 100
)

// SecurityQuestions are the questions offered; users may write their own.
func SecurityQuestions() []string {
	return []string{
		"What was the name of your first pet?",
		"In what city were you born?",
		"What was the name of your primary school?",
		"What was the make of your first car?",
		"What is your oldest cousin's first name?",
		"In what city did your parents meet?",
		"What was your childhood nickname?",
	}
}

// NormalizeAnswer puts a security answer in the form that is hashed and
// compared: Unicode NFKC, case-folded, trimmed, inner spaces collapsed, so
// " Rex  the DOG" and "rex the dog" match.
func NormalizeAnswer(s string) string {
	s = norm.NFKC.String(s)
	s = cases.Fold().String(s)
	return strings.Join(strings.Fields(s), " ")
}

// CheckQuestion returns what is wrong with a security question and answer,
// keyed "question" and "answer"; both empty is allowed when optional.
func CheckQuestion(question, answer string, optional bool) map[string]string {
	errs := map[string]string{}
	q := strings.TrimSpace(question)
	a := NormalizeAnswer(answer)
	if optional && q == "" && a == "" {
		return errs
	}
	switch {
	case q == "":
		errs["question"] = "Choose or write a security question"
	case utf8.RuneCountInString(q) > QuestionMax:
		errs["question"] = "Question must be 200 characters or fewer"
	case textinput.Check(q) != "":
		errs["question"] = "Use letters, numbers, spaces and punctuation only"
	}
	switch n := utf8.RuneCountInString(a); {
	case n == 0:
		errs["answer"] = "Enter an answer to the security question"
	case n < AnswerMin:
		errs["answer"] = "Answer must be at least 3 characters"
	case n > AnswerMax:
		errs["answer"] = "Answer must be 100 characters or fewer"
	case textinput.Check(answer) != "":
		errs["answer"] = "Use letters, numbers, spaces and punctuation only"
	}
	return errs
}
