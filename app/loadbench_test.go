package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/app/security"
	"accountportal/config"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// TestLoadBenchmark is `make bench`'s load test, not part of `make test`:
// it starts the portal binary on loopback against PostgreSQL, drives it
// with vegeta at constant rates and prints a table of what it measured.
func TestLoadBenchmark(t *testing.T) {
	if os.Getenv("LOAD_BENCH") != "1" {
		t.Skip("set LOAD_BENCH=1 (make bench)")
	}
	lb := startLoadPortal(t)
	rows := [][2]string{}
	add := func(what, figure string) { rows = append(rows, [2]string{what, figure}) }

	h := hashRate(t)
	add("hash-only rate H (argon2id 19 MiB, t=2, p=1, "+strconv.Itoa(runtime.NumCPU())+" goroutines)", fmt.Sprintf("%.1f hashes/s", h))
	fair := lb.signIns(t, h, 15*time.Second)
	add("sign-in at H offered: completed per second, ratio to H", fmt.Sprintf("%.1f/s = %.2f × H (p50 %s, p99 %s)", fair.rate, fair.rate/h, ms(fair.p50), ms(fair.p99)))
	add("… CPU meanwhile", fair.cpu)
	over := lb.signIns(t, 1.3*h, 15*time.Second)
	add("sign-in at 1.3 × H offered: completed per second", fmt.Sprintf("%.1f/s = %.2f × H", over.rate, over.rate/h))
	add("… share refused (429/503), and their p99", fmt.Sprintf("%.1f%%, p99 %s", 100*over.refusedShare, ms(over.refusedP99)))
	add("… peak resident memory of the portal", mib(lb.peakRSS()))

	for _, page := range []struct{ name, path string }{{"My Profile", "/profile"}, {"users list (10,000 users)", "/admin/users"}} {
		before := lb.cpu()
		res := lb.pages(page.path, 2500, 10*time.Second)
		cpu := lb.cpu().cores(before)
		add(page.name+" at 2,500 requests/s offered: answered 200, p50 / p99 of those", fmt.Sprintf("%.0f/s, %s / %s",
			float64(len(res.ok))/10, ms(quantile(res.ok, 0.5)), ms(quantile(res.ok, 0.99))))
		add("… refused 503 (PORTAL_MAX_IN_FLIGHT), other", fmt.Sprintf("%.0f%%, %.0f%%", 100*float64(res.refused)/float64(res.total),
			100*float64(res.total-len(res.ok)-res.refused)/float64(res.total)))
		add("… resident memory under that load (peak sample)", mib(res.rss))
		add("… CPU meanwhile", cpu)
		rate, at, low := lb.sustainable(page.path)
		add(page.name+" at 50 requests/s: p50 / p90 / p99", fmt.Sprintf("%s / %s / %s", ms(quantile(low.ok, 0.5)),
			ms(quantile(low.ok, 0.9)), ms(quantile(low.ok, 0.99))))
		if rate == 0 {
			add("… highest rate with p99 ≤ 5 ms and every answer 200", "none from 50/s up")
		} else {
			add("… highest rate with p99 ≤ 5 ms and every answer 200", fmt.Sprintf("%d/s (p99 %s)", rate, ms(at)))
		}
	}
	add("start-up to first response (migrated database)", ms(lb.restart(t)))
	if st, err := os.Stat(lb.bin); err == nil {
		add("binary size", mib(st.Size()))
	}
	for _, p := range []string{"/login", "/profile", "/admin/users"} {
		add("bytes of "+p, strconv.Itoa(lb.size(t, p))+" B")
	}
	add("bytes of the stylesheet (cached for a year)", strconv.Itoa(lb.size(t, lb.cssPath))+" B")

	fmt.Printf("\n| what | figure |\n|---|---|\n")
	for _, r := range rows {
		fmt.Printf("| %s | %s |\n", r[0], r[1])
	}
	fmt.Println()
}

type loadPortal struct {
	t       *testing.T
	bin     string
	env     []string
	base    string
	cmd     *exec.Cmd
	ada     *apptest.Client
	cookies string
	cssPath string
	log     *syncBuffer
}

