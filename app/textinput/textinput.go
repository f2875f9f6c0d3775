// Package textinput is the portal's one rule for text that comes from
// outside: form fields, query parameters and the request headers it keeps.
//
// The rule exists because such text reaches places that cannot take it or
// that show it differently from what it is: PostgreSQL refuses NUL and
// invalid UTF-8 (the request would fail), control characters end lines
// and hide text in pages, logs and CSV files, and bidirectional overrides
// make a name or an audit line read backwards ("Trojan Source").
//
// Fields are one line, so tabs and line breaks are refused like any other
// control character; the few text areas (an agreement's Markdown) use
// CheckText, which lets line breaks and tabs through.
package textinput

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Messages for the text a field may not hold. They are shown beside the
// field, so they say what to do.
const (
	MsgUnreadable = "This contains characters that could not be read. Type it again instead of pasting it."
	MsgControl    = "Remove tabs, line breaks and other control characters."
	MsgDirection  = "Remove the invisible characters that change the direction of text."
	MsgInvisible  = "Remove invisible formatting characters, such as direction marks and zero-width spaces."
)

// Check returns what is wrong with one line of text sent to the portal, or
// "" when it may be used: it must be valid UTF-8 and hold no control
// character (C0, DEL, C1, line and paragraph separators) and no
// bidirectional embedding, override or isolate.
func Check(s string) string {
	if !utf8.ValidString(s) {
		return MsgUnreadable
	}
	for _, r := range s {
		switch {
		case isControl(r):
			return MsgControl
		case isDirectionOverride(r):
			return MsgDirection
		}
	}
	return ""
}

// CheckText is Check for text of several lines: line feeds, carriage
// returns and tabs are allowed, every other control character is not.
func CheckText(s string) string {
	if !utf8.ValidString(s) {
		return MsgUnreadable
	}
	return Check(strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, s))
}

// CheckName is Check for names (of people, companies and roles), which
// also may not hold any invisible formatting character: direction marks
// (U+200E, U+200F, U+061C), zero-width spaces and joiners, soft hyphens.
// Such characters make two names that look alike compare different.
func CheckName(s string) string {
	if msg := Check(s); msg != "" {
		return msg
	}
	if strings.ContainsFunc(s, isFormat) {
		return MsgInvisible
	}
	return ""
}

// Blank reports whether s shows nothing: it holds only white space and
// invisible formatting characters (zero-width spaces, direction marks, a
// byte-order mark), so a field that must be filled is not.
func Blank(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsSpace(r) && !isFormat(r) })
}

// Sanitize returns s with every invalid UTF-8 sequence, control character
// and direction override replaced by U+FFFD. It is for text the portal
// keeps without asking the sender to correct it (the User-Agent header of
// sessions and audit entries) and for showing a refused value back in its
// form with the bad characters visible.
func Sanitize(s string) string {
	if Check(s) == "" {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) || isDirectionOverride(r) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(s, string(utf8.RuneError)))
}

// isControl reports C0 and C1 controls, DEL, and the Unicode line and
// paragraph separators, which break a line like LF does.
func isControl(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}

// isDirectionOverride reports the bidirectional embeddings and overrides
// (U+202A to U+202E) and isolates (U+2066 to U+2069): they reorder the
// text that follows them, so what a reader sees is not what was sent.
func isDirectionOverride(r rune) bool {
	return r >= '\u202A' && r <= '\u202E' || r >= '\u2066' && r <= '\u2069'
}

// isFormat reports invisible formatting characters (Unicode category Cf).
func isFormat(r rune) bool { return unicode.Is(unicode.Cf, r) }
