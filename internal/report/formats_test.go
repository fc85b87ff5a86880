package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEveryFormatRendersAndUnknownIsAnError(t *testing.T) {
	t.Parallel()
	for _, name := range strings.Split(FormatNames(), ", ") {
		var b bytes.Buffer
		require.NoError(t, Render(&b, name, sample("")), name)
		assert.NotZero(t, b.Len(), name)
	}
	xlsx, ok := LookupFormat("xlsx")
	require.True(t, ok)
	assert.True(t, xlsx.Binary, "xlsx is refused on a terminal")
	err := Render(&bytes.Buffer{}, "pdf2", sample(""))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "html", "the error lists the known formats")
	assert.Panics(t, func() { Register(Format{Name: "json"}) })
}
