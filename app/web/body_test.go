package web_test

import (
	"bufio"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"accountportal/app/apptest"
	"accountportal/models"
)

// A client that sends a form's body slowly, or never, must not hold one of
// the few working slots: with a single slot, the sign-in page still opens
// while such a request waits, and the stalled request is answered 408 (not
// 500) once the server's read timeout passes, with no error logged.
func TestStalledBodiesHoldNoWorkingSlot(t *testing.T) {
	log := &apptest.SyncBuffer{}
	e := apptest.Start(t, models.SQLite, apptest.Options{Log: log, ReadTimeout: time.Second,
		Env: map[string]string{"PORTAL_MAX_IN_FLIGHT": "1", "PORTAL_QUEUE_WAIT": "100ms"}})
	e.Setup(apptest.DefaultAdmin())
	var stalled []net.Conn
	for range 3 {
		conn, err := net.Dial("tcp", strings.TrimPrefix(e.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		_, err = conn.Write([]byte("POST /forgot/password HTTP/1.1\r\nHost: x\r\n" +
			"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nusername=a"))
		if err != nil {
			t.Fatal(err)
		}
		stalled = append(stalled, conn)
	}
	time.Sleep(100 * time.Millisecond)
	if res := e.Client().Get("/login"); res.Status != http.StatusOK {
		t.Fatalf("sign-in page while three bodies stall: %d", res.Status)
	}
	for _, conn := range stalled {
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("stalled request: %v", err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusRequestTimeout {
			t.Errorf("stalled request answered %d, want 408", res.StatusCode)
		}
	}
	if strings.Contains(log.String(), "level=ERROR") {
		t.Errorf("stalled bodies logged errors:\n%s", log.String())
	}
}
