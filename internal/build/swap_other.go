//go:build !linux

package build

import "errors"

// exchange has no one-step form here; swap falls back to two renames.
func exchange(a, b string) error { return errors.ErrUnsupported }
