package app_test

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"accountportal/app/apptest"
	"accountportal/app/mail/mailtest"
	"accountportal/app/security"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// replica is one `accountportal serve` process.
type replica struct {
	name string
	base string
	cmd  *exec.Cmd
	log  *syncBuffer
}

// cluster is three replicas on one PostgreSQL database with one key file,
// sending mail to one SMTP receiver, as operators run them behind a load
// balancer.
type cluster struct {
	t        *testing.T
	replicas []*replica
	store    *models.Store
	mail     *mailtest.Receiver
	dbURL    string
	// setupCode is what first-run setup asks for.
	setupCode string
}

func buildBinary(t *testing.T) string {
	t.Helper()
	return goBuild(t, ".", "accountportal")
}

// goBuild builds the module's package pkg (a path from the module root)
// into a temporary file named name, and returns its path.
func goBuild(t *testing.T, pkg, name string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), name)
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startCluster(t *testing.T, n int) *cluster {
	t.Helper()
	dbURL := modelstest.NewEmptyPostgresURL(t)
	bin := buildBinary(t)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "keys.json")
	if _, err := security.LoadKeyRing(keyFile, true, false); err != nil {
		t.Fatal(err)
	}
	rcv := mailtest.NewReceiver(t)
	c := &cluster{t: t, mail: rcv, dbURL: dbURL, setupCode: apptest.SetupCodeOf(t, keyFile)}
	addrs := make([]string, n)
	for i := range addrs {
		addrs[i] = freeAddr(t)
	}
	for i, addr := range addrs {
		r := &replica{name: string(rune('A' + i)), base: "http://" + addr, log: &syncBuffer{}}
		r.cmd = exec.Command(bin, "serve")
		r.cmd.Env = append(os.Environ(),
			"PORTAL_LISTEN="+addr,
			"PORTAL_PUBLIC_URL=http://"+addrs[0],
			"PORTAL_DATABASE_URL="+dbURL,
			"PORTAL_SECRET_KEYS_FILE="+keyFile,
			"PORTAL_SMTP_URL="+rcv.URL(),
			"PORTAL_DB_MAX_OPEN_CONNS=8",
			"PORTAL_ARGON2_MEMORY_KIB=64",
			"PORTAL_ARGON2_ITERATIONS=1",
			"PORTAL_LOG_LEVEL=warn",
			"PORTAL_INSTANCE_NAME=replica-"+r.name,
			"PORTAL_JOB_TIMEOUT=3s",
			"PORTAL_JOB_POLL=100ms",
		)
		r.cmd.Stdout, r.cmd.Stderr = r.log, r.log
		c.replicas = append(c.replicas, r)
	}
	// All at the same moment: the migrations must still run once.
	for _, r := range c.replicas {
		if err := r.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			_ = r.cmd.Process.Signal(syscall.SIGTERM)
			_ = r.cmd.Wait()
			if t.Failed() {
				t.Logf("replica %s log:\n%s", r.name, r.log.String())
			}
		})
	}
	for _, r := range c.replicas {
		c.waitReady(r)
	}
	s, err := models.Open(context.Background(), models.Options{URL: dbURL, MaxOpenConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	c.store = s
	return c
}

func (c *cluster) waitReady(r *replica) {
	c.t.Helper()
	if !waitReady(r.base, time.Now().Add(30*time.Second), 50*time.Millisecond) {
		c.t.Fatalf("replica %s never became ready:\n%s", r.name, r.log.String())
	}
}

// waitReady polls base's /readyz every poll until it answers 200 (true)
// or the deadline passes (false).
func waitReady(base string, deadline time.Time, poll time.Duration) bool {
	for ; time.Now().Before(deadline); time.Sleep(poll) {
		if res, err := http.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return true
			}
		}
	}
	return false
}

// killWorker waits until a replica is working a batch of the bulk job,
// with at least one batch already done, and kills it with SIGKILL. It
// returns the replica killed.
func (c *cluster) killWorker(t *testing.T, jobID string) *replica {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		worker := c.text(`SELECT coalesce((SELECT attempted_by[array_length(attempted_by, 1)] FROM river_job
			WHERE kind = 'bulk_batch' AND state = 'running' AND args->>'job_id' = $1 AND (args->>'after')::bigint > 0 LIMIT 1), '')`, jobID)
		for _, r := range c.replicas {
			if worker == "replica-"+r.name {
				if err := r.cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
				_, _ = r.cmd.Process.Wait()
				return r
			}
		}
	}
	t.Fatalf("no replica was seen working a batch of job %s", jobID)
	return nil
}

func (c *cluster) ids(query string, args ...any) []int64 {
	c.t.Helper()
	db, err := c.store.SQLDB()
	if err != nil {
		c.t.Fatal(err)
	}
	rows, err := db.QueryContext(context.Background(), query, args...)
	if err != nil {
		c.t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			c.t.Fatal(err)
		}
		out = append(out, id)
	}
	return out
}

const replicaPassword = "Walrus+Tide42"

func (c *cluster) addUser(accountID int64, name string) *models.User {
	c.t.Helper()
	return apptest.CreateUser(c.t, c.store, security.Argon2Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1},
		accountID, name, replicaPassword, models.StatusActive, time.Now())
}

func (c *cluster) countAudit(accountID int64, action string) int64 {
	return c.count("SELECT count(*) FROM audit_events WHERE account_id = $1 AND action = $2 AND details->>'reason' = 'replica test'", accountID, action)
}

func (c *cluster) text(query string, args ...any) string {
	c.t.Helper()
	db, err := c.store.SQLDB()
	if err != nil {
		c.t.Fatal(err)
	}
	var out string
	if err := db.QueryRowContext(context.Background(), query, args...).Scan(&out); err != nil {
		c.t.Fatal(err)
	}
	return out
}

func (c *cluster) count(query string, args ...any) int64 {
	c.t.Helper()
	db, err := c.store.SQLDB()
	if err != nil {
		c.t.Fatal(err)
	}
	var n int64
	if err := db.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		c.t.Fatal(err)
	}
	return n
}
