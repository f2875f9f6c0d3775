package session

import (
	"encoding/json"
	"fmt"
	"time"

	"accountportal/models"
)

// encode splits Values into the row's columns and its JSON data. Data values
// must be strings: the row is read back without knowing types.
func encode(values map[any]any) (models.SessionState, error) {
	var st models.SessionState
	data := make(map[string]string, len(values))
	for k, v := range values {
		key, ok := k.(string)
		if !ok {
			return st, fmt.Errorf("session: key %v is not a string", k)
		}
		switch key {
		case KeyUserID:
			id, ok := v.(int64)
			if !ok {
				return st, fmt.Errorf("session: %s must be int64", key)
			}
			st.UserID = &id
		case KeyPasswordAt:
			t, ok := v.(time.Time)
			if !ok {
				return st, fmt.Errorf("session: %s must be time.Time", key)
			}
			st.PasswordAt = &t
		case KeyRevoked, KeyCreatedAt, keyAbsoluteUntil:
		default:
			str, ok := v.(string)
			if !ok {
				return st, fmt.Errorf("session: value of %s is not a string", key)
			}
			data[key] = str
		}
	}
	raw, err := json.Marshal(data)
	st.Data = string(raw)
	return st, err
}

// decode puts a row's data and columns into Values.
func decode(row *models.Session, values map[any]any) error {
	var data map[string]string
	if err := json.Unmarshal([]byte(row.Data), &data); err != nil {
		return err
	}
	for k, v := range data {
		values[k] = v
	}
	if row.UserID != nil {
		values[KeyUserID] = *row.UserID
		values[keyAbsoluteUntil] = row.AbsoluteExpiresAt
	}
	if row.PasswordAt != nil {
		values[KeyPasswordAt] = *row.PasswordAt
	}
	values[KeyCreatedAt] = row.CreatedAt
	return nil
}
