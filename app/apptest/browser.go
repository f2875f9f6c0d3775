package apptest

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Browser starts headless Chromium for the test and returns a context for
// its first tab. Without Chromium the test is skipped, unless
// E2E_REQUIRED=1 (CI), which makes it fail; E2E_SKIP=1 skips on purpose.
func Browser(t *testing.T) context.Context {
	t.Helper()
	if os.Getenv("E2E_SKIP") == "1" {
		t.Skip("E2E_SKIP=1")
	}
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("E2E_REQUIRED") == "1" {
			t.Fatal("E2E_REQUIRED=1 but chromium is not installed (apt-get install chromium)")
		}
		t.Skip("chromium not installed")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// Tab opens a tab with its own cookies (a separate browser profile), as a
// second person or device would have.
func Tab(t *testing.T, browser context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The first run opens the tab; it must not carry a deadline, which
	// would close the tab when it passed.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return ctx
}

// Step runs browser actions with a deadline, failing the test with what
// step failed.
func Step(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// Text returns the trimmed text of the first element matching selector,
// failing the test when there is none.
func Text(t *testing.T, tab context.Context, selector string) string {
	t.Helper()
	s, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(selector)))
	if err != nil {
		t.Fatalf("text of %s: %v", selector, err)
	}
	return strings.TrimSpace(s)
}

// NewPage runs steps that leave the page (a form sent, a link followed)
// and returns once the next page has loaded. Waiting for an element alone
// is not enough: one the old page also has is found before the answer comes.
func NewPage(steps ...chromedp.Action[chromedp.Void]) chromedp.Action[chromedp.Void] {
	loaded := chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Steps(steps...))
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := loaded(ctx, t)
		return err
	})
}

// SignOut opens the user menu and signs out, as a keyboard user would:
// focus on the menu's summary, Enter, then Enter on "Sign out". Clicks
// land where an element was when its box was measured, and a banner that
// appears on the page meanwhile moves the menu away from them.
func SignOut() chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Focus(chromedp.CSS("[data-testid=user-menu]")),
		chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=sign-out]")),
		chromedp.Focus(chromedp.CSS("[data-testid=sign-out]")),
		NewPage(chromedp.KeyEvent(kb.Enter)),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=login-username-form]")),
	)
}

// WaitForJobPage waits until a bulk action's page, which reloads itself
// while the job queue works, has stopped reloading. Each reload may cut an
// evaluation short, so a failed look is retried rather than fatal.
func WaitForJobPage(t *testing.T, tab context.Context) {
	t.Helper()
	const done = `document.readyState === "complete" && !!document.querySelector("[data-testid=bulk-summary]") && !document.querySelector("meta[http-equiv=refresh]")`
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if ok, err := chromedp.Run(tab, chromedp.Evaluate[bool](done)); err == nil && ok {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("the bulk action's page still reloads after 30 s")
}