func startLoadPortal(t *testing.T) *loadPortal {
	dbURL := modelstest.NewEmptyPostgresURL(t)
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "keys.json")
	if _, err := security.LoadKeyRing(keyFile, true, false); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	lb := &loadPortal{t: t, bin: buildBinary(t), base: "http://" + addr, log: &syncBuffer{}, env: append(os.Environ(),
		"PORTAL_LISTEN="+addr, "PORTAL_PUBLIC_URL=http://"+addr, "PORTAL_DATABASE_URL="+dbURL,
		"PORTAL_SECRET_KEYS_FILE="+keyFile, "PORTAL_LOG_LEVEL=warn")}
	lb.start(t)
	t.Cleanup(lb.stop)
	a := apptest.DefaultAdmin()
	lb.ada = apptest.NewClient(t, lb.base)
	res := lb.ada.Submit(lb.ada.Get("/setup"), "form[data-testid=setup-form]", map[string]string{
		"setup_code": apptest.SetupCodeOf(t, keyFile), "company_name": a.Company, "display_name": a.DisplayName, "email": a.Email, "username": a.Username,
		"password": a.Password, "password_confirm": a.Password, "passphrase": a.Passphrase})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("setup: %d", res.Status)
	}
	store, err := models.Open(context.Background(), models.Options{URL: dbURL, MaxOpenConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	u, err := store.Users.ByUsernameKey(context.Background(), identity.UsernameKey("ada"))
	if err != nil {
		t.Fatal(err)
	}
	if err := modelstest.SeedUsers(context.Background(), store, u.AccountID, 10000); err != nil {
		t.Fatal(err)
	}
	lb.cookies = lb.ada.CookieHeader()
	lb.cssPath, _ = lb.ada.Get("/profile").Doc.Find("link[rel=stylesheet]").Attr("href")
	return lb
}

func (lb *loadPortal) start(t *testing.T) time.Duration {
	lb.cmd = exec.Command(lb.bin, "serve")
	lb.cmd.Env, lb.cmd.Stdout, lb.cmd.Stderr = lb.env, lb.log, lb.log
	began := time.Now()
	if err := lb.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if !waitReady(lb.base, began.Add(30*time.Second), time.Millisecond) {
		t.Fatalf("the portal did not start:\n%s", lb.log.String())
	}
	return time.Since(began)
}

func (lb *loadPortal) stop() {
	_ = lb.cmd.Process.Signal(syscall.SIGTERM)
	_ = lb.cmd.Wait()
}

func (lb *loadPortal) restart(t *testing.T) time.Duration {
	lb.stop()
	return lb.start(t)
}

// hashRate measures how many password hashes per second this machine
// computes with the default parameters, one goroutine per CPU.
func hashRate(t *testing.T) float64 {
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	h := security.NewHasher(security.Argon2Params(cfg.Argon2), runtime.NumCPU(), time.Minute)
	var n atomic.Int64
	stop := time.Now().Add(5 * time.Second)
	var wg sync.WaitGroup
	began := time.Now()
	for range runtime.NumCPU() {
		wg.Go(func() {
			for time.Now().Before(stop) {
				if _, err := h.Hash(context.Background(), "Zebra+Lamp7x"); err != nil {
					t.Error(err)
					return
				}
				n.Add(1)
			}
		})
	}
	wg.Wait()
	return float64(n.Load()) / time.Since(began).Seconds()
}

type signInLoad struct {
	rate, refusedShare float64
	p50, p99           time.Duration
	refusedP99         time.Duration
	cpu                string
}

// signIns offers password sign-ins at rate for d. Each request has a
// session of its own that has passed the username step, as a browser's
// would, so every one costs a hash.
func (lb *loadPortal) signIns(t *testing.T, rate float64, d time.Duration) signInLoad {
	n := int(rate*d.Seconds()*1.2) + 20
	targets := lb.pendingSignIns(t, n)
	atk := vegeta.NewAttacker(vegeta.Redirects(vegeta.NoFollow), vegeta.Timeout(30*time.Second))
	var ok, refused []time.Duration
	var total int
	before := lb.cpu()
	for res := range atk.Attack(vegeta.NewStaticTargeter(targets...), vegeta.ConstantPacer{Freq: int(rate + 0.5), Per: time.Second}, d, "sign-in") {
		total++
		switch res.Code {
		case http.StatusSeeOther:
			ok = append(ok, res.Latency)
		case http.StatusTooManyRequests, http.StatusServiceUnavailable:
			refused = append(refused, res.Latency)
		}
	}
	out := signInLoad{rate: float64(len(ok)) / d.Seconds(), refusedShare: float64(len(refused)) / float64(max(total, 1)),
		cpu: lb.cpu().cores(before)}
	out.p50, out.p99 = quantile(ok, 0.5), quantile(ok, 0.99)
	out.refusedP99 = quantile(refused, 0.99)
	if total > len(targets) {
		t.Fatalf("%d sign-ins sent but only %d sessions prepared", total, len(targets))
	}
	return out
}

// pendingSignIns prepares n sessions past the username step and returns
// the password step of each as a vegeta target.
func (lb *loadPortal) pendingSignIns(t *testing.T, n int) []vegeta.Target {
	a := apptest.DefaultAdmin()
	out := make([]vegeta.Target, n)
	var wg sync.WaitGroup
	var next atomic.Int64
	for range 8 {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				c := apptest.NewClient(t, lb.base)
				page := c.Get("/login")
				c.Submit(page, "form[data-testid=login-username-form]", map[string]string{"username": "ada"})
				body := url.Values{"csrf_token": {apptest.CSRF(page)}, "password": {a.Password}}.Encode()
				out[i] = vegeta.Target{Method: http.MethodPost, URL: lb.base + "/login/password", Body: []byte(body),
					Header: http.Header{"Cookie": {c.CookieHeader()}, "Content-Type": {"application/x-www-form-urlencoded"}}}
			}
		})
	}
	wg.Wait()
	return out
}

