package proposal

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/go-ego/gse"
)

// TestSegmenterMatchesGse checks the compact segmenter against gse itself
// (gse.NewEmbed("zh_s"), as used before): the same dictionary, and the same
// words from Cut and CutSearch over real sentences and thousands of random
// mixtures of dictionary words, single characters, Latin text, digits and
// punctuation. Documents indexed by either must match queries cut by the other.
func TestSegmenterMatchesGse(t *testing.T) {
	if testing.Short() {
		t.Skip("loads gse's full dictionary (~3 s, ~250 MB)")
	}
	ref, err := gse.NewEmbed("zh_s")
	if err != nil {
		t.Fatal(err)
	}
	seg, err := loadSegmenter()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(seg.off), ref.Dict.NumTokens(); got != want {
		t.Errorf("%d words, gse has %d", got, want)
	}
	if seg.total != ref.Dict.TotalFreq() {
		t.Errorf("total frequency %v, gse %v", seg.total, ref.Dict.TotalFreq())
	}

	lines := strings.Split(gseZhS, "\n")
	rng := rand.New(rand.NewPCG(2018, 11))
	pieces := []string{"，", "。", "、", "；", "：", "（", "）", "“", "”", " ", "\n", "-", "2024", "3.5", "GDP", "App",
		"5G", "Wi-Fi", "COVID-19", "PM2.5", "ABC", "é", "①", "第", "了", "的", "在", "县", "乡", "镇", "村", "和", "与"}
	texts := []string{
		"关于加强农村义务教育阶段学校寄宿制管理的建议",
		"建议县教育局会同财政局，统筹安排专项资金，改善乡镇学校的食堂和宿舍条件。",
		"政协委员提出：推进城乡供水一体化，保障农村饮水安全；完善污水处理设施。",
		"我市GDP增长5.2%，新能源汽车产量达到12万辆，5G基站覆盖所有乡镇。",
		"履职平台上线后，委员可以用手机提交提案、查看办理进度和答复。",
		"",
		"   ",
		"Hello World 你好世界 ABC123",
	}
	for range 4000 {
		var b strings.Builder
		for range 1 + rng.IntN(25) {
			switch rng.IntN(4) {
			case 0:
				b.WriteString(pieces[rng.IntN(len(pieces))])
			case 1: // a single Han character, often not a word on its own
				b.WriteRune(rune(0x4e00 + rng.IntN(0x9fa5-0x4e00)))
			default:
				if f := strings.Fields(lines[rng.IntN(len(lines))]); len(f) > 0 {
					b.WriteString(f[0])
				}
			}
		}
		texts = append(texts, b.String())
	}
	bad := 0
	for _, s := range texts {
		if got, want := seg.Cut(s), ref.Cut(s, true); !slices.Equal(got, want) {
			bad++
			t.Errorf("Cut(%q)\n got  %q\n want %q", s, got, want)
		}
		if got, want := seg.CutSearch(s), ref.CutSearch(s, true); !slices.Equal(got, want) {
			bad++
			t.Errorf("CutSearch(%q)\n got  %q\n want %q", s, got, want)
		}
		if bad > 10 {
			t.Fatal("too many differences")
		}
	}
	runtime.KeepAlive(ref)
}

// TestSegmenterMemory: the dictionary must stay small, it lives in the server
// for good (gse's own took ~100-130 MB of the server's 150 MB budget).
func TestSegmenterMemory(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	seg, err := newWordSegmenter(gseZhS)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	live := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d words, %.1f MB live", len(seg.off), float64(live)/(1<<20))
	if live > 8<<20 {
		t.Errorf("dictionary holds %.1f MB, want < 8 MB", float64(live)/(1<<20))
	}
	runtime.KeepAlive(seg)
}
