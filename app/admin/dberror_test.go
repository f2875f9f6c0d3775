package admin_test

import (
	"context"
	"errors"
	"testing"

	"accountportal/app/admin"
	"accountportal/app/apptest"
	"accountportal/app/audit"
	"accountportal/models"
)

// A database that fails is not "no such user": reading or acting on a user
// returns the database's error, which the pages answer 503 or 500, never
// 404 (an outage must not tell an admin the user is gone).
func TestDatabaseErrorIsNotNoSuchUser(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{ManualJobs: true})
	e.Setup(apptest.DefaultAdmin())
	ctx := context.Background()
	ada := e.User("ada")
	bob := e.AddUser(ada.AccountID, "bob", "Correct-Horse-9", models.StatusActive)
	actor, err := e.App.SignIn.LoadPrincipal(ctx, ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.App.Users.Summary(ctx, actor, bob.ID); err != nil {
		t.Fatalf("before the failure: %v", err)
	}
	if err := e.Store().Close(); err != nil {
		t.Fatal(err)
	}
	calls := map[string]func() error{
		"Summary": func() error { _, err := e.App.Users.Summary(ctx, actor, bob.ID); return err },
		"SetStatus": func() error {
			return e.App.Users.SetStatus(ctx, actor, bob.ID, admin.BulkDeactivate, "left", audit.Origin{})
		},
	}
	for name, call := range calls {
		err := call()
		if err == nil || errors.Is(err, admin.ErrNoSuchUser) {
			t.Errorf("%s on a closed database: %v", name, err)
		}
	}
}
