package config

// key describes one configuration key: its default and its documentation.
// The table is the single list of keys: defaults, unknown-key detection,
// environment variables and `loa config check` all come from it.
type key struct {
	name string
	def  any
}

var keys = []key{
	{"ward.name", ""},
	{"store.path", "./data/loa.db"},
	{"http.addr", "127.0.0.1:8080"},
	{"http.public_url", ""},
	{"http.session_idle", "1h"},
	{"http.session_max", "12h"},
	{"log.level", "info"},
	{"log.format", "text"},
	{"scheduler.grace", "6h"},
	{"scheduler.horizon", "48h"},
	{"content.pace", 200},
	{"content.max_reading", "5m"},
	{"content.hotlines", map[string]any{}},
	{"content.self_approval", false},
	{"calendar.observances", []any{}},
	{"telegram.token", ""},
	{"telegram.api_endpoint", "https://api.telegram.org/bot%s/%s"},
	{"telegram.paid_broadcast", false},
	{"telegram.chats", map[string]any{}},
	{"telegram.mode", "polling"},
	{"telegram.webhook_url", ""},
	{"telegram.webhook_secret", ""},
	{"telegram.staff", []any{}},
	{"zalo.app_id", ""},
	{"zalo.app_secret", ""},
	{"zalo.oa_secret", ""},
	{"zalo.oauth_base", "https://oauth.zaloapp.com"},
	{"zalo.api_base", "https://openapi.zalo.me"},
	{"zalo.zns_base", "https://business.openapi.zalo.me"},
	{"zalo.groups", map[string]any{}},
	{"zalo.over_quota", "wait"},
	{"loudspeaker.slots", []any{
		map[string]any{"name": "sáng", "time": "05:30", "max": "10m"},
		map[string]any{"name": "chiều", "time": "17:00", "max": "10m"},
	}},
	{"loudspeaker.dir", "./data/broadcasts"},
	{"loudspeaker.abbreviations", map[string]any{}},
	{"loudspeaker.style", "propaganda"},
	{"loudspeaker.opening", ""},
	{"loudspeaker.closing", ""},
	{"delivery.outbox_dir", "./data/outbox"},
	{"delivery.workers", 4},
	{"delivery.in_flight", 0},
	{"delivery.max_attempts", 5},
	{"delivery.retry_base", "30s"},
	{"delivery.retry_max", "30m"},
	{"delivery.drain", "10s"},
	{"delivery.rates", map[string]any{}},
	{"delivery.assignees", map[string]any{"loudspeaker": "operator", "banner": "crew"}},
	{"delivery.task_overdue", "24h"},
	{"delivery.link_ttl", "72h"},
	{"webhook.url", ""},
	{"webhook.channels", []any{}},
	{"email.host", ""},
	{"email.port", 587},
	{"email.username", ""},
	{"email.password", ""},
	{"email.from", ""},
	{"email.ca_file", ""},
	{"notify.per_person", 6},
	{"notify.digest_hour", 7},
	{"report.parent", ""},
	{"report.place", ""},
	{"privacy.controller", ""},
	{"privacy.address", ""},
	{"privacy.contact", ""},
	{"privacy.retention_months", 24},
	{"privacy.unanswered_days", 30},
	{"privacy.request_days", 15},
}

// slotFields are the keys of one loudspeaker.slots entry.
var slotFields = []string{"name", "time", "days", "max"}

// staffFields are the keys of one telegram.staff entry.
var staffFields = []string{"chat_id", "name", "role"}

// Roles are who may do what: officers draft, leaders approve, operators air
// scripts, admins run Loa.
var Roles = []string{"officer", "leader", "operator", "admin"}

// observanceFields are the keys of one calendar.observances entry.
var observanceFields = []string{"key", "name", "name_en", "date", "ends", "lead_days", "tail_days", "topic", "enabled"}

// Keys returns every configuration key, in the order of the reference.
func Keys() []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.name
	}
	return out
}

func isKnown(name string) bool {
	for _, k := range keys {
		if k.name == name {
			return true
		}
	}
	return false
}
