package web

import (
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

func TestShedLoad(t *testing.T) {
	e := echo.New()
	release := make(chan struct{})
	started := make(chan struct{}, 2)
	h := shedLoad(1, 20*time.Millisecond)(func(c echo.Context) error {
		started <- struct{}{}
		<-release
		return nil
	})
	call := func() error {
		return h(e.NewContext(httptest.NewRequest("GET", "/", nil), httptest.NewRecorder()))
	}
	var wg sync.WaitGroup
	var first error
	wg.Go(func() { first = call() })
	<-started
	// The one slot is taken: the next request waits its 20 ms, then is refused.
	began := time.Now()
	if err := call(); !errors.Is(err, errOverloaded) {
		t.Fatalf("second request: %v", err)
	}
	if waited := time.Since(began); waited < 20*time.Millisecond || waited > time.Second {
		t.Fatalf("refused after %s", waited)
	}
	// A request that finds the slot freed while it waits goes ahead.
	second := make(chan error, 1)
	go func() { second <- call() }()
	time.Sleep(5 * time.Millisecond)
	release <- struct{}{}
	<-started
	release <- struct{}{}
	wg.Wait()
	if first != nil || <-second != nil {
		t.Fatalf("admitted requests failed: %v", first)
	}
}
