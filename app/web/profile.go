package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"accountportal/app/identity"
	"accountportal/app/mfa"
	"accountportal/app/profile"
	"accountportal/app/security"
	"accountportal/app/support"
	"accountportal/views/i18n"
	ppages "accountportal/views/pages/profile"
	"accountportal/views/viewmodel"
)

// My Profile is a summary page (/profile) with one row per thing the user
// keeps, each linking to a page of its own that does one task. Those task
// pages are in profile_tasks.go and profile_sessions.go.
type profileHandlers struct {
	pages
	profile *profile.Service
}

const profilePath = "/profile"

// show is the summary.
func (h profileHandlers) show(c echo.Context) error {
	st := state(c)
	p := st.principal
	ctx := c.Request().Context()
	sum, err := h.profile.Summary(ctx, p.User, security.Digest(st.sess.ID), recentVerifications)
	if err != nil {
		return err
	}
	m := viewmodel.ProfilePage{
		DisplayName: p.User.DisplayName, Username: p.User.Username, Email: p.User.Email, PendingEmail: sum.PendingEmail,
		PasswordChanged: viewmodel.AtPtr(p.User.PasswordChangedAt, h.now()),
		HasPassphrase:   p.HasPassphrase, Question: p.User.SecurityQuestion, SessionsTotal: sum.LiveSessions,
		ThisDevice: deviceLabel(c, sum.ThisDevice), Admin: support.MayIssueCode(p), Verifications: supportHistory(c, support.Checks(sum.SupportEvents), h.now()),
		AppPasswordsOff: !p.Account.AppPasswordsEnabled,
		Language:        i18n.Name(i18n.Preferred(ctx)), LanguageCode: i18n.Preferred(ctx), TimeZone: i18n.Zone(ctx).String(),
		OwnLanguage: p.User.Language != "" || p.User.TimeZone != "",
	}
	if sum.License != nil {
		m.License = &viewmodel.AcceptedLicense{Version: sum.License.Version, At: viewmodel.At(sum.License.AcceptedAt, h.now())}
	}
	m.MFA = h.mfaSummary(p, sum.BackupCodesLeft)
	return render(c, http.StatusOK, ppages.Page(h.page(c, tr(c, "profile.title")), m))
}

// mfaSummary is the multi-factor authentication row of the summary;
// codesLeft counts the user's unused backup codes.
func (h profileHandlers) mfaSummary(p *identity.Principal, codesLeft int64) viewmodel.MFASummary {
	m := viewmodel.MFASummary{Enrolled: p.User.MFAEnrolledAt != nil, Required: p.MFARequired(), Offered: mfa.Offered(p)}
	if m.Enrolled {
		m.Since = viewmodel.At(*p.User.MFAEnrolledAt, h.now())
		m.CodesLeft = codesLeft
	}
	return m
}

// recentVerifications is how many of the support desk's checks My Profile lists.
const recentVerifications = 10

func stamp(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 UTC") }

// saved ends a task page's successful POST: back to the top of the
// summary, where the flash saying what changed is the first thing in view.
func saved(c echo.Context, message string) error {
	return redirectWithFlash(c, profilePath, viewmodel.FlashSuccess, message)
}

// recentSignIn lets a page that changes a credential open only when the
// password was typed within the recent sign-in window; otherwise the error
// handler sends the user to confirm it and back.
func recentSignIn(now func() time.Time) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !identity.Recent(passwordAt(state(c)), now()) {
				return identity.ErrReauthRequired
			}
			return next(c)
		}
	}
}

// confirmEmail follows the link sent to a new address, as its owner.
func (h profileHandlers) confirmEmail(c echo.Context) error {
	addr, err := h.profile.ConfirmEmailChange(c.Request().Context(), state(c).principal.User, c.Param("token"), origin(c))
	if err != nil {
		return err
	}
	return saved(c, tr(c, "profile.flash.email_now", map[string]any{"Email": addr}))
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// toConfirm sends the user to "confirm it's you", coming back to next.
func toConfirm(c echo.Context, next string) error {
	return c.Redirect(http.StatusSeeOther, "/confirm?next="+url.QueryEscape(next))
}
