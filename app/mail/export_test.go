package mail

// RedactError exposes the redaction SMTPSender applies to its errors, since
// no real server can be made to echo the password back.
func RedactError(err error, secret string) error { return redactError(err, secret) }

// ErrorText exposes how failures are cut down before they are stored.
func ErrorText(err error) string { return errorText(err) }
