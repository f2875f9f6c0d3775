package secrets

import (
	"context"
	"errors"
	"fmt"

	"accountportal/app/security"
	"accountportal/models"
)

// Result counts what a re-encryption did.
type Result struct {
	Resealed int
	// Skipped are values changed by someone else meanwhile (so already
	// sealed anew).
	Skipped int
	// Failed are values that would not open with their key (tampered, or
	// their key is missing); they are left as they are.
	Failed int
}

// Reseal re-encrypts every secret not sealed under the key ring's current
// key, batch by batch, each batch in one transaction. It can be run again
// safely: values already under the current key are skipped.
func (s *Sealer) Reseal(ctx context.Context, store *models.Store, batch int) (Result, error) {
	var res Result
	current := s.keys.CurrentDataKey()
	var afterUser int64
	afterKind := ""
	for {
		rows, err := store.Secrets.NotUnderKey(ctx, current, afterUser, afterKind, batch)
		if err != nil || len(rows) == 0 {
			return res, err
		}
		err = store.InTx(ctx, func(tx *models.Store) error {
			for i := range rows {
				if err := s.reseal(ctx, tx, &rows[i], &res); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return res, err
		}
		last := rows[len(rows)-1]
		afterUser, afterKind = last.UserID, last.Kind
	}
}

// reseal seals one stored value anew under the current key, keeping its
// owner, kind and update time.
func (s *Sealer) reseal(ctx context.Context, tx *models.Store, sec *models.Secret, res *Result) error {
	ad := associated(Kind(sec.Kind), sec.UserID)
	plain, err := s.keys.Open(sec.KeyID, sec.Nonce, sec.Ciphertext, ad)
	if errors.Is(err, security.ErrDecrypt) {
		res.Failed++
		return nil
	}
	if err != nil {
		return err
	}
	oldKey := sec.KeyID
	if sec.KeyID, sec.Nonce, sec.Ciphertext, err = s.keys.Seal(plain, ad); err != nil {
		return err
	}
	ok, err := tx.Secrets.Reseal(ctx, sec, oldKey)
	if ok {
		res.Resealed++
	} else {
		res.Skipped++
	}
	return err
}

// Retire removes a data key from the ring, refusing while any stored value
// is still sealed under it. The caller saves the ring.
func (s *Sealer) Retire(ctx context.Context, store *models.Store, id int) error {
	if id == s.keys.CurrentDataKey() {
		return errors.New("the current key cannot be retired; rotate first")
	}
	counts, err := store.Secrets.CountByKey(ctx)
	if err != nil {
		return err
	}
	if n := counts[id]; n > 0 {
		return fmt.Errorf("key %d still seals %d value(s); run 'accountportal keys rotate' first", id, n)
	}
	return s.keys.RemoveDataKey(id)
}
