// Command floor is the load benchmark's reference: the least a signed-in
// page can cost with this project's libraries. It is Echo, one templ page
// and one primary-key read through pgx, behind a signed cookie and nothing
// else: no server-side session, no CSRF, no permissions, no audit. make
// bench starts it beside the portal and prints the portal's figures as
// ratios of its own.
package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"

	"github.com/gorilla/securecookie"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"
)

// CookieName is the cookie that carries the signed user id.
const CookieName = "floor"

type user struct{ name, username, email string }

func main() {
	if err := run(); err != nil {
		log.Fatal(err)
	}
}

func run() error {
	key, err := hex.DecodeString(os.Getenv("FLOOR_KEY"))
	if err != nil || len(key) < 32 {
		return fmt.Errorf("FLOOR_KEY: 32 or more bytes in hex")
	}
	pool, err := pgxpool.New(context.Background(), os.Getenv("FLOOR_DATABASE_URL"))
	if err != nil {
		return err
	}
	defer pool.Close()
	h := handler{pool: pool, codec: securecookie.New(key, nil)}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.GET("/healthz", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	e.GET("/profile", h.profile)
	return e.Start(os.Getenv("FLOOR_LISTEN"))
}

type handler struct {
	pool  *pgxpool.Pool
	codec *securecookie.SecureCookie
}

func (h handler) profile(c echo.Context) error {
	ck, err := c.Cookie(CookieName)
	if err != nil {
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	var id int64
	if err := h.codec.Decode(CookieName, ck.Value, &id); err != nil {
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	// ?reads=N reads the user N times, one statement after another, as a
	// page that makes N statements would; the load test uses it to tell the
	// cost of a page's statement count from the cost of everything else.
	reads, _ := strconv.Atoi(c.QueryParam("reads"))
	var u user
	for range min(max(reads, 1), 16) {
		err = h.pool.QueryRow(c.Request().Context(), "SELECT display_name, username, email FROM users WHERE id = $1", id).
			Scan(&u.name, &u.username, &u.email)
		if err != nil {
			return err
		}
	}
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	size, _ := strconv.Atoi(c.QueryParam("bytes"))
	return page(u, filler(min(size, 1<<20))).Render(c.Request().Context(), c.Response())
}

// filler is about size bytes of paragraphs (?bytes=N), so the floor writes
// as much as the page it stands beside.
func filler(size int) []string {
	var out []string
	line := strings.Repeat("Filler to the size of the compared page. ", 4)
	for n := 0; n < size; n += len(line) + 7 {
		out = append(out, line)
	}
	return out
}
