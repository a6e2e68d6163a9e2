// Package config reads Loa's configuration into a typed Config. It is the
// only package that uses viper; the others receive the parts of Config they
// need.
//
// Sources, lowest precedence first: defaults, a YAML file (--config, else
// ./loa.yaml, else /etc/loa/loa.yaml), environment variables LOA_ + the key
// upper-cased with "." → "_" (LOA_TELEGRAM_TOKEN), and command-line flags.
// Load validates everything and reports every problem at once, each naming
// the key, the bad value and where it came from (file:line, environment
// variable or flag). Unknown keys are problems too: a misspelt key is the
// commonest configuration bug, and ignoring it silently is the worst answer.
package config
