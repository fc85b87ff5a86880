package history

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// schemeRE matches a value that names a URL scheme ("postgres://", "mysql:")
// rather than a file path. A Windows drive letter ("C:") is one letter and
// does not match.
var schemeRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]+:`)

// IsPostgresURL reports whether dsn names a PostgreSQL database.
func IsPostgresURL(dsn string) bool {
	l := strings.ToLower(dsn)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// OpenStore opens the history store that dsn names: a PostgreSQL URL
// (postgres:// or postgresql://) or a SQLite file path. A value that looks
// like a URL of any other scheme is an error, never a file named after it.
func OpenStore(ctx context.Context, dsn string) (Store, error) {
	switch {
	case IsPostgresURL(dsn):
		return openPostgres(ctx, dsn)
	case schemeRE.MatchString(dsn):
		scheme := dsn[:strings.IndexByte(dsn, ':')]
		return nil, fmt.Errorf("history: --db %q: unsupported scheme %q (want a SQLite file path or a postgres:// URL)", dsn, scheme)
	}
	return Open(ctx, dsn)
}

// openPostgres is replaced by the PostgreSQL store.
var openPostgres = func(ctx context.Context, dsn string) (Store, error) {
	return nil, fmt.Errorf("history: PostgreSQL stores are not supported by this build")
}
