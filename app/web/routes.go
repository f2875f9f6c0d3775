package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"accountportal/app/identity"
	"accountportal/static"
)

// routes registers the whole URL surface, grouped by who may call it.
func (s *Server) routes() {
	e := s.echo
	e.Use(requestID(), s.accessLog(), s.recoverPanics(), s.securityHeaders(), bodyLimit())

	// Anyone, without a session: health checks and static files.
	health := healthHandlers{db: s.deps.Pinger}
	e.GET("/healthz", health.live)
	e.GET("/readyz", health.ready)
	e.GET(static.Prefix+"*", echo.WrapHandler(s.deps.Assets))

	// Everything else runs with a session, same-origin checks and CSRF tokens.
	site := routeSet{e: e, mw: []echo.MiddlewareFunc{readBody(), cleanRequest(),
		shedLoad(s.deps.Config.MaxInFlight, s.deps.Config.QueueWait), s.crossOrigin(), s.loadSession(), checkCSRF()}}

	// Visitors who are not signed in.
	setup := setupHandlers{srv: s, setup: s.deps.Setup}
	site.GET("/setup", setup.show)
	site.POST("/setup", setup.submit)

	login := loginHandlers{srv: s, setup: s.deps.Setup, profile: s.deps.Profile, signIn: s.deps.SignIn, mfa: s.deps.MFA, sessions: s.deps.Sessions, now: s.deps.Now}
	site.GET("/login", login.usernameForm)
	site.POST("/login", login.usernameSubmit)
	site.GET("/login/password", login.passwordForm)
	site.POST("/login/password", login.passwordSubmit)
	site.GET("/login/mfa", login.mfaForm)
	site.POST("/login/mfa", login.mfaSubmit)
	site.GET("/login/mfa/setup", login.mfaSetupForm)
	site.POST("/login/mfa/setup", login.mfaSetupSubmit)
	site.POST("/login/continue", login.proceed)
	site.GET("/login/question", login.questionForm)
	site.POST("/login/question", login.questionSubmit)
	site.GET("/login/agreement", login.agreementForm)
	site.POST("/login/agreement", login.agreementSubmit)
	site.POST("/logout", login.logout)

	// The password checklist's one rule the browser cannot judge alone.
	site.POST("/password/check", checkPassword)

	recover := recoveryHandlers{srv: s, svc: s.deps.Recovery}
	site.GET("/forgot", recover.choose)
	site.GET("/forgot/password", recover.forgotPasswordForm)
	site.POST("/forgot/password", recover.forgotPasswordSubmit)
	site.GET("/forgot/username", recover.forgotUsernameForm)
	site.POST("/forgot/username", recover.forgotUsernameSubmit)
	reset := site.with(noReferrer())
	reset.GET("/reset/:token", recover.openLink)
	reset.GET("/welcome/:token", recover.openLink)
	reset.GET("/reset", recover.wizard)
	reset.POST("/reset/answer", recover.answer)
	reset.POST("/reset/password", recover.setPassword)
	reset.GET("/reset/done", recover.done)

	// Development only, when no SMTP server is configured: the kept mail.
	if s.deps.Mailbox != nil {
		box := mailboxHandlers{srv: s, mail: s.deps.Mailbox}
		site.GET("/dev/mailbox", box.list)
		site.GET("/dev/mailbox/:id", box.show)
		site.GET("/dev/mailbox/:id/html", box.html)
	}

	// Signed-in users whose account requires a second factor set it up
	// here before anything else.
	enrolling := site.with(requireUser())
	mh := mfaHandlers{srv: s, mfa: s.deps.MFA}
	enrolling.GET("/profile/mfa/setup", mh.setupForm)
	enrolling.POST("/profile/mfa/setup", mh.setupSubmit)

	// Signed-in users: customers and the support desk's agents alike.
	user := enrolling.with(requireMFA())
	user.GET("/profile/mfa", mh.status)
	user.POST("/profile/mfa/start", mh.start)
	user.POST("/profile/mfa/codes", mh.codes)
	user.POST("/profile/mfa/remove", mh.remove)
	home := homeHandlers{srv: s}
	user.GET("/", home.show)
	confirm := confirmHandlers{srv: s, signIn: s.deps.SignIn}
	user.GET("/confirm", confirm.show)
	user.POST("/confirm", confirm.submit)

	// The support desk's agents, and nobody else.
	desk := supportHandlers{srv: s, desk: s.deps.Support}
	agents := user.with(allow(isAgent))
	agents.GET("/support", desk.search)
	agents.GET("/support/accounts/:id", desk.show)
	agents.POST("/support/accounts/:id/verify", desk.verify)

	// Users of customer accounts: agents see none of it.
	user = user.with(allow(isCustomer))
	me := profileHandlers{srv: s, profile: s.deps.Profile, desk: s.deps.Support, mfa: s.deps.MFA}
	user.GET("/profile", me.show)
	user.GET("/profile/edit", redirectTo("/profile"))
	user.POST("/profile/details", me.details)
	user.GET("/profile/passphrase", me.showPassphrase)
	user.POST("/profile/passphrase", me.savePassphrase)
	user.POST("/profile/password", me.password)
	user.POST("/profile/question", me.question)
	user.POST("/profile/email", me.email)
	user.GET("/profile/email/confirm/:token", me.confirmEmail)
	user.POST("/profile/sessions/signout", me.signOutSession)
	user.POST("/profile/sessions/signout-others", me.signOutOthers)
	codes := supportCodeHandlers{srv: s, desk: s.deps.Support}
	user.GET("/profile/support-code", codes.show)
	user.POST("/profile/support-code", codes.create)

	// The Primary Admin transfer: its target answers here.
	priv := privilegeHandlers{srv: s, admin: s.deps.Admin}
	user.GET("/admin/transfer", priv.offer)
	user.POST("/admin/transfer", priv.decide)

	// The Primary Admin; holders of "View and create roles" may look.
	user.with(allow(primaryOrRoleManager)).GET("/admin/privileges", priv.show)
	primary := user.with(allow(primaryOnly))
	primary.POST("/admin/privileges/areas", priv.saveAreas)
	primary.GET("/admin/privileges/remove", priv.confirmRemove)
	primary.POST("/admin/privileges/remove", priv.remove)
	primary.POST("/admin/privileges/transfer", priv.startTransfer)
	primary.POST("/admin/privileges/transfer/cancel", priv.cancelTransfer)

	// Holders of "View and create roles".
	roles := user.with(allow(holds(identity.PermRolesManage)))
	rh := roleHandlers{srv: s, admin: s.deps.Admin}
	roles.GET("/admin/roles", rh.list)
	roles.GET("/admin/roles/new", rh.newForm)
	roles.POST("/admin/roles", rh.create)
	roles.GET("/admin/roles/:id", rh.show)
	roles.GET("/admin/roles/:id/edit", rh.editForm)
	roles.POST("/admin/roles/:id", rh.update)
	roles.GET("/admin/roles/:id/delete", rh.confirmDelete)
	roles.POST("/admin/roles/:id/delete", rh.delete)
	roles.POST("/admin/roles/:id/members", rh.members)

	// Holders of "View the audit log".
	auditors := user.with(allow(holds(identity.PermAuditView)))
	audit := auditHandlers{srv: s, svc: s.deps.Audit}
	auditors.GET("/admin/audit", audit.list)
	auditors.GET("/admin/audit.csv", audit.csv)

	// Holders of "Account security settings".
	sec := securityHandlers{srv: s, settings: s.deps.Settings}
	secure := user.with(allow(holds(identity.PermSecurityManage)))
	secure.GET("/admin/security", sec.show)
	secure.POST("/admin/security", sec.save)

	// Holders of "Manage users".
	users := user.with(allow(holds(identity.PermUsersManage)))
	uh := userHandlers{srv: s, users: s.deps.Users}
	users.GET("/admin/users", uh.list)
	users.GET("/admin/users.csv", uh.csv)
	users.GET("/admin/users/new", uh.newForm)
	users.POST("/admin/users", uh.create)
	users.POST("/admin/users/bulk", uh.preview)
	users.POST("/admin/users/bulk/run", uh.run)
	users.GET("/admin/users/jobs", uh.jobs)
	users.GET("/admin/users/jobs/:job", uh.job)
	users.GET("/admin/users/jobs/:job/results.csv", uh.jobCSV)
	users.GET("/admin/users/:id", uh.show)
	users.POST("/admin/users/:id", uh.update)
	users.POST("/admin/users/:id/status", uh.status)
	users.GET("/admin/users/:id/mfa", uh.resetMFAForm)
	users.POST("/admin/users/:id/mfa", uh.resetMFA)
	users.POST("/admin/users/:id/reset", uh.resend)
	users.POST("/admin/users/:id/question/clear", uh.clearQuestion)
	users.POST("/admin/users/:id/reset/unblock", uh.unblockReset)
	users.GET("/admin/users/:id/delete", uh.deleteForm)
	users.POST("/admin/users/:id/delete", uh.delete)
	users.POST("/admin/users/:id/sessions/signout", uh.signOut)
	users.POST("/admin/users/:id/links/:link/void", uh.voidLink)
}

// routeSet registers routes that share middleware. Unlike echo.Group, it
// adds no catch-all route, so unknown paths stay 404 and known paths with
// the wrong method stay 405.
type routeSet struct {
	e  *echo.Echo
	mw []echo.MiddlewareFunc
}

func (r routeSet) with(mw ...echo.MiddlewareFunc) routeSet {
	return routeSet{e: r.e, mw: append(append([]echo.MiddlewareFunc(nil), r.mw...), mw...)}
}

// GET registers a GET route.
func (r routeSet) GET(path string, h echo.HandlerFunc) { r.e.GET(path, h, r.mw...) }

// POST registers a POST route.
func (r routeSet) POST(path string, h echo.HandlerFunc) { r.e.POST(path, h, r.mw...) }

// redirectTo answers with a 303 to a fixed path, for old addresses.
func redirectTo(path string) echo.HandlerFunc {
	return func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, path) }
}
