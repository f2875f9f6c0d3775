package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"accountportal/app/apptest"
)

// widths are the windows every page is looked at in: a desktop's and a
// phone's.
var widths = []int64{1280, 390}

// shooter takes screenshots into E2E_SCREENSHOTS (`make screenshots`), or
// into the test's temporary folder, and checks that nothing makes a page
// wider than its window.
type shooter struct {
	t   *testing.T
	dir string
	// keep is whether a reviewer asked for the pictures; without it the
	// pages are still measured, but no picture is taken.
	keep bool
}

func screenshots(t *testing.T) shooter {
	dir := os.Getenv("E2E_SCREENSHOTS")
	if dir == "" {
		return shooter{t: t, dir: t.TempDir()}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return shooter{t: t, dir: dir, keep: true}
}

// both shoots the page at a desktop's width and at a phone's.
func (s shooter) both(tab context.Context, name string) {
	s.t.Helper()
	s.each(tab, name, func(int64) {})
}

// each sets the window to every width in turn, checks the page fits it,
// runs also, and takes the picture; it ends with the desktop width.
func (s shooter) each(tab context.Context, name string, also func(width int64)) {
	s.t.Helper()
	for _, w := range widths {
		apptest.Step(s.t, tab, "width "+itoa(w), chromedp.EmulateViewport(w, 900))
		wide, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil || int64(wide) > w {
			s.t.Errorf("%s at %d pixels is %d wide (%v)", name, w, wide, err)
		}
		also(w)
		s.take(tab, name+"-"+itoa(w))
	}
	apptest.Step(s.t, tab, "back to a wide window", chromedp.EmulateViewport(1280, 900))
}

// take saves a full-page picture when a reviewer asked for them.
func (s shooter) take(tab context.Context, name string) {
	s.t.Helper()
	if !s.keep {
		return
	}
	png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
	if err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.dir, fileName(name)+".png"), png, 0o644); err != nil {
		s.t.Fatal(err)
	}
}

var unsafeName = regexp.MustCompile(`[^a-z0-9]+`)

// fileName turns a page state's description ("/admin/users?q=pat",
// "wrong password (422)") into a file name.
func fileName(name string) string {
	n := strings.Trim(unsafeName.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if n == "" {
		n = "home"
	}
	return n
}

// pageChecker returns a function that checks the tab's page at both widths
// with axe and keeps its pictures, named after the journey and numbered in
// its order ("pages-07-admin-users-1280.png").
func pageChecker(t *testing.T, tab context.Context, axe, journey string) func(name string) {
	shots := screenshots(t)
	seen := 0
	return func(name string) {
		t.Helper()
		seen++
		shots.each(tab, fmt.Sprintf("%s %02d %s", journey, seen, name), func(w int64) {
			checkA11y(t, tab, axe, name+" at "+itoa(w))
		})
	}
}
