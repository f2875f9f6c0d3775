package models

import (
	"strconv"
	"strings"
)

// inIDs returns a condition "column is one of ids" and its one argument on
// PostgreSQL (an array, so a batch of any size binds one parameter), or a
// plain IN list on SQLite.
func (s conn) inIDs(column string, ids []int64) (string, any) {
	if s.dialect == Postgres {
		return column + " = ANY(?::bigint[])", pgArray(ids)
	}
	return column + " IN ?", ids
}

// pgArray writes ids as a PostgreSQL array literal.
func pgArray(ids []int64) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteByte('}')
	return b.String()
}

// arrayQuote escapes an element of an array literal; built once, as a
// bulk action quotes a few hundred thousand names.
var arrayQuote = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// pgTextArray writes strings as a PostgreSQL array literal, each element
// quoted with its quotes and backslashes escaped.
func pgTextArray(items []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, s := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(arrayQuote.Replace(s))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}
