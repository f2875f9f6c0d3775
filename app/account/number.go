package account

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"accountportal/app/identity"
	"accountportal/models"
)

// FreeNumber picks a random unused 8-digit account number, from 10000000
// up: never 00000000, the support desk's staff account. Random rather than
// sequential, so a number says nothing about how many customers exist. A
// number taken between this check and the insert makes the insert fail
// with models.ErrConflict; callers then try again.
func FreeNumber(ctx context.Context, store *models.Store) (string, error) {
	for range 20 {
		n, err := rand.Int(rand.Reader, big.NewInt(90_000_000))
		if err != nil {
			return "", err
		}
		number := fmt.Sprintf("%08d", 10_000_000+n.Int64())
		_, err = store.Accounts.ByNumber(ctx, number)
		if errors.Is(err, models.ErrNotFound) {
			return number, nil
		}
		if err != nil {
			return "", err
		}
	}
	return "", errors.New("account: no free account number after 20 tries")
}

// FreeUsername returns the username a new Primary Admin with email gets
// in the account with number: their email address when it is a valid
// username nobody has (usernames are unique across the whole service,
// while an address may be used in several accounts); otherwise one made
// from the address's local part and the account number, such as
// "ada.12345678", with "-2", "-3"... added while that is taken too.
func FreeUsername(ctx context.Context, store *models.Store, email, number string) (string, error) {
	candidates := []string{}
	if identity.CheckUsername(email) == "" {
		candidates = append(candidates, email)
	}
	base := usernameBase(email) + "." + number
	candidates = append(candidates, base)
	for i := 2; i <= 20; i++ {
		candidates = append(candidates, base+"-"+strconv.Itoa(i))
	}
	for _, name := range candidates {
		taken, err := store.Users.UsernameTaken(ctx, identity.UsernameKey(name))
		if err != nil {
			return "", err
		}
		if !taken {
			return name, nil
		}
	}
	return "", errors.New("account: no free username for " + email)
}

// usernameBase keeps the characters of the address's local part that a
// username may hold, at most 40 of them, so the number still fits.
func usernameBase(email string) string {
	local, _, _ := strings.Cut(email, "@")
	var b strings.Builder
	for _, r := range strings.ToLower(local) {
		if b.Len() == 40 {
			break
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("._-+", r) {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "admin"
	}
	return b.String()
}
