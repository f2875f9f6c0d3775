package models

// The Store's subjects. Each holds the shared connection; its methods live
// in the files named after it.
type (
	// APITokenStore keeps the JSON API's tokens.
	APITokenStore struct{ conn }
	// AccountStore reads and writes customer accounts and their settings.
	AccountStore struct{ conn }
	// AuditStore appends to and reads the audit log.
	AuditStore struct{ conn }
	// BulkJobStore records bulk jobs, their progress and per-user results.
	BulkJobStore struct{ conn }
	// LicenseStore keeps the published versions of the license agreement.
	LicenseStore struct{ conn }
	// MFAStore keeps second factors: enrolment, TOTP steps, backup codes.
	MFAStore struct{ conn }
	// OutboxStore is the mail outbox.
	OutboxStore struct{ conn }
	// PrivilegeStore grants and reads admin privilege areas.
	PrivilegeStore struct{ conn }
	// RecoveryStore queues password-reset and username-reminder requests.
	RecoveryStore struct{ conn }
	// RoleStore keeps roles, their areas and their members.
	RoleStore struct{ conn }
	// SecretStore keeps sealed secrets.
	SecretStore struct{ conn }
	// SessionStore keeps browser sessions.
	SessionStore struct{ conn }
	// ThrottleStore counts attempts against limits.
	ThrottleStore struct{ conn }
	// TokenStore keeps emailed links and codes.
	TokenStore struct{ conn }
	// TransferStore keeps Primary Admin transfers.
	TransferStore struct{ conn }
	// UserStore reads and writes users.
	UserStore struct{ conn }
)
