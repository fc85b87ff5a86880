package history

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A --db value naming another scheme is refused and creates nothing: today's
// bug was a SQLite file in a directory named "postgres:".
func TestOpenStoreRefusesOtherSchemes(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, dsn := range []string{"mysql://u@h/db", "sqlite3:x.db", "http://example/db"} {
		st, err := OpenStore(context.Background(), dsn)
		if err == nil {
			st.Close()
			t.Fatalf("OpenStore(%q) = nil error, want a usage error", dsn)
		}
		if !strings.Contains(err.Error(), "scheme") {
			t.Errorf("OpenStore(%q) error %q does not name the scheme", dsn, err)
		}
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 0 {
		t.Fatalf("OpenStore left files behind: %v", ents)
	}
	st, err := OpenStore(context.Background(), filepath.Join(dir, "h.db"))
	if err != nil {
		t.Fatalf("OpenStore(path): %v", err)
	}
	st.Close()
}
