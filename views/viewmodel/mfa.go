package viewmodel

// MFASetupPage shows a new authenticator's QR code and key and asks for its
// first code.
type MFASetupPage struct {
	// Action is where the code goes: sign-in or My Profile.
	Action string
	QR     string
	Secret string
	Forced bool
	// Reason says why a forced setup is needed.
	Reason string
	Errors Errors
}

// MFACodesPage shows backup codes once.
type MFACodesPage struct {
	Codes []string
	// Download is a data: URI of the codes as a text file.
	Download string
	// Next is where "Continue" goes, by POST when NextPost is set.
	Next     string
	NextPost bool
}

// MFAVerifyPage asks for a code at sign-in.
type MFAVerifyPage struct {
	// PrimaryAdmin says the person signing in is the Primary Admin, whose
	// second factor nobody else in the account may reset.
	PrimaryAdmin bool
	// Staff says they are one of the provider's staff, who have no
	// administrator in the portal.
	Staff  bool
	Errors Errors
}

// MFAStatusPage is My Profile's two-step verification page.
type MFAStatusPage struct {
	Enrolled  bool
	Required  bool
	Offered   bool
	Since     When
	CodesLeft int64
	Errors    Errors
}

// SecurityPage is the account security settings form.
type SecurityPage struct {
	MFAPolicy string
	// MFALabels and PresetLabels name each choice by its value, in the
	// words the audit log also uses.
	MFALabels       map[string]string
	PresetLabels    map[string]string
	Preset          string
	IntegrationSafe bool
	RequireQuestion bool
	// AppPasswords is whether users may make app passwords.
	AppPasswords    bool
	IdleMinutes     string
	AbsoluteMinutes string
	DefaultIdle     string
	DefaultAbsolute string
	// Language and TimeZone are the account's defaults ("": the browser's
	// language; UTC), chosen among Languages and Zones.
	Language, TimeZone string
	Languages          []Choice
	Zones              []string
	Errors             Errors
}
