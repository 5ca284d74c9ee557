package proposal

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
	_ "unsafe" // go:linkname, for gse's embedded dictionary text

	_ "github.com/go-ego/gse" // defines gseZhS: without it linked, the name would be an empty string of ours
	"github.com/go-ego/gse/hmm"
)

// The segmenter below is gse's dictionary segmentation (Cut with HMM and
// CutSearch, the jieba algorithm: a DAG of dictionary words, the most probable
// route through it, HMM for runs of unknown single characters) over a compact
// dictionary. gse.NewEmbed("zh_s") keeps ~100-130 MB live for its dictionary
// (a cedar trie, per-word token structs, and sub-segments of every word
// precomputed for a search mode we do not use); that alone broke the server's
// 150 MB budget once the dictionary was loaded at start-up. Here the same words
// are a sorted index into gse's embedded dictionary text (~5 MB). The
// algorithm is copied from gse v0.80.3 (dag.go; Apache-2.0/MIT) with its exact
// arithmetic and tie-breaking; TestSegmenterMatchesGse checks that both give
// the same words, so indexed documents stay consistent with new queries.

// gseZhS is gse's embedded simplified-Chinese dictionary ("word freq pos" lines).
// The blank import of gse above is what links its definition in; loadSegmenter
// refuses an empty dictionary, and TestServeSearchesWords checks the real binary.
//
//go:linkname gseZhS github.com/go-ego/gse.zhS
var gseZhS string

// gse's loading constants: its default minimum frequency and RatioWord.
const (
	segMinFreq   = 2.0
	segRatioWord = 1.5
)

// wordSegmenter is a read-only dictionary: words in byte order with their
// frequencies, 9 bytes a word (352,275 words: ~3 MB).
type wordSegmenter struct {
	src   string   // the dictionary text the words are cut from
	extra string   // words that differ from their text (ASCII letters lowercased)
	off   []uint32 // word i starts at off[i] in src, or in extra if off[i]&inExtra
	n     []uint8  // and has n[i] bytes
	freq  []uint32 // its frequency (the dictionary's are integers)
	total float64  // sum of the frequencies, as gse counts it
}

const inExtra = 1 << 31

// word returns the i-th word in byte order.
func (s *wordSegmenter) word(i int) string {
	if o := s.off[i]; o&inExtra != 0 {
		o &^= inExtra
		return s.extra[o : o+uint32(s.n[i])]
	}
	return s.src[s.off[i] : s.off[i]+uint32(s.n[i])]
}

// newWordSegmenter parses dict exactly as gse's LoadDictStr + Dictionary.AddToken
// do: frequencies below 2 dropped, single characters counted as 2, ASCII
// letters lowercased in the key, the first of duplicate words kept. It refuses
// what it cannot hold exactly: a word over 255 bytes, a frequency that is not
// an integer below 2³² (there are none in gse's dictionary).
func newWordSegmenter(dict string) (*wordSegmenter, error) {
	if len(dict) >= inExtra {
		return nil, errors.New("proposal: dictionary too large")
	}
	lines := strings.Count(dict, "\n") + 1
	f := &wordSegmenter{src: dict, off: make([]uint32, 0, lines), n: make([]uint8, 0, lines), freq: make([]uint32, 0, lines)}
	var extra strings.Builder
	for rest := dict; len(rest) > 0; {
		start := len(dict) - len(rest)
		line := rest
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		fields := strings.SplitN(line, " ", 3)
		if len(fields) < 2 {
			continue // gse drops lines without a frequency
		}
		text := strings.TrimSpace(fields[0])
		freq, err := strconv.ParseFloat(strings.TrimSpace(fields[1]), 64)
		if err != nil || freq < segMinFreq || text == "" {
			continue
		}
		if utf8.RuneCountInString(text) < 2 {
			freq = 2
		}
		if len(text) > 255 || freq != math.Trunc(freq) || freq >= 1<<32 {
			return nil, fmt.Errorf("proposal: dictionary word %q (frequency %v) cannot be held", text, freq)
		}
		off := uint32(start + strings.Index(line, text))
		if key := asciiLower(text); key != text {
			off = uint32(extra.Len()) | inExtra
			extra.WriteString(key)
		}
		f.off, f.n, f.freq = append(f.off, off), append(f.n, uint8(len(text))), append(f.freq, uint32(freq))
	}
	f.extra = extra.String()
	// Order the words, the first line first among duplicates (as gse keeps it).
	perm := make([]int32, len(f.off))
	for i := range perm {
		perm[i] = int32(i)
	}
	slices.SortStableFunc(perm, func(a, b int32) int { return strings.Compare(f.word(int(a)), f.word(int(b))) })
	s := &wordSegmenter{src: f.src, extra: f.extra}
	dup := make([]bool, len(perm))
	for k, i := range perm {
		if k > 0 && f.word(int(perm[k-1])) == f.word(int(i)) {
			dup[i] = true
			continue
		}
		s.off, s.n, s.freq = append(s.off, f.off[i]), append(s.n, f.n[i]), append(s.freq, f.freq[i])
	}
	// gse sums the frequencies of the words it keeps in file order; the same
	// order gives the same float.
	for i, fr := range f.freq {
		if !dup[i] {
			s.total += float64(fr)
		}
	}
	s.off, s.n, s.freq = slices.Clip(s.off), slices.Clip(s.n), slices.Clip(s.freq)
	return s, nil
}

