package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"accountportal/app/admin"
	"accountportal/app/identity"
	"accountportal/app/provider"
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

	// The site and the JSON API share one bound on the requests worked on
	// at once.
	shed := shedLoad(s.deps.Config.MaxInFlight, s.deps.Config.QueueWait)

	// The JSON API: its description for anyone; the rest with an API token
	// (Authorization: Bearer), no session and so no CSRF token, each token
	// rate-limited. Errors are problem details (see apiError).
	api := routeSet{e: e, mw: []echo.MiddlewareFunc{readBody(), shed}}
	api.GET(apiPrefix+"/openapi.json", serveOpenAPI)
	tokens := api.with(s.bearer(), s.rateLimit(), apiQuery())
	cursors := listCursors{key: s.deps.CursorKey}
	apiUser := apiUsers{users: s.deps.Users, cursors: cursors}
	readers := tokens.with(requires(identity.PermUsersRead))
	readers.GET(apiPrefix+"/users", apiUser.list)
	readers.GET(apiPrefix+"/users/:id", apiUser.show)
	auditReaders := tokens.with(requires(identity.PermAuditView))
	auditReaders.GET(apiPrefix+"/audit-events", apiAudit{audit: s.deps.Audit, cursors: cursors}.list)
	apiRole := apiRoles{roles: s.deps.Roles, users: s.deps.Users}
	roleViewers := tokens.with(requires(identity.PermRolesManage))
	roleViewers.GET(apiPrefix+"/roles", apiRole.list)
	roleViewers.GET(apiPrefix+"/roles/:id", apiRole.show)
	roleViewers.with(s.idempotent()).POST(apiPrefix+"/roles/:id/members", apiRole.addMember)
	roleViewers.DELETE(apiPrefix+"/roles/:id/members/:user_id", apiRole.removeMember)
	apiManagers := tokens.with(requires(identity.PermUsersManage), s.idempotent())
	apiManagers.POST(apiPrefix+"/users", apiUser.create)
	apiManagers.PATCH(apiPrefix+"/users/:id", apiUser.update)
	apiManagers.DELETE(apiPrefix+"/users/:id", apiUser.remove)
	apiManagers.POST(apiPrefix+"/users/:id/deactivate", apiUser.setStatus(admin.BulkDeactivate))
	apiManagers.POST(apiPrefix+"/users/:id/reactivate", apiUser.setStatus(admin.BulkReactivate))
	apiManagers.POST(apiPrefix+"/users/:id/password-reset", apiUser.sendReset)
	apiManagers.with(requires(identity.PermUsersMFAReset)).POST(apiPrefix+"/users/:id/mfa-reset", apiUser.resetMFA)

	// SCIM 2.0 provisioning for identity providers: the same tokens, the
	// same middleware and rate limit; errors are SCIM error objects (see
	// scimError). Reading users needs "Read users" or "Manage users";
	// changing them, "Manage users". Groups (roles) need "View and create
	// roles"; PATCH changes members by the roles pages' rules, and POST,
	// PUT and DELETE answer 501 (roles are made in the console).
	scimTokens := routeSet{e: e, mw: []echo.MiddlewareFunc{readBody(), shed, s.bearer(), s.rateLimit(), apiQuery()}}
	scimUser := scimUsers{users: s.deps.Users, base: strings.TrimSuffix(s.deps.Config.PublicURL.String(), "/")}
	scimReaders := scimTokens.with(requires(identity.PermUsersRead))
	scimReaders.GET(scimPrefix+"/ServiceProviderConfig", scimServiceProviderConfig(scimUser.base))
	scimReaders.GET(scimPrefix+"/ResourceTypes", scimResourceTypes(scimUser.base))
	scimReaders.GET(scimPrefix+"/ResourceTypes/:name", scimResourceTypes(scimUser.base))
	scimReaders.GET(scimPrefix+"/Schemas", scimSchemas(scimUser.base))
	scimReaders.GET(scimPrefix+"/Schemas/:urn", scimSchemas(scimUser.base))
	scimReaders.GET(scimPrefix+"/Users", scimUser.list)
	scimReaders.GET(scimPrefix+"/Users/:id", scimUser.get)
	scimGroup := scimGroups{roles: s.deps.Roles, base: scimUser.base}
	scimRoleManagers := scimTokens.with(requires(identity.PermRolesManage))
	scimRoleManagers.GET(scimPrefix+"/Groups", scimGroup.list)
	scimRoleManagers.GET(scimPrefix+"/Groups/:id", scimGroup.get)
	scimRoleManagers.PATCH(scimPrefix+"/Groups/:id", scimGroup.patch)
	scimRoleManagers.POST(scimPrefix+"/Groups", scimGroup.notChangeable(scimGroupCreateDetail))
	scimRoleManagers.PUT(scimPrefix+"/Groups/:id", scimGroup.notChangeable(scimGroupReplaceDetail))
	scimRoleManagers.DELETE(scimPrefix+"/Groups/:id", scimGroup.notChangeable(scimGroupDeleteDetail))
	scimManagers := scimTokens.with(requires(identity.PermUsersManage))
	scimManagers.POST(scimPrefix+"/Users", scimUser.create)
	scimManagers.PUT(scimPrefix+"/Users/:id", scimUser.replace)
	scimManagers.PATCH(scimPrefix+"/Users/:id", scimUser.patch)
	scimManagers.DELETE(scimPrefix+"/Users/:id", scimUser.delete)

	// Everything else runs with a session, same-origin checks and CSRF tokens.
	site := routeSet{e: e, mw: []echo.MiddlewareFunc{readBody(), cleanRequest(),
		shed, s.crossOrigin(), s.loadSession(), checkCSRF(), s.speak()}}

	// Setting up a second factor: at sign-in when the account requires one,
	// and from My Profile.
	enrolment := mfaEnrolment{pages: s.pages, mfa: s.deps.MFA}

	// Visitors who are not signed in.
	setup := setupHandlers{pages: s.pages, setup: s.deps.Setup}
	site.GET("/setup", setup.show)
	site.POST("/setup", setup.submit)

	login := loginHandlers{mfaEnrolment: enrolment, setup: s.deps.Setup, profile: s.deps.Profile,
		signIn: s.deps.SignIn, metrics: s.deps.Metrics}
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

	forgot := recoveryHandlers{pages: s.pages, svc: s.deps.Recovery}
	site.GET("/forgot", forgot.choose)
	site.GET("/forgot/password", forgot.forgotPasswordForm)
	site.POST("/forgot/password", forgot.forgotPasswordSubmit)
	site.GET("/forgot/username", forgot.forgotUsernameForm)
	site.POST("/forgot/username", forgot.forgotUsernameSubmit)

	// The emailed reset and welcome links: their pages send no referrer.
	reset := site.with(noReferrer())
	reset.GET("/reset/:token", forgot.openLink)
	reset.GET("/welcome/:token", forgot.openLink)
	reset.GET("/reset", forgot.wizard)
	reset.POST("/reset/answer", forgot.answer)
	reset.POST("/reset/password", forgot.setPassword)
	reset.GET("/reset/done", forgot.done)
	// An operator's invitation to an onboarded account's Primary Admin: the
	// steps of first-run setup, then the sign-in's license agreement.
	invite := invitationHandlers{pages: s.pages, setup: s.deps.Setup, login: login}
	reset.GET("/invite/:token", invite.open)
	reset.GET("/invite", invite.form)
	reset.POST("/invite", invite.submit)

	// Development only, when no SMTP server is configured: the kept mail.
	if s.deps.Mailbox != nil {
		box := mailboxHandlers{pages: s.pages, mail: s.deps.Mailbox}
		site.GET("/dev/mailbox", box.list)
		site.GET("/dev/mailbox/:id", box.show)
		site.GET("/dev/mailbox/:id/html", box.html)
	}

	// Signed-in users, before anything else: those whose account requires
	// a second factor set it up here.
	signedIn := site.with(requireUser())
	mh := mfaHandlers{mfaEnrolment: enrolment}
	signedIn.GET("/profile/mfa/setup", mh.setupForm)
	signedIn.POST("/profile/mfa/setup", mh.setupSubmit)

	// Signed-in users who owe no second factor: customers and the support
	// desk's agents alike.
	enrolled := signedIn.with(requireMFA())
	enrolled.GET("/profile/mfa", mh.status)
	enrolled.POST("/profile/mfa/start", mh.start)
	enrolled.POST("/profile/mfa/codes", mh.codes)
	enrolled.POST("/profile/mfa/remove", mh.remove)
	home := homeHandlers{pages: s.pages, privileges: s.deps.Privileges}
	enrolled.GET("/", home.show)
	confirm := confirmHandlers{pages: s.pages, signIn: s.deps.SignIn}
	enrolled.GET("/confirm", confirm.show)
	enrolled.POST("/confirm", confirm.submit)

	// The support desk's agents, and nobody else.
	desk := supportHandlers{pages: s.pages, desk: s.deps.Support}
	agents := enrolled.with(allow(isAgent))
	agents.GET("/support", desk.search)
	agents.GET("/support/accounts/:id", desk.show)
	agents.POST("/support/accounts/:id/verify", desk.verify)

	// The provider's operators, and nobody else.
	ops := operatorHandlers{pages: s.pages, provider: s.deps.Provider}
	operators := enrolled.with(allow(isOperator))
	operators.GET(operatorPath, ops.accounts)
	operators.GET(providerLogPath, ops.providerLog)
	operators.GET("/operator/license", ops.licenses)
	operators.GET("/operator/license/new", ops.licenseNew)
	operators.POST("/operator/license", ops.licensePublish)
	operators.GET("/operator/license/:version", ops.licenseVersion)
	operators.GET("/operator/accounts/:id/agreement", ops.notAccepted)
	operators.GET("/operator/accounts/:id/agreement.csv", ops.notAcceptedCSV)
	operators.GET(operatorAccountsPath+"/:id", ops.account)
	operators.GET(onboardPath, ops.onboardForm)
	operators.POST(onboardPath, ops.onboardSubmit)
	operators.GET("/operator/accounts/:id/invitation", ops.invitationStatus)
	operators.POST("/operator/accounts/:id/invitation/resend", ops.invitationResend)
	operators.POST("/operator/accounts/:id/invitation/void", ops.invitationVoid)
	lifecycle := accountStatusHandlers{pages: s.pages, lifecycle: s.deps.Lifecycle}
	operators.GET("/operator/accounts/:id/suspend", lifecycle.form(provider.Suspend))
	operators.POST("/operator/accounts/:id/suspend", lifecycle.submit(provider.Suspend))
	operators.GET("/operator/accounts/:id/reactivate", lifecycle.form(provider.Reactivate))
	operators.POST("/operator/accounts/:id/reactivate", lifecycle.submit(provider.Reactivate))
	operators.GET("/operator/accounts/:id/close", lifecycle.form(provider.Close))
	operators.POST("/operator/accounts/:id/close", lifecycle.submit(provider.Close))
	rescue := rescueHandlers{pages: s.pages, rescue: s.deps.Rescue}
	operators.GET("/operator/accounts/:id/primary-admin", rescue.show)
	operators.POST("/operator/accounts/:id/primary-admin", rescue.submit)

	// Users of customer accounts: agents see none of it. Every group below
	// narrows this one.
	customer := enrolled.with(allow(isCustomer))
	me := profileHandlers{pages: s.pages, profile: s.deps.Profile}
	customer.GET("/profile", me.show)
	customer.GET("/profile/edit", redirectTo("/profile"))
	customer.GET(profileDetailsPath, me.detailsForm)
	customer.POST(profileDetailsPath, me.details)
	customer.GET("/profile/language", me.languageForm)
	customer.POST("/profile/language", me.language)
	customer.GET("/profile/passphrase", me.showPassphrase)
	customer.POST("/profile/passphrase", me.savePassphrase)
	recent := customer.with(recentSignIn(s.pages.now))
	recent.GET(profilePasswordPath, me.passwordForm)
	customer.POST(profilePasswordPath, me.password)
	recent.GET(profileQuestionPath, me.questionForm)
	customer.POST(profileQuestionPath, me.question)
	recent.GET(profileEmailPath, me.emailForm)
	customer.POST(profileEmailPath, me.email)
	customer.GET("/profile/email/confirm/:token", me.confirmEmail)
	customer.GET("/profile/sessions", me.sessions)
	customer.POST("/profile/sessions/signout", me.signOutSession)
	customer.POST("/profile/sessions/signout-others", me.signOutOthers)
	codes := supportCodeHandlers{pages: s.pages, desk: s.deps.Support}
	agreement := agreementHandlers{pages: s.pages, signIn: s.deps.SignIn}
	customer.GET("/agreement", agreement.show)
	customer.GET("/profile/support-code", codes.show)
	customer.POST("/profile/support-code", codes.create)
	s.appPasswordRoutes(customer)

	// The Primary Admin transfer: its target answers here.
	priv := privilegeHandlers{pages: s.pages, privileges: s.deps.Privileges}
	customer.GET("/admin/transfer", priv.offer)
	customer.POST("/admin/transfer", priv.decide)

	// The Primary Admin; holders of "View and create roles" may look.
	privilegeViewers := customer.with(allow(primaryOrRoleManager))
	privilegeViewers.GET("/admin/privileges", priv.show)

	// The Primary Admin alone.
	primary := customer.with(allow(primaryOnly))
	primary.POST("/admin/privileges/areas", priv.saveAreas)
	primary.GET("/admin/privileges/remove", priv.confirmRemove)
	primary.POST("/admin/privileges/remove", priv.remove)
	primary.POST("/admin/privileges/transfer", priv.startTransfer)
	primary.POST("/admin/privileges/transfer/cancel", priv.cancelTransfer)

	// Holders of "View and create roles".
	roleManagers := customer.with(allow(holds(identity.PermRolesManage)))
	rh := roleHandlers{pages: s.pages, roles: s.deps.Roles}
	roleManagers.GET("/admin/roles", rh.list)
	roleManagers.GET("/admin/roles/new", rh.newForm)
	roleManagers.POST("/admin/roles", rh.create)
	roleManagers.GET("/admin/roles/:id", rh.show)
	roleManagers.GET("/admin/roles/:id/edit", rh.editForm)
	roleManagers.POST("/admin/roles/:id", rh.update)
	roleManagers.GET("/admin/roles/:id/delete", rh.confirmDelete)
	roleManagers.POST("/admin/roles/:id/delete", rh.delete)
	roleManagers.POST("/admin/roles/:id/members", rh.members)

	// Holders of "View the audit log".
	auditors := customer.with(allow(holds(identity.PermAuditView)))
	audit := auditHandlers{pages: s.pages, svc: s.deps.Audit}
	auditors.GET("/admin/audit", audit.list)
	auditors.GET("/admin/audit.csv", audit.csv)

	// Holders of "Account security settings".
	securityManagers := customer.with(allow(holds(identity.PermSecurityManage)))
	sec := securityHandlers{pages: s.pages, settings: s.deps.Settings}
	securityManagers.GET("/admin/security", sec.show)
	securityManagers.POST("/admin/security", sec.save)

	// Holders of "Manage users".
	userManagers := customer.with(allow(holds(identity.PermUsersManage)))
	uh := userHandlers{pages: s.pages, users: s.deps.Users, roles: s.deps.Roles}
	bulk := bulkHandlers{pages: s.pages, bulk: s.deps.Bulk, list: uh}
	userManagers.GET("/admin/users", uh.list)
	userManagers.GET("/admin/users.csv", uh.csv)
	userManagers.GET("/admin/users/new", uh.newForm)
	userManagers.POST("/admin/users", uh.create)
	userManagers.POST("/admin/users/bulk", bulk.preview)
	userManagers.POST("/admin/users/bulk/run", bulk.run)
	userManagers.GET("/admin/users/jobs", bulk.jobs)
	userManagers.GET("/admin/users/jobs/:job", bulk.job)
	userManagers.GET("/admin/users/jobs/:job/results.csv", bulk.jobCSV)
	userManagers.GET("/admin/users/:id", uh.show)
	userManagers.POST("/admin/users/:id", uh.update)
	userManagers.GET("/admin/users/:id/deactivate", uh.deactivateForm)
	userManagers.POST("/admin/users/:id/status", uh.status)
	userManagers.GET("/admin/users/:id/mfa", uh.resetMFAForm)
	userManagers.POST("/admin/users/:id/mfa", uh.resetMFA)
	userManagers.POST("/admin/users/:id/reset", uh.resend)
	userManagers.GET("/admin/users/:id/question/clear", uh.clearQuestionForm)
	userManagers.POST("/admin/users/:id/question/clear", uh.clearQuestion)
	userManagers.POST("/admin/users/:id/reset/unblock", uh.unblockReset)
	userManagers.GET("/admin/users/:id/delete", uh.deleteForm)
	userManagers.POST("/admin/users/:id/delete", uh.delete)
	userManagers.GET("/admin/users/:id/sessions/signout", uh.signOutForm)
	userManagers.POST("/admin/users/:id/sessions/signout", uh.signOut)
	userManagers.GET("/admin/users/:id/links/:link/void", uh.voidLinkForm)
	userManagers.POST("/admin/users/:id/links/:link/void", uh.voidLink)
	tokenPage := apiTokenHandlers{pages: s.pages, tokens: s.deps.APITokens}
	userManagers.GET("/admin/api-tokens", tokenPage.list)
	userManagers.POST("/admin/api-tokens", tokenPage.create)
	userManagers.POST("/admin/api-tokens/:id/revoke", tokenPage.revoke)
	userManagers.POST("/admin/api-tokens/:id/adopt", tokenPage.adopt)
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

// PUT registers a PUT route.
func (r routeSet) PUT(path string, h echo.HandlerFunc) { r.e.PUT(path, h, r.mw...) }

// PATCH registers a PATCH route.
func (r routeSet) PATCH(path string, h echo.HandlerFunc) { r.e.PATCH(path, h, r.mw...) }

// DELETE registers a DELETE route.
func (r routeSet) DELETE(path string, h echo.HandlerFunc) { r.e.DELETE(path, h, r.mw...) }

// redirectTo answers with a 303 to a fixed path, for old addresses.
func redirectTo(path string) echo.HandlerFunc {
	return func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, path) }
}
