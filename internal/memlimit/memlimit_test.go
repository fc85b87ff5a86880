package memlimit

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestApplySetsDefault(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	old := debug.SetMemoryLimit(1 << 40)
	t.Cleanup(func() { debug.SetMemoryLimit(old) })

	assert.Equal(t, Default, Apply())
	assert.Equal(t, Default, debug.SetMemoryLimit(-1))
}

// A limit the user gave in GOMEMLIMIT (applied by the runtime at start)
// is left alone.
func TestApplyKeepsUserLimit(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "1GiB")
	old := debug.SetMemoryLimit(1 << 30)
	t.Cleanup(func() { debug.SetMemoryLimit(old) })

	assert.Equal(t, int64(1<<30), Apply())
}
