package mailtest

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/textproto"
	"strings"
)

// parse reads a message the way a mail client would: headers, the decoded
// subject, and the first text/plain and text/html parts, whatever the
// nesting of multipart containers and the transfer encodings.
func parse(raw []byte) (Received, error) {
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Received{}, fmt.Errorf("read message: %w", err)
	}
	m := Received{Raw: raw, Header: textproto.MIMEHeader(msg.Header)}
	if m.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return Received{}, fmt.Errorf("decode subject: %w", err)
	}
	body, err := io.ReadAll(msg.Body)
	if err != nil {
		return Received{}, fmt.Errorf("read body: %w", err)
	}
	// SMTP makes a message end with a line break, so a single-part body
	// gains one its sender never wrote; it belongs to the transport.
	body = bytes.TrimSuffix(body, []byte("\r\n"))
	if err := walk(m.Header, bytes.NewReader(body), &m); err != nil {
		return Received{}, err
	}
	return m, nil
}

// walk descends into multipart bodies and keeps the first text part of
// each kind.
func walk(h textproto.MIMEHeader, body io.Reader, m *Received) error {
	mediaType, params, err := contentType(h)
	if err != nil {
		return err
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		return walkMultipart(body, params["boundary"], m)
	}
	if mediaType != "text/plain" && mediaType != "text/html" {
		return nil
	}
	if cs := strings.ToLower(params["charset"]); cs != "" && cs != "utf-8" && cs != "us-ascii" {
		return fmt.Errorf("charset %q: only UTF-8 is decoded", cs)
	}
	text, err := decodeBody(h.Get("Content-Transfer-Encoding"), body)
	if err != nil {
		return err
	}
	if mediaType == "text/plain" && m.Text == "" {
		m.Text = text
	} else if mediaType == "text/html" && m.HTML == "" {
		m.HTML = text
	}
	return nil
}

func contentType(h textproto.MIMEHeader) (string, map[string]string, error) {
	ct := h.Get("Content-Type")
	if ct == "" {
		return "text/plain", map[string]string{}, nil
	}
	mediaType, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return "", nil, fmt.Errorf("content type %q: %w", ct, err)
	}
	return mediaType, params, nil
}

func walkMultipart(body io.Reader, boundary string, m *Received) error {
	if boundary == "" {
		return errors.New("multipart without boundary")
	}
	mr := multipart.NewReader(body, boundary)
	for {
		// NextRawPart, because NextPart decodes quoted-printable itself but
		// not base64; decoding both here treats them alike.
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("multipart: %w", err)
		}
		if err := walk(p.Header, p, m); err != nil {
			return err
		}
	}
}

// decodeBody undoes the transfer encoding and turns CRLF into LF.
func decodeBody(encoding string, body io.Reader) (string, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	case "", "7bit", "8bit", "binary":
	default:
		return "", fmt.Errorf("unknown transfer encoding %q", encoding)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return "", fmt.Errorf("decode %s body: %w", encoding, err)
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n"), nil
}

// Links returns the http and https URLs in r's text part, in order, without
// the punctuation or brackets that often surround a link in prose.
func Links(r Received) []string {
	var links []string
	for _, field := range strings.Fields(r.Text) {
		i := strings.Index(field, "http://")
		if j := strings.Index(field, "https://"); j >= 0 && (i < 0 || j < i) {
			i = j
		}
		if i < 0 {
			continue
		}
		link := strings.TrimRight(field[i:], ".,;:!?)]>'\"")
		if link != "http://" && link != "https://" {
			links = append(links, link)
		}
	}
	return links
}
