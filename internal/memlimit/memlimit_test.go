package memlimit

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Memory-limit tests change process-wide state; they restore it and do not
// run in parallel.

func TestApplySetsDefault(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	old := debug.SetMemoryLimit(1 << 40)
	t.Cleanup(func() {
		running.Load().Store(true)
		debug.SetMemoryLimit(old)
	})

	assert.GreaterOrEqual(t, Apply(), Default)
	assert.GreaterOrEqual(t, debug.SetMemoryLimit(-1), Default)
}

// Under its own limit Apply raises GOGC, unless the user set GOGC; with a
// user's GOMEMLIMIT it leaves GOGC alone too (no limit of ours bounds it).
func TestApplyGCPercent(t *testing.T) {
	oldLimit := debug.SetMemoryLimit(1 << 40)
	oldPct := debug.SetGCPercent(100)
	t.Cleanup(func() {
		if r := running.Load(); r != nil {
			r.Store(true)
		}
		debug.SetMemoryLimit(oldLimit)
		debug.SetGCPercent(oldPct)
	})
	for _, c := range []struct {
		gogc, memlimit string
		want           int
	}{
		{"", "", GCPercent},
		{"100", "", 100},
		{"", "1GiB", 100},
	} {
		t.Setenv("GOGC", c.gogc)
		t.Setenv("GOMEMLIMIT", c.memlimit)
		debug.SetGCPercent(100)
		if c.memlimit != "" {
			debug.SetMemoryLimit(1 << 30)
		}
		Apply()
		assert.Equal(t, c.want, debug.SetGCPercent(100), "GOGC=%q GOMEMLIMIT=%q", c.gogc, c.memlimit)
	}
}

// A limit the user gave in GOMEMLIMIT (applied by the runtime at start)
// is left alone.
func TestApplyKeepsUserLimit(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "1GiB")
	old := debug.SetMemoryLimit(1 << 30)
	t.Cleanup(func() { debug.SetMemoryLimit(old) })

	assert.Equal(t, int64(1<<30), Apply())
}

func TestLimitFor(t *testing.T) {
	assert.Equal(t, Default, limitFor(0, Default))
	assert.Equal(t, Default, limitFor(100<<20, Default), "100 MB live fits under the floor")
	assert.Equal(t, int64(300<<20)+slack, limitFor(200<<20, Default), "200 MB live may grow by half")
}

// The limit follows the live heap up when it passes the floor, and back
// down when it shrinks: a fixed limit below the live heap makes the
// collector run back to back.
func TestFollowTracksLiveHeap(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	const floor = 4 << 20
	stop := follow(floor)
	t.Cleanup(func() { stop(); debug.SetMemoryLimit(old) })

	waitFor := func(ok func(int64) bool) int64 {
		t.Helper()
		var got int64
		for range 200 {
			runtime.GC()
			time.Sleep(5 * time.Millisecond) // the finalizer runs on its own goroutine
			if got = debug.SetMemoryLimit(-1); ok(got) {
				return got
			}
		}
		t.Fatalf("memory limit stayed at %d", got)
		return got
	}

	live := make([]byte, 64<<20)
	for i := range live {
		live[i] = 1
	}
	waitFor(func(l int64) bool { return l >= 64<<20*3/2 })
	runtime.KeepAlive(live)
	live = nil
	waitFor(func(l int64) bool { return l < 64<<20 })
}
