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
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/metrics"
	"accountportal/app/session"
	"accountportal/config"
	"accountportal/models"
	"accountportal/static"
)

// Deps are everything the web layer needs, passed in by app.Main or a test.
type Deps struct {
	Config   *config.Config
	Logger   *slog.Logger
	Now      func() time.Time
	Pinger   Pinger
	Sessions *session.Store
	SignIn   SignInService
	Setup    SetupService
	Recovery RecoveryService
	Profile  ProfileService
	// The account administrators' services, one per subject.
	Privileges *admin.Privileges
	Roles      *admin.Roles
	Users      *admin.Users
	Bulk       *admin.Bulk
	Audit      *admin.Audit
	MFA        MFAService
	Settings   SettingsService
	Support    SupportService
	// Metrics records requests and sign-ins; nil records nothing.
	Metrics *metrics.Metrics
	// Mailbox lists kept mail at /dev/mailbox; nil turns the route off.
	Mailbox  MailboxReader
	Assets   *static.Assets
	ClientIP echo.IPExtractor
}

// Pinger checks that the database answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// SignInService is what the sign-in pages and the session middleware use.
type SignInService interface {
	Authenticate(ctx context.Context, username, password string, from audit.Origin) (*models.User, error)
	LicenseVersion() string
	NeedsLicense(ctx context.Context, userID int64) (bool, error)
	AcceptLicense(ctx context.Context, userID int64, from audit.Origin) error
	Complete(ctx context.Context, userID int64, from audit.Origin) error
	RecordSignOut(ctx context.Context, u *models.User, from audit.Origin) error
	LoadPrincipal(ctx context.Context, userID int64) (*identity.Principal, error)
	CheckPassword(ctx context.Context, u *models.User, password string) error
}

// SetupService is what the first-run setup page uses.
type SetupService interface {
	Open(ctx context.Context) (bool, error)
	Fresh(ctx context.Context) (bool, error)
	Run(ctx context.Context, in account.SetupInput, from audit.Origin) (*models.User, error)
}

// Server is the portal's HTTP handler.
type Server struct {
	echo *echo.Echo
	deps Deps
	log  *slog.Logger
}

// NewServer builds the router with every route and middleware.
func NewServer(d Deps) *Server {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.IPExtractor = d.ClientIP
	s := &Server{echo: e, deps: d, log: d.Logger}
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
