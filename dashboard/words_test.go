package dashboard

import (
	"io/fs"
	"regexp"
	"testing"
)

// TestEveryWordHasBothLanguages: each key a template asks for is in the
// catalog with a Vietnamese and an English text.
func TestEveryWordHasBothLanguages(t *testing.T) {
	use := regexp.MustCompile(`\{\{t \S+ "([a-z_]+)"\}\}`)
	names, _ := fs.Glob(templateFS, "templates/*.html")
	seen := 0
	for _, name := range names {
		b, _ := fs.ReadFile(templateFS, name)
		for _, m := range use.FindAllSubmatch(b, -1) {
			seen++
			w, ok := words[string(m[1])]
			if !ok || w.VI == "" || w.EN == "" {
				t.Errorf("%s: word %q is missing a language", name, m[1])
			}
		}
	}
	for _, k := range []string{"at", "relative", "cron", "rotation"} { // asked for by (print "kind_" $k)
		if _, ok := words["kind_"+k]; !ok {
			t.Errorf("no word kind_%s", k)
		}
	}
	if seen < 50 {
		t.Errorf("only %d uses found: the pattern no longer matches the templates", seen)
	}
}
