package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"accountportal/app/admin"
	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
)

// apiAudit answers /api/v1/audit-events through the audit log's own
// service (admin.Audit.AuditLog): the same account scoping and filter.
type apiAudit struct {
	audit   *admin.Audit
	cursors listCursors
}

// apiParty names who acted or was acted on, as the entry copied them.
type apiParty struct {
	ID   *int64 `json:"id"`
	Name string `json:"name"`
}

// apiEvent is one audit entry as the API shows it.
type apiEvent struct {
	ID       int64          `json:"id"`
	At       time.Time      `json:"at"`
	Action   string         `json:"action"`
	Sentence string         `json:"sentence"`
	Actor    *apiParty      `json:"actor"`
	Target   *apiParty      `json:"target"`
	IP       string         `json:"ip"`
	Details  map[string]any `json:"details"`
}

type apiEventList struct {
	Data []apiEvent `json:"data"`
	// Next is the cursor of the page of older events, or null.
	Next *string `json:"next"`
}

// auditQuery reads the audit list's parameters strictly.
func auditQuery(c echo.Context) (admin.AuditFilter, error) {
	problems := listParams(c, []string{"action", "actor", "target", "since", "until", "limit", "cursor"})
	f := admin.AuditFilter{Action: c.QueryParam("action"), Actor: c.QueryParam("actor"), Target: c.QueryParam("target"),
		Size: admin.DefaultAuditPageSize}
	for name, dst := range map[string]*time.Time{"since": &f.From, "until": &f.To} {
		if v := c.QueryParam(name); v != "" {
			day, err := time.Parse(time.DateOnly, v)
			if err != nil || day.Year() < 1970 || day.Year() > 9998 {
				problems[name] = auditDayForm(name)
			}
			*dst = day
		}
	}
	switch l := c.QueryParam("limit"); l {
	case "":
	case "25", "50", "100":
		f.Size, _ = strconv.Atoi(l)
	default:
		problems["limit"] = listLimit
	}
	for _, name := range []string{"actor", "target", "action"} {
		if utf8.RuneCountInString(c.QueryParam(name)) > admin.MaxAuditText {
			problems[name] = auditTextTooLong(name)
		}
	}
	_, badDay := problems["since"]
	if _, bad := problems["until"]; !bad && !badDay && !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		problems["until"] = "until must be the day of since or later."
	}
	if len(problems) > 0 {
		return f, apperr.Fields(problems)
	}
	return f, nil
}

// auditDayForm is the refusal of since or until: the form of a day, and
// the years the audit log's filter takes.
func auditDayForm(name string) string {
	return name + " must be a day (UTC) such as 2026-12-05, written YYYY-MM-DD, in the years 1970 to 9998."
}

// auditTextTooLong is the refusal of a name or action filter beyond
// admin.MaxAuditText.
func auditTextTooLong(name string) string {
	return name + " must be at most " + strconv.Itoa(admin.MaxAuditText) + " characters."
}

// auditFilterProblems are the API's words for what admin.AuditFilter.Check
// finds, should a filter reach it that auditQuery let through.
func auditFilterProblems(fe *admin.AuditFilterError) map[string]string {
	out := map[string]string{}
	for _, p := range fe.Problems {
		switch p {
		case admin.AuditActorTooLong:
			out["actor"] = auditTextTooLong("actor")
		case admin.AuditTargetTooLong:
			out["target"] = auditTextTooLong("target")
		case admin.AuditFromOutOfRange:
			out["since"] = auditDayForm("since")
		case admin.AuditToOutOfRange:
			out["until"] = auditDayForm("until")
		case admin.AuditEndsBeforeStart:
			out["until"] = "until must be the day of since or later."
		}
	}
	return out
}

// list answers one page of the account's audit log, newest first; follow
// next for older events.
func (h apiAudit) list(c echo.Context) error {
	f, err := auditQuery(c)
	if err != nil {
		return err
	}
	l := auditListing(apiActor(c).Token.AccountID, c)
	if c.QueryParams().Has("cursor") { // even empty: see msgEmptyCursor
		if f.Cursor, err = h.cursors.openAudit(l, c.QueryParam("cursor")); err != nil {
			return err
		}
	}
	page, err := h.audit.AuditLog(c.Request().Context(), apiActor(c).Principal, f)
	var fe *admin.AuditFilterError
	if errors.As(err, &fe) {
		return apperr.Fields(auditFilterProblems(fe))
	}
	if err != nil {
		return err
	}
	out := apiEventList{Data: make([]apiEvent, 0, len(page.Events))}
	for _, e := range page.Events {
		ev := apiEvent{ID: e.ID, At: e.At.UTC(), Action: e.Action, IP: e.IP,
			Sentence: audit.Describe(e, identity.PermissionLabel).Sentence, Details: map[string]any{}}
		if e.ActorName != "" || e.ActorID != nil {
			ev.Actor = &apiParty{ID: e.ActorID, Name: e.ActorName}
		}
		if e.TargetName != "" || e.TargetID != nil {
			ev.Target = &apiParty{ID: e.TargetID, Name: e.TargetName}
		}
		if e.Details != "" {
			_ = json.Unmarshal([]byte(e.Details), &ev.Details)
		}
		out.Data = append(out.Data, ev)
	}
	if page.Next.Direction == admin.AuditOlder && page.Next.ID > 0 {
		next := h.cursors.seal(l, strconv.FormatInt(page.Next.ID, 10))
		out.Next = &next
	}
	return c.JSON(http.StatusOK, out)
}

// auditListing names the listing of the query, for its cursors: the
// account and every filter as sent (auditQuery accepted them, so each has
// one spelling), not the page size.
func auditListing(accountID int64, c echo.Context) listing {
	return newListing("audit-events", accountID, c.QueryParam("action"), c.QueryParam("actor"),
		c.QueryParam("target"), c.QueryParam("since"), c.QueryParam("until"))
}

// openAudit opens a cursor of the audit list: the event the next, older
// page lies before.
func (lc listCursors) openAudit(l listing, s string) (admin.AuditCursor, error) {
	position, err := lc.open(l, s)
	if err != nil {
		return admin.AuditCursor{}, err
	}
	id, err := strconv.ParseInt(position, 10, 64)
	if err != nil || id <= 0 {
		return admin.AuditCursor{}, apperr.Fields(map[string]string{"cursor": msgForeignCursor})
	}
	return admin.AuditCursor{Direction: admin.AuditOlder, ID: id}, nil
}
