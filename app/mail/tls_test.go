package mail_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// TLS is negotiated for real and the certificate is checked: a server with
// a self-signed certificate is refused before any message is sent, over
// implicit TLS and over STARTTLS alike.
func TestSMTPSenderVerifiesCertificates(t *testing.T) {
	for _, implicit := range []bool{true, false} {
		name, scheme := "starttls", "smtp://ADDR?tls=required"
		if implicit {
			name, scheme = "implicit", "smtps://ADDR"
		}
		t.Run(name, func(t *testing.T) {
			addr, delivered := tlsServer(t, implicit)
			cfg := strings.Replace(scheme, "ADDR", addr, 1)
			err := sendTo(t, cfg)
			if err == nil || !strings.Contains(err.Error(), "certificate") {
				t.Fatalf("send to a self-signed server: %v, want a certificate error", err)
			}
			if delivered.Load() != 0 {
				t.Fatal("message delivered over an unverified connection")
			}
		})
	}
}

// tlsServer runs an SMTP server with a self-signed certificate and counts
// the messages it accepts.
func tlsServer(t *testing.T, implicit bool) (string, *atomic.Int32) {
	t.Helper()
	var delivered atomic.Int32
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return countingSession{&delivered}, nil
	}))
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{selfSigned(t)}}
	srv.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if implicit {
		ln = tls.NewListener(ln, srv.TLSConfig)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String(), &delivered
}

func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:   time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

type countingSession struct{ n *atomic.Int32 }

func (countingSession) Reset()                               {}
func (countingSession) Logout() error                        { return nil }
func (countingSession) Mail(string, *smtp.MailOptions) error { return nil }
func (countingSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s countingSession) Data(r io.Reader) error {
	_, _ = io.Copy(io.Discard, r)
	s.n.Add(1)
	return nil
}
