package emails

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/a-h/templ"

	"accountportal/views/i18n"
)

// Text is words of an email kept until the email is written, then said in
// its reader's language: a catalog id (under [email…]) and the data that
// fills its placeholders. The services say what to write with Say; the
// email is rendered with a context speaking the recipient's language
// (i18n.WithLanguage) in their time zone (i18n.WithZone).
//
// A data value that is itself a Text is said in the same language; a
// time.Time is written as a moment ("2 January 2006 at 15:04 UTC") in the
// reader's zone, a Day as a date, a time.Duration as "72 hours", a []Text
// as a list. A "Count" int chooses the message's plural form.
type Text struct {
	ID   string
	Data map[string]any
}

// Say is the message id with its data, to be said in the reader's language.
func Say(id string, data ...map[string]any) Text {
	t := Text{ID: id}
	if len(data) > 0 {
		t.Data = data[0]
	}
	return t
}

// Day is a date without a time of day, written as "2 January 2006".
type Day time.Time

// Empty reports whether t says nothing.
func (t Text) Empty() bool { return t.ID == "" }

// In says t in ctx's language.
func (t Text) In(ctx context.Context) string {
	if t.ID == "" {
		return ""
	}
	d := make(map[string]any, len(t.Data))
	for k, v := range t.Data {
		d[k] = value(ctx, v)
	}
	if n, ok := t.Data["Count"].(int); ok {
		delete(d, "Count") // N writes it as the language writes numbers
		return i18n.N(ctx, t.ID, n, d)
	}
	return i18n.T(ctx, t.ID, d)
}

func value(ctx context.Context, v any) any {
	switch v := v.(type) {
	case Text:
		return v.In(ctx)
	case []Text:
		out := make([]string, len(v))
		for i, t := range v {
			out[i] = t.In(ctx)
		}
		return strings.Join(out, ", ")
	case time.Time:
		return Moment(ctx, v)
	case Day:
		return i18n.Day(ctx, time.Time(v))
	case time.Duration:
		return i18n.Duration(ctx, v)
	}
	return v
}

// Moment writes a moment as emails do, in ctx's language and time zone:
// "2 January 2006 at 15:04 UTC", "2 de enero de 2006, a las 15:04 CET".
func Moment(ctx context.Context, t time.Time) string {
	t = t.In(i18n.Zone(ctx))
	return i18n.T(ctx, "email.time.moment", map[string]any{"Date": i18n.Day(ctx, t), "Clock": t.Format("15:04"),
		"Zone": t.Format("MST")})
}

// mark stands for a value to be set apart in a sentence (no catalog text
// holds it: it is in Unicode's private use area).
const mark = "\uE000"

// strong writes the sentence t with its data value key in bold, the rest
// escaped as templ escapes text.
func strong(t Text, key string) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		before, after, bold := split(ctx, t, key)
		_, err := io.WriteString(w, templ.EscapeString(before)+"<strong>"+templ.EscapeString(bold)+"</strong>"+
			templ.EscapeString(after))
		return err
	})
}

// split says t with its value key left out: the words before and after it,
// and the value as said.
func split(ctx context.Context, t Text, key string) (before, after, val string) {
	d := make(map[string]any, len(t.Data))
	for k, v := range t.Data {
		d[k] = v
	}
	val, _ = value(ctx, d[key]).(string)
	d[key] = mark
	before, after, _ = strings.Cut(Text{ID: t.ID, Data: d}.In(ctx), mark)
	return before, after, val
}

// hello greets the reader by name.
func hello(name string) Text { return Say("email.layout.hello", map[string]any{"Name": name}) }
