package mail_test

import (
	"context"
	"errors"
	netmail "net/mail"
	"slices"
	"strings"
	"testing"
	"time"

	"accountportal/app/mail"
	"accountportal/app/mail/mailtest"
	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestWorkerDelivers(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		clk := newClock()
		s := modelstest.Open(t, d, clk.Now)
		rcv := mailtest.NewReceiver(t)
		tok := newToken(t, s, t0)
		link := "https://portal.example/reset/" + strings.Repeat("a1b2", 16)
		msgs := []mail.Message{
			{To: "ann@example.com", Subject: "Réinitialisez votre mot de passe",
				Text: "Use this link within 60 minutes, it works once:\n\n" + link + "\n\nIf you did not ask, ignore this.",
				HTML: `<p>Use <a href="` + link + `">this link</a>.</p>`},
			{To: "bob@example.com", Subject: "Your username", Text: "Your username is bob."},
			{To: "cy@example.com", Subject: "Welcome", Text: "Welcome aboard.", HTML: "<h1>Welcome aboard.</h1>"},
		}
		err := s.InTx(ctx, func(tx *models.Store) error {
			if err := mail.Enqueue(ctx, tx, msgs[0], &tok.ID, t0); err != nil {
				return err
			}
			for _, m := range msgs[1:] {
				if err := mail.Enqueue(ctx, tx, m, nil, t0); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		w := mail.NewWorker(s, senderTo(t, rcv), from, clk.Now, nil, mail.WorkerOptions{ID: "w1"})
		sent, failed, err := w.RunOnce(ctx)
		if err != nil || sent != 3 || failed != 0 {
			t.Fatalf("RunOnce = %d sent, %d failed, %v; want 3, 0, nil", sent, failed, err)
		}
		got := rcv.WaitFor(3, 5*time.Second)
		if len(got) != 3 {
			t.Fatalf("received %d messages, want 3", len(got))
		}
		for i, want := range msgs {
			checkReceived(t, got[i], want)
		}
		if links := mailtest.Links(got[0]); !slices.Equal(links, []string{link}) {
			t.Errorf("links = %q, want [%q]", links, link)
		}
		for _, r := range outbox(t, s) {
			if r.SentAt == nil || !r.SentAt.Equal(t0) || r.Attempts != 1 || r.LeaseOwner != "w1" || r.LastError != "" {
				t.Errorf("row after sending: %+v", r)
			}
		}
		gotTok, err := s.Tokens.ByIDAnyAccount(ctx, tok.ID)
		if err != nil || gotTok.SentAt == nil || !gotTok.SentAt.Equal(t0) {
			t.Fatalf("token sent_at not stamped: %+v %v", gotTok, err)
		}
		if sent, failed, err := w.RunOnce(ctx); sent+failed != 0 || err != nil {
			t.Fatalf("second RunOnce = %d, %d, %v; want nothing to do", sent, failed, err)
		}
	})
}

// checkReceived compares one received message with what was enqueued.
func checkReceived(t *testing.T, got mailtest.Received, want mail.Message) {
	t.Helper()
	if !slices.Equal(got.To, []string{want.To}) || got.From != "no-reply@portal.example" {
		t.Errorf("envelope %s -> %v, want no-reply@portal.example -> %s", got.From, got.To, want.To)
	}
	if got.Subject != want.Subject || got.Text != want.Text || got.HTML != want.HTML {
		t.Errorf("content\n got %q / %q / %q\nwant %q / %q / %q", got.Subject, got.Text, got.HTML,
			want.Subject, want.Text, want.HTML)
	}
	h := got.Header
	if h.Get("From") != `"Account Portal" <no-reply@portal.example>` || h.Get("To") != "<"+want.To+">" {
		t.Errorf("From/To headers: %q / %q", h.Get("From"), h.Get("To"))
	}
	if id := h.Get("Message-Id"); !strings.HasSuffix(id, "@portal.example>") {
		t.Errorf("Message-ID %q, want one at the sender's domain", id)
	}
	if _, err := netmail.ParseDate(h.Get("Date")); err != nil {
		t.Errorf("Date header %q: %v", h.Get("Date"), err)
	}
	wantType := "text/plain"
	if want.HTML != "" {
		wantType = "multipart/alternative"
	}
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, wantType) {
		t.Errorf("Content-Type %q, want %s", ct, wantType)
	}
	if got.AuthUser != "mailer" || got.AuthPassword != "s3cr@t pw" {
		t.Errorf("authenticated as %q / %q, want mailer and the decoded password", got.AuthUser, got.AuthPassword)
	}
}

func TestWorkerSurvivesOutage(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		clk := newClock()
		s := modelstest.Open(t, d, clk.Now)
		rcv := mailtest.NewReceiver(t)
		enqueue(t, s, t0, simple(1), simple(2))
		w := mail.NewWorker(s, senderTo(t, rcv), from, clk.Now, nil, mail.WorkerOptions{ID: "w1"})

		rcv.Stop()
		runOnce(t, w, 0, 2)
		checkPending(t, s, 1, t0.Add(30*time.Second))
		if e := outbox(t, s)[0].LastError; !strings.Contains(e, "connection refused") {
			t.Errorf("last_error %q, want the connection failure", e)
		}

		clk.Advance(29 * time.Second) // not yet due: nothing is leased, attempts stay
		runOnce(t, w, 0, 0)
		checkPending(t, s, 1, t0.Add(30*time.Second))

		clk.Advance(time.Second) // due, but still down: the delay doubles
		runOnce(t, w, 0, 2)
		checkPending(t, s, 2, clk.Now().Add(time.Minute))

		rcv.Start()
		clk.Advance(time.Minute)
		runOnce(t, w, 2, 0)
		runOnce(t, w, 0, 0)
		// RunOnce returns after the server acknowledged DATA, so whatever
		// was delivered, duplicates included, has been recorded.
		if got := rcv.Messages(); len(got) != 2 || got[0].Subject == got[1].Subject {
			t.Fatalf("received %d messages (%v), want each of 2 exactly once", len(got), got)
		}
		for _, r := range outbox(t, s) {
			if r.SentAt == nil || !r.SentAt.Equal(clk.Now()) || r.Attempts != 3 || r.LastError != "" {
				t.Errorf("row after delivery: %+v", r)
			}
		}
	})
}