// asciiLower lowercases ASCII letters only, as gse's dictionary keys do.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.Map(func(r rune) rune {
				if r >= 'A' && r <= 'Z' {
					return r + 'a' - 'A'
				}
				return r
			}, s)
		}
	}
	return s
}

// find reports a word's frequency, and ok for a word or a prefix of one
// (frequency 0), like gse's Dictionary.Find over its trie.
func (s *wordSegmenter) find(w string) (float64, bool) {
	if w == "" {
		return 0, false
	}
	i := sort.Search(len(s.off), func(i int) bool { return s.word(i) >= w })
	if i == len(s.off) {
		return 0, false
	}
	if word := s.word(i); word == w {
		return float64(s.freq[i]), true
	} else {
		return 0, strings.HasPrefix(word, w)
	}
}

// route is the best way on from a position: its log probability and the last
// rune of the word taken there.
type route struct {
	freq  float64
	index int
}

// dag lists, for every rune position, the end positions of the dictionary
// words starting there (the position itself when none), as gse's getDag.
func (s *wordSegmenter) dag(runes []rune) [][]int {
	n := len(runes)
	dag := make([][]int, n)
	for k := 0; k < n; k++ {
		for i := k; i < n; i++ {
			freq, ok := s.find(string(runes[k : i+1]))
			if !ok {
				break
			}
			if freq > 0 {
				dag[k] = append(dag[k], i)
			}
		}
		if len(dag[k]) == 0 {
			dag[k] = append(dag[k], k)
		}
	}
	return dag
}

// calc finds the most probable route, as gse's calc (same arithmetic and ties).
func (s *wordSegmenter) calc(runes []rune) []route {
	dag := s.dag(runes)
	n := len(runes)
	rs := make([]route, n+1)
	logT := math.Log(s.total)
	for idx := n - 1; idx >= 0; idx-- {
		set := false
		for _, i := range dag[idx] {
			freq, ok := s.find(string(runes[idx : i+1]))
			var r route
			if ok {
				r = route{freq: math.Log(freq) - logT + rs[i+1].freq, index: i}
			} else {
				r = route{freq: math.Log(1.0) - logT + rs[i+1].freq, index: i}
			}
			if v := rs[idx]; !set {
				rs[idx], set = r, true
			} else if v.freq < r.freq || (v.freq == r.freq && v.index < r.index) {
				rs[idx] = r
			}
		}
	}
	return rs
}

// hmm cuts a run of single characters: with the HMM unless the run is itself a word.
func (s *wordSegmenter) hmm(bufString string, buf []rune) []string {
	if v, ok := s.find(bufString); !ok || v == 0 {
		return hmm.Cut(bufString)
	}
	out := make([]string, 0, len(buf))
	for _, r := range buf {
		out = append(out, string(r))
	}
	return out
}

// Cut segments str in accurate mode with the HMM (gse's Cut(str, true)).
func (s *wordSegmenter) Cut(str string) []string {
	result := make([]string, 0, int(float32(len(str))/segRatioWord)+1)
	runes := []rune(strings.ToLower(str))
	routes := s.calc(runes)
	var buf []rune
	flush := func() {
		if len(buf) == 0 {
			return
		}
		if bufString := string(buf); len(buf) == 1 {
			result = append(result, bufString)
		} else {
			result = append(result, s.hmm(bufString, buf)...)
		}
		buf = nil
	}
	for x := 0; x < len(runes); {
		y := routes[x].index + 1
		if frag := runes[x:y]; y-x == 1 {
			buf = append(buf, frag...)
		} else {
			flush()
			result = append(result, string(frag))
		}
		x = y
	}
	flush()
	return result
}

// CutSearch segments str in search mode: every word of Cut, preceded by its
// two- and three-rune parts that are dictionary words (gse's CutSearch(str, true)).
func (s *wordSegmenter) CutSearch(str string) []string {
	result := make([]string, 0, len(str)+1)
	for _, word := range s.Cut(str) {
		runes := []rune(word)
		for _, incr := range []int{2, 3} {
			if len(runes) <= incr {
				continue
			}
			for i := 0; i < len(runes)-incr+1; i++ {
				gram := string(runes[i : i+incr])
				if v, ok := s.find(gram); ok && v > 0 {
					result = append(result, gram)
				}
			}
		}
		result = append(result, word)
	}
	return result
}
