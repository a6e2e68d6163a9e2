package config

import (
	"fmt"
	"log/slog"
)

// Secret holds a token, key or password. Every way of printing it (fmt verbs,
// slog, JSON, YAML, text marshalling) shows "[redacted]"; Reveal returns the
// value for the one place that needs it. The zero Secret is unset.
type Secret struct{ value string }

// NewSecret wraps s.
func NewSecret(s string) Secret { return Secret{s} }

const redacted = "[redacted]"

// Reveal returns the secret itself. Call it only where the value is used.
func (s Secret) Reveal() string { return s.value }

// IsSet reports whether the secret is not empty.
func (s Secret) IsSet() bool { return s.value != "" }

// String returns "[redacted]", or "" when unset so "is it configured" shows.
func (s Secret) String() string {
	if s.value == "" {
		return ""
	}
	return redacted
}

// Format applies to every fmt verb, including %#v and %x.
func (s Secret) Format(f fmt.State, verb rune) { fmt.Fprint(f, s.String()) }

// GoString is used by %#v.
func (s Secret) GoString() string { return s.String() }

// LogValue keeps secrets out of slog output.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText keeps secrets out of JSON, YAML and anything else that encodes text.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
