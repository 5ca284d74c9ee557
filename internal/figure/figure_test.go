package figure

import (
	"net/url"
	"reflect"
	"testing"

	"lvzhi/internal/apperr"
	"lvzhi/internal/civil"
)

func TestFilterQueryRoundTrip(t *testing.T) {
	cases := []Filter{
		{CommitteeID: 3},
		{CommitteeID: 3, Subtree: true},
		YearFilter(7, 2018),
		{CommitteeID: 7, From: civil.MustParse("2018-04-01"), To: civil.MustParse("2018-06-30"), Dims: map[string]string{"township": "寨子口"}},
		YearFilter(7, 2026).WithDim("theme", "economy").WithDim("session", "12"),
	}
	for _, f := range cases {
		got, set, err := ParseQuery(f.Query())
		if err != nil || !set {
			t.Fatalf("%+v: %v (subtree set %v)", f, err, set)
		}
		if len(got.Dims) == 0 {
			got.Dims = nil
		}
		if len(f.Dims) == 0 {
			f.Dims = nil
		}
		if !reflect.DeepEqual(got, f) {
			t.Errorf("round trip %+v gave %+v", f, got)
		}
	}
}

func TestParseQueryRefusesBadValues(t *testing.T) {
	for _, q := range []string{"committee=x", "subtree=maybe", "year=18", "from=2018-02-30", "to=yesterday",
		"from=2018-05-01&to=2018-04-01"} {
		v, _ := url.ParseQuery(q)
		if _, _, err := ParseQuery(v); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("%s: %v, want invalid", q, err)
		}
	}
	v, _ := url.ParseQuery("fig=a&page=2&theme=&unit=4")
	f, set, err := ParseQuery(v)
	if err != nil || set || !reflect.DeepEqual(f.Dims, map[string]string{"unit": "4"}) {
		t.Errorf("reserved and empty parameters: %+v %v %v", f, set, err)
	}
}

func TestYear(t *testing.T) {
	if y := YearFilter(1, 2018).Year(); y != 2018 {
		t.Errorf("whole year: %d", y)
	}
	for _, f := range []Filter{{}, {From: civil.MustParse("2018-01-01")}, {From: civil.MustParse("2018-01-01"), To: civil.MustParse("2018-12-30")},
		{From: civil.MustParse("2018-01-01"), To: civil.MustParse("2019-12-31")}} {
		if y := f.Year(); y != 0 {
			t.Errorf("%+v is not one whole year but Year() = %d", f, y)
		}
	}
}

func TestPairAndRates(t *testing.T) {
	vs := []Value{
		{Def: Def{ID: "a"}, Value: 214},
		{Def: Def{ID: "b", Den: "a"}, Value: 203},
		{Def: Def{ID: "c", Den: "z"}, Value: 1},
	}
	if err := Pair(vs); err == nil {
		t.Fatal("a missing denominator must be an error")
	}
	vs = vs[:2]
	if err := Pair(vs); err != nil {
		t.Fatal(err)
	}
	if vs[1].DenValue != 214 || vs[1].Pct() != "94.9%" || vs[0].Pct() != "—" {
		t.Errorf("rate %d %s %s", vs[1].DenValue, vs[1].Pct(), vs[0].Pct())
	}
	if r, ok := (Value{Def: Def{Den: "x"}}).Rate(); ok || r != 0 {
		t.Errorf("zero denominator gives a rate")
	}
	money := Value{Def: Def{Unit: "fen", Measure: Sum}, Value: 248550000}
	if got := money.Amount(); got != "2485500.00" {
		t.Errorf("fen as yuan: %s", got)
	}
}

func TestCellText(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{nil, ""}, {"文本", "文本"}, {int64(12), "12"}, {civil.Date{}, ""}, {civil.MustParse("2018-03-02"), "2018-03-02"},
		{[]string{"县教育局", "县财政局"}, "县教育局、县财政局"}, {Key(""), ""},
	} {
		if got := CellText("zh", c.v); got != c.want {
			t.Errorf("%#v: %q, want %q", c.v, got, c.want)
		}
	}
}

// TestSentence: the sentence renderer cites figures by id, in their units.
func TestSentence(t *testing.T) {
	vs := []Value{
		{Def: Def{ID: "proposals.registered"}, Value: 214},
		{Def: Def{ID: "proposals.solved", Den: "proposals.registered"}, Value: 203, DenValue: 214},
		{Def: Def{ID: "proposals.face_to_face", Den: "proposals.replied"}, Value: 214, DenValue: 214},
		{Def: Def{ID: "proposals.satisfied", Den: "proposals.evaluated"}, Value: 200, DenValue: 200},
	}
	got := Sentence("zh", "figures.sentence", vs)
	if want := "提案所提事项已解决和正在解决的达203件，占立案总数的94.9%，面商率100.0%，满意率100.0%。"; got != want {
		t.Errorf("zh sentence %q, want %q", got, want)
	}
}

// TestProseForms: the share and 万 forms report sentences use.
func TestProseForms(t *testing.T) {
	for _, c := range []struct {
		v    Value
		want string
	}{
		{Value{Def: Def{Unit: "fen"}, Value: 248550000}, "248.55"},
		{Value{Def: Def{Unit: "fen"}, Value: 214000000}, "214"},
		{Value{Def: Def{Unit: "fen"}, Value: 110004999}, "110"},
		{Value{Def: Def{Unit: "fen"}, Value: 110005000}, "110.01"},
		{Value{Def: Def{Unit: "item"}, Value: 15000}, "1.5"},
		{Value{Def: Def{Unit: "item"}, Value: 0}, "0"},
	} {
		if got := c.v.Wan(); got != c.want {
			t.Errorf("Wan(%d %s) = %q, want %q", c.v.Value, c.v.Unit, got, c.want)
		}
	}
}
