package db

import "strconv"

// Under returns the condition that the materialised path in col lies under
// path (path itself included): "substr(col, 1, 5) = $3".
//
// It replaces "col LIKE $n": on SQLite a LIKE whose pattern is a bound value
// marks the statement to be compiled again each time a value is bound (for its
// LIKE optimisation), which defeats the statement cache; neither engine used an
// index for the parameterised LIKE anyway. Paths are ASCII ("/1/23/"), so
// substr counts bytes and characters alike on both engines.
// add allocates the placeholder (Args.Add).
func Under(col string, add func(any) string, path string) string {
	return "substr(" + col + ", 1, " + strconv.Itoa(len(path)) + ") = " + add(path)
}
