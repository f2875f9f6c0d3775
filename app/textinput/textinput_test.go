package textinput

import (
	"testing"
	"unicode/utf8"
)

func TestCheck(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"plain", "Ada Admin", ""},
		{"empty", "", ""},
		{"accents and scripts", "Zoë Ørsted, 李雷, Ниже, שלום", ""},
		{"emoji", "🦓 team", ""},
		{"replacement character", "a\uFFFDb", ""},
		{"NUL", "ab\x00cd", MsgControl},
		{"tab", "ab\tcd", MsgControl},
		{"line feed", "ab\ncd", MsgControl},
		{"carriage return", "ab\rcd", MsgControl},
		{"bell", "ab\x07cd", MsgControl},
		{"DEL", "ab\x7fcd", MsgControl},
		{"C1 control", "ab\u0085cd", MsgControl},
		{"line separator", "ab\u2028cd", MsgControl},
		{"paragraph separator", "ab\u2029cd", MsgControl},
		{"invalid UTF-8", "ab\xff\xfecd", MsgUnreadable},
		{"lone continuation byte", "ab\x80", MsgUnreadable},
		{"encoded surrogate", "ab\xed\xa0\x80", MsgUnreadable},
		{"overlong slash", "\xc0\xaf", MsgUnreadable},
		{"right-to-left override", "ab\u202Ecd", MsgDirection},
		{"left-to-right embedding", "ab\u202Acd", MsgDirection},
		{"pop directional formatting", "ab\u202Ccd", MsgDirection},
		{"first strong isolate", "ab\u2068cd", MsgDirection},
		{"pop directional isolate", "ab\u2069cd", MsgDirection},
		{"right-to-left mark (only refused in names)", "ab\u200Fcd", ""},
		{"zero-width space (only refused in names)", "ab\u200Bcd", ""},
	}
	for _, tc := range cases {
		if got := Check(tc.in); got != tc.want {
			t.Errorf("%s: Check(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestCheckName(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"plain", "Billing Admins", ""},
		{"accents", "Zoë O'Brien-Ørsted", ""},
		{"NUL", "R\x00Z", MsgControl},
		{"invalid UTF-8", "R\xff\xfe", MsgUnreadable},
		{"right-to-left override", "R\u202EZ", MsgDirection},
		{"right-to-left isolate", "R\u2067Z", MsgDirection},
		{"left-to-right mark", "R\u200EZ", MsgInvisible},
		{"right-to-left mark", "R\u200FZ", MsgInvisible},
		{"Arabic letter mark", "R\u061CZ", MsgInvisible},
		{"zero-width space", "R\u200BZ", MsgInvisible},
		{"zero-width joiner", "R\u200DZ", MsgInvisible},
		{"byte order mark", "\uFEFFR", MsgInvisible},
		{"soft hyphen", "R\u00ADZ", MsgInvisible},
	}
	for _, tc := range cases {
		if got := CheckName(tc.in); got != tc.want {
			t.Errorf("%s: CheckName(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

func TestBlank(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want bool
	}{
		{"empty", "", true},
		{"spaces and line breaks", " \n\t ", true},
		{"zero-width spaces", "\u200B\u200B", true},
		{"a byte order mark", "\uFEFF", true},
		{"direction marks and a space", "\u200F \u200E", true},
		{"a letter among them", "\u200Bx\u200B", false},
		{"a dot", ".", false},
		{"an accented letter", "é", false},
	}
	for _, tc := range cases {
		if got := Blank(tc.in); got != tc.want {
			t.Errorf("%s: Blank(%q) = %v", tc.name, tc.in, got)
		}
	}
}

func TestSanitize(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Mozilla/5.0 (X11)", "Mozilla/5.0 (X11)"},
		{"", ""},
		{"ab\x00cd", "ab\uFFFDcd"},
		{"ab\xff\xfecd", "ab\uFFFDcd"},
		{"ab\tcd\r\n", "ab\uFFFDcd\uFFFD\uFFFD"},
		{"ab\u202Ecd", "ab\uFFFDcd"},
		{"Zoë", "Zoë"},
	}
	for _, tc := range cases {
		got := Sanitize(tc.in)
		if got != tc.want {
			t.Errorf("Sanitize(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if !utf8.ValidString(got) || Check(got) != "" {
			t.Errorf("Sanitize(%q) = %q still breaks the rule", tc.in, got)
		}
	}
}

func TestCheckText(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"paragraphs", "# Terms\n\n1. One\r\n2. Two\n\tindented", ""},
		{"NUL", "a\x00b", MsgControl},
		{"bell", "a\x07b", MsgControl},
		{"line separator", "a\u2028b", MsgControl},
		{"invalid UTF-8", "a\xffb", MsgUnreadable},
		{"override", "a\u202Eb", MsgDirection},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := CheckText(tc.in); got != tc.want {
				t.Fatalf("CheckText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
