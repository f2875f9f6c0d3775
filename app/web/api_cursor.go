package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"

	"accountportal/app/apperr"
)

// The API's list cursors are sealed: a position inside the list (the
// service's own cursor) with an HMAC over that position and the listing it
// came from (the list, the token's account, its sort and filters). A
// cursor used with another sort or filter, another account's token, or
// edited by hand fails the check and is 422, instead of starting a page
// wherever it points.

// cursorTagSize is how many bytes of the HMAC a cursor carries: 128 bits
// are beyond guessing and keep the cursor short for a URL.
const cursorTagSize = 16

// msgForeignCursor answers a cursor that fails the check.
const msgForeignCursor = "This cursor belongs to another listing or was changed; start again without cursor."

// msgEmptyCursor answers "cursor=": not "start again", which a client
// sending cursor=<next> with the last page's null next would loop on.
const msgEmptyCursor = "cursor is empty; send the next of the previous page, or leave cursor out to start the listing."

// listCursors seals and opens the API's list cursors with a key of their
// own (Deps.CursorKey).
type listCursors struct {
	key []byte
}

// listing names one listing: the list's name, the account and the sort
// and filter values, in a fixed order. JSON keeps values containing any
// separator apart.
type listing []any

func newListing(list string, accountID int64, sortAndFilters ...string) listing {
	l := listing{list, accountID}
	for _, v := range sortAndFilters {
		l = append(l, v)
	}
	return l
}

// seal returns the cursor of position within l: opaque, URL-safe base64.
func (lc listCursors) seal(l listing, position string) string {
	return base64.RawURLEncoding.EncodeToString(append(lc.tag(l, position), position...))
}

// open returns the position a cursor of l holds, or a 422 naming the
// cursor when s is not a cursor sealed for l.
func (lc listCursors) open(l listing, s string) (string, error) {
	if s == "" {
		return "", apperr.Fields(map[string]string{"cursor": msgEmptyCursor})
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) <= cursorTagSize {
		return "", apperr.Fields(map[string]string{"cursor": msgForeignCursor})
	}
	position := string(raw[cursorTagSize:])
	if !hmac.Equal(raw[:cursorTagSize], lc.tag(l, position)) {
		return "", apperr.Fields(map[string]string{"cursor": msgForeignCursor})
	}
	return position, nil
}

func (lc listCursors) tag(l listing, position string) []byte {
	named, _ := json.Marshal(l)
	mac := hmac.New(sha256.New, lc.key)
	mac.Write(named)
	mac.Write([]byte{0})
	mac.Write([]byte(position))
	return mac.Sum(nil)[:cursorTagSize]
}
