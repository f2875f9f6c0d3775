package viewmodel

// AppPasswordsPage is My Profile's page of app passwords for integrations.
type AppPasswordsPage struct {
	// Enabled is false when the account's administrators turned app
	// passwords off: the page explains and offers no form.
	Enabled bool
	// Recent is true when the user typed their password recently enough
	// to create one; otherwise the page links to "confirm it's you".
	Recent    bool
	Passwords []AppPasswordRow
	// Max is how many a user may have.
	Max int
	// Name is the name typed, kept when the form is shown again.
	Name   string
	Errors Errors
	// Created is set on the answer to a creation, which alone shows the
	// secret.
	Created *CreatedAppPassword
}

// AppPasswordRow is one live app password.
type AppPasswordRow struct {
	ID       string
	Name     string
	Created  When
	LastUsed When
	// LastUsedIP is the address of the last use, or empty.
	LastUsedIP string
}

// CreatedAppPassword is an app password just made, shown once.
type CreatedAppPassword struct {
	Name   string
	Secret string
	// Username is what the integration signs in with beside the secret.
	Username string
}
