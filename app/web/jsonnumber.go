package web

import (
	"errors"
	"math/big"
	"strconv"
	"strings"
)

// wholeNumber is an id in a request body. JSON has one kind of number,
// and the description's "type": "integer" (JSON Schema 2020-12) takes
// every number whose value is whole: 2, 2.0 and 20e-1 alike. Go decodes
// only the first into an int64, so an id is read as this instead, and the
// server and its description agree on what an id is.
type wholeNumber int64

// errNotWhole refuses a value that is not a whole number within int64.
var errNotWhole = errors.New("not a whole number within 64 bits")

// maxWholeExponent bounds the exponent a whole number may be written
// with: no int64 needs more, and padding 1e999999999 with zeros would not
// end.
const maxWholeExponent = 400

// UnmarshalJSON reads a JSON number whose value is whole; null changes
// nothing, as for the int64 it replaces.
func (n *wholeNumber) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		return nil
	}
	if s == "" || s[0] != '-' && (s[0] < '0' || s[0] > '9') {
		return errNotWhole // a string, a boolean, an object or an array
	}
	v, ok := wholeValue(s)
	if !ok {
		return errNotWhole
	}
	*n = wholeNumber(v)
	return nil
}

// wholeValue returns the value of a JSON number (which the decoder has
// checked is one) when it is whole and within int64. The exponent is
// bounded first: big.Rat would build 10^999999999 before answering.
func wholeValue(s string) (int64, bool) {
	if _, exp, ok := strings.Cut(strings.ToLower(s), "e"); ok {
		if e, err := strconv.Atoi(exp); err != nil || e < -maxWholeExponent || e > maxWholeExponent {
			return 0, false
		}
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok || !r.IsInt() || !r.Num().IsInt64() {
		return 0, false
	}
	return r.Num().Int64(), true
}

// int64s returns ids as the services take them.
func int64s(ids []wholeNumber) []int64 {
	if ids == nil {
		return nil
	}
	out := make([]int64, len(ids))
	for i, id := range ids {
		out[i] = int64(id)
	}
	return out
}
