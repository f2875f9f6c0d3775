package web_test

import (
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/app/web"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// idRoute is a registered route whose path takes parameters, with the
// matrix row it answers to.
type idRoute struct {
	key    string // "METHOD /path/:param"
	method string
	parts  []string // the path split at "/", parameters as ":name"
	row    check
}

// serviceWideParams are routes whose parameters name no customer's
// object: the dev mailbox (dev only, no sign-in, the whole portal's kept
// mail) and the emailed links, whose tokens are secrets checked by digest.
var serviceWideParams = map[string]bool{
	"GET /dev/mailbox/:id": true, "GET /dev/mailbox/:id/html": true,
	"GET /reset/:token": true, "GET /welcome/:token": true,
}

// idRoutes lists every registered route with a parameter, from the router
// itself, so a route added later is probed without anyone listing it.
func (w *isolationWorld) idRoutes(t testing.TB) []idRoute {
	rows := w.matrix()
	seen := map[string]bool{}
	var out []idRoute
	for _, r := range w.e.App.Handler.(*web.Server).Routes() {
		key := r.Method + " " + r.Path
		if seen[key] || !strings.Contains(r.Path, "/:") || serviceWideParams[key] {
			continue
		}
		seen[key] = true
		row, ok := rows[key]
		if !ok {
			t.Fatalf("route %s has no matrix row", key)
		}
		out = append(out, idRoute{key: key, method: r.Method, parts: strings.Split(r.Path, "/"), row: row})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	if len(out) < 15 {
		t.Fatalf("only %d routes with parameters: the router was not read", len(out))
	}
	return out
}

// foreignValues are values another account's objects have, of every kind a
// path can take, and garbage; ownValues are account A's. Ids are shared
// numbers across tables, so B's role 5 may be A's user 5: a value that is
// the id of anything account A sees is left out, since it is A's to use.
func (w *isolationWorld) foreignValues(t testing.TB) []string {
	mine := w.idsOfAccount(t, w.e.User("ada").AccountID)
	out := []string{"999999999", "9223372036854775807", "9223372036854775808", "-1", "0", "1e3", "0x10", "%20", "abc"}
	for _, tn := range w.tenants {
		for _, id := range []int64{tn.account.ID, tn.admin.ID, tn.member.ID, tn.roleID, tn.linkID, tn.jobID} {
			if !mine[itoa64(id)] {
				out = append(out, itoa64(id))
			}
		}
		out = append(out, tn.session, strings.TrimPrefix(tn.confirm, "/profile/email/confirm/"))
	}
	return out
}

// idsOfAccount is every id of something the account's people may name:
// the account, its users, its and the built-in roles, its users' links and
// its bulk jobs.
func (w *isolationWorld) idsOfAccount(t testing.TB, accountID int64) map[string]bool {
	db, err := w.e.Store().SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{itoa64(accountID): true}
	for _, q := range []string{
		"SELECT id FROM users WHERE account_id = $1",
		"SELECT id FROM roles WHERE account_id = $1 OR account_id IS NULL",
		"SELECT k.id FROM tokens k JOIN users u ON u.id = k.user_id WHERE u.account_id = $1",
		"SELECT id FROM bulk_jobs WHERE account_id = $1",
	} {
		rows, err := db.Query(q, accountID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out[itoa64(id)] = true
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func (w *isolationWorld) ownValues() []string {
	return []string{w.targetID, w.roleID, w.account}
}

// probeFixture is the signed-in browsers and the state the probes share.
type probeFixture struct {
	w       *isolationWorld
	routes  []idRoute
	clients map[string]*apptest.Client
	foreign []string
	own     []string
}

func newProbeFixture(t testing.TB, w *isolationWorld) *probeFixture {
	f := &probeFixture{w: w, routes: w.idRoutes(t), clients: map[string]*apptest.Client{},
		foreign: w.foreignValues(t), own: w.ownValues()}
	for _, p := range customerPersonas {
		f.clients[p] = w.client(t, p)
	}
	return f
}

// probe sends one request to route as persona with its parameters filled
// from picks: at least one of them another account's value or garbage,
// the rest perhaps account A's. The answer must be what the route gives
// the persona for an object that does not exist (404, or the 403 it gives
// them for every id), never a success or a 500, and must name nothing of
// B or C.
func (f *probeFixture) probe(t testing.TB, route idRoute, persona string, picks []uint64) {
	t.Helper()
	parts := append([]string(nil), route.parts...)
	var params []int
	for i, p := range parts {
		if strings.HasPrefix(p, ":") {
			params = append(params, i)
		}
	}
	foreignAt := params[int(picks[0]%uint64(len(params)))]
	for n, i := range params {
		pick := picks[(n+1)%len(picks)]
		if i == foreignAt || pick%3 != 0 {
			parts[i] = f.foreign[pick%uint64(len(f.foreign))]
		} else {
			parts[i] = f.own[pick%uint64(len(f.own))]
		}
	}
	path := strings.Join(parts, "/")
	// The persona's browser (its cookies), reporting to this test.
	c := apptest.NewClient(t, f.w.e.URL)
	c.HTTP = f.clients[persona].HTTP
	var res *apptest.Response
	switch route.method {
	case http.MethodGet:
		res = c.Get(path)
	case http.MethodPost:
		form := url.Values{}
		for k, vs := range route.row.form {
			form[k] = vs
		}
		res = post(c, path, form)
	default: // the JSON API's and SCIM's PUT, PATCH and DELETE
		res = c.Request(route.method, path, route.row.form, nil)
	}
	want := foreignIDStatus(map[string]check{route.key: route.row}, route.key, persona)
	if route.key == "GET /support/accounts/:id" || route.key == "POST /support/accounts/:id/verify" {
		want = http.StatusForbidden // customers never reach the desk
	}
	if res.Status != want && !(res.Status == http.StatusBadRequest && garbage(parts, params)) {
		t.Errorf("%s %s as %s: %d, want %d", route.method, path, persona, res.Status, want)
	}
	f.w.noneShown(t, persona+" "+path, res.Body)
}

// garbage reports whether some parameter is not a plain decimal number or
// hex handle, which the request cleaner may refuse as bad input.
func garbage(parts []string, params []int) bool {
	for _, i := range params {
		if _, err := strconv.ParseInt(parts[i], 10, 64); err != nil {
			return true
		}
	}
	return false
}

// TestCrossAccountIDsProperty fills the parameters of every registered
// route with random values of other accounts' objects (and garbage), as
// every customer persona of account A, and checks B's and C's rows are
// unchanged afterwards. ISOLATION_SEED repeats a run.
func TestCrossAccountIDsProperty(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		seed := rand.Uint64()
		if s, err := strconv.ParseUint(os.Getenv("ISOLATION_SEED"), 10, 64); err == nil {
			seed = s
		}
		t.Logf("ISOLATION_SEED=%d", seed)
		rng := rand.New(rand.NewPCG(seed, seed))
		w := newIsolationWorld(t, d)
		before := w.digests(t)
		f := newProbeFixture(t, w)
		probes := 0
		for _, route := range f.routes {
			for _, persona := range customerPersonas {
				for range 4 {
					f.probe(t, route, persona, []uint64{rng.Uint64(), rng.Uint64(), rng.Uint64()})
					probes++
				}
			}
		}
		t.Logf("%d routes with parameters, %d probes", len(f.routes), probes)
		w.unchanged(t, before)
	})
}

// FuzzCrossAccountIDs is the same probe driven by the fuzzer, on SQLite:
// the fuzzer picks the route, the persona and the values.
func FuzzCrossAccountIDs(f *testing.F) {
	f.Add(uint16(0), uint8(0), uint64(1), uint64(2))
	f.Add(uint16(7), uint8(6), uint64(12), uint64(5))
	f.Add(uint16(13), uint8(3), uint64(99), uint64(1<<40))
	// One world for every input: building it signs in a dozen people.
	w := newIsolationWorld(f, models.SQLite)
	fx := newProbeFixture(f, w)
	before := w.digests(f)
	f.Fuzz(func(t *testing.T, route uint16, persona uint8, a, b uint64) {
		r := fx.routes[int(route)%len(fx.routes)]
		fx.probe(t, r, customerPersonas[int(persona)%len(customerPersonas)], []uint64{a, b, a ^ b})
		fx.w.unchanged(t, before)
	})
}
