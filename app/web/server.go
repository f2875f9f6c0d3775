// Package web is the HTTP face of the portal: Echo routes, middleware, the
// error page and one handler file per area. Handlers parse, call one service
// method and render; rules and transactions live in the domain packages.
package web

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"accountportal/app/account"
	"accountportal/app/admin"
	"accountportal/app/identity"
	"accountportal/app/metrics"
	"accountportal/app/mfa"
	"accountportal/app/profile"
	"accountportal/app/provider"
	"accountportal/app/recovery"
	"accountportal/app/session"
	"accountportal/app/support"
	"accountportal/app/throttle"
	"accountportal/config"
	"accountportal/models"
	"accountportal/static"
)

// Deps are everything the web layer needs, passed in by app.Main. Services
// are the domain's own types: each handler group is given the few it uses.
type Deps struct {
	Config   *config.Config
	Logger   *slog.Logger
	Now      func() time.Time
	Pinger   Pinger
	Sessions *session.Store
	SignIn   *identity.SignIn
	Setup    *account.Setup
	Recovery *recovery.Service
	Profile  *profile.Service
	MFA      *mfa.Service
	Settings *account.Settings
	Support  *support.Service
	// Provider is the operator console: the customer accounts.
	Provider *provider.Service
	// Lifecycle suspends, reactivates and closes customer accounts.
	Lifecycle *provider.Lifecycle
	// Rescue helps a locked-out Primary Admin back in.
	Rescue *provider.Rescue
	// The account administrators' services, one per subject.
	Privileges *admin.Privileges
	Roles      *admin.Roles
	Users      *admin.Users
	Bulk       *admin.Bulk
	Audit      *admin.Audit
	// APITokens makes, lists and checks the JSON API's tokens.
	APITokens *admin.APITokens
	// CursorKey authenticates the API's list cursors (see listCursors): a
	// key derived for that purpose alone, the same on every replica.
	CursorKey []byte
	// Throttle counts each API token's requests against its rate limit.
	Throttle *throttle.Limiter
	// Metrics records requests and sign-ins; nil records nothing.
	Metrics *metrics.Metrics
	// Mailbox lists kept mail at /dev/mailbox; nil turns the route off.
	Mailbox  *models.OutboxStore
	Assets   *static.Assets
	ClientIP echo.IPExtractor
}

// Pinger checks that the database answers. Of the whole store, the health
// check needs this one method.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Server is the portal's HTTP handler. Its middleware and error page use
// the deps; its handler groups get only their own services (see routes).
type Server struct {
	pages
	echo *echo.Echo
	deps Deps
	log  *slog.Logger
}

// NewServer builds the router with every route and middleware.
func NewServer(d Deps) *Server {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.IPExtractor = d.ClientIP
	s := &Server{pages: pages{assets: d.Assets, now: d.Now}, echo: e, deps: d, log: d.Logger}
	e.HTTPErrorHandler = s.handleError
	s.routes()
	return s
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// Routes lists every registered route as "METHOD path", for the
// authorization matrix test.
func (s *Server) Routes() []*echo.Route { return s.echo.Routes() }

// ClientIPExtractor returns how the client's address is found: the socket's
// peer, unless that peer is a trusted proxy, in which case the rightmost
// untrusted address of X-Forwarded-For.
func ClientIPExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