func runOnce(t *testing.T, w *mail.Worker, wantSent, wantFailed int) {
	t.Helper()
	sent, failed, err := w.RunOnce(context.Background())
	if err != nil || sent != wantSent || failed != wantFailed {
		t.Fatalf("RunOnce = %d sent, %d failed, %v; want %d, %d, nil", sent, failed, err, wantSent, wantFailed)
	}
}

// checkPending asserts every row is unsent, with attempts and retry time
// as given and an error recorded that does not show the password.
func checkPending(t *testing.T, s *models.Store, attempts int, next time.Time) {
	t.Helper()
	for _, r := range outbox(t, s) {
		if r.SentAt != nil || r.Attempts != attempts || !r.NextAttemptAt.Equal(next) || r.LastError == "" ||
			len(r.LastError) > 500 || strings.Contains(r.LastError, "s3cr") {
			t.Fatalf("row %d: sent %v, attempts %d, next %s, error %q; want unsent, %d, %s, an error without the password",
				r.ID, r.SentAt, r.Attempts, r.NextAttemptAt, r.LastError, attempts, next)
		}
	}
}

func TestWorkerMailboxMode(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		clk := newClock()
		s := modelstest.Open(t, d, clk.Now)
		rcv := mailtest.NewReceiver(t)
		tok := newToken(t, s, t0)
		if err := mail.Enqueue(ctx, s, simple(1), &tok.ID, t0); err != nil {
			t.Fatal(err)
		}
		enqueue(t, s, t0, simple(2))
		w := mail.NewWorker(s, nil, from, clk.Now, nil, mail.WorkerOptions{})
		runOnce(t, w, 2, 0)
		rows := outbox(t, s)
		if len(rows) != 2 {
			t.Fatalf("mailbox keeps %d messages, want 2", len(rows))
		}
		for _, r := range rows {
			if r.SentAt == nil || !r.SentAt.Equal(t0) || r.LeaseOwner != w.ID() || r.TextBody == "" {
				t.Errorf("row in mailbox mode: %+v", r)
			}
		}
		if gotTok, _ := s.Tokens.ByIDAnyAccount(ctx, tok.ID); gotTok.SentAt == nil {
			t.Errorf("token sent_at not stamped in mailbox mode")
		}
		if n := len(rcv.Messages()); n != 0 {
			t.Fatalf("mailbox mode sent %d messages", n)
		}
	})
}

func TestLeaseKeepsOtherWorkersOff(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		clk := newClock()
		s := modelstest.Open(t, d, clk.Now)
		rcv := mailtest.NewReceiver(t)
		enqueue(t, s, t0, simple(1))
		leased, err := s.Outbox.Lease(ctx, "A", t0, t0.Add(10*time.Minute), 10)
		if err != nil || len(leased) != 1 {
			t.Fatalf("A leases %d messages, %v; want 1", len(leased), err)
		}
		b := mail.NewWorker(s, senderTo(t, rcv), from, clk.Now, nil, mail.WorkerOptions{ID: "B"})

		clk.Advance(10*time.Minute - time.Second)
		runOnce(t, b, 0, 0)
		if n := len(rcv.Messages()); n != 0 {
			t.Fatalf("B sent %d messages while A held the lease", n)
		}

		clk.Advance(time.Second)
		runOnce(t, b, 1, 0)
		got := rcv.WaitFor(1, 5*time.Second)
		if len(got) != 1 || got[0].Subject != "Message 1" {
			t.Fatalf("received %v, want message 1 once", got)
		}
		r := outbox(t, s)[0]
		if r.LeaseOwner != "B" || r.SentAt == nil || r.Attempts != 2 {
			t.Fatalf("row after B sent it: %+v", r)
		}
		if err := s.Outbox.MarkSent(ctx, r.ID, "A", clk.Now()); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("A marking the message it lost: %v, want ErrNotFound", err)
		}
	})
}
