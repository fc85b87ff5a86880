package checks

// The package's tests hold every message call to its check's declaration.
func init() { strictArgs = true }
