package snapshot

import (
	"crypto/rand"
	"io"
	"sync"

	"github.com/google/uuid"
	"github.com/nlnwa/gowarc/v3"
)

// gowarc calls uuid.EnableRandPool, which writes a package variable of
// google/uuid without synchronisation, every time it builds its options
// (each NewRecordBuilder and NewUnmarshaler). Two goroutines doing that at
// once is a data race, so those calls go through optionsMu, and record IDs
// are made with NewRandomFromReader, which does not read that variable.
var optionsMu sync.Mutex

func newRecordBuilder(t gowarc.RecordType, opts ...gowarc.WarcRecordOption) gowarc.WarcRecordBuilder {
	optionsMu.Lock()
	defer optionsMu.Unlock()
	return gowarc.NewRecordBuilder(t, opts...)
}

func newFileReader(r io.Reader, opts ...gowarc.WarcRecordOption) (*gowarc.WarcFileReader, error) {
	optionsMu.Lock()
	defer optionsMu.Unlock()
	return gowarc.NewWarcFileReaderFromStream(r, 0, opts...)
}

// newRecordID returns a fresh "urn:uuid:…" record ID. Every record gets one
// from here so gowarc never generates one itself (see optionsMu).
func newRecordID() string {
	id, err := uuid.NewRandomFromReader(rand.Reader)
	if err != nil {
		// crypto/rand does not fail on supported platforms; a panic here
		// would be a broken OS, not bad input.
		panic("snapshot: reading random bytes: " + err.Error())
	}
	return id.URN()
}
