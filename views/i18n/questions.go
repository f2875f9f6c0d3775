package i18n

import "context"

// SecurityQuestion is a security question as the reader of ctx reads it:
// one of the preset questions (app/profile's SecurityQuestions, offered
// and stored as their English text) in the reader's language, any other
// question (one its user wrote) as it is. Its catalog entries are under
// [profile.questions]; every page that shows or offers a question (My
// Profile, the sign-in's question step, the password reset wizard, first
// setup) can say it through this, keeping the English text as the value
// it stores.
func SecurityQuestion(ctx context.Context, q string) string {
	switch q {
	case "What was the name of your first pet?":
		return T(ctx, "profile.questions.first_pet")
	case "In what city were you born?":
		return T(ctx, "profile.questions.birth_city")
	case "What was the name of your primary school?":
		return T(ctx, "profile.questions.primary_school")
	case "What was the make of your first car?":
		return T(ctx, "profile.questions.first_car")
	case "What is your oldest cousin's first name?":
		return T(ctx, "profile.questions.oldest_cousin")
	case "In what city did your parents meet?":
		return T(ctx, "profile.questions.parents_met")
	case "What was your childhood nickname?":
		return T(ctx, "profile.questions.childhood_nickname")
	}
	return q
}
