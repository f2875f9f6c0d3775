package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"accountportal/app/apptest"
	"accountportal/models"
)

// auditSamples are events as the portal writes them, to fill a page of the
// audit log: sign-ins, as most of a log is, and changes with long details.
var auditSamples = []models.AuditEvent{
	{ActorName: "Pat Primary (pat)", Action: "sign_in.success", TargetName: "Pat Primary (pat)"},
	{ActorName: "Sam Second (sam)", Action: "sign_out", TargetName: "Sam Second (sam)"},
	{ActorName: "Ada Admin (ada)", Action: "user.created", TargetName: "Sam Second (sam)", Details: `{"email":"sam.second@example.com","roles":[3]}`},
	{ActorName: "Ada Admin (ada)", Action: "privileges.areas_changed", TargetName: "Sam Second (sam)",
		Details: `{"before":["billing.inquiries"],"after":["billing.inquiries","billing.changes","phone.system","account.info"]}`},
	{ActorName: "Sam Second (sam)", Action: "sign_in.failed", TargetName: "Sam Second (sam)",
		Details: `{"reason":"wrong password","locked_until":"2026-12-03T07:51:00Z"}`},
	{ActorName: "the provider's operator Olga Ops", Action: "provider.account_suspended",
		Details: `{"from":"active","to":"suspended","reason":"Unpaid invoices since March, see ticket 4471 and the letter of 2 November"}`},
	{ActorName: "Ada Admin (ada)", Action: "user.updated", TargetName: "Sam Second (sam)",
		Details: `{"before":{"name":"Sam","username":"sam","email":"sam@example.com"},"after":{"name":"Sam Second","username":"sam","email":"sam.second.with.a.very.long.address@subsidiary.example.com"}}`},
	{ActorName: "Sam Second (sam)", Action: "sign_in.success", TargetName: "Sam Second (sam)"},
	{ActorName: "Ada Admin (ada)", Action: "account.security_changed",
		Details: `{"before":{"MFAPolicy":"optional","IntegrationSafe":false,"SessionIdleMinutes":null},"after":{"MFAPolicy":"required","IntegrationSafe":true,"SessionIdleMinutes":30}}`},
}

// TestBrowserAuditLogFitsTheWindow: a page of 50 events is one a person
// can scan (under 4,000 pixels at 1280) and fits a phone without sideways
// scrolling; the raw entry opens from the keyboard and wraps.
func TestBrowserAuditLogFitsTheWindow(t *testing.T) {
	axe := axeSource(t)
	browser := apptest.Browser(t)
	e := apptest.Start(t, models.SQLite, apptest.Options{RealTime: true})
	a := apptest.DefaultAdmin()
	e.Setup(a)
	acct := e.User("ada").AccountID
	for i := range 60 {
		ev := auditSamples[i%len(auditSamples)]
		ev.AccountID, ev.At = &acct, time.Now().Add(time.Duration(i-60)*time.Minute)
		ev.IP, ev.UserAgent = fmt.Sprintf("203.0.113.%d", i), "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15"
		if err := e.Store().Audit.Append(context.Background(), &ev); err != nil {
			t.Fatal(err)
		}
	}
	tab := apptest.Tab(t, browser)
	look := pageChecker(t, tab, axe, "audit")
	apptest.Step(t, tab, "sign in",
		chromedp.Navigate(e.URL+"/login"),
		chromedp.SetValue(chromedp.CSS("#username"), "ada"),
		chromedp.Click(chromedp.CSS("[data-testid=login-continue]")),
		chromedp.WaitVisible(chromedp.CSS("#password")),
		chromedp.SendKeys(chromedp.CSS("#password"), a.Password),
		apptest.NewPage(chromedp.Click(chromedp.CSS("[data-testid=login-submit]"))),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=agree]")),
		chromedp.Click(chromedp.CSS("[data-testid=agree]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=greeting]")))
	apptest.Step(t, tab, "open the audit log", chromedp.Navigate(e.URL+"/admin/audit"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=audit-table]")))
	measure := func(js string) int {
		n, err := chromedp.Run(tab, chromedp.Evaluate[int](js))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := measure(`document.querySelectorAll("[data-testid=audit-row]").length`); n != 50 {
		t.Fatalf("%d events on the page, want 50", n)
	}
	for _, w := range widths {
		apptest.Step(t, tab, "width "+itoa(w), chromedp.EmulateViewport(w, 900))
		if wide := measure(`document.documentElement.scrollWidth`); int64(wide) > w {
			t.Errorf("at %d the page is %d wide", w, wide)
		}
		if w == 1280 {
			if high := measure(`document.documentElement.scrollHeight`); high >= 4000 {
				t.Errorf("50 events make a page %d pixels high at 1280", high)
			}
		}
	}
	look("/admin/audit with 50 events")
	apptest.Step(t, tab, "open a raw entry from the keyboard",
		chromedp.Focus(chromedp.CSS("[data-testid=audit-row]:nth-child(4) summary")),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=audit-row]:nth-child(4) pre")))
	for _, w := range widths {
		apptest.Step(t, tab, "width "+itoa(w), chromedp.EmulateViewport(w, 900))
		if over := measure(`(() => { const p = document.querySelector("[data-testid=audit-row]:nth-child(4) pre"); return p.scrollWidth - p.clientWidth })()`); over > 0 {
			t.Errorf("at %d the raw entry scrolls sideways by %d pixels", w, over)
		}
	}
	look("/admin/audit with a raw entry open")
}
