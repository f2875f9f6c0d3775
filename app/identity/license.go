package identity

// LicenseVersion is the version of the license agreement users accept at
// sign-in. Changing it asks every user to accept again.
const LicenseVersion = "2026-01"