// pageLoad is what a constant-rate run of one page saw.
type pageLoad struct {
	ok             []time.Duration
	refused, total int
	rss            int64
}

// pages requests path as the signed-in Primary Admin at rate for d, and
// samples the portal's resident memory meanwhile.
func (lb *loadPortal) pages(path string, rate int, d time.Duration) pageLoad {
	target := vegeta.Target{Method: http.MethodGet, URL: lb.base + path, Header: http.Header{"Cookie": {lb.cookies}}}
	atk := vegeta.NewAttacker(vegeta.Redirects(vegeta.NoFollow), vegeta.Timeout(10*time.Second))
	var out pageLoad
	var rss atomic.Int64
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(250 * time.Millisecond):
				if v := lb.statusField("VmRSS"); v > rss.Load() {
					rss.Store(v)
				}
			}
		}
	}()
	for res := range atk.Attack(vegeta.NewStaticTargeter(target), vegeta.ConstantPacer{Freq: rate, Per: time.Second}, d, path) {
		out.total++
		switch res.Code {
		case http.StatusOK:
			out.ok = append(out.ok, res.Latency)
		case http.StatusServiceUnavailable:
			out.refused++
		}
	}
	close(done)
	out.rss = rss.Load()
	return out
}

// sustainable returns the highest of a ladder of rates at which every
// answer was 200 with p99 at most 5 ms, that p99, and the lowest rate's run.
func (lb *loadPortal) sustainable(path string) (int, time.Duration, pageLoad) {
	// Let the overload before settle (queues drained, garbage collected).
	time.Sleep(5 * time.Second)
	best, at := 0, time.Duration(0)
	var low pageLoad
	for i, rate := range []int{50, 100, 200, 300, 400, 600, 800, 1200} {
		res := lb.pages(path, rate, 5*time.Second)
		if i == 0 {
			low = res
		}
		p99 := quantile(res.ok, 0.99)
		lb.t.Logf("%s at %d/s: %d of %d answered 200, p50 %s, p90 %s, p99 %s", path, rate, len(res.ok), res.total,
			ms(quantile(res.ok, 0.5)), ms(quantile(res.ok, 0.9)), ms(p99))
		if len(res.ok) != res.total || p99 > 5*time.Millisecond {
			break
		}
		best, at = rate, p99
	}
	return best, at, low
}

func (lb *loadPortal) size(t *testing.T, path string) int {
	req, _ := http.NewRequest(http.MethodGet, lb.base+path, nil)
	req.Header.Set("Cookie", lb.cookies)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return len(b)
}

func (lb *loadPortal) peakRSS() int64 { return lb.statusField("VmHWM") }

// statusField reads a memory figure (in kB) of the portal from /proc.
func (lb *loadPortal) statusField(name string) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", lb.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, name+":"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }
func mib(b int64) string        { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
