package app_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"accountportal/app"
	"accountportal/app/apptest"
	"accountportal/models"
)

// workerFrames name the loops RunWorkers starts, as a goroutine dump shows
// them.
var workerFrames = []string{
	"accountportal/app/mail.(*Worker).Run(",
	"accountportal/app/recovery.(*Service).Run(",
	"accountportal/app.(*App).janitor(",
}

// runningWorkers returns the worker loops alive in this process.
func runningWorkers() []string {
	buf := make([]byte, 1<<20)
	dump := string(buf[:runtime.Stack(buf, true)])
	var alive []string
	for _, f := range workerFrames {
		if strings.Contains(dump, f) {
			alive = append(alive, f)
		}
	}
	return alive
}

func TestMigrateNeedsNoKeyFile(t *testing.T) {
	dir := t.TempDir()
	garbled := filepath.Join(dir, "garbled.json")
	if err := os.WriteFile(garbled, []byte("not a key file"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, keyFile := range map[string]string{
		"in a missing directory": filepath.Join(dir, "missing", "keys.json"),
		"unreadable":             garbled,
	} {
		t.Run(name, func(t *testing.T) {
			vars := map[string]string{
				"PORTAL_DATABASE_URL":     "sqlite://" + filepath.Join(t.TempDir(), "portal.db"),
				"PORTAL_SECRET_KEYS_FILE": keyFile,
			}
			var out bytes.Buffer
			if code := app.Main(context.Background(), []string{"accountportal", "migrate"}, env(vars), &out); code != 0 ||
				!strings.Contains(out.String(), "schema version") {
				t.Fatalf("exit %d:\n%s", code, out.String())
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("migrate made the key file's directory: %v", err)
	}
}

// TestCloseJoinsWorkers closes a portal whose workers still run: Close
// stops and waits for them before it closes the database they use.
func TestCloseJoinsWorkers(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{ManualJobs: true})
	if err := e.App.RunWorkers(context.Background()); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); len(runningWorkers()) < len(workerFrames); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("workers never started: only %v", runningWorkers())
		}
	}
	if err := e.App.Close(); err != nil {
		t.Fatal(err)
	}
	if alive := runningWorkers(); len(alive) > 0 {
		t.Fatalf("still running after Close: %v", alive)
	}
}
