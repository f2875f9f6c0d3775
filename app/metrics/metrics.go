// Package metrics exposes the portal's Prometheus metrics: requests by
// route and status, sign-in outcomes, the mail outbox and the database
// pool. A nil *Metrics records nothing, so tests and tools need none.
package metrics

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the portal's collectors in a registry of its own.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	signIns  *prometheus.CounterVec
}

// New returns the metrics with the Go runtime's and the process's own.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "portal_http_requests_total", Help: "HTTP requests answered, by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "portal_http_request_duration_seconds", Help: "Time to answer HTTP requests, by route pattern, method and status.",
			// From a cached static file to a password hash under load.
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "method", "status"}),
		signIns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "portal_sign_in_total", Help: "Sign-in steps by outcome: password_ok, incorrect, suspended, throttled, busy, error, completed.",
		}, []string{"outcome"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.signIns,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Request records one answered request. route is the pattern, never the
// path, so tokens in paths stay out and the label set stays small.
func (m *Metrics) Request(route, method string, status int, took time.Duration) {
	if m == nil {
		return
	}
	code := strconv.Itoa(status)
	m.requests.WithLabelValues(route, method, code).Inc()
	m.latency.WithLabelValues(route, method, code).Observe(took.Seconds())
}

// Sign-in outcomes.
const (
	SignInPasswordOK = "password_ok"
	SignInIncorrect  = "incorrect"
	SignInSuspended  = "suspended"
	SignInThrottled  = "throttled"
	SignInBusy       = "busy"
	SignInError      = "error"
	SignInCompleted  = "completed"
)

// SignIn records one sign-in step's outcome.
func (m *Metrics) SignIn(outcome string) {
	if m == nil {
		return
	}
	m.signIns.WithLabelValues(outcome).Inc()
}

// MailStats is what the outbox reports: how many messages wait, and how
// many sends this process made and failed.
type MailStats interface {
	Pending(ctx context.Context) (int64, error)
	Counts() (sent, failed uint64)
}

// WatchMail adds the outbox's depth (read from the database at each
// scrape) and this process's send counts.
func (m *Metrics) WatchMail(mail MailStats) {
	m.reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "portal_outbox_pending", Help: "Messages in the outbox not yet sent (all replicas).",
		}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			n, err := mail.Pending(ctx)
			if err != nil {
				return -1
			}
			return float64(n)
		}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "portal_mail_sent_total", Help: "Messages this process delivered.",
		}, func() float64 { s, _ := mail.Counts(); return float64(s) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "portal_mail_send_failures_total", Help: "Sends this process tried that failed (each is retried later).",
		}, func() float64 { _, f := mail.Counts(); return float64(f) }),
	)
}

// WatchDB adds the database pool's statistics.
func (m *Metrics) WatchDB(db *sql.DB) {
	m.reg.MustRegister(collectors.NewDBStatsCollector(db, "portal"))
}

// Handler serves the registry in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg, MaxRequestsInFlight: 4, Timeout: 10 * time.Second})
}
