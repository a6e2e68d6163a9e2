package content

import (
	"math/rand/v2"
	"testing"
)

// mutations calls check with n inputs derived from seeds by the kinds of
// edits a fuzzer makes (insert, delete, repeat, replace, splice), drawn from
// a fixed random sequence: the same inputs on every run, so `make test`
// explores beyond the seed corpus without ever failing on a fuzzer's luck.
// Longer, truly random runs are `make fuzz`.
func mutations(t *testing.T, seeds [][]byte, n int, check func(t *testing.T, data []byte)) {
	t.Helper()
	r := rand.New(rand.NewPCG(20261201, 1))
	// Bytes that matter to the formats under test, then any byte.
	alphabet := []byte("-\n\r #:[]{}|>'\"\t\\x0aĐ")
	pick := func() []byte {
		if r.IntN(4) == 0 {
			return []byte{byte(r.IntN(256))}
		}
		if r.IntN(8) == 0 {
			return []byte([]string{"---\n", "## zalo\n", "## banner\n- ", "\r\n", "\u00a0", "ạ", "{{.Ward}}", "\ufeff"}[r.IntN(8)])
		}
		return []byte{alphabet[r.IntN(len(alphabet))]}
	}
	for i := range n {
		data := append([]byte(nil), seeds[r.IntN(len(seeds))]...)
		for range 1 + r.IntN(4) {
			at := 0
			if len(data) > 0 {
				at = r.IntN(len(data) + 1)
			}
			end := min(len(data), at+1+r.IntN(8))
			switch r.IntN(5) {
			case 0: // insert
				data = append(data[:at:at], append(pick(), data[at:]...)...)
			case 1: // delete
				data = append(data[:at:at], data[end:]...)
			case 2: // repeat a span
				data = append(data[:end:end], append(append([]byte(nil), data[at:end]...), data[end:]...)...)
			case 3: // replace a byte
				if at < len(data) {
					data[at] = pick()[0]
				}
			case 4: // splice another seed's tail
				other := seeds[r.IntN(len(seeds))]
				data = append(data[:at:at], other[r.IntN(len(other)+1):]...)
			}
		}
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("mutation %d panicked on %q: %v", i, data, p)
				}
			}()
			check(t, data)
		}()
		if t.Failed() {
			t.Fatalf("mutation %d failed on %q", i, data)
		}
	}
}
