package admin

import (
	"context"
	"errors"

	"accountportal/app/apperr"
	"accountportal/app/identity"
	"accountportal/models"
)

// What a form that names a user by username says when the name finds
// nobody it can use.
const (
	msgEnterUsername  = "Enter the username of the user"
	msgNoSuchUsername = "No user of your account has this username"
)

// named returns the user of the actor's account whose username was typed,
// or a problem on subject (the form's username field). Another account's
// user answers exactly as a name nobody has, so a form tells nothing
// about other accounts. It only finds the user: the action that follows
// applies its own rules to them.
func (s *core) named(ctx context.Context, actor *identity.Principal, username string, subject apperr.Subject) (*models.User, error) {
	key := identity.UsernameKey(username)
	if key == "" {
		return nil, apperr.Problems(map[apperr.Subject]string{subject: msgEnterUsername})
	}
	if len(key) > identity.UsernameMax {
		// No username is this long: spare the database the search.
		return nil, apperr.Problems(map[apperr.Subject]string{subject: msgNoSuchUsername})
	}
	u, err := s.store.Users.ByUsernameInAccount(ctx, actor.Account.ID, key)
	if errors.Is(err, models.ErrNotFound) {
		return nil, apperr.Problems(map[apperr.Subject]string{subject: msgNoSuchUsername})
	}
	return u, err
}
