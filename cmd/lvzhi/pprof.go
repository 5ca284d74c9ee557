package main

import (
	"net/http"
	"net/http/pprof"
)

// mountPprof serves Go's profiler on mux (the metrics listener only). The
// handlers are registered by hand rather than by importing net/http/pprof for
// its side effect, which would put them on http.DefaultServeMux.
func mountPprof(mux *http.ServeMux) {
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
}
